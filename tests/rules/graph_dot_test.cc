// graph(kbo): the enterprise's delegation graph as GraphViz DOT. Persons
// appear by name and masked INSZ only; every kind of link is labelled;
// what stops access is red; labels survive quotes, backslashes and
// accents; and GraphViz's own `dot` accepts the output, from the engine
// and from `toegang graph` piped into it.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "support/random_identifiers.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang::testing {
namespace {

constexpr const char* kDot = "/usr/bin/dot";

// Runs a shell command line under bash with pipefail; its exit status.
int Shell(const std::string& command) {
  const std::string line = "/bin/bash -o pipefail -c " + ShellQuote(command);
  // The tests run one at a time; nothing else touches the environment.
  const int status =
      std::system(line.c_str());  // NOLINT(concurrency-mt-unsafe)
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// GraphViz must be there (tools/setup-deps.sh installs it): its absence
// fails the test rather than skipping it.
void AssertDotInstalled() {
  struct stat st {};
  ASSERT_EQ(::stat(kDot, &st), 0)
      << kDot << " is missing: run tools/setup-deps.sh (package graphviz)";
  ASSERT_TRUE(st.st_mode & S_IXUSR) << kDot << " is not executable";
}

// The line of the DOT text that holds needle (vertices and edges are
// written one per line); empty when none does.
std::string LineWith(const std::string& dot, const std::string& needle) {
  std::istringstream in(dot);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return "";
}

bool IsRed(const std::string& line) {
  return line.find("color=red") != std::string::npos;
}

std::string Masked(const char* insz) { return Insz::Parse(insz)->Masked(); }

class GraphDotTest : public ::testing::Test {
 protected:
  Engine& engine() { return fed_.engine(); }

  std::string Dot(const std::string& kbo, Lang lang = Lang::kEn,
                  GraphOptions::Detail detail = GraphOptions::Detail::kAuto) {
    GraphOptions options;
    options.lang = lang;
    options.detail = detail;
    Result<std::string> dot = engine().GraphDot(kbo, options);
    EXPECT_TRUE(dot.ok()) << dot.status().ToString();
    return dot.ok() ? dot.value() : std::string();
  }

  // Renders dot text with GraphViz: exit 0, an SVG, and no complaint on
  // stderr (a bad escape or bad UTF-8 makes dot warn).
  void ExpectDotAccepts(const std::string& dot) {
    AssertDotInstalled();
    const std::string in = fed_.dir().Write("graph.dot", dot);
    const std::string out = fed_.dir().File("graph.svg");
    const std::string err = fed_.dir().File("graph.err");
    const int rc = Shell(ShellQuote(kDot) + " -Tsvg " + ShellQuote(in) +
                         " -o " + ShellQuote(out) + " 2>" + ShellQuote(err));
    EXPECT_EQ(rc, 0) << ReadFile(err) << "\n" << dot;
    const std::string svg = ReadFile(out);
    EXPECT_NE(svg.find("<svg"), std::string::npos) << dot;
    EXPECT_EQ(ReadFile(err), "") << dot;
  }

  void Import(const std::string& what, const std::string& csv) {
    ImportReport report;
    const std::string path =
        fed_.dir().Write(what + std::to_string(++imports_) + ".csv", csv);
    Status s = what == "facilities"
                   ? engine().ImportFacilities(path, ImportOptions{}, &report)
               : what == "persons"
                   ? engine().ImportPersons(path, ImportOptions{}, &report)
                   : engine().ImportKbo(path, "", ImportOptions{}, &report);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(report.invalid, 0u);
  }

  TestFederation fed_;
  int imports_ = 0;
};

TEST_F(GraphDotTest, TitlesAnEnterpriseWithoutANameByItsNumber) {
  const std::string enterprises = EnterpriseCsv();
  Import("kbo", enterprises.substr(0, enterprises.find('\n') + 1) +
                    "\"0444.712.336\",\"AC\",\"000\",\"2\",\"017\",\"\","
                    "\"01-01-2000\"\n");
  const std::string dot = Dot(kUnknownKbo);
  EXPECT_NE(dot.find("label=\"toegang: KBO 0444.712.336\"]"), std::string::npos)
      << dot;
}

TEST_F(GraphDotTest, ShowsTheChainWithMaskedInszNamesAndEdgeKinds) {
  fed_.BuildOcmwChain();
  fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  const std::string dot = Dot(kOcmw);
  ASSERT_EQ(dot.rfind("digraph", 0), 0u) << dot;

  // Every person of the chain by name and masked INSZ.
  for (const char* p : {kWvOcmw, kEmpOcmw, kEmp2Ocmw, kUser1, kUser2, kUser3}) {
    EXPECT_NE(dot.find(Masked(p)), std::string::npos) << p << "\n" << dot;
  }
  for (const char* name :
       {"Wendy Verhoeven", "Hilde Bosmans", "Tom Claes", "Ahmed El Amrani",
        "Ana Lukasiewicz", "Els Van den Broeck"}) {
    EXPECT_NE(dot.find(name), std::string::npos) << name;
  }
  // Never a whole INSZ, of anyone.
  for (const char* p :
       {kWvOcmw, kEmpOcmw, kEmp2Ocmw, kWvWzc, kEmpWzc, kWvStopped, kWvOther,
        kUser1, kUser2, kUser3, kOutsider}) {
    EXPECT_EQ(dot.find(p), std::string::npos) << p << "\n" << dot;
    EXPECT_EQ(dot.find(Insz::Parse(p)->Display()), std::string::npos) << p;
  }
  // Only this enterprise: not another's people or facilities.
  EXPECT_EQ(dot.find("Marie Claes"), std::string::npos);
  EXPECT_EQ(dot.find("WZC De Linde"), std::string::npos);
  EXPECT_EQ(dot.find("Olivier Buiten"), std::string::npos);

  // The enterprise, its facilities and the subafdeling.
  const std::string ent = LineWith(dot, "\\nKBO 0403.019.261");
  EXPECT_NE(ent.find("OCMW Gent"), std::string::npos) << dot;
  EXPECT_FALSE(IsRed(ent)) << ent;
  const std::string fac = LineWith(dot, "HCO 12345 OCMW Gent");
  EXPECT_NE(fac.find("type 009"), std::string::npos) << dot;
  EXPECT_FALSE(IsRed(fac)) << fac;
  EXPECT_TRUE(IsRed(LineWith(dot, "HCO 10001 OCMW Gent Oud")));  // closed
  EXPECT_FALSE(IsRed(LineWith(dot, "HCO 45678 Sociaal Huis Gent")));
  const std::string sub = LineWith(dot, "subafdeling HCO 12345");
  EXPECT_NE(sub.find("ama-wvg"), std::string::npos) << dot;
  EXPECT_FALSE(IsRed(sub)) << sub;

  // Each kind of link, labelled.
  for (const char* label :
       {"label=\"wv\"", "label=\"employee\"", "label=\"htb\"", "label=\"tb\"",
        "label=\"co-TB\"", "label=\"manager\"", "label=\"user\"",
        "label=\"right: ama-wvg\"", "label=\"domain\"", "label=\"subafdeling\"",
        "label=\"organizes\"", "label=\"at\""}) {
    EXPECT_NE(dot.find(label), std::string::npos) << label << "\n" << dot;
  }
  EXPECT_FALSE(IsRed(LineWith(dot, "right: ama-wvg")));
  ExpectDotAccepts(dot);
}

TEST_F(GraphDotTest, WhatIsBrokenIsRed) {
  fed_.BuildOcmwChain();
  // A subafdeling that carries no application.
  fed_.MustApply(M(Action::kCreateSubafdeling, kEmpOcmw)
                     .Kbo(kOcmw)
                     .Hco(kHcoSociaalHuis)
                     .Email("sh@ocmw.gent"));
  std::string dot = Dot(kOcmw);
  EXPECT_TRUE(IsRed(LineWith(dot, "subafdeling HCO 45678"))) << dot;
  EXPECT_NE(LineWith(dot, "subafdeling HCO 45678").find("no applications"),
            std::string::npos);
  EXPECT_FALSE(IsRed(LineWith(dot, "subafdeling HCO 12345")));
  EXPECT_FALSE(IsRed(LineWith(dot, "\\nKBO 0403.019.261")));
  EXPECT_FALSE(IsRed(LineWith(dot, "right: ama-wvg")));

  // The facility closed in CoBRHA: the facility and the right it carried.
  Import("facilities",
         "hco,name,type_code,kbo,status\n"
         "12345,OCMW Gent,009,0403019261,closed\n");
  dot = Dot(kOcmw);
  EXPECT_TRUE(IsRed(LineWith(dot, "HCO 12345 OCMW Gent"))) << dot;
  EXPECT_TRUE(IsRed(LineWith(dot, "right: ama-wvg"))) << dot;
  EXPECT_FALSE(IsRed(LineWith(dot, "\\nKBO 0403.019.261")));
  Import("facilities",
         "hco,name,type_code,kbo,status\n"
         "12345,OCMW Gent,009,0403019261,active\n");
  dot = Dot(kOcmw);
  EXPECT_FALSE(IsRed(LineWith(dot, "HCO 12345 OCMW Gent"))) << dot;
  EXPECT_FALSE(IsRed(LineWith(dot, "right: ama-wvg"))) << dot;

  // The enterprise stopped in the KBO.
  Import("kbo",
         "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
         "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
         "\"StartDate\"\n"
         "\"0403.019.261\",\"ST\",\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n");
  dot = Dot(kOcmw);
  const std::string ent = LineWith(dot, "\\nKBO 0403.019.261");
  EXPECT_TRUE(IsRed(ent)) << dot;
  EXPECT_NE(ent.find("stopped in the KBO"), std::string::npos) << ent;
  EXPECT_TRUE(IsRed(LineWith(dot, "right: ama-wvg"))) << dot;
  ExpectDotAccepts(dot);

  // An enterprise without HTB, and an unknown one.
  const std::string other = Dot(kOther);
  EXPECT_TRUE(IsRed(LineWith(other, "\\nKBO 0884.303.369"))) << other;
  EXPECT_NE(LineWith(other, "\\nKBO 0884.303.369").find("no HTB"),
            std::string::npos);
  ExpectDotAccepts(other);
  Result<std::string> unknown = engine().GraphDot(kUnknownKbo, GraphOptions{});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), code::kEnterpriseUnknown);
  Result<std::string> invalid = engine().GraphDot("0431150351", GraphOptions{});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().code(), code::kInvalidKbo);
}

TEST_F(GraphDotTest, FollowsTheLanguageAsked) {
  fed_.BuildOcmwChain();
  fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  const std::string nl = Dot(kOcmw, Lang::kNl);
  for (const char* label :
       {"label=\"werknemer\"", "label=\"beheerder\"", "label=\"gebruiker\"",
        "label=\"recht: ama-wvg\"", "label=\"domein\"", "label=\"organiseert\"",
        "label=\"op\""}) {
    EXPECT_NE(nl.find(label), std::string::npos) << label << "\n" << nl;
  }
  EXPECT_NE(nl.find("gesloten in CoBRHA"), std::string::npos) << nl;
  const std::string en = Dot(kOcmw, Lang::kEn);
  for (const char* dutch : {"werknemer", "beheerder", "gebruiker",
                            "recht:", "domein", "gesloten", "organiseert"}) {
    EXPECT_EQ(en.find(dutch), std::string::npos) << dutch << "\n" << en;
  }
  EXPECT_NE(en.find("closed in CoBRHA"), std::string::npos) << en;
  ExpectDotAccepts(nl);
}

TEST_F(GraphDotTest, ALargeEnterpriseIsDrawnInSummary) {
  fed_.BuildOcmwChain();
  // Small: every user is drawn, unless a summary is asked for.
  const std::string full = Dot(kOcmw);
  EXPECT_EQ(full.find("summary"), std::string::npos) << full;
  EXPECT_NE(full.find(Masked(kUser1)), std::string::npos) << full;
  const std::string asked =
      Dot(kOcmw, Lang::kEn, GraphOptions::Detail::kSummary);
  EXPECT_EQ(asked.find(Masked(kUser1)), std::string::npos) << asked;
  EXPECT_NE(asked.find(Masked(kUser3)), std::string::npos)  // the manager
      << asked;
  EXPECT_EQ(asked.find("label=\"user\""), std::string::npos) << asked;
  EXPECT_EQ(asked.find("right: "), std::string::npos) << asked;
  EXPECT_NE(asked.find("label=\"users\""), std::string::npos) << asked;
  ExpectDotAccepts(asked);

  // Past GraphOptions::kSummaryAbove users and rights: a summary unless
  // every user is asked for.
  std::mt19937_64 rng(7);
  size_t added = 0;
  while (2 * added <= GraphOptions::kSummaryAbove) {
    const std::string insz = RandomInsz(rng);
    Result<CommitInfo> r = engine().Apply(
        M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(insz).App("ama-wvg"));
    if (r.ok()) ++added;
  }
  const std::string large = Dot(kOcmw);
  EXPECT_NE(large.find("summary: the users counted per subafdeling"),
            std::string::npos);
  EXPECT_EQ(large.find(Masked(kUser1)), std::string::npos);
  // The counting vertex: every user and right of the subafdeling.
  const std::string counted = LineWith(large, " users\\n");
  EXPECT_NE(
      counted.find(fmt::format("\"{} users\\n{} rights", added + 1, added + 1)),
      std::string::npos)
      << large;
  EXPECT_FALSE(IsRed(counted)) << counted;
  const std::string every = Dot(kOcmw, Lang::kEn, GraphOptions::Detail::kFull);
  EXPECT_NE(every.find(Masked(kUser1)), std::string::npos);
  EXPECT_GT(every.size(), 10 * large.size());
  ExpectDotAccepts(large);
}

TEST_F(GraphDotTest, LabelsAreEscaped) {
  fed_.BuildOcmwChain();
  // Quotes, a comma, accents, a backslash (also at the end, where it would
  // swallow the closing quote) and GraphViz's own escapes.
  Import("persons",
         "insz,name\n"
         "81050003552,\"Jean \"\"Jeannot\"\" D'Hondt, Élise Çelik\"\n"
         "92200006963,Zoë \\N van \\\\ Dijk \\\n");
  const std::string dot = Dot(kOcmw);
  EXPECT_NE(dot.find("Jean \\\"Jeannot\\\" D'Hondt, Élise Çelik"),
            std::string::npos)
      << dot;
  // ... and the line break after the trailing backslash stays a break.
  EXPECT_NE(dot.find("Zoë \\\\N van \\\\\\\\ Dijk \\\\\\n92.20.00-***.**"),
            std::string::npos)
      << dot;
  ExpectDotAccepts(dot);
  // GraphViz shows the names as written (XML-escaped in SVG).
  const std::string svg = ReadFile(fed_.dir().File("graph.svg"));
  EXPECT_NE(svg.find("Jean &quot;Jeannot&quot; D&#39;Hondt, Élise Çelik"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("Zoë \\N van \\\\ Dijk \\"), std::string::npos) << svg;
}

// --- through the CLI --------------------------------------------------------

TEST_F(GraphDotTest, CliGraphPipedIntoDotGivesAnSvg) {
  AssertDotInstalled();
  fed_.BuildOcmwChain();
  const std::string svg = fed_.dir().File("cli.svg");
  const std::string err = fed_.dir().File("cli.err");
  const int rc = Shell(ShellQuote(TOEGANG_CLI_PATH) + " --db " +
                       ShellQuote(fed_.db_path()) + " graph --kbo " + kOcmw +
                       " 2>" + ShellQuote(err) + " | " + ShellQuote(kDot) +
                       " -Tsvg -o " + ShellQuote(svg));
  EXPECT_EQ(rc, 0) << ReadFile(err);
  const std::string out = ReadFile(svg);
  EXPECT_NE(out.find("<svg"), std::string::npos);
  EXPECT_NE(out.find("Hilde Bosmans"), std::string::npos);
  EXPECT_NE(out.find("85.07.30&#45;***.**"), std::string::npos);  // masked

  // --json: one object with the DOT text, the same as the engine's.
  const std::string json_out = fed_.dir().File("cli.json");
  ASSERT_EQ(Shell(ShellQuote(TOEGANG_CLI_PATH) + " --db " +
                  ShellQuote(fed_.db_path()) + " --json graph --kbo " +
                  "0403.019.261 >" + ShellQuote(json_out)),
            0);
  nlohmann::json j = nlohmann::json::parse(ReadFile(json_out), nullptr, false);
  ASSERT_TRUE(j.is_object()) << ReadFile(json_out);
  EXPECT_EQ(j["kbo"], kOcmw);
  EXPECT_EQ(j["dot"], Dot(kOcmw));

  // --lang and --detail reach the drawing: the same text as the engine's.
  auto cli_dot = [&](const std::string& options) {
    EXPECT_EQ(Shell(ShellQuote(TOEGANG_CLI_PATH) + " --db " +
                    ShellQuote(fed_.db_path()) + " " + options + " >" +
                    ShellQuote(json_out) + " 2>/dev/null"),
              0)
        << options;
    return ReadFile(json_out);
  };
  EXPECT_EQ(cli_dot(std::string("--lang nl graph --kbo ") + kOcmw),
            Dot(kOcmw, Lang::kNl));
  EXPECT_EQ(cli_dot(std::string("graph --detail summary --kbo ") + kOcmw),
            Dot(kOcmw, Lang::kEn, GraphOptions::Detail::kSummary));
  EXPECT_EQ(Shell(ShellQuote(TOEGANG_CLI_PATH) + " --db " +
                  ShellQuote(fed_.db_path()) + " graph --detail most --kbo " +
                  kOcmw + " 2>/dev/null"),
            2);

  // An unknown enterprise: exit 3 and nothing on stdout.
  EXPECT_EQ(Shell(ShellQuote(TOEGANG_CLI_PATH) + " --db " +
                  ShellQuote(fed_.db_path()) + " graph --kbo " + kUnknownKbo +
                  " >" + ShellQuote(json_out) + " 2>/dev/null"),
            3);
  EXPECT_EQ(ReadFile(json_out), "");
}

}  // namespace
}  // namespace toegang::testing
