// The one parser of a decision request's inputs (tools/serve/
// decision_request.h): each input good, bad, overflowing and given twice.
#include "decision_request.h"

#include <gtest/gtest.h>

#include "toegang/identifiers.h"

namespace toegang::serve {
namespace {

constexpr std::string_view kHeader = "X-Toegang-At-Least";

RequestParser Api() {
  return RequestParser({Input::kInsz, Input::kApp, Input::kHco, Input::kLang,
                        Input::kAtLeast, Input::kWaitMs},
                       Wording::kApi);
}

// The request of a query string, or the error.
std::optional<RequestError> FromQuery(std::string_view query,
                                      DecisionRequest* out) {
  RequestParser p = Api();
  if (auto e = p.TakeQuery(query)) return e;
  return p.Finish(out);
}

void ExpectError(const std::optional<RequestError>& e, std::string_view code,
                 std::string_view message) {
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->code, code);
  EXPECT_EQ(e->message, message);
}

TEST(WholeNumberTest, DigitsUpTo2To63Minus1) {
  EXPECT_EQ(ParseWholeNumber("0"), 0u);
  EXPECT_EQ(ParseWholeNumber("0042"), 42u);
  EXPECT_EQ(ParseWholeNumber("9223372036854775807"), 9223372036854775807u);
  EXPECT_FALSE(ParseWholeNumber("9223372036854775808"));   // 2^63
  EXPECT_FALSE(ParseWholeNumber("18446744073709551616"));  // 2^64
  EXPECT_FALSE(ParseWholeNumber("00000000000000000001"));  // 20 digits
  for (std::string_view bad : {"", "-1", "+1", " 1", "1 ", "1.5", "0x1", "a"}) {
    EXPECT_FALSE(ParseWholeNumber(bad)) << bad;
  }
}

TEST(WholeNumberTest, ParseDigitsRefusesWhatDoesNotFit) {
  EXPECT_EQ(ParseDigits("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(ParseDigits("18446744073709551616"));
  EXPECT_FALSE(ParseDigits("99999999999999999999999"));
  EXPECT_FALSE(ParseDigits(""));
  EXPECT_FALSE(ParseDigits("-0"));
}

TEST(DecisionRequestTest, TakesEveryInputOfAQuery) {
  DecisionRequest r;
  EXPECT_FALSE(
      FromQuery("insz=85.07.30-033.28&app=ama-wvg&hco=1100234&"
                "lang=nl&at_least=12&wait_ms=250",
                &r));
  EXPECT_EQ(r.insz, "85.07.30-033.28");
  EXPECT_EQ(r.app, "ama-wvg");
  EXPECT_EQ(r.hco, "1100234");
  EXPECT_EQ(r.lang, "nl");
  EXPECT_EQ(r.at_least, 12u);
  EXPECT_EQ(r.wait_ms, std::optional<uint64_t>(250));
}

TEST(DecisionRequestTest, AbsentAndEmptyInputs) {
  DecisionRequest r;
  EXPECT_FALSE(FromQuery("insz=1&app=a&hco=&at_least=&wait_ms=", &r));
  EXPECT_EQ(r.hco, "");
  EXPECT_EQ(r.lang, "en");  // the default
  EXPECT_EQ(r.at_least, 0u);
  EXPECT_FALSE(r.wait_ms.has_value());
  // Without lang among the inputs, none is given.
  RequestParser check({Input::kInsz, Input::kApp}, Wording::kApi);
  EXPECT_FALSE(check.TakeQuery("insz=1&app=a"));
  EXPECT_FALSE(check.Finish(&r));
  EXPECT_EQ(r.lang, "");
}

TEST(DecisionRequestTest, BadValues) {
  DecisionRequest r;
  ExpectError(FromQuery("hco=1100%20234", &r), "invalid_hco",
              "hco is a facility's HCO number: digits only, nothing around "
              "them");
  ExpectError(FromQuery("hco=-1", &r), "invalid_hco",
              "hco is a facility's HCO number: digits only, nothing around "
              "them");
  ExpectError(FromQuery("lang=fr", &r), "usage", "lang is nl or en");
  ExpectError(FromQuery("at_least=abc", &r), "usage",
              "at_least is a revision number");
  ExpectError(FromQuery("at_least=-1", &r), "usage",
              "at_least is a revision number");
  ExpectError(FromQuery("wait_ms=1.5", &r), "usage",
              "wait_ms is a number of milliseconds");
  RequestParser gateway({Input::kHco}, Wording::kGateway);
  EXPECT_FALSE(gateway.TakeQuery("hco=x"));
  ExpectError(gateway.Finish(&r), "invalid_hco",
              "hco is a facility's HCO number: digits only");
}

TEST(DecisionRequestTest, Overflow) {
  DecisionRequest r;
  ExpectError(FromQuery("at_least=9223372036854775808", &r), "usage",
              "at_least is a revision number");
  ExpectError(FromQuery("at_least=99999999999999999999999", &r), "usage",
              "at_least is a revision number");
  ExpectError(FromQuery("wait_ms=18446744073709551616", &r), "usage",
              "wait_ms is a number of milliseconds");
  EXPECT_FALSE(FromQuery("at_least=9223372036854775807", &r));
  EXPECT_EQ(r.at_least, 9223372036854775807u);
}

TEST(DecisionRequestTest, UnknownAndMalformed) {
  DecisionRequest r;
  ExpectError(FromQuery("insz=1&foo=2", &r), "usage",
              "unknown parameter `foo`");
  ExpectError(FromQuery("insz=%zz", &r), "usage", "malformed query string");
  // An input the endpoint does not take is unknown there.
  RequestParser gateway({Input::kApp, Input::kHco, Input::kAtLeast},
                        Wording::kGateway);
  ExpectError(gateway.TakeQuery("insz=1"), "usage", "unknown parameter `insz`");
}

TEST(DecisionRequestTest, EachInputGivenTwiceInAQuery) {
  for (std::string_view name :
       {"insz", "app", "hco", "lang", "at_least", "wait_ms"}) {
    DecisionRequest r;
    const std::string query =
        std::string(name) + "=1&" + std::string(name) + "=1";
    ExpectError(FromQuery(query, &r), "duplicate_input",
                "parameter `" + std::string(name) +
                    "` is given twice; send each input once");
  }
}

TEST(DecisionRequestTest, HeaderGivenTwice) {
  EXPECT_FALSE(RequestParser::Once(kHeader, 0));
  EXPECT_FALSE(RequestParser::Once(kHeader, 1));
  ExpectError(RequestParser::Once(kHeader, 2), "duplicate_input",
              "X-Toegang-At-Least is given twice; send each input once");
}

TEST(DecisionRequestTest, HeaderAndParameterForOneInput) {
  RequestParser query_first = Api();
  EXPECT_FALSE(query_first.TakeQuery("at_least=3"));
  ExpectError(query_first.TakeHeader(Input::kAtLeast, kHeader, 1, "3"),
              "duplicate_input",
              "the revision (parameter `at_least` and the X-Toegang-At-Least "
              "header) is given twice; send each input once");
  // An empty header counts: it was sent.
  RequestParser empty_header = Api();
  EXPECT_FALSE(empty_header.TakeQuery("at_least=3"));
  EXPECT_TRUE(empty_header.TakeHeader(Input::kAtLeast, kHeader, 1, ""));

  RequestParser header_first = Api();
  EXPECT_FALSE(header_first.TakeHeader(Input::kAtLeast, kHeader, 1, "3"));
  ExpectError(header_first.TakeBody(R"({"at_least": null})"), "duplicate_input",
              "the revision (field `at_least` and the X-Toegang-At-Least "
              "header) is given twice; send each input once");

  RequestParser gateway({Input::kApp, Input::kHco, Input::kAtLeast},
                        Wording::kGateway);
  EXPECT_FALSE(gateway.TakeQuery("hco=1"));
  ExpectError(gateway.TakeHeader(Input::kHco, "X-Toegang-Hco", 1, "1"),
              "duplicate_input",
              "the facility (parameter `hco` and X-Toegang-Hco) is given "
              "twice; send each input once");
}

TEST(DecisionRequestTest, HeaderAloneAndDefaults) {
  RequestParser p({Input::kApp, Input::kHco, Input::kAtLeast},
                  Wording::kGateway);
  EXPECT_FALSE(p.TakeHeader(Input::kInsz, "X-Insz", 1, "85073003328"));
  EXPECT_FALSE(p.TakeHeader(Input::kHco, "X-Toegang-Hco", 0, ""));
  EXPECT_FALSE(p.TakeHeader(Input::kAtLeast, kHeader, 1, "7"));
  p.Default(Input::kApp, "ama-wvg");
  DecisionRequest r;
  EXPECT_FALSE(p.Finish(&r));
  EXPECT_EQ(r.insz, "85073003328");
  EXPECT_EQ(r.app, "ama-wvg");
  EXPECT_EQ(r.hco, "");
  EXPECT_EQ(r.at_least, 7u);
  // A default does not replace a given value.
  EXPECT_FALSE(p.TakeQuery("app=vipa"));
  p.Default(Input::kApp, "ama-wvg");
  EXPECT_EQ(p.value(Input::kApp), "vipa");
}

TEST(DecisionRequestTest, Body) {
  RequestParser p = Api();
  EXPECT_FALSE(p.TakeBody(
      R"({"insz":"85073003328","app":"ama-wvg","hco":null,"at_least":5,)"
      R"("wait_ms":"20"})"));
  DecisionRequest r;
  EXPECT_FALSE(p.Finish(&r));
  EXPECT_EQ(r.insz, "85073003328");
  EXPECT_EQ(r.hco, "");
  EXPECT_EQ(r.at_least, 5u);
  EXPECT_EQ(r.wait_ms, std::optional<uint64_t>(20));
}

TEST(DecisionRequestTest, BadBodies) {
  auto body = [](std::string_view text) { return Api().TakeBody(text); };
  ExpectError(body("[1]"), "usage", "the body must be a JSON object");
  ExpectError(body("{"), "usage", "the body must be a JSON object");
  ExpectError(body(R"({"insz":"1","insz":"2"})"), "duplicate_input",
              "field `insz` is given twice; send each input once");
  ExpectError(body(R"({"zzz":1})"), "usage", "unknown field `zzz`");
  ExpectError(body(R"({"app":1})"), "usage", "field `app` must be a string");
  ExpectError(body(R"({"at_least":-1})"), "usage",
              "field `at_least` must be a non-negative integer");
  ExpectError(body(R"({"wait_ms":1.5})"), "usage",
              "field `wait_ms` must be a non-negative integer");
  // A number too large for JSON's integers is a float to the parser.
  ExpectError(body(R"({"at_least":99999999999999999999999})"), "usage",
              "field `at_least` must be a non-negative integer");
  // Within 64 bits but above 2^63 - 1: refused when converted.
  RequestParser p = Api();
  EXPECT_FALSE(p.TakeBody(R"({"at_least":18446744073709551615})"));
  DecisionRequest r;
  ExpectError(p.Finish(&r), "usage", "at_least is a revision number");
}

}  // namespace
}  // namespace toegang::serve
