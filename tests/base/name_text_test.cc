// Names that could steer what an operator sees (issue 22, item 12): C1
// controls (U+009B is a terminal's CSI), bidirectional controls (U+202E
// shows the text after it reversed), line separators and bytes that are
// not UTF-8. They are refused at import, one rule for every name column
// (code invalid_name, naming the line and the code point, nothing
// written), and wherever a name is printed (error messages, CLI text, JSON,
// GraphViz DOT) it comes out escaped, also when an older database holds it.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "decision_service.h"
#include "support/cli_runner.h"
#include "support/db_content.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/text.h"

namespace toegang::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The UTF-8 bytes of the code points that must never reach the output raw.
const std::vector<std::string>& RawUnsafe() {
  static const std::vector<std::string> kRaw = {
      "\xC2\x9B",      // U+009B
      "\xE2\x80\xAE",  // U+202E
      "\xE2\x80\xA8",  // U+2028
      "\xE2\x81\xA6",  // U+2066
      "\xE9",          // a Latin-1 byte
  };
  return kRaw;
}

void ExpectNoRawUnsafe(const std::string& output, const std::string& what) {
  for (const std::string& raw : RawUnsafe()) {
    EXPECT_FALSE(Contains(output, raw))
        << what << " holds raw bytes " << DisplayText(raw) << ":\n"
        << DisplayText(output);
  }
}

// --- the rule itself (toegang/text.h) --------------------------------------

TEST(NameTextTest, FindTextFaultNamesTheCodePointAndWhere) {
  std::optional<TextFault> f = FindTextFault(
      "Ab\xC3\xA9 \xE2\x80\xAE"
      "x");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->offset, 5u);
  EXPECT_EQ(f->character, 5u);  // A, b, é, space, then U+202E
  ASSERT_TRUE(f->code_point.has_value());
  EXPECT_EQ(*f->code_point, U'\u202E');
  EXPECT_EQ(f->Describe(),
            "U+202E (right-to-left override, a bidirectional control)");

  f = FindTextFault("Jos\xE9");
  ASSERT_TRUE(f.has_value());
  EXPECT_FALSE(f->code_point.has_value());
  EXPECT_EQ(f->Describe(), "byte 0xE9 (not UTF-8)");

  f = FindTextFault("a\xC2\x9B");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->Describe(), "U+009B (a control character)");
  f = FindTextFault("a\xE2\x80\xA9");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->Describe(), "U+2029 (paragraph separator)");

  EXPECT_FALSE(FindTextFault("").has_value());
  EXPECT_FALSE(FindTextFault("Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80 "
                             "\xE2\x80\x8D")
                   .has_value());  // ë, €, an emoji, a zero-width joiner
}

TEST(NameTextTest, EveryRefusedCodePointIsRefusedAndNothingElseNearby) {
  const std::vector<char32_t> refused = {
      0x00,   0x09,   0x0A,   0x1B,   0x1F,   0x7F,   0x80,   0x85,
      0x9B,   0x9F,   0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C,
      0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029};
  for (char32_t cp : refused)
    EXPECT_TRUE(IsRefusedCodePoint(cp)) << static_cast<uint32_t>(cp);
  const std::vector<char32_t> accepted = {
      0x20,   0x7E,   0xA0,   0xE9,   0x061B, 0x061D, 0x200B, 0x200C,
      0x200D, 0x2027, 0x202F, 0x2065, 0x206A, 0xFFFD, 0x1F600};
  for (char32_t cp : accepted)
    EXPECT_FALSE(IsRefusedCodePoint(cp)) << static_cast<uint32_t>(cp);
}

TEST(NameTextTest, DisplayTextEscapesWhatIsRefusedAndKeepsTheRest) {
  EXPECT_EQ(DisplayText("Zo\xC3\xAB \xE2\x80\xAE"
                        "x\xC2\x9B\n\t\xE9"),
            "Zo\xC3\xAB \\u202Ex\\u009B\\x0a\\x09\\xe9");
  DisplayOptions layout;
  layout.keep_layout = true;
  EXPECT_EQ(DisplayText("a\nb\tc\rd\xE2\x80\xA8", layout),
            "a\nb\tc\\x0dd\\u2028");
  DisplayOptions quoted;
  quoted.quoted = true;
  EXPECT_EQ(DisplayText("say \"hi\" \\", quoted), "say \\\"hi\\\" \\\\");
  // Shown text is itself accepted text: nothing left to escape.
  const std::string shown = DisplayText("\xFF\xC2\x9B\xE2\x81\xA6\x01");
  EXPECT_FALSE(FindTextFault(shown).has_value()) << shown;
}

TEST(NameTextTest, JsonDisplaySafeKeepsTheValue) {
  const std::string name =
      "W\xC3\xA9ndy \xE2\x80\xAE"
      "x\xC2\x9B\xE2\x80\xA8";
  const json j = {{"name", name}, {"n", 1}};
  const std::string safe = JsonDisplaySafe(j.dump());
  EXPECT_EQ(safe, "{\"n\":1,\"name\":\"W\xC3\xA9ndy \\u202Ex\\u009B\\u2028\"}");
  EXPECT_EQ(json::parse(safe), j);
}

// --- refused at import ------------------------------------------------------

// A persons file with one good row and one row per kind of unsafe name,
// through the real CLI: refused as a whole (nothing written), each bad
// line reported with invalid_name and its code point, the values escaped.
TEST(NameTextImportTest, PersonsFileWithUnsafeNamesIsRefusedPerLine) {
  TestFederation fed;
  fed.Close();
  const std::string csv =
      "insz,name\n"
      "93051822361,Wendy Nieuwe Naam\n"  // line 2: fine
      "85073003328,Hilde \xC2\x9B"       // line 3: U+009B
      "31mBosmans\n"
      "17073003384,Tom \xE2\x80\xAE"  // line 4: U+202E
      "seal\n"
      "88022907742,Anne\xE2\x80\xA8Sophie\n"  // line 5: U+2028
      "75060898009,Marie \xE2\x81\xA6"        // line 6: U+2066
      "Claes\n"
      "01031545638,No\xE9l De Smet\n";  // line 7: Latin-1
  const std::string file = fed.dir().Write("unsafe.csv", csv);
  const std::vector<std::string> before = CommittedContent(fed.db_path());

  const CliRun r =
      Spawn({"--json", "--db", fed.db_path(), "import", "persons", file},
            fed.dir().path(), std::nullopt);
  ExpectError(r, 2, "import_rejected");
  ExpectNoRawUnsafe(r.out, "--json output");
  const json j = OneObject(r);
  ASSERT_TRUE(j.contains("errors") && j["errors"].is_array()) << r.out;
  const std::vector<std::pair<int, std::string>> expected = {{3, "U+009B"},
                                                             {4, "U+202E"},
                                                             {5, "U+2028"},
                                                             {6, "U+2066"},
                                                             {7, "byte 0xE9"}};
  ASSERT_EQ(j["errors"].size(), expected.size()) << r.out;
  for (size_t i = 0; i < expected.size(); ++i) {
    const json& e = j["errors"][i];
    EXPECT_EQ(e.value("line", 0), expected[i].first) << e.dump();
    EXPECT_EQ(e.value("code", ""), "invalid_name") << e.dump();
    EXPECT_TRUE(Contains(e.value("message", ""), expected[i].second))
        << e.dump();
  }
  EXPECT_EQ(j.value("inserted", -1), 0);
  EXPECT_EQ(CommittedContent(fed.db_path()), before);

  // As text on stderr: file:line: code: message, escaped.
  const CliRun t = Spawn({"--db", fed.db_path(), "import", "persons", file},
                         fed.dir().path(), std::nullopt);
  EXPECT_EQ(t.exit, 2) << Describe(t);
  ExpectNoRawUnsafe(t.err, "stderr");
  EXPECT_TRUE(Contains(t.err,
                       "unsafe.csv:4: invalid_name: column \"name\": "
                       "\"Tom \\u202Eseal\" holds U+202E"))
      << DisplayText(t.err);
  EXPECT_TRUE(Contains(t.err,
                       "unsafe.csv:7: invalid_name: column \"name\": "
                       "\"No\\xe9l De Smet\" holds byte 0xE9"))
      << DisplayText(t.err);

  // With --skip-invalid only the good row goes in.
  const CliRun s = Spawn({"--json", "--db", fed.db_path(), "import", "persons",
                          "--skip-invalid", file},
                         fed.dir().path(), std::nullopt);
  ASSERT_EQ(s.exit, 0) << Describe(s);
  EXPECT_EQ(OneObject(s).value("invalid", 0), 5);
  fed.Reopen();
  Result<WhoReport> who = fed.engine().Who(kOcmw);
  ASSERT_TRUE(who.ok());
  for (const PersonRef& p : who->legal_representatives) {
    EXPECT_FALSE(FindTextFault(p.name).has_value()) << DisplayText(p.name);
  }
}

// Enterprise denominations and facility names follow the same rule.
TEST(NameTextImportTest, DenominationsAndFacilityNamesAreRefusedToo) {
  TestFederation fed;
  const std::vector<std::string> before = CommittedContent(fed.db_path());
  ImportReport report;
  Status s = fed.engine().ImportKbo(
      fed.dir().Write("enterprise2.csv", EnterpriseCsv()),
      fed.dir().Write("denomination2.csv",
                      "\"EntityNumber\",\"Language\",\"TypeOfDenomination\","
                      "\"Denomination\"\n"
                      "\"0403.019.261\",\"2\",\"001\",\"OCMW \xE2\x80\xAE"
                      "tneG\"\n"),
      {}, &report);
  EXPECT_EQ(s.code(), code::kImportRejected) << s.ToString();
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].line, 2u);
  EXPECT_EQ(report.errors[0].code, code::kInvalidName);
  EXPECT_TRUE(Contains(report.errors[0].message, "column \"Denomination\""));
  EXPECT_TRUE(Contains(report.errors[0].message, "U+202E"));

  s = fed.engine().ImportFacilities(
      fed.dir().Write("facilities2.csv",
                      "hco,name,type_code,kbo,status\n"
                      "12345,OCMW Gent,009,0403019261,active\n"
                      "45678,Sociaal \xC2\x9BHuis,089,0403019261,active\n"
                      "31415,Les \xC9rables,034,0884303369,active\n"),
      {}, &report);
  EXPECT_EQ(s.code(), code::kImportRejected) << s.ToString();
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].line, 3u);
  EXPECT_EQ(report.errors[0].code, code::kInvalidName);
  EXPECT_TRUE(Contains(report.errors[0].message, "U+009B"));
  EXPECT_EQ(report.errors[1].line, 4u);
  EXPECT_EQ(report.errors[1].code, code::kInvalidName);
  EXPECT_TRUE(Contains(report.errors[1].message, "byte 0xC9 (not UTF-8)"));
  EXPECT_TRUE(Contains(report.errors[1].message, "iconv"));
  fed.Close();
  EXPECT_EQ(CommittedContent(fed.db_path()), before);
}

// --- shown escaped ----------------------------------------------------------

// A database written before the rule (or by another tool) may hold such
// names. Whatever prints them escapes them: the CLI's text and JSON, the
// DOT of `graph`, and an error message that names the person.
TEST(NameTextPrintTest, UnsafeNamesInTheDatabaseAreShownEscaped) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();
  const std::string wv_name =
      "Wendy \xE2\x80\xAE"
      "nevohreV\xC2\x9B";
  const std::string enterprise_name =
      "OCMW \xE2\x81\xA6"
      "Gent\xE2\x80\xA8";
  {
    SQLite::Database db(fed.db_path(), SQLite::OPEN_READWRITE);
    SQLite::Statement person(db, "UPDATE person SET name = ? WHERE insz = ?");
    person.bind(1, wv_name);
    person.bind(2, kWvOcmw);
    ASSERT_EQ(person.exec(), 1);
    SQLite::Statement enterprise(
        db, "UPDATE enterprise SET name = ? WHERE kbo = ?");
    enterprise.bind(1, enterprise_name);
    enterprise.bind(2, kOcmw);
    ASSERT_EQ(enterprise.exec(), 1);
    SQLite::Statement facility(db,
                               "UPDATE facility SET name = ? WHERE hco = ?");
    facility.bind(1, std::string("OCMW \xE9\xE9n"));
    facility.bind(2, kHcoOcmw);
    ASSERT_EQ(facility.exec(), 1);
  }
  const std::string& dir = fed.dir().path();
  const std::string& db = fed.db_path();

  // Text.
  const CliRun who =
      Spawn({"--db", db, "who", "--kbo", kOcmw}, dir, std::nullopt);
  ASSERT_EQ(who.exit, 0) << Describe(who);
  ExpectNoRawUnsafe(who.out, "who");
  EXPECT_TRUE(Contains(who.out, "OCMW \\u2066Gent\\u2028 (KBO"))
      << DisplayText(who.out);
  EXPECT_TRUE(Contains(who.out, "WV: Wendy \\u202EnevohreV\\u009B ("))
      << DisplayText(who.out);
  EXPECT_TRUE(Contains(who.out, "OCMW \\xe9\\xe9n")) << DisplayText(who.out);

  // JSON: the same value, written with escapes.
  const CliRun who_json =
      Spawn({"--json", "--db", db, "who", "--kbo", kOcmw}, dir, std::nullopt);
  ASSERT_EQ(who_json.exit, 0) << Describe(who_json);
  ExpectNoRawUnsafe(who_json.out, "who --json");
  EXPECT_TRUE(Contains(who_json.out, "Wendy \\u202EnevohreV\\u009B"))
      << DisplayText(who_json.out);
  // Bytes that are not UTF-8 become U+FFFD in JSON (text shows them \xe9).
  EXPECT_TRUE(Contains(who_json.out, "OCMW \xEF\xBF\xBD\xEF\xBF\xBDn"))
      << DisplayText(who_json.out);
  const json j = OneObject(who_json);
  EXPECT_EQ(j.value("name", ""), enterprise_name);
  ASSERT_EQ(j["legal_representatives"].size(), 1u);
  EXPECT_EQ(j["legal_representatives"][0].value("name", ""), wv_name);

  // DOT: escaped for display, then for DOT (the backslash doubled).
  const CliRun graph =
      Spawn({"--db", db, "graph", "--kbo", kOcmw}, dir, std::nullopt);
  ASSERT_EQ(graph.exit, 0) << Describe(graph);
  ExpectNoRawUnsafe(graph.out, "graph");
  EXPECT_TRUE(Contains(graph.out, "Wendy \\\\u202EnevohreV\\\\u009B"))
      << DisplayText(graph.out);
  EXPECT_TRUE(Contains(graph.out, "OCMW \\\\u2066Gent\\\\u2028"))
      << DisplayText(graph.out);

  // An error message that names the WV (who may appoint the HTB).
  const CliRun refused = Spawn({"--db", db, "htb", "appoint", "--by", kOutsider,
                                "--kbo", kOcmw, "--insz", kEmp2Ocmw},
                               dir, std::nullopt);
  EXPECT_EQ(refused.exit, 3) << Describe(refused);
  ExpectNoRawUnsafe(refused.err, "the refusal");
  EXPECT_TRUE(Contains(refused.err, "Wendy \\u202EnevohreV\\u009B"))
      << DisplayText(refused.err);
  const CliRun refused_json =
      Spawn({"--json", "--db", db, "htb", "appoint", "--by", kOutsider, "--kbo",
             kOcmw, "--insz", kEmp2Ocmw},
            dir, std::nullopt);
  EXPECT_EQ(refused_json.exit, 3) << Describe(refused_json);
  ExpectNoRawUnsafe(refused_json.out, "the refusal in JSON");
}

// The HTTP service's JSON writes the same escapes as the CLI's: an explain
// on the admin listener names the WV's enterprise.
TEST(NameTextPrintTest, TheHttpServiceShowsUnsafeNamesEscaped) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();
  {
    SQLite::Database db(fed.db_path(), SQLite::OPEN_READWRITE);
    SQLite::Statement enterprise(
        db, "UPDATE enterprise SET name = ? WHERE kbo = ?");
    enterprise.bind(1, std::string("OCMW \xE2\x81\xA6"
                                   "Gent\xE2\x80\xAE"));
    enterprise.bind(2, kOcmw);
    ASSERT_EQ(enterprise.exec(), 1);
  }
  OpenOptions options;
  options.index_snapshot = false;
  Result<std::unique_ptr<Engine>> engine = Engine::Open(fed.db_path(), options);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  serve::DecisionService service(engine->get(), serve::ServiceOptions());
  const std::string target =
      std::string("/v1/explain?insz=") + kWvOcmw + "&app=ama-wvg";
  serve::HttpRequest request;
  request.method = "GET";
  request.target = target;
  request.admin = true;
  const serve::HttpResponse r = service.Handle(request);
  ASSERT_EQ(r.status, 200) << DisplayText(r.body);
  ExpectNoRawUnsafe(r.body, "/v1/explain");
  EXPECT_TRUE(Contains(r.body, "OCMW \\u2066Gent\\u202E"))
      << DisplayText(r.body);
  const json j = json::parse(r.body);
  EXPECT_TRUE(Contains(j.dump(),
                       "OCMW \xE2\x81\xA6"
                       "Gent\xE2\x80\xAE"))
      << "the value itself is unchanged";
}

}  // namespace
}  // namespace toegang::testing
