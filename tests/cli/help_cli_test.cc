// The help a newcomer finds (issue 25, item 2), through the real `toegang`
// binary: every command's --help (also -h and `toegang help COMMAND`) with
// usage, options and examples, exit 0 and no database needed; a group
// without its sub-command lists them; a mistyped command, sub-command or
// option gets a suggestion; a value without its option name gets a
// message in toegang's words.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

class HelpCliTest : public ::testing::Test {
 protected:
  // Against a database that does not exist: help needs none.
  CliRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", dir_.File("none.db")});
    return Spawn(args, dir_.path(), std::nullopt);
  }
  // A usage error (exit 2) with --json; returns its message.
  std::string UsageMessage(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CliRun r = Run(args);
    ExpectError(r, 2, "usage");
    return OneObject(r).value("message", "");
  }

  TempDir dir_;
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Each command (and each import and delegation sub-command) with the
// options its help must explain.
const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>>
    kCommands = {
        {{"init"}, {}},
        {{"import", "kbo"},
         {"--enterprises FILE", "--denominations", "--dry-run"}},
        {{"import", "kbo-open-data"}, {"PATH", "--force"}},
        {{"import", "persons"}, {"FILE", "--skip-invalid"}},
        {{"import", "functions"}, {"FILE", "--full"}},
        {{"import", "facilities"}, {"FILE", "--full"}},
        {{"htb", "appoint"}, {"--by INSZ", "--kbo KBO", "--insz", "--email"}},
        {{"htb", "set-contact"},
         {"--by INSZ", "--kbo KBO", "--email", "--phone", "--wv-email",
          "--wv-phone"}},
        {{"hoedanigheid", "activate"}, {"--by", "--hoedanigheid"}},
        {{"hoedanigheid", "deactivate"}, {"--by", "--hoedanigheid"}},
        {{"tb", "set"}, {"--by", "--subdivisie"}},
        {{"tb", "remove"}, {"--by", "--insz"}},
        {{"co-tb", "add"}, {"--by", "--insz"}},
        {{"subafdeling", "create"}, {"--hco HCO", "--email", "--beheerder"}},
        {{"subafdeling", "remove"}, {"--hco"}},
        {{"subafdeling", "set-email"}, {"--hco", "--email"}},
        {{"user", "add"}, {"--hco", "--insz", "--app", "--right"}},
        {{"user", "grant"}, {"--hco", "--insz", "--by"}},
        {{"check"},
         {"--insz INSZ", "--app APP", "--hco", "--at-least", "--wait-ms"}},
        {{"explain"}, {"--insz", "--app", "--hco"}},
        {{"access"}, {"--insz", "--limit", "--cursor"}},
        {{"users"}, {"--hco", "--app", "--limit"}},
        {{"managed-by"}, {"--insz"}},
        {{"who"}, {"--kbo"}},
        {{"facilities"}, {"--kbo KBO"}},
        {{"graph"}, {"--kbo"}},
        {{"may"}, {"--action", "--by"}},
        {{"audit"}, {"--since", "--kbo", "--limit", "--after"}},
        {{"changes"}, {"--since REV"}},
        {{"verify"}, {}},
        {{"stats"}, {}},
        {{"generate"}, {"--persons N", "--seed", "--out FILE"}},
        {{"serve"}, {"--listen", "--threads", "--follow-ms"}},
};

TEST_F(HelpCliTest, EveryCommandExplainsItsUsageOptionsAndExamples) {
  for (const auto& [words, options] : kCommands) {
    std::string name;
    for (const std::string& w : words) name += (name.empty() ? "" : " ") + w;
    std::vector<std::string> args = words;
    args.push_back("--help");
    CliRun help = Run(args);
    EXPECT_EQ(help.exit, 0) << Describe(help);
    EXPECT_TRUE(help.err.empty()) << Describe(help);
    EXPECT_TRUE(Has(help.out, "usage: toegang " + name)) << Describe(help);
    EXPECT_TRUE(Has(help.out, "Examples:\n  toegang ")) << Describe(help);
    EXPECT_TRUE(Has(help.out, "Exit codes:")) << Describe(help);
    // Nothing that exists only in the source tree.
    EXPECT_FALSE(Has(help.out, "docs/")) << Describe(help);
    for (const std::string& o : options) {
      EXPECT_TRUE(Has(help.out, o)) << o << "\n" << Describe(help);
    }
    // -h and `toegang help ...` print the same.
    args.back() = "-h";
    EXPECT_EQ(Run(args).out, help.out) << name;
    std::vector<std::string> via_help = {"help"};
    via_help.insert(via_help.end(), words.begin(), words.end());
    CliRun h = Run(via_help);
    EXPECT_EQ(h.exit, 0) << Describe(h);
    EXPECT_EQ(h.out, help.out) << name;
  }
  // --help anywhere after the command, even among its options.
  CliRun late = Run({"check", "--insz", "85073003328", "--help"});
  EXPECT_EQ(late.exit, 0) << Describe(late);
  EXPECT_TRUE(Has(late.out, "usage: toegang check --insz INSZ --app APP"))
      << Describe(late);
  // Nothing was created.
  EXPECT_FALSE(std::filesystem::exists(dir_.File("none.db")));
}

TEST_F(HelpCliTest, TheCommandListComesFromTheSameTable) {
  CliRun help = Run({"--help"});
  EXPECT_EQ(help.exit, 0) << Describe(help);
  for (const auto& [words, options] : kCommands) {
    EXPECT_TRUE(Has(help.out, "\n  " + words[0] + " ")) << words[0];
  }
  EXPECT_TRUE(Has(help.out, "subafdeling add-beheerder | authorize | create"))
      << help.out;
  EXPECT_TRUE(Has(help.out, "vte")) << help.out;
  EXPECT_FALSE(Has(help.out, "docs/")) << help.out;
  CliRun bare = Run({"help"});
  EXPECT_EQ(bare.exit, 0) << Describe(bare);
  EXPECT_EQ(bare.out, help.out);
}

TEST_F(HelpCliTest, AGroupWithoutItsSubCommandListsThem) {
  CliRun user = Run({"user"});
  EXPECT_EQ(user.exit, 2) << Describe(user);
  for (const char* sub : {"add", "grant", "revoke", "remove"}) {
    EXPECT_TRUE(Has(user.err, "\n  " + std::string(sub) + " "))
        << Describe(user);
  }
  const std::string message = UsageMessage({"user"});
  EXPECT_TRUE(Has(message, "add, grant, remove, revoke")) << message;
  // Asked for, the list is the answer: stdout, exit 0.
  CliRun help = Run({"user", "--help"});
  EXPECT_EQ(help.exit, 0) << Describe(help);
  EXPECT_TRUE(Has(help.out, "Sub-commands:\n  add ")) << Describe(help);
  EXPECT_TRUE(Has(help.out, "gebruiker")) << Describe(help);  // its alias
  CliRun alias = Run({"vte", "--help"});
  EXPECT_EQ(alias.exit, 0) << Describe(alias);
  EXPECT_TRUE(Has(alias.out, "usage: toegang htb SUB-COMMAND"))
      << Describe(alias);
}

TEST_F(HelpCliTest, MistypedWordsGetASuggestion) {
  EXPECT_TRUE(Has(UsageMessage({"chek", "--insz", "85073003328"}),
                  "unknown command `chek`; did you mean `check`?"));
  EXPECT_TRUE(Has(UsageMessage({"managedby", "--insz", "85073003328"}),
                  "did you mean `managed-by`?"));
  EXPECT_TRUE(Has(UsageMessage({"user", "grnat"}), "did you mean `grant`?"));
  EXPECT_TRUE(
      Has(UsageMessage({"check", "--isnz", "85073003328", "--app", "x"}),
          "`--isnz` is not an option of `check`; did you mean "
          "`--insz`?"));
  EXPECT_TRUE(Has(UsageMessage({"import", "kbo", "--enterprices=e.csv"}),
                  "did you mean `--enterprises`?"));
  EXPECT_TRUE(
      Has(UsageMessage({"help", "explian"}), "did you mean `explain`?"));
  // Nothing close: no guess.
  const std::string far = UsageMessage({"fly"});
  EXPECT_TRUE(Has(far, "unknown command `fly`")) << far;
  EXPECT_FALSE(Has(far, "did you mean")) << far;
}

TEST_F(HelpCliTest, OptionErrorsAreInToegangsWords) {
  // The file named without its option: the option it belongs to.
  const std::string kbo = UsageMessage({"import", "kbo", "ent.csv"});
  EXPECT_TRUE(Has(kbo,
                  "`ent.csv` stands without an option name; did you "
                  "mean `--enterprises ent.csv`?"))
      << kbo;
  EXPECT_FALSE(Has(kbo, "positional")) << kbo;  // the parser's word
  const std::string value =
      UsageMessage({"check", "--app", "ama-wvg", "--insz"});
  EXPECT_TRUE(Has(value, "`--insz` needs a value")) << value;
  const std::string twice = UsageMessage(
      {"check", "--insz", "85073003328", "--app", "a", "--app", "b"});
  EXPECT_TRUE(Has(twice, "`--app` is given more than once")) << twice;
  const std::string missing = UsageMessage({"check", "--insz", "85073003328"});
  EXPECT_TRUE(Has(missing, "check needs --app")) << missing;
  EXPECT_TRUE(
      Has(UsageMessage({"import", "persons"}), "import persons needs FILE"));
  const std::string stray = UsageMessage({"verify", "extra"});
  EXPECT_TRUE(Has(stray, "`extra` stands without an option name")) << stray;
  // Every one of them points at the command's help.
  EXPECT_TRUE(Has(kbo, "(toegang import kbo --help)")) << kbo;
}

}  // namespace
}  // namespace toegang::testing
