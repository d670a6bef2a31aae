// The bad input catalogue (SPEC 9, "bad input never crashes and never
// half-applies"): malformed arguments to every CLI command and malformed
// files for every import format, each with the error code and exit code
// it must give. Each case runs the real binary with --json against a
// federation with the manual's chain built, and afterwards the database
// holds exactly what it held before: the same model rows, the same
// committed audit rows, the same revision (an import that is refused
// adds one "refused" audit row, as SPEC 4.4 asks).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "support/cli_runner.h"
#include "support/db_content.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

struct BadInput {
  const char* name;  // the test's name
  // Arguments after `toegang --json --db DB`. "@x" stands for the path of
  // file x of `files`; "@dir" for the test's directory.
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> files;
  int exit;
  const char* code;
};

std::string Persons(const std::string& rows) { return "insz,name\n" + rows; }
std::string Functions(const std::string& rows) {
  return "kbo,insz,role\n" + rows;
}
std::string Facilities(const std::string& rows) {
  return "hco,name,type_code,kbo,status\n" + rows;
}
std::string Enterprises(const std::string& rows) {
  return EnterpriseCsv() + rows;
}

// A row that would change a name: a refused file must not apply it.
const std::string kGoodPersonRow = "93051822361,Wendy Nieuwe Naam\n";

std::vector<BadInput> Catalogue() {
  const std::string by = kEmpOcmw;  // the HTB of the built chain
  const std::string huge(2 << 20, 'x');
  return {
      // --- import persons ---------------------------------------------
      {"PersonsEmptyFile",
       {"import", "persons", "@p.csv"},
       {{"p.csv", ""}},
       2,
       "import_rejected"},
      {"PersonsWrongChecksum",
       {"import", "persons", "@p.csv"},
       {{"p.csv", Persons(kGoodPersonRow + "85073003329,Hilde\n")}},
       2,
       "import_rejected"},
      {"PersonsUnquotedComma",
       {"import", "persons", "@p.csv"},
       {{"p.csv", Persons(kGoodPersonRow + "85073003328,Bosmans, Hilde\n")}},
       2,
       "import_rejected"},
      {"PersonsUnterminatedQuote",
       {"import", "persons", "@p.csv"},
       {{"p.csv", Persons(kGoodPersonRow + "85073003328,\"Bosmans\n")}},
       2,
       "import_rejected"},
      {"PersonsHugeLine",
       {"import", "persons", "@p.csv"},
       {{"p.csv", Persons(kGoodPersonRow + "85073003328," + huge + "\n")}},
       2,
       "import_rejected"},
      {"PersonsBinaryGarbage",
       {"import", "persons", "@p.csv"},
       {{"p.csv", std::string("\x00\x01\xff\xfe,\x80\n\x00", 8)}},
       2,
       "import_rejected"},
      {"PersonsInszWithLetters",
       {"import", "persons", "@p.csv"},
       {{"p.csv", Persons(kGoodPersonRow + "8507300332A,Hilde\n")}},
       2,
       "import_rejected"},
      {"PersonsInszWithSpacesAndDotsWrongChecksum",
       {"import", "persons", "@p.csv"},
       {{"p.csv", Persons(kGoodPersonRow + "85.07.30 033.29,Hilde\n")}},
       2,
       "import_rejected"},
      {"PersonsMissingFile",
       {"import", "persons", "@missing.csv"},
       {},
       4,
       "io_error"},
      {"PersonsNoFileNamed", {"import", "persons"}, {}, 2, "usage"},
      {"PersonsFileIsADirectory",
       {"import", "persons", "@dir"},
       {},
       2,
       "import_rejected"},
      // --- import functions -------------------------------------------
      {"FunctionsUnknownRole",
       {"import", "functions", "@f.csv"},
       {{"f.csv", Functions("0403019261,81050003552,boss\n")}},
       2,
       "import_rejected"},
      {"FunctionsKboWithDotsWrongChecksum",
       {"import", "functions", "@f.csv"},
       {{"f.csv", Functions("0403.019.262,81050003552,employee\n")}},
       2,
       "import_rejected"},
      {"FunctionsMissingColumn",
       {"import", "functions", "@f.csv"},
       {{"f.csv", Functions("0403019261,81050003552\n")}},
       2,
       "import_rejected"},
      {"FunctionsWrongHeader",
       {"import", "functions", "@f.csv"},
       {{"f.csv",
         "kbo,insz,role,since\n0403019261,81050003552,employee,"
         "2020\n"}},
       2,
       "import_rejected"},
      // --- import facilities ------------------------------------------
      {"FacilitiesShortTypeCode",
       {"import", "facilities", "@c.csv"},
       {{"c.csv", Facilities("12399,Nieuw,9,0403019261,active\n")}},
       2,
       "import_rejected"},
      {"FacilitiesUnknownStatus",
       {"import", "facilities", "@c.csv"},
       {{"c.csv", Facilities("12399,Nieuw,009,0403019261,open\n")}},
       2,
       "import_rejected"},
      {"FacilitiesHcoWithDot",
       {"import", "facilities", "@c.csv"},
       {{"c.csv", Facilities("123.99,Nieuw,009,0403019261,active\n")}},
       2,
       "import_rejected"},
      {"FacilitiesHcoWithSpace",
       {"import", "facilities", "@c.csv"},
       {{"c.csv", Facilities("123 99,Nieuw,009,0403019261,active\n")}},
       2,
       "import_rejected"},
      {"FacilitiesQuotedNameWithCommaThenBadRow",
       {"import", "facilities", "@c.csv"},
       {{"c.csv", Facilities("12399,\"Zorg, \"\"Nieuw\"\"\",009,0403019261,"
                             "active\n12400,Fout,009,0403019261\n")}},
       2,
       "import_rejected"},
      // --- import kbo -------------------------------------------------
      {"KboWrongHeader",
       {"import", "kbo", "--enterprises", "@e.csv"},
       {{"e.csv",
         "\"EnterpriseNumber\",\"Status\"\n\"0403.019.261\",\"AC\"\n"}},
       2,
       "import_rejected"},
      {"KboImpossibleDate",
       {"import", "kbo", "--enterprises", "@e.csv"},
       {{"e.csv", Enterprises("\"0444.712.336\",\"AC\",\"000\",\"2\",\"416\","
                              "\"\",\"31-02-2000\"\n")}},
       2,
       "import_rejected"},
      {"KboWrongChecksum",
       {"import", "kbo", "--enterprises", "@e.csv"},
       {{"e.csv", Enterprises("\"0444.712.337\",\"AC\",\"000\",\"2\",\"416\","
                              "\"\",\"01-01-2000\"\n")}},
       2,
       "import_rejected"},
      {"KboBadDenominationHeader",
       {"import", "kbo", "--enterprises", "@e.csv", "--denominations",
        "@d.csv"},
       {{"e.csv", EnterpriseCsv()},
        {"d.csv", "\"EntityNumber\",\"Name\"\n\"0403.019.261\",\"X\"\n"}},
       2,
       "import_rejected"},
      {"KboNoEnterprisesFile", {"import", "kbo"}, {}, 2, "usage"},
      {"ImportUnknownRegistry", {"import", "people", "@p.csv"}, {}, 2, "usage"},
      // --- mutations --------------------------------------------------
      {"HtbKboWrongChecksum",
       {"htb", "appoint", "--kbo", "0403.019.262", "--insz", kEmp2Ocmw, "--by",
        kWvOcmw},
       {},
       2,
       "invalid_kbo"},
      {"HtbWithoutActor",
       {"htb", "appoint", "--kbo", kOcmw, "--insz", kEmp2Ocmw},
       {},
       2,
       "usage"},
      {"HtbBadPhone",
       {"htb", "appoint", "--kbo", kOcmw, "--insz", kEmp2Ocmw, "--by", kWvOcmw,
        "--phone", "bel me"},
       {},
       2,
       "invalid_phone"},
      {"HtbBadEmail",
       {"htb", "appoint", "--kbo", kOcmw, "--insz", kEmp2Ocmw, "--by", kWvOcmw,
        "--email", "htb at ocmw.gent"},
       {},
       2,
       "invalid_email"},
      {"HtbInszWithSpacesWrongChecksum",
       {"htb", "appoint", "--kbo", kOcmw, "--insz", "170730 033 85", "--by",
        kWvOcmw},
       {},
       2,
       "invalid_insz"},
      {"HtbUnknownSubcommand", {"htb", "benoem"}, {}, 2, "usage"},
      {"CapacityUnknown",
       {"hoedanigheid", "activate", "--kbo", kOcmw, "--hoedanigheid",
        "eHealth Zorg", "--by", by},
       {},
       2,
       "unknown_capacity"},
      {"TbUnknownSubdivision",
       {"tb", "set", "--kbo", kOcmw, "--subdivisie", "zorg", "--insz", kUser2,
        "--by", by},
       {},
       2,
       "unknown_subdivision"},
      {"TbOptionWithoutValue",
       {"tb", "add-co", "--kbo", kOcmw, "--insz"},
       {},
       2,
       "usage"},
      {"SubafdelingHcoWithDot",
       {"subafdeling", "create", "--kbo", kOcmw, "--hco", "45.678", "--email",
        "a@ocmw.gent", "--by", by},
       {},
       2,
       "invalid_hco"},
      {"SubafdelingEmailWithSpace",
       {"subafdeling", "create", "--kbo", kOcmw, "--hco", kHcoSociaalHuis,
        "--email", "sociaal huis@ocmw.gent", "--by", by},
       {},
       2,
       "invalid_email"},
      {"SubafdelingUnknownApplication",
       {"subafdeling", "authorize", "--hco", kHcoOcmw, "--app", "e-loket",
        "--by", by},
       {},
       2,
       "unknown_application"},
      {"SubafdelingAuthorizeWithoutApp",
       {"subafdeling", "authorize", "--hco", kHcoOcmw, "--by", by},
       {},
       2,
       "usage"},
      {"SubafdelingManagerInszWithDots",
       {"subafdeling", "add-beheerder", "--hco", kHcoOcmw, "--insz",
        "75.46.08-980.96", "--by", by},
       {},
       2,
       "invalid_insz"},
      {"UserHcoWithSpace",
       {"user", "add", "--hco", "12 345", "--insz", kUser2, "--by", by},
       {},
       2,
       "invalid_hco"},
      {"UserInszWithLetters",
       {"user", "grant", "--hco", kHcoOcmw, "--insz", "8105000355A", "--right",
        "ama-wvg", "--by", by},
       {},
       2,
       "invalid_insz"},
      {"UserUnknownRight",
       {"user", "grant", "--hco", kHcoOcmw, "--insz", kUser1, "--right", "ama",
        "--by", by},
       {},
       2,
       "unknown_application"},
      {"UserActorWithWrongChecksum",
       {"user", "revoke", "--hco", kHcoOcmw, "--insz", kUser1, "--right",
        "ama-wvg", "--by", "85.07.30-033.29"},
       {},
       2,
       "invalid_insz"},
      {"UserRemoveWithoutInsz",
       {"user", "remove", "--hco", kHcoOcmw, "--by", by},
       {},
       2,
       "usage"},
      {"UserStrayWord",
       {"user", "remove", "--hco", kHcoOcmw, "--insz", kUser1, "--by", by,
        "now"},
       {},
       2,
       "usage"},
      // --- queries ----------------------------------------------------
      {"CheckNegativeAtLeast",
       {"check", "--insz", kUser1, "--app", "ama-wvg", "--at-least", "-1"},
       {},
       2,
       "usage"},
      {"CheckWithoutApp", {"check", "--insz", kUser1}, {}, 2, "usage"},
      {"CheckInszTooShort",
       {"check", "--insz", "8105000355", "--app", "ama-wvg"},
       {},
       2,
       "invalid_insz"},
      {"ExplainHcoWithLetters",
       {"explain", "--insz", kUser1, "--app", "ama-wvg", "--hco", "12345a"},
       {},
       2,
       "invalid_hco"},
      {"MayUnknownAction",
       {"may", "--by", by, "--action", "user.promote"},
       {},
       2,
       "usage"},
      {"AccessHugeLimit",
       {"access", "--insz", kUser1, "--limit", "99999999"},
       {},
       2,
       "usage"},
      {"AccessForgedCursor",
       {"access", "--insz", kUser1, "--cursor", "'; DROP TABLE user; --"},
       {},
       2,
       "usage"},
      {"UsersUnknownApplication",
       {"users", "--hco", kHcoOcmw, "--app", "nope"},
       {},
       2,
       "unknown_application"},
      {"ManagedByShortInsz",
       {"managed-by", "--insz", "0"},
       {},
       2,
       "invalid_insz"},
      {"WhoShortKbo", {"who", "--kbo", "123"}, {}, 2, "invalid_kbo"},
      {"GraphKboWithLetters",
       {"graph", "--kbo", "0403019261x"},
       {},
       2,
       "invalid_kbo"},
      {"AuditSinceNotANumber",
       {"audit", "--since", "gisteren"},
       {},
       2,
       "usage"},
      {"StatsStrayWord", {"stats", "now"}, {}, 2, "usage"},
      {"VerifyUnknownOption", {"verify", "--fast"}, {}, 2, "usage"},
      {"UnknownLanguage", {"--lang", "fr", "stats"}, {}, 2, "usage"},
      {"UnknownCommand", {"vergunning"}, {}, 2, "usage"},
      // --- the database argument --------------------------------------
      {"DatabaseIsADirectory",
       {"--db", "@dir", "stats"},
       {},
       4,
       "not_a_database"},
      {"DatabaseIsATextFile",
       {"--db", "@notes.txt", "stats"},
       {{"notes.txt", "boodschappen: brood, kaas\n"}},
       4,
       "not_a_database"},
      {"DatabaseMissing",
       {"--db", "@missing.db", "stats"},
       {},
       4,
       "not_initialized"},
  };
}

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, GivesItsCodeAndChangesNothing) {
  const BadInput& c = GetParam();
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();
  const std::vector<std::string> before = CommittedContent(fed.db_path());
  const std::string dir = fed.dir().path();
  std::vector<std::string> args = {"--json", "--db", fed.db_path()};
  for (const std::string& a : c.args) {
    if (a == "@dir") {
      args.push_back(dir);
    } else if (a.rfind('@', 0) == 0) {
      args.push_back(fed.dir().File(a.substr(1)));
    } else {
      args.push_back(a);
    }
  }
  for (const auto& [name, content] : c.files) fed.dir().Write(name, content);

  const CliRun r = Spawn(args, dir, std::nullopt);
  ExpectError(r, c.exit, c.code);
  EXPECT_EQ(CommittedContent(fed.db_path()), before);
  // And the database still opens, and is whole.
  fed.Reopen();
  Result<std::vector<std::string>> problems = fed.engine().Verify();
  ASSERT_TRUE(problems.ok()) << problems.status().ToString();
  EXPECT_EQ(*problems, std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInputTest,
                         ::testing::ValuesIn(Catalogue()),
                         [](const ::testing::TestParamInfo<BadInput>& param) {
                           return std::string(param.param.name);
                         });

// Names in UTF-8 are kept byte for byte. Latin-1 bytes (not UTF-8) are
// refused with invalid_name, the file then changing nothing: a name is
// stored as the registry spelled it, or not at all (name_text_test.cc has
// the other characters a name may not hold).
TEST(BadInputNamesTest, Utf8NamesAreStoredAsGivenAndLatin1IsRefused) {
  TestFederation fed;
  ImportReport report;
  const std::string utf8 =
      "Fran\xc3\xa7oise D\xc3\xbcrer \xe2\x80\x93 \xc5\x81";
  const std::string latin1 = "Jos\xe9 Fran\xe7ois";
  const std::vector<std::string> before = CommittedContent(fed.db_path());
  Status refused = fed.engine().ImportPersons(
      fed.dir().Write("latin1.csv",
                      Persons(std::string(kEmpOcmw) + "," + latin1 + "\n")),
      {}, &report);
  EXPECT_EQ(refused.code(), "import_rejected") << refused.ToString();
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].code, "invalid_name");
  EXPECT_EQ(report.errors[0].line, 2u);
  EXPECT_NE(report.errors[0].message.find("byte 0xE9 (not UTF-8)"),
            std::string::npos)
      << report.errors[0].message;
  EXPECT_EQ(CommittedContent(fed.db_path()), before);

  ASSERT_TRUE(fed.engine()
                  .ImportPersons(fed.dir().Write("names.csv",
                                                 Persons(std::string(kWvOcmw) +
                                                         "," + utf8 + "\n")),
                                 {}, &report)
                  .ok());
  EXPECT_EQ(report.updated, 1u);
  Result<WhoReport> who = fed.engine().Who(kOcmw);
  ASSERT_TRUE(who.ok());
  ASSERT_EQ(who->legal_representatives.size(), 1u);
  EXPECT_EQ(who->legal_representatives[0].name, utf8);
  fed.Close();

  const CliRun r =
      Spawn({"--json", "--db", fed.db_path(), "who", "--kbo", kOcmw},
            fed.dir().path(), std::nullopt);
  ASSERT_EQ(r.exit, 0) << Describe(r);
  const json j = OneObject(r);
  EXPECT_EQ(j["legal_representatives"][0]["name"], utf8);
}

// An import file that cannot be read as one (a directory) is refused
// through the API as a Status, not an exception, and changes nothing.
TEST(BadInputNamesTest, DirectoryAsImportFileIsAStatusNotAnException) {
  TestFederation fed;
  const std::vector<std::string> before = CommittedContent(fed.db_path());
  ImportReport report;
  Status s = fed.engine().ImportPersons(fed.dir().path(), {}, &report);
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(s.code().empty());
  EXPECT_EQ(CommittedContent(fed.db_path()), before);
}

}  // namespace
}  // namespace toegang::testing
