#include "base/csv_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace toegang {
namespace {

using Fields = std::vector<std::string>;

// One call to Next(), kept for assertions.
struct Step {
  CsvReader::Outcome outcome;
  Fields fields;
  std::string error;
  size_t line;
};

// Reads the whole input; stops after kEnd (or after 1000 steps, so a reader
// that never ends fails instead of hanging).
std::vector<Step> ReadAll(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<Step> steps;
  for (int i = 0; i < 1000; ++i) {
    Step step;
    step.outcome = reader.Next(&step.fields, &step.error);
    step.line = reader.line();
    steps.push_back(step);
    if (step.outcome == CsvReader::Outcome::kEnd) break;
  }
  return steps;
}

// Only the records, in order; fails the test on any error.
std::vector<Fields> Records(const std::string& text) {
  std::vector<Fields> records;
  for (const Step& step : ReadAll(text)) {
    EXPECT_NE(step.outcome, CsvReader::Outcome::kError)
        << "line " << step.line << ": " << step.error;
    if (step.outcome == CsvReader::Outcome::kRecord) {
      records.push_back(step.fields);
    }
  }
  return records;
}

constexpr auto kRecord = CsvReader::Outcome::kRecord;
constexpr auto kEnd = CsvReader::Outcome::kEnd;
constexpr auto kError = CsvReader::Outcome::kError;

TEST(CsvReaderTest, EmptyInputHasNoRecords) {
  std::vector<Step> steps = ReadAll("");
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].outcome, kEnd);
}

TEST(CsvReaderTest, OnlyLineBreaksHasNoRecords) {
  EXPECT_TRUE(Records("\n\r\n\n").empty());
}

TEST(CsvReaderTest, EndIsRepeated) {
  std::istringstream in("a\n");
  CsvReader reader(in);
  Fields fields;
  std::string error;
  EXPECT_EQ(reader.Next(&fields, &error), kRecord);
  EXPECT_EQ(reader.Next(&fields, &error), kEnd);
  EXPECT_EQ(reader.Next(&fields, &error), kEnd);
  EXPECT_TRUE(fields.empty());
}

TEST(CsvReaderTest, PlainFields) {
  EXPECT_EQ(Records("a,b,c\n1,2,3\n"),
            (std::vector<Fields>{{"a", "b", "c"}, {"1", "2", "3"}}));
}

TEST(CsvReaderTest, LastRecordWithoutLineBreak) {
  EXPECT_EQ(Records("a,b\nc,d"), (std::vector<Fields>{{"a", "b"}, {"c", "d"}}));
}

TEST(CsvReaderTest, EmptyFields) {
  EXPECT_EQ(Records("a,,b\n,\n\"\"\n,\"\",\na,\n"),
            (std::vector<Fields>{
                {"a", "", "b"}, {"", ""}, {""}, {"", "", ""}, {"a", ""}}));
}

TEST(CsvReaderTest, SpacesAreKept) {
  EXPECT_EQ(Records(" a , b \n   \n"),
            (std::vector<Fields>{{" a ", " b "}, {"   "}}));
}

TEST(CsvReaderTest, QuotedFields) {
  EXPECT_EQ(Records("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n"),
            (std::vector<Fields>{{"a,b", "say \"hi\"", "\""}}));
}

TEST(CsvReaderTest, QuotedLineBreaksAreKeptAsWritten) {
  EXPECT_EQ(Records("\"one\ntwo\",x\r\n\"three\r\nfour\"\r\n"),
            (std::vector<Fields>{{"one\ntwo", "x"}, {"three\r\nfour"}}));
}

TEST(CsvReaderTest, CrlfLineEnds) {
  EXPECT_EQ(Records("a,b\r\n\"c\",d\r\ne\r\n"),
            (std::vector<Fields>{{"a", "b"}, {"c", "d"}, {"e"}}));
}

TEST(CsvReaderTest, LoneCarriageReturnIsData) {
  EXPECT_EQ(Records("a\rb,c\n"), (std::vector<Fields>{{"a\rb", "c"}}));
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsLiteral) {
  EXPECT_EQ(Records("ab\"c,d\"\n"), (std::vector<Fields>{{"ab\"c", "d\""}}));
}

TEST(CsvReaderTest, Utf8IsKept) {
  EXPECT_EQ(Records("\"Société coopérative\",Ærø,Łódź\n"),
            (std::vector<Fields>{{"Société coopérative", "Ærø", "Łódź"}}));
}

TEST(CsvReaderTest, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(Records("\xEF\xBB\xBF\"insz\",name\n1,2\n"),
            (std::vector<Fields>{{"insz", "name"}, {"1", "2"}}));
}

TEST(CsvReaderTest, OnlyByteOrderMark) {
  EXPECT_TRUE(Records("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(Records("\xEF\xBB\xBF\r\n").empty());
}

TEST(CsvReaderTest, PartialByteOrderMarkIsData) {
  EXPECT_EQ(Records("\xEF\xBBx,y\n"),
            (std::vector<Fields>{{"\xEF\xBBx", "y"}}));
  EXPECT_EQ(Records("\xEF"), (std::vector<Fields>{{"\xEF"}}));
}

TEST(CsvReaderTest, ByteOrderMarkOnlyAtStart) {
  EXPECT_EQ(Records("a\n\xEF\xBB\xBF"
                    "b\n"),
            (std::vector<Fields>{{"a"},
                                 {"\xEF\xBB\xBF"
                                  "b"}}));
}

TEST(CsvReaderTest, EmptyLinesAreSkippedAndLinesCounted) {
  std::vector<Step> steps = ReadAll("\n\na\r\n\r\n\nb,\"x\ny\n\"\n\nc");
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0].fields, Fields{"a"});
  EXPECT_EQ(steps[0].line, 3u);
  EXPECT_EQ(steps[1].fields, (Fields{"b", "x\ny\n"}));
  EXPECT_EQ(steps[1].line, 6u);
  EXPECT_EQ(steps[2].fields, Fields{"c"});
  EXPECT_EQ(steps[2].line, 10u);
  EXPECT_EQ(steps[3].outcome, kEnd);
}

TEST(CsvReaderTest, FieldsAreClearedOnEachCall) {
  std::istringstream in("a,b\n\"unterminated\n");
  CsvReader reader(in);
  Fields fields;
  std::string error;
  ASSERT_EQ(reader.Next(&fields, &error), kRecord);
  EXPECT_EQ(reader.Next(&fields, &error), kError);
  EXPECT_TRUE(fields.empty());
  EXPECT_EQ(reader.Next(&fields, &error), kEnd);
  EXPECT_TRUE(fields.empty());
  EXPECT_TRUE(error.empty());
}

TEST(CsvReaderTest, UnterminatedQuoteAtEndIsAnError) {
  std::vector<Step> steps = ReadAll("a\n\"b,c\nd,e\n");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].outcome, kRecord);
  EXPECT_EQ(steps[1].outcome, kError);
  EXPECT_EQ(steps[1].line, 2u);
  EXPECT_NE(steps[1].error.find("unterminated"), std::string::npos)
      << steps[1].error;
  EXPECT_EQ(steps[2].outcome, kEnd);
}

TEST(CsvReaderTest, GarbageAfterClosingQuoteIsAnError) {
  std::vector<Step> steps = ReadAll("x\n\"ab\"c,d\ne,f\n");
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0].fields, Fields{"x"});
  EXPECT_EQ(steps[1].outcome, kError);
  EXPECT_EQ(steps[1].line, 2u);
  EXPECT_NE(steps[1].error.find("'c'"), std::string::npos) << steps[1].error;
  EXPECT_NE(steps[1].error.find("field 1"), std::string::npos)
      << steps[1].error;
  EXPECT_EQ(steps[2].outcome, kRecord);
  EXPECT_EQ(steps[2].fields, (Fields{"e", "f"}));
  EXPECT_EQ(steps[2].line, 3u);
  EXPECT_EQ(steps[3].outcome, kEnd);
}

TEST(CsvReaderTest, SpaceAfterClosingQuoteIsAnError) {
  std::vector<Step> steps = ReadAll("a,\"b\" ,c\r\nd\r\n");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].outcome, kError);
  EXPECT_NE(steps[0].error.find("field 2"), std::string::npos)
      << steps[0].error;
  EXPECT_EQ(steps[1].fields, Fields{"d"});
  EXPECT_EQ(steps[1].line, 2u);
}

TEST(CsvReaderTest, LoneCarriageReturnAfterClosingQuoteIsAnError) {
  std::vector<Step> steps = ReadAll("\"a\"\rb\nc\n");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].outcome, kError);
  EXPECT_NE(steps[0].error.find("\\x0D"), std::string::npos) << steps[0].error;
  EXPECT_EQ(steps[1].fields, Fields{"c"});
}

TEST(CsvReaderTest, GarbageAtEndOfInput) {
  std::vector<Step> steps = ReadAll("\"a\"b");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].outcome, kError);
  EXPECT_EQ(steps[1].outcome, kEnd);
}

TEST(CsvReaderTest, RecordOfMaximumSizeIsAccepted) {
  const std::string big(CsvReader::kMaxRecordBytes - 2, 'x');
  std::vector<Step> steps = ReadAll("a," + big + "\r\nb\n");
  ASSERT_EQ(steps.size(), 3u);
  ASSERT_EQ(steps[0].outcome, kRecord) << steps[0].error;
  EXPECT_EQ(steps[0].fields[1].size(), big.size());
  EXPECT_EQ(steps[1].fields, Fields{"b"});
}

TEST(CsvReaderTest, HugeRecordIsRefusedAndReaderResynchronises) {
  const std::string big(CsvReader::kMaxRecordBytes - 1, 'x');
  std::vector<Step> steps = ReadAll("a\n" + big + ",y\nb,c\n");
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0].fields, Fields{"a"});
  EXPECT_EQ(steps[1].outcome, kError);
  EXPECT_EQ(steps[1].line, 2u);
  EXPECT_NE(steps[1].error.find("longer than"), std::string::npos)
      << steps[1].error;
  EXPECT_TRUE(steps[1].fields.empty());
  EXPECT_EQ(steps[2].fields, (Fields{"b", "c"}));
  EXPECT_EQ(steps[2].line, 3u);
  EXPECT_EQ(steps[3].outcome, kEnd);
}

TEST(CsvReaderTest, HugeQuotedFieldResynchronisesAtNextLine) {
  // A stray quote swallows many lines; once the record is too long the
  // reader gives up and continues on the line after the one it reached.
  std::string text = "\"stray\n";
  const std::string line = std::string(99, 'x') + "\n";
  const size_t lines = CsvReader::kMaxRecordBytes / line.size() + 1;
  for (size_t i = 0; i < lines; ++i) text += line;
  text += "ok,1\n";
  std::vector<Step> steps = ReadAll(text);
  ASSERT_GE(steps.size(), 3u);
  EXPECT_EQ(steps[0].outcome, kError);
  EXPECT_EQ(steps[0].line, 1u);
  // The rest of the swallowed lines come back as records of their own.
  const Step& last_record = steps[steps.size() - 2];
  EXPECT_EQ(last_record.fields, (Fields{"ok", "1"}));
  EXPECT_EQ(last_record.line, lines + 2);
  EXPECT_EQ(steps.back().outcome, kEnd);
  for (size_t i = 1; i + 2 < steps.size(); ++i) {
    EXPECT_EQ(steps[i].outcome, kRecord);
    EXPECT_EQ(steps[i].fields, Fields{std::string(99, 'x')});
  }
}

TEST(CsvReaderTest, HugeInputInConstantPieces) {
  // Many small records: each is returned on its own.
  std::string text;
  for (int i = 0; i < 10000; ++i) text += std::to_string(i) + ",v\n";
  std::istringstream in(text);
  CsvReader reader(in);
  Fields fields;
  std::string error;
  int count = 0;
  while (reader.Next(&fields, &error) == kRecord) {
    ASSERT_EQ(fields, (Fields{std::to_string(count), "v"}));
    ASSERT_EQ(reader.line(), static_cast<size_t>(count) + 1);
    ++count;
  }
  EXPECT_EQ(count, 10000);
  EXPECT_EQ(reader.bytes_read(), text.size());
}

TEST(CsvReaderTest, BytesReadCountsEverything) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a,\"b\"\r\n\n";
  std::istringstream in(text);
  CsvReader reader(in);
  Fields fields;
  std::string error;
  EXPECT_EQ(reader.bytes_read(), 0u);
  ASSERT_EQ(reader.Next(&fields, &error), kRecord);
  EXPECT_EQ(reader.bytes_read(), 3u + 7u);
  ASSERT_EQ(reader.Next(&fields, &error), kEnd);
  EXPECT_EQ(reader.bytes_read(), text.size());
}

TEST(CsvReaderTest, LineIsKeptAtEnd) {
  std::istringstream in("a\n\"b\nc\"\n\n\n");
  CsvReader reader(in);
  Fields fields;
  std::string error;
  ASSERT_EQ(reader.Next(&fields, &error), kRecord);
  ASSERT_EQ(reader.Next(&fields, &error), kRecord);
  EXPECT_EQ(reader.line(), 2u);
  ASSERT_EQ(reader.Next(&fields, &error), kEnd);
  EXPECT_EQ(reader.line(), 2u);
}

TEST(CsvReaderTest, LineBeforeFirstRecordIsZero) {
  std::istringstream in("a\n");
  CsvReader reader(in);
  EXPECT_EQ(reader.line(), 0u);
}

// A file a Belgian spreadsheet saved as "CSV" separates its fields with
// ';': the reader says so of each record, quoted or not, and not of a
// comma file whose text holds a ';'.
TEST(CsvReaderTest, ASemicolonSeparatedRecordIsRecognised) {
  auto looks = [](const std::string& text) {
    std::istringstream in(text);
    CsvReader reader(in);
    Fields fields;
    std::string error;
    (void)reader.Next(&fields, &error);
    return reader.looks_semicolon_separated();
  };
  EXPECT_TRUE(looks("insz;name\n"));
  EXPECT_TRUE(looks("\"0403.019.261\";\"AC\"\n"));  // refused record
  EXPECT_FALSE(looks("insz,name\n"));
  EXPECT_FALSE(looks("85073003328,Peeters; Jan\n"));
  EXPECT_FALSE(looks("\"a;b\",c\n"));
  EXPECT_FALSE(looks("0403019261\n"));
}

}  // namespace
}  // namespace toegang
