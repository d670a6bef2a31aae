#include "decision_request.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "query_string.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang::serve {
namespace {

struct InputName {
  Input input;
  std::string_view name;  // in a query or body
  std::string_view noun;  // in a message about a header and a parameter
};

constexpr std::array<InputName, 6> kInputs = {{
    {Input::kInsz, "insz", "the person"},
    {Input::kApp, "app", "the application"},
    {Input::kHco, "hco", "the facility"},
    {Input::kLang, "lang", "the language"},
    {Input::kAtLeast, "at_least", "the revision"},
    {Input::kWaitMs, "wait_ms", "the wait"},
}};

const InputName& NameOf(Input input) {
  return kInputs[static_cast<size_t>(input)];
}

RequestError Usage(std::string message) {
  return {std::string(code::kUsage), std::move(message)};
}

RequestError Twice(std::string_view what) {
  return {std::string(code::kDuplicateInput),
          std::string(what) + " is given twice; send each input once"};
}

// The input in a header and in a parameter or field: "the revision
// (parameter `at_least` and the X-Toegang-At-Least header)".
RequestError InTwoParts(Input input, std::string_view part,
                        std::string_view header) {
  return Twice(std::string(NameOf(input).noun) + " (" + std::string(part) +
               " and " + std::string(header) + ")");
}

// Parses a JSON object body; *duplicate names a key given twice at its top
// level (nlohmann keeps the last of them silently).
nlohmann::json ParseBody(std::string_view body, std::string* duplicate) {
  std::vector<std::string> keys;
  auto callback = [&](int depth, nlohmann::json::parse_event_t event,
                      nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::key && depth == 1 &&
        parsed.is_string()) {
      std::string key = parsed.get<std::string>();
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
        if (duplicate->empty()) *duplicate = key;
      } else {
        keys.push_back(std::move(key));
      }
    }
    return true;
  };
  return nlohmann::json::parse(body, callback, false);
}

}  // namespace

RequestParser::RequestParser(std::initializer_list<Input> accepted,
                             Wording wording)
    : wording_(wording) {
  for (Input input : accepted) slot(input).accepted = true;
}

std::optional<RequestError> RequestParser::Once(std::string_view header,
                                                size_t count) {
  if (count > 1) return Twice(header);
  return std::nullopt;
}

std::optional<RequestError> RequestParser::Claim(std::string_view part,
                                                 std::string_view name,
                                                 Input* input) {
  auto it = std::find_if(kInputs.begin(), kInputs.end(),
                         [&](const InputName& i) { return i.name == name; });
  if (it == kInputs.end() || !slot(it->input).accepted) {
    return Usage("unknown " + std::string(part) + " `" + std::string(name) +
                 "`");
  }
  Slot& s = slot(it->input);
  const std::string source = std::string(part) + " `" + std::string(name) + "`";
  if (s.from_header) return InTwoParts(it->input, source, s.source);
  if (!s.source.empty()) return Twice(source);
  s.source = source;
  *input = it->input;
  return std::nullopt;
}

std::optional<RequestError> RequestParser::TakeQuery(std::string_view query) {
  std::optional<std::vector<std::pair<std::string, std::string>>> params =
      ParseQuery(query);
  if (!params) return Usage("malformed query string");
  for (auto& [name, value] : *params) {
    Input input;
    if (auto error = Claim("parameter", name, &input)) return error;
    slot(input).value = std::move(value);
  }
  return std::nullopt;
}

std::optional<RequestError> RequestParser::TakeBody(std::string_view body) {
  std::string duplicate;
  nlohmann::json object = ParseBody(body, &duplicate);
  if (!object.is_object()) return Usage("the body must be a JSON object");
  if (!duplicate.empty()) return Twice("field `" + duplicate + "`");
  for (auto& [name, value] : object.items()) {
    Input input;
    if (auto error = Claim("field", name, &input)) return error;
    const bool number = input == Input::kAtLeast || input == Input::kWaitMs;
    if (value.is_string()) {
      slot(input).value = value.get<std::string>();
    } else if (value.is_number_unsigned() && number) {
      slot(input).value = std::to_string(value.get<uint64_t>());
    } else if (!value.is_null()) {
      return Usage("field `" + name + "` must be a " +
                   (number ? "non-negative integer" : "string"));
    }
  }
  return std::nullopt;
}

std::optional<RequestError> RequestParser::TakeHeader(Input input,
                                                      std::string_view header,
                                                      size_t count,
                                                      std::string_view value) {
  if (count == 0) return std::nullopt;
  Slot& s = slot(input);
  const std::string source = wording_ == Wording::kGateway
                                 ? std::string(header)
                                 : "the " + std::string(header) + " header";
  if (!s.source.empty()) return InTwoParts(input, s.source, source);
  s.source = source;
  s.from_header = true;
  s.value = std::string(value);
  return std::nullopt;
}

const std::string& RequestParser::value(Input input) const {
  return slot(input).value;
}

void RequestParser::Default(Input input, std::string value) {
  if (slot(input).value.empty()) slot(input).value = std::move(value);
}

std::optional<RequestError> RequestParser::Finish(DecisionRequest* out) const {
  out->insz = value(Input::kInsz);
  out->app = value(Input::kApp);
  out->hco = value(Input::kHco);
  if (!out->hco.empty() &&
      !std::all_of(out->hco.begin(), out->hco.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return RequestError{std::string(code::kInvalidHco),
                        wording_ == Wording::kGateway
                            ? "hco is a facility's HCO number: digits only"
                            : "hco is a facility's HCO number: digits only, "
                              "nothing around them"};
  }
  out->lang.clear();
  if (slot(Input::kLang).accepted) {
    out->lang = value(Input::kLang).empty() ? "en" : value(Input::kLang);
    if (out->lang != "nl" && out->lang != "en") {
      return Usage("lang is nl or en");
    }
  }
  out->at_least = 0;
  if (!value(Input::kAtLeast).empty()) {
    std::optional<uint64_t> r = ParseWholeNumber(value(Input::kAtLeast));
    if (!r) return Usage("at_least is a revision number");
    out->at_least = *r;
  }
  out->wait_ms.reset();
  if (!value(Input::kWaitMs).empty()) {
    out->wait_ms = ParseWholeNumber(value(Input::kWaitMs));
    if (!out->wait_ms) return Usage("wait_ms is a number of milliseconds");
  }
  return std::nullopt;
}

}  // namespace toegang::serve
