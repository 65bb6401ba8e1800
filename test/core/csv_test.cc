#include "lccge/core/csv.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "lccge/core/file.hpp"

namespace lccge {
namespace {

TEST(Csv, ParsesQuotedFieldsCommentsAndLineNumbers) {
  CsvTable t;
  const std::string text = "# comment\nregion,row,column,value\n\nCHN, \"a,b\" ,x,1.5\nUSA,\"say \"\"hi\"\"\",y,2\n";
  const Status s = ParseCsv(text, "t.csv", &t);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(t.header.size(), 4u);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].line, 4);
  EXPECT_EQ(t.rows[0].fields[0], "CHN");
  EXPECT_EQ(t.rows[0].fields[1], "a,b");
  EXPECT_EQ(t.rows[1].fields[1], "say \"hi\"");
  EXPECT_EQ(t.rows[1].line, 5);
  double v = 0;
  ASSERT_TRUE(ParseNumber(t, t.rows[0], 3, &v).ok());
  EXPECT_DOUBLE_EQ(v, 1.5);
}

TEST(Csv, WrongFieldCountNamesFileAndLine) {
  CsvTable t;
  const Status s = ParseCsv("a,b\n1,2\n3\n", "bad.csv", &t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.where().line, 3);
  EXPECT_NE(s.ToString().find("bad.csv:3"), std::string::npos);
}

TEST(Csv, NonNumbersAndNaNAreRejected) {
  CsvTable t;
  ASSERT_TRUE(ParseCsv("v\nabc\nnan\n1e999\n", "n.csv", &t).ok());
  double v = 0;
  EXPECT_FALSE(ParseNumber(t, t.rows[0], 0, &v).ok());
  EXPECT_FALSE(ParseNumber(t, t.rows[1], 0, &v).ok());
  EXPECT_FALSE(ParseNumber(t, t.rows[2], 0, &v).ok());
}

TEST(File, AtomicWriteReplacesWholeFile) {
  const auto path = (std::filesystem::temp_directory_path() / "lccge_atomic_test" / "f.txt").string();
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "second").ok());
  std::string back;
  ASSERT_TRUE(ReadFileToString(path, &back).ok());
  EXPECT_EQ(back, "second");
  EXPECT_FALSE(ReadFileToString(path + ".missing", &back).ok());
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

}  // namespace
}  // namespace lccge

namespace lccge {
namespace {
TEST(Csv, CommentLinesMayHoldQuotes) {
  CsvTable t;
  const Status s = ParseCsv("# a \"quoted\" comment, with commas\na,b\n  # indented \"comment\"\n1,2\n", "c.csv", &t);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].line, 4);
}
}  // namespace
}  // namespace lccge
