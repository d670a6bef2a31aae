#include "toegang/explanation_json.h"

#include <nlohmann/json.hpp>
#include <optional>

namespace toegang {
namespace {

nlohmann::json PersonJson(const PersonRef& p) {
  return {{"insz", p.insz}, {"name", p.name}};
}

nlohmann::json OptionalPersonJson(const std::optional<PersonRef>& p) {
  return p ? PersonJson(*p) : nlohmann::json(nullptr);
}

}  // namespace

std::string ExplanationToJson(const Explanation& e) {
  nlohmann::json chain = nlohmann::json::array();
  for (const ChainLink& l : e.chain) {
    chain.push_back({{"step", l.step},
                     {"person", OptionalPersonJson(l.person)},
                     {"made_by", OptionalPersonJson(l.made_by)},
                     {"revision", l.revision},
                     {"at", l.at},
                     {"text", l.text}});
  }
  nlohmann::json fixers = nlohmann::json::array();
  for (const PersonRef& p : e.fixers) fixers.push_back(PersonJson(p));
  nlohmann::json j = {{"allowed", e.allowed},
                      {"revision", e.revision},
                      {"facilities", e.facilities},
                      {"chain", chain},
                      {"reason", e.reason},
                      {"condition", e.condition},
                      {"manual", e.manual},
                      {"candidate_kbo", e.candidate_kbo},
                      {"candidate_hco", e.candidate_hco},
                      {"fixers", fixers},
                      {"where_to_ask", e.where_to_ask},
                      {"summary", e.summary}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace toegang
