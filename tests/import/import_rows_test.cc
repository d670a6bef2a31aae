#include "import/import_rows.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/csv_reader.h"
#include "toegang/error_codes.h"

#ifndef TOEGANG_TESTDATA_DIR
#define TOEGANG_TESTDATA_DIR "tests/data"
#endif

namespace toegang {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Expects a failure with the given code whose message holds every part.
template <typename T>
void ExpectFailure(const Result<T>& result, std::string_view code,
                   const std::vector<std::string>& parts) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), Status::Kind::kInvalidInput);
  EXPECT_EQ(result.status().code(), code) << result.status().message();
  for (const std::string& part : parts) {
    EXPECT_TRUE(Contains(result.status().message(), part))
        << "missing \"" << part << "\" in: " << result.status().message();
  }
}

void ExpectHeaderFailure(const Status& status,
                         const std::vector<std::string>& parts) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.kind(), Status::Kind::kInvalidInput);
  EXPECT_EQ(status.code(), code::kInvalidHeader);
  for (const std::string& part : parts) {
    EXPECT_TRUE(Contains(status.message(), part))
        << "missing \"" << part << "\" in: " << status.message();
  }
}

// --- enterprise.csv ------------------------------------------------------

const Fields kEnterpriseHeader = {"EnterpriseNumber",   "Status",
                                  "JuridicalSituation", "TypeOfEnterprise",
                                  "JuridicalForm",      "JuridicalFormCAC",
                                  "StartDate"};

Fields Enterprise(std::string number, std::string status, std::string date) {
  return {std::move(number), std::move(status), "000", "2", "017", "",
          std::move(date)};
}

TEST(ImportRowsTest, EnterpriseHeaderExact) {
  EXPECT_TRUE(CheckEnterpriseHeader(kEnterpriseHeader).ok());
}

TEST(ImportRowsTest, EnterpriseHeaderIgnoresCaseSpaceAndQuotes) {
  Fields header = kEnterpriseHeader;
  header[0] = " enterprisenumber ";
  header[1] = "\"STATUS\"";
  header[6] = "\" StartDate \"";
  EXPECT_TRUE(CheckEnterpriseHeader(header).ok());
}

TEST(ImportRowsTest, EnterpriseHeaderRefusesExtraColumn) {
  Fields header = kEnterpriseHeader;
  header.push_back("Extra");
  ExpectHeaderFailure(CheckEnterpriseHeader(header),
                      {"\"EnterpriseNumber\"", "7 columns", "got 8"});
}

TEST(ImportRowsTest, EnterpriseHeaderRefusesMissingColumn) {
  Fields header = kEnterpriseHeader;
  header.pop_back();
  ExpectHeaderFailure(CheckEnterpriseHeader(header), {"got 6"});
  ExpectHeaderFailure(CheckEnterpriseHeader({}), {"got 0"});
}

TEST(ImportRowsTest, EnterpriseHeaderRefusesWrongOrder) {
  Fields header = kEnterpriseHeader;
  std::swap(header[1], header[2]);
  ExpectHeaderFailure(CheckEnterpriseHeader(header),
                      {"column 2", "\"JuridicalSituation\"", "\"Status\""});
}

TEST(ImportRowsTest, EnterpriseHeaderRefusesDataRow) {
  ExpectHeaderFailure(
      CheckEnterpriseHeader(Enterprise("0403.019.261", "AC", "")),
      {"column 1"});
}

TEST(ImportRowsTest, EnterpriseRow) {
  Result<EnterpriseRow> row = ParseEnterpriseRow(
      {"0403.019.261", "AC", "000", "2", "416", "", "01-01-1977"});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->kbo.ToString(), "0403019261");
  EXPECT_TRUE(row->active);
  EXPECT_EQ(row->juridical_form, "416");
  EXPECT_EQ(row->start_date, "1977-01-01");
}

TEST(ImportRowsTest, EnterpriseFieldsAreTrimmed) {
  Result<EnterpriseRow> row = ParseEnterpriseRow(
      {" 0428759497 ", " AC ", "000", "2", " 017 ", "", " 28-02-1986 "});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->kbo.ToString(), "0428759497");
  EXPECT_TRUE(row->active);
  EXPECT_EQ(row->juridical_form, "017");
  EXPECT_EQ(row->start_date, "1986-02-28");
}

TEST(ImportRowsTest, EnterpriseEmptyFormAndDate) {
  Result<EnterpriseRow> row =
      ParseEnterpriseRow({"0410000093", "AC", "", "", "", "", ""});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->juridical_form, "");
  EXPECT_EQ(row->start_date, "");
}

TEST(ImportRowsTest, EnterpriseStatus) {
  struct Case {
    std::string status;
    bool active;
  };
  for (const Case& c : {Case{"AC", true}, Case{"ac", true}, Case{"ST", false},
                        Case{"XX", false}, Case{"ACT", false}}) {
    Result<EnterpriseRow> row =
        ParseEnterpriseRow(Enterprise("0884303369", c.status, ""));
    ASSERT_TRUE(row.ok()) << c.status << ": " << row.status().ToString();
    EXPECT_EQ(row->active, c.active) << c.status;
  }
}

TEST(ImportRowsTest, EnterpriseEmptyStatusIsRefused) {
  ExpectFailure(ParseEnterpriseRow(Enterprise("0884303369", "  ", "")),
                code::kInvalidRow, {"column \"Status\"", "empty"});
}

TEST(ImportRowsTest, EnterpriseBadNumberKeepsItsCode) {
  ExpectFailure(
      ParseEnterpriseRow(Enterprise("0403.019.262", "AC", "")),
      code::kInvalidKbo,
      {"column \"EnterpriseNumber\": KBO number", "0403.019.262", "checksum"});
  // An establishment unit is not an enterprise.
  ExpectFailure(ParseEnterpriseRow(Enterprise("2.123.456.791", "AC", "")),
                code::kInvalidKbo,
                {"column \"EnterpriseNumber\": KBO number", "2.123.456.791"});
  ExpectFailure(ParseEnterpriseRow(Enterprise("", "AC", "")), code::kInvalidKbo,
                {"column \"EnterpriseNumber\": KBO number"});
}

TEST(ImportRowsTest, EnterpriseColumnCount) {
  Fields six = Enterprise("0403019261", "AC", "");
  six.pop_back();
  ExpectFailure(ParseEnterpriseRow(six), code::kInvalidRow,
                {"expected 7 columns", "got 6"});
  Fields eight = Enterprise("0403019261", "AC", "");
  eight.push_back("");
  ExpectFailure(ParseEnterpriseRow(eight), code::kInvalidRow,
                {"expected 7 columns", "got 8"});
  ExpectFailure(ParseEnterpriseRow({}), code::kInvalidRow, {"got 0"});
}

TEST(ImportRowsTest, EnterpriseRealDates) {
  struct Case {
    std::string date;
    std::string iso;
  };
  for (const Case& c :
       {Case{"29-02-2000", "2000-02-29"}, Case{"29-02-2008", "2008-02-29"},
        Case{"31-12-1999", "1999-12-31"}, Case{"30-04-2013", "2013-04-30"},
        Case{"01-01-0001", "0001-01-01"}}) {
    Result<EnterpriseRow> row =
        ParseEnterpriseRow(Enterprise("0403019261", "AC", c.date));
    ASSERT_TRUE(row.ok()) << c.date << ": " << row.status().ToString();
    EXPECT_EQ(row->start_date, c.iso);
  }
}

TEST(ImportRowsTest, EnterpriseBadDates) {
  for (const std::string date :
       {"29-02-1900", "29-02-2001", "31-04-2013", "32-01-2000", "00-01-2000",
        "01-00-2000", "01-13-2000", "01-01-0000"}) {
    ExpectFailure(
        ParseEnterpriseRow(Enterprise("0403019261", "AC", date)),
        code::kInvalidRow,
        {"column \"StartDate\"", "\"" + date + "\"", "not a real date"});
  }
  for (const std::string date :
       {"1999-12-31", "1-1-2000", "01/01/2000", "01-01-20000", "01-01-200",
        "0a-01-2000", "01-01-2000x", "01 -01-2000", "+1-01-2000"}) {
    ExpectFailure(ParseEnterpriseRow(Enterprise("0403019261", "AC", date)),
                  code::kInvalidRow, {"column \"StartDate\"", "dd-mm-yyyy"});
  }
}

TEST(ImportRowsTest, EnterpriseLeapYearMessage) {
  ExpectFailure(
      ParseEnterpriseRow(Enterprise("0403019261", "AC", "29-02-2001")),
      code::kInvalidRow, {"February 2001 has 28 days"});
}

// --- denomination.csv ----------------------------------------------------

const Fields kDenominationHeader = {"EntityNumber", "Language",
                                    "TypeOfDenomination", "Denomination"};

TEST(ImportRowsTest, DenominationHeader) {
  EXPECT_TRUE(CheckDenominationHeader(kDenominationHeader).ok());
  EXPECT_TRUE(CheckDenominationHeader({"entitynumber", " LANGUAGE",
                                       "typeofdenomination ", "Denomination"})
                  .ok());
  Fields extra = kDenominationHeader;
  extra.push_back("Extra");
  ExpectHeaderFailure(CheckDenominationHeader(extra), {"got 5"});
  ExpectHeaderFailure(CheckDenominationHeader(
                          {"EntityNumber", "Language", "Type", "Denomination"}),
                      {"column 3", "\"Type\"", "\"TypeOfDenomination\""});
  ExpectHeaderFailure(CheckDenominationHeader(kEnterpriseHeader), {"got 7"});
}

TEST(ImportRowsTest, DenominationRow) {
  Result<DenominationRow> row = ParseDenominationRow(
      {"0428.759.497", "2", "001", "Woonzorgcentrum \"De Linde\", vzw"});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_FALSE(row->skip);
  ASSERT_TRUE(row->kbo.has_value());
  EXPECT_EQ(row->kbo->ToString(), "0428759497");
  EXPECT_EQ(row->language, 2);
  EXPECT_EQ(row->type, "001");
  EXPECT_EQ(row->denomination, "Woonzorgcentrum \"De Linde\", vzw");
}

TEST(ImportRowsTest, DenominationIsTrimmedAndKeepsUtf8) {
  Result<DenominationRow> row = ParseDenominationRow(
      {" 0884303369 ", " 1 ", " 002 ", "  Société « Érables »  "});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->language, 1);
  EXPECT_EQ(row->type, "002");
  EXPECT_EQ(row->denomination, "Société « Érables »");
}

TEST(ImportRowsTest, DenominationEstablishmentUnitIsSkipped) {
  for (const std::string number :
       {"2.123.456.791", "2123456791", " 2.200.123.415 "}) {
    Result<DenominationRow> row =
        ParseDenominationRow({number, "2", "003", "Vestiging"});
    ASSERT_TRUE(row.ok()) << number << ": " << row.status().ToString();
    EXPECT_TRUE(row->skip);
    EXPECT_FALSE(row->kbo.has_value());
  }
}

TEST(ImportRowsTest, DenominationEstablishmentUnitWithBadChecksum) {
  ExpectFailure(ParseDenominationRow({"2.123.456.789", "2", "003", "X"}),
                code::kInvalidKbo,
                {"column \"EntityNumber\"", "2.123.456.789"});
}

TEST(ImportRowsTest, DenominationBadEnterpriseNumber) {
  ExpectFailure(ParseDenominationRow({"0428.759.498", "2", "001", "X"}),
                code::kInvalidKbo,
                {"column \"EntityNumber\": KBO number", "0428.759.498"});
}

TEST(ImportRowsTest, DenominationLanguages) {
  for (int language = 0; language <= 4; ++language) {
    Result<DenominationRow> row = ParseDenominationRow(
        {"0403019261", std::to_string(language), "001", "OCMW Gent"});
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    EXPECT_EQ(row->language, language);
  }
  for (const std::string language : {"5", "12", "a", "-1", "01"}) {
    ExpectFailure(
        ParseDenominationRow({"0403019261", language, "001", "OCMW Gent"}),
        code::kInvalidRow,
        {"column \"Language\"", "\"" + language + "\"", "4 (EN)"});
  }
  ExpectFailure(ParseDenominationRow({"0403019261", " ", "001", "OCMW Gent"}),
                code::kInvalidRow, {"column \"Language\": is empty", "4 (EN)"});
}

TEST(ImportRowsTest, DenominationEmptyTypeOrName) {
  ExpectFailure(ParseDenominationRow({"0403019261", "2", " ", "OCMW Gent"}),
                code::kInvalidRow, {"column \"TypeOfDenomination\"", "empty"});
  ExpectFailure(ParseDenominationRow({"0403019261", "2", "001", ""}),
                code::kInvalidRow, {"column \"Denomination\"", "empty"});
  ExpectFailure(ParseDenominationRow({"0403019261", "2", "001", "   "}),
                code::kInvalidRow, {"column \"Denomination\"", "empty"});
}

TEST(ImportRowsTest, DenominationColumnCount) {
  ExpectFailure(ParseDenominationRow({"0403019261", "2", "001"}),
                code::kInvalidRow, {"expected 4 columns", "got 3"});
  // Even an establishment unit needs the right shape.
  ExpectFailure(
      ParseDenominationRow({"2.123.456.791", "2", "003", "X", "extra"}),
      code::kInvalidRow, {"expected 4 columns", "got 5"});
}

// --- persons -------------------------------------------------------------

TEST(ImportRowsTest, PersonsHeader) {
  EXPECT_TRUE(IsPersonsHeader({"insz", "name"}));
  EXPECT_TRUE(IsPersonsHeader({" INSZ ", "Naam"}));
  EXPECT_TRUE(IsPersonsHeader({"\"Insz\""}));
  EXPECT_FALSE(IsPersonsHeader({"93051822361", "Jan Peeters"}));
  EXPECT_FALSE(IsPersonsHeader({"inszz", "name"}));
  EXPECT_FALSE(IsPersonsHeader({}));
}

TEST(ImportRowsTest, PersonRow) {
  Result<PersonRow> row = ParsePersonRow({" 85.07.30-033.28 ", " Zoë  Łuk "});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->insz.ToString(), "85073003328");
  EXPECT_EQ(row->name, "Zoë  Łuk");
}

TEST(ImportRowsTest, PersonNameMayBeEmpty) {
  Result<PersonRow> row = ParsePersonRow({"19082416188", ""});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->name, "");
}

TEST(ImportRowsTest, PersonBadInsz) {
  ExpectFailure(ParsePersonRow({"81050103521", "X"}), code::kInvalidInsz,
                {"column \"insz\": INSZ 81050103521: checksum"});
  ExpectFailure(ParsePersonRow({"12345", "X"}), code::kInvalidInsz,
                {"column \"insz\"", "12345"});
  ExpectFailure(ParsePersonRow({"", "X"}), code::kInvalidInsz,
                {"column \"insz\": INSZ"});
}

TEST(ImportRowsTest, PersonNameWithControlCharacter) {
  const std::vector<std::string> names = {"Marie\nClaes",
                                          "Marie\tClaes",
                                          "Marie\rClaes",
                                          "Marie\x7F",
                                          std::string("Marie\0Claes", 11),
                                          "Marie\xC2\x85"
                                          "Claes"};
  for (const std::string& name : names) {
    ExpectFailure(ParsePersonRow({"75060898009", name}), code::kInvalidName,
                  {"column \"name\"", "control character", "Marie"});
  }
  // U+00A0 and other non-ASCII text are not control characters.
  Result<PersonRow> row = ParsePersonRow({"75060898009",
                                          "Marie\xC2\xA0"
                                          "Claes \xE2\x82\xAC"});
  EXPECT_TRUE(row.ok()) << row.status().ToString();
}

// One rule for every name column (persons' names, KBO denominations,
// facility names): C1 controls, bidirectional controls, line separators
// and bytes that are not UTF-8 are refused with invalid_name, the message
// naming the column and the code point, and quoting the value escaped.
struct UnsafeName {
  std::string text;
  std::string described;  // what the message names
  std::string raw;        // bytes the message must not hold
};

std::vector<UnsafeName> UnsafeNames() {
  return {
      {"Marie\xC2\x9B"
       "31mClaes",
       "U+009B", "\xC2\x9B"},
      {"Marie \xE2\x80\xAE"
       "sealC",
       "U+202E", "\xE2\x80\xAE"},
      {"Marie\xE2\x80\xA8"
       "Claes",
       "U+2028", "\xE2\x80\xA8"},
      {"Marie\xE2\x81\xA6"
       "Claes",
       "U+2066", "\xE2\x81\xA6"},
      {"Marie\xE2\x80\x8F"
       "Claes",
       "U+200F", "\xE2\x80\x8F"},
      {"Marie\xD8\x9C"
       "Claes",
       "U+061C", "\xD8\x9C"},
      {"Jos\xE9 Claes", "byte 0xE9 (not UTF-8)", "\xE9 "},  // Latin-1
      {"Marie\x80", "byte 0x80 (not UTF-8)", "\x80"},
      {"Marie\xC0\xAF", "byte 0xC0 (not UTF-8)", "\xC0"},      // overlong '/'
      {"Marie\xED\xA0\x80", "byte 0xED (not UTF-8)", "\xED"},  // surrogate
      {"Marie\xE2\x80", "byte 0xE2 (not UTF-8)", "\xE2\x80"},  // cut short
  };
}

void ExpectUnsafeNameRefused(const Status& status, const std::string& column,
                             const UnsafeName& name) {
  ASSERT_FALSE(status.ok()) << column << ": " << name.described;
  EXPECT_EQ(status.code(), code::kInvalidName) << status.message();
  EXPECT_TRUE(Contains(status.message(), "column \"" + column + "\""))
      << status.message();
  EXPECT_TRUE(Contains(status.message(), name.described)) << status.message();
  EXPECT_TRUE(Contains(status.message(), "Marie") ||
              Contains(status.message(), "Jos"))
      << status.message();
  EXPECT_FALSE(Contains(status.message(), name.raw)) << status.message();
}

TEST(ImportRowsTest, EveryNameColumnRefusesUnsafeText) {
  for (const UnsafeName& name : UnsafeNames()) {
    ExpectUnsafeNameRefused(ParsePersonRow({"75060898009", name.text}).status(),
                            "name", name);
    ExpectUnsafeNameRefused(
        ParseDenominationRow({"0403019261", "2", "001", name.text}).status(),
        "Denomination", name);
    ExpectUnsafeNameRefused(
        ParseFacilityRow({"12345", name.text, "009", "0403019261", "active"})
            .status(),
        "name", name);
  }
}

TEST(ImportRowsTest, UnsafeNameIsQuotedEscaped) {
  Result<PersonRow> row = ParsePersonRow({"75060898009",
                                          "Marie \xE2\x80\xAE"
                                          "sealC \xC2\x9B"});
  ASSERT_FALSE(row.ok());
  EXPECT_TRUE(Contains(row.status().message(),
                       "\"Marie \\u202EsealC \\u009B\" holds U+202E "
                       "(right-to-left override, a bidirectional control) "
                       "at character 7"))
      << row.status().message();
}

TEST(ImportRowsTest, NamesInAnyScriptAreAccepted) {
  // Letters of any script, a joiner inside an emoji sequence, a no-break
  // space: text, not controls.
  const std::vector<std::string> names = {
      "Zo\xC3\xAB \xC3\x96l\xC3\xA7"
      "er",                                            // Zoë Ölçer
      "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF",              // Arabic
      "\xD7\xA9\xD7\xA8\xD7\x94",                      // Hebrew
      "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x94\xAC",  // woman scientist
      "Marie\xC2\xA0"
      "Claes"};
  for (const std::string& name : names) {
    Result<PersonRow> row = ParsePersonRow({"75060898009", name});
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    Result<FacilityRow> facility =
        ParseFacilityRow({"12345", name, "009", "0403019261", "active"});
    EXPECT_TRUE(facility.ok()) << facility.status().ToString();
  }
}

TEST(ImportRowsTest, PersonColumnCount) {
  ExpectFailure(ParsePersonRow({"75060898009"}), code::kInvalidRow,
                {"expected 2 columns", "got 1"});
  ExpectFailure(ParsePersonRow({"75060898009", "a", "b"}), code::kInvalidRow,
                {"expected 2 columns", "got 3"});
}

// --- functions -----------------------------------------------------------

TEST(ImportRowsTest, FunctionsHeader) {
  EXPECT_TRUE(IsFunctionsHeader({"kbo", "insz", "role"}));
  EXPECT_TRUE(IsFunctionsHeader({"KBO"}));
  EXPECT_FALSE(IsFunctionsHeader({"0403019261", "93051822361", "wv"}));
  EXPECT_FALSE(IsFunctionsHeader({"insz", "kbo", "role"}));
}

TEST(ImportRowsTest, FunctionRoles) {
  struct Case {
    std::string role;
    FunctionRole expected;
  };
  for (const Case& c :
       {Case{"legal_representative", FunctionRole::kLegalRepresentative},
        Case{"LEGAL_Representative", FunctionRole::kLegalRepresentative},
        Case{"wv", FunctionRole::kLegalRepresentative},
        Case{" WV ", FunctionRole::kLegalRepresentative},
        Case{"employee", FunctionRole::kEmployee},
        Case{"Employee", FunctionRole::kEmployee},
        Case{"werknemer", FunctionRole::kEmployee},
        Case{"WERKNEMER", FunctionRole::kEmployee}}) {
    Result<FunctionRow> row =
        ParseFunctionRow({"0403.019.261", "93051822361", c.role});
    ASSERT_TRUE(row.ok()) << c.role << ": " << row.status().ToString();
    EXPECT_EQ(row->role, c.expected) << c.role;
    EXPECT_EQ(row->kbo.ToString(), "0403019261");
    EXPECT_EQ(row->insz.ToString(), "93051822361");
  }
}

TEST(ImportRowsTest, FunctionUnknownRole) {
  for (const std::string role :
       {"manager", "legal representative", "employees"}) {
    ExpectFailure(ParseFunctionRow({"0403019261", "93051822361", role}),
                  code::kInvalidRow,
                  {"column \"role\"", "\"" + role + "\" is not a role",
                   "legal_representative", "wv", "employee", "werknemer"});
  }
  ExpectFailure(ParseFunctionRow({"0403019261", "93051822361", " "}),
                code::kInvalidRow,
                {"column \"role\": is empty; expected legal_representative"});
}

TEST(ImportRowsTest, FunctionBadIdentifiers) {
  ExpectFailure(ParseFunctionRow({"0403019262", "93051822361", "wv"}),
                code::kInvalidKbo, {"column \"kbo\"", "0403019262"});
  ExpectFailure(ParseFunctionRow({"0403019261", "75060898008", "wv"}),
                code::kInvalidInsz, {"column \"insz\"", "75060898008"});
}

TEST(ImportRowsTest, FunctionColumnCount) {
  ExpectFailure(ParseFunctionRow({"0403019261", "93051822361"}),
                code::kInvalidRow, {"expected 3 columns", "got 2"});
}

// --- facilities ----------------------------------------------------------

TEST(ImportRowsTest, FacilitiesHeader) {
  EXPECT_TRUE(
      IsFacilitiesHeader({"hco", "name", "type_code", "kbo", "status"}));
  EXPECT_TRUE(IsFacilitiesHeader({" HCO "}));
  EXPECT_FALSE(IsFacilitiesHeader({"12345", "OCMW Gent"}));
}

TEST(ImportRowsTest, FacilityRow) {
  Result<FacilityRow> row =
      ParseFacilityRow({" 0012345 ", " Woonzorgcentrum \"De Linde\" ", " 034 ",
                        "0428.759.497", " Actief "});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->hco.str(), "0012345");
  EXPECT_EQ(row->name, "Woonzorgcentrum \"De Linde\"");
  EXPECT_EQ(row->type_code.str(), "034");
  EXPECT_EQ(row->kbo.ToString(), "0428759497");
  EXPECT_TRUE(row->active);
}

TEST(ImportRowsTest, FacilityStatuses) {
  struct Case {
    std::string status;
    bool active;
  };
  for (const Case& c :
       {Case{"active", true}, Case{"ACTIVE", true}, Case{"actief", true},
        Case{"closed", false}, Case{"Closed", false}, Case{"gesloten", false},
        Case{"GESLOTEN", false}}) {
    Result<FacilityRow> row =
        ParseFacilityRow({"12345", "OCMW Gent", "009", "0403019261", c.status});
    ASSERT_TRUE(row.ok()) << c.status << ": " << row.status().ToString();
    EXPECT_EQ(row->active, c.active) << c.status;
  }
  for (const std::string status : {"open", "inactive", "AC"}) {
    ExpectFailure(
        ParseFacilityRow({"12345", "OCMW Gent", "009", "0403019261", status}),
        code::kInvalidRow,
        {"column \"status\"", "\"" + status + "\"", "active", "closed"});
  }
  ExpectFailure(
      ParseFacilityRow({"12345", "OCMW Gent", "009", "0403019261", ""}),
      code::kInvalidRow, {"column \"status\": is empty; expected active"});
}

TEST(ImportRowsTest, FacilityBadFields) {
  ExpectFailure(ParseFacilityRow({"12A45", "X", "009", "0403019261", "active"}),
                code::kInvalidHco, {"column \"hco\"", "12A45"});
  ExpectFailure(ParseFacilityRow({"12345", " ", "009", "0403019261", "active"}),
                code::kInvalidRow, {"column \"name\"", "empty"});
  ExpectFailure(ParseFacilityRow({"12345", "X", "34", "0403019261", "active"}),
                code::kInvalidTypeCode, {"column \"type_code\"", "34"});
  ExpectFailure(ParseFacilityRow({"12345", "X", "009", "0353456321", "active"}),
                code::kInvalidKbo, {"column \"kbo\"", "0353456321"});
  ExpectFailure(ParseFacilityRow({"12345", "X", "009", "0403019261"}),
                code::kInvalidRow, {"expected 5 columns", "got 4"});
}

// --- messages stay bounded and single-line -------------------------------

TEST(ImportRowsTest, MessagesEscapeAndBoundValues) {
  const std::string long_role = std::string(1000, 'r') + "\n";
  Result<FunctionRow> row =
      ParseFunctionRow({"0403019261", "93051822361", long_role});
  ASSERT_FALSE(row.ok());
  EXPECT_LT(row.status().message().size(), 300u);
  EXPECT_FALSE(Contains(row.status().message(), "\n"));

  Result<PersonRow> person = ParsePersonRow({"75060898009", "a\nb"});
  ASSERT_FALSE(person.ok());
  EXPECT_FALSE(Contains(person.status().message(), "\n"));
  EXPECT_TRUE(Contains(person.status().message(), "a\\x0ab"))
      << person.status().message();
}

// --- never throws --------------------------------------------------------

TEST(ImportRowsTest, RandomFieldsNeverThrow) {
  std::mt19937 random(20240601);
  const std::string alphabet =
      "0123456789.-, \"\tABCEacelostvw\n\r\x7F\xC2\x85\xE9";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> count(0, 8);
  std::uniform_int_distribution<int> length(0, 20);
  for (int i = 0; i < 5000; ++i) {
    Fields fields(static_cast<size_t>(count(random)));
    for (std::string& field : fields) {
      const int n = length(random);
      for (int j = 0; j < n; ++j) field += alphabet[pick(random)];
    }
    EXPECT_NO_THROW({
      (void)CheckEnterpriseHeader(fields);
      (void)CheckDenominationHeader(fields);
      (void)ParseEnterpriseRow(fields);
      (void)ParseDenominationRow(fields);
      (void)IsPersonsHeader(fields);
      (void)ParsePersonRow(fields);
      (void)IsFunctionsHeader(fields);
      (void)ParseFunctionRow(fields);
      (void)IsFacilitiesHeader(fields);
      (void)ParseFacilityRow(fields);
    });
  }
}

// --- the sample files under tests/data -----------------------------------

enum class Format {
  kEnterprise,
  kDenomination,
  kPersons,
  kFunctions,
  kFacilities
};

// What importing one file would report: per bad line its error code
// ("csv" for a record the CSV reader refused).
struct FileReport {
  bool opened = false;
  std::vector<std::pair<size_t, std::string>> errors;
  std::vector<std::string> messages;
  size_t rows = 0;     // valid data rows, skipped ones included
  size_t skipped = 0;  // establishment units in denomination.csv
};

Status ParseAny(Format format, const Fields& fields, bool* skip) {
  switch (format) {
    case Format::kEnterprise:
      return ParseEnterpriseRow(fields).status();
    case Format::kDenomination: {
      Result<DenominationRow> row = ParseDenominationRow(fields);
      if (row.ok()) *skip = row->skip;
      return row.status();
    }
    case Format::kPersons:
      return ParsePersonRow(fields).status();
    case Format::kFunctions:
      return ParseFunctionRow(fields).status();
    case Format::kFacilities:
      return ParseFacilityRow(fields).status();
  }
  return Status::InvalidInput("test", "unknown format");
}

// A header record (required for KBO files) returns true when it is one;
// a bad KBO header is reported as an error.
bool HandleHeader(Format format, const Fields& fields, Status* status) {
  switch (format) {
    case Format::kEnterprise:
      *status = CheckEnterpriseHeader(fields);
      return true;
    case Format::kDenomination:
      *status = CheckDenominationHeader(fields);
      return true;
    case Format::kPersons:
      return IsPersonsHeader(fields);
    case Format::kFunctions:
      return IsFunctionsHeader(fields);
    case Format::kFacilities:
      return IsFacilitiesHeader(fields);
  }
  return false;
}

FileReport ImportFile(const std::string& name, Format format) {
  FileReport report;
  std::ifstream in(std::string(TOEGANG_TESTDATA_DIR) + "/" + name,
                   std::ios::binary);
  if (!in) return report;
  report.opened = true;
  CsvReader reader(in);
  Fields fields;
  std::string error;
  bool first = true;
  for (;;) {
    const CsvReader::Outcome outcome = reader.Next(&fields, &error);
    if (outcome == CsvReader::Outcome::kEnd) break;
    if (outcome == CsvReader::Outcome::kError) {
      report.errors.emplace_back(reader.line(), "csv");
      report.messages.push_back(error);
      first = false;
      continue;
    }
    if (first) {
      first = false;
      Status header;
      if (HandleHeader(format, fields, &header)) {
        if (!header.ok()) {
          report.errors.emplace_back(reader.line(), header.code());
          report.messages.push_back(header.message());
          return report;  // a file with a bad header is refused whole
        }
        continue;
      }
    }
    bool skip = false;
    const Status status = ParseAny(format, fields, &skip);
    if (!status.ok()) {
      report.errors.emplace_back(reader.line(), status.code());
      report.messages.push_back(status.message());
    } else {
      ++report.rows;
      if (skip) ++report.skipped;
    }
  }
  return report;
}

std::string Describe(const FileReport& report) {
  std::string out;
  for (size_t i = 0; i < report.errors.size(); ++i) {
    out += "\n  line " + std::to_string(report.errors[i].first) + " " +
           report.errors[i].second + ": " + report.messages[i];
  }
  return out;
}

using Errors = std::vector<std::pair<size_t, std::string>>;

struct DataFileCase {
  std::string name;
  Format format;
  size_t rows;
  size_t skipped;
  Errors errors;
};

class DataFileTest : public ::testing::TestWithParam<DataFileCase> {};

TEST_P(DataFileTest, ReportsExactlyTheDocumentedLines) {
  const DataFileCase& c = GetParam();
  const FileReport report = ImportFile(c.name, c.format);
  ASSERT_TRUE(report.opened) << TOEGANG_TESTDATA_DIR << "/" << c.name;
  EXPECT_EQ(report.errors, c.errors) << c.name << Describe(report);
  EXPECT_EQ(report.rows, c.rows) << c.name;
  EXPECT_EQ(report.skipped, c.skipped) << c.name;
}

const std::string kRow(code::kInvalidRow);
const std::string kKbo(code::kInvalidKbo);
const std::string kInsz(code::kInvalidInsz);

INSTANTIATE_TEST_SUITE_P(
    ImportRowsTest, DataFileTest,
    ::testing::Values(
        DataFileCase{"kbo/enterprise.csv", Format::kEnterprise, 8, 0, {}},
        DataFileCase{"kbo/denomination.csv", Format::kDenomination, 14, 2, {}},
        DataFileCase{"persons.csv", Format::kPersons, 11, 0, {}},
        DataFileCase{"functions.csv", Format::kFunctions, 11, 0, {}},
        DataFileCase{"facilities.csv", Format::kFacilities, 9, 0, {}},
        DataFileCase{"bad/enterprise.csv",
                     Format::kEnterprise,
                     4,
                     0,
                     {{3, kKbo},
                      {4, kRow},
                      {6, kRow},
                      {7, kRow},
                      {8, kRow},
                      {9, kKbo},
                      {11, "csv"},
                      {12, kRow}}},
        DataFileCase{"bad/denomination.csv",
                     Format::kDenomination,
                     4,
                     1,
                     {{3, kRow},
                      {5, kKbo},
                      {6, kRow},
                      {7, kRow},
                      {8, kRow},
                      {10, kKbo}}},
        DataFileCase{"bad/denomination_header.csv",
                     Format::kDenomination,
                     0,
                     0,
                     {{1, std::string(code::kInvalidHeader)}}},
        DataFileCase{"bad/persons.csv",
                     Format::kPersons,
                     4,
                     0,
                     {{3, kInsz},
                      {5, kRow},
                      {6, std::string(code::kInvalidName)},
                      {8, kRow},
                      {10, kInsz}}},
        DataFileCase{"bad/functions.csv",
                     Format::kFunctions,
                     3,
                     0,
                     {{3, kRow}, {4, kKbo}, {5, kInsz}, {6, kRow}, {8, kRow}}},
        DataFileCase{"bad/facilities.csv",
                     Format::kFacilities,
                     2,
                     0,
                     {{3, std::string(code::kInvalidHco)},
                      {4, kRow},
                      {5, std::string(code::kInvalidTypeCode)},
                      {6, kKbo},
                      {7, kRow},
                      {8, kRow}}}),
    [](const ::testing::TestParamInfo<DataFileCase>& param_info) {
      std::string name;
      for (char ch : param_info.param.name) {
        name += (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '_';
      }
      return name;
    });

}  // namespace
}  // namespace toegang
