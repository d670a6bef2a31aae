// toegang(1), in roff (man(7) macros), from the command table.
#include <string>
#include <string_view>

#include "command_table.h"
#include "help_text.h"

namespace toegang::cli {
namespace {

// Text for roff: backslashes and dashes escaped, and no line that starts
// with a control character.
std::string Roff(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) {
    out.insert(0, "\\&");
  }
  return out;
}

void Describe(const Command& c, const std::string& full, std::string* out) {
  *out += ".SS \"" + Roff(full) + "\"\n";
  *out += Roff(c.summary) + ".\n";
  if (!c.details.empty()) *out += Roff(c.details) + "\n";
  if (!c.aliases.empty()) {
    std::string also;
    for (const std::string& a : c.aliases)
      also += (also.empty() ? "" : ", ") + a;
    *out += ".br\nAlso called: " + Roff(also) + ".\n";
  }
  if (!c.subcommands.empty()) return;
  *out += ".PP\n.B toegang\n" + Roff(Synopsis(c, full)) + "\n";
  for (const OptionLine& o : OptionLines(c)) {
    *out += ".TP\n";
    // The tag of .TP is one line: fonts by escapes.
    *out +=
        o.operand
            ? "\\fI" + Roff(o.value) + "\\fR\n"
            : "\\fB\\-\\-" + Roff(o.name) + "\\fR" +
                  (o.value.empty() ? "" : " \\fI" + Roff(o.value) + "\\fR") +
                  "\n";
    *out += Roff(o.description) + (o.repeatable ? " (repeatable)" : "") + "\n";
  }
  if (!c.examples.empty()) {
    *out += ".PP\nExample" + std::string(c.examples.size() > 1 ? "s" : "") +
            ":\n.RS\n.nf\n";
    for (const std::string& e : c.examples) *out += Roff(e) + "\n";
    *out += ".fi\n.RE\n";
  }
}

}  // namespace

std::string ManPage() {
  std::string out =
      ".TH TOEGANG 1 \"\" \"toegang 0.1.0\" \"User Commands\"\n"
      ".SH NAME\n"
      "toegang \\- access management of the e\\-loket AMA WVG: "
      "appointments, grants, access decisions\n"
      ".SH SYNOPSIS\n"
      ".B toegang\n"
      "[\\-\\-db \\fIPATH\\fR] [\\-\\-json] [\\-\\-lang nl|en] "
      "\\fICOMMAND\\fR [\\fISUB\\-COMMAND\\fR] [\\fIOPTIONS\\fR]\n"
      ".SH DESCRIPTION\n"
      "The administrator's and helpdesk's tool for one toegang federation "
      "(one SQLite file): it loads the registries (KBO, persons, functions, "
      "CoBRHA facilities), records the appointments and grants of the access "
      "procedure (HTB, capacities, TB and co\\-TBs, subafdelingen, users and "
      "their rights), answers access questions (check, explain, the "
      "listings) and shows the audit log.\n"
      ".PP\n"
      "Every command prints its own help with \\fB\\-\\-help\\fR (or "
      "\\fB\\-h\\fR, or \\fBtoegang help\\fR \\fICOMMAND\\fR).\n"
      ".SH GLOBAL OPTIONS\n"
      "They may stand before or after the command.\n"
      ".TP\n.B \\-\\-db \\fIPATH\\fR\n"
      "The database file; else \\fB$TOEGANG_DB\\fR, else ./toegang.db.\n"
      ".TP\n.B \\-\\-json\n"
      "Print exactly one JSON object on stdout, errors included.\n"
      ".TP\n.B \\-\\-lang nl|en\n"
      "The language of the answers and messages (default en).\n"
      ".TP\n.B \\-\\-help\\fR, \\fB\\-h\n"
      "The command list, or the help of the command it follows.\n"
      ".TP\n.B \\-\\-version\n"
      "The version.\n"
      ".SH COMMANDS\n";
  std::string section;
  for (const Command& c : Commands()) {
    if (c.section != section) {
      section = c.section;
      out += ".PP\n.B " + Roff(section) + "\n";
    }
    Describe(c, c.name, &out);
    for (const Command& s : c.subcommands) {
      Describe(s, c.name + " " + s.name, &out);
    }
  }
  out +=
      ".SH EXIT STATUS\n"
      ".TP\n0\nsuccess; check, explain: allowed; may: would be accepted\n"
      ".TP\n1\ncheck, explain: denied; may: would be refused\n"
      ".TP\n2\nusage error or invalid input (error code usage, invalid_insz, "
      "...)\n"
      ".TP\n3\na mutation refused by a rule of the model\n"
      ".TP\n4\nstorage or I/O error\n"
      ".PP\n"
      "An error is printed as \\fBtoegang: \\fICODE\\fB: \\fIMESSAGE\\fR on "
      "stderr (with \\-\\-json: {\"error\": CODE, \"message\": MESSAGE} on "
      "stdout); the codes are stable.\n"
      ".SH ENVIRONMENT\n"
      ".TP\n.B TOEGANG_DB\n"
      "The database file when \\-\\-db is not given.\n"
      ".SH FILES\n"
      ".TP\n.I PATH\\-index\n"
      "Beside the database: a snapshot of the check index, a cache that may "
      "be deleted at any time.\n";
  return out;
}

}  // namespace toegang::cli
