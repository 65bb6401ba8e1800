// The UTF-8 check of the YAML and JSON readers: well-formed sequences pass, every kind of ill-formed one is found at
// its first byte (Unicode 15, table 3-7), and the error names the line and column.
#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lccge {
namespace {

using internal::FirstInvalidUtf8;

constexpr size_t kNone = std::string_view::npos;

TEST(Utf8, WellFormedTextPasses) {
  EXPECT_EQ(FirstInvalidUtf8(""), kNone);
  EXPECT_EQ(FirstInvalidUtf8("plain ASCII, tabs\tand\nlines"), kNone);
  EXPECT_EQ(FirstInvalidUtf8("\xC3\xA9t\xC3\xA9"), kNone);          // été
  EXPECT_EQ(FirstInvalidUtf8("\xE2\x82\xAC 5"), kNone);             // € (3 bytes)
  EXPECT_EQ(FirstInvalidUtf8("\xF0\x9D\x84\x9E"), kNone);           // U+1D11E (4 bytes)
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x8F\xBF\xBF"), kNone);           // U+10FFFF, the last code point
  EXPECT_EQ(FirstInvalidUtf8("\xED\x9F\xBF"), kNone);               // U+D7FF, just below the surrogates
  EXPECT_EQ(FirstInvalidUtf8(std::string_view("a\0b", 3)), kNone);  // NUL is a character
}

TEST(Utf8, IllFormedSequencesAreFoundAtTheirFirstByte) {
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF"), 2u);            // never in UTF-8
  EXPECT_EQ(FirstInvalidUtf8("\x80"), 0u);              // a continuation byte alone
  EXPECT_EQ(FirstInvalidUtf8("x\xC0\x80"), 1u);         // overlong NUL
  EXPECT_EQ(FirstInvalidUtf8("\xC1\xBF"), 0u);          // overlong
  EXPECT_EQ(FirstInvalidUtf8("\xE0\x80\x80"), 0u);      // overlong 3-byte form
  EXPECT_EQ(FirstInvalidUtf8("\xED\xA0\x80"), 0u);      // a surrogate (U+D800)
  EXPECT_EQ(FirstInvalidUtf8("\xF0\x80\x80\x80"), 0u);  // overlong 4-byte form
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("\xF5\x80\x80\x80"), 0u);  // never in UTF-8
  EXPECT_EQ(FirstInvalidUtf8("ok\xE2\x82"), 2u);        // cut short at the end
  EXPECT_EQ(FirstInvalidUtf8("\xE2\x28\xA1"), 0u);      // a bad second byte
  EXPECT_EQ(FirstInvalidUtf8("\xF0\x9D\x84\x28"), 0u);  // a bad last byte
}

TEST(Utf8, ErrorNamesLineAndColumn) {
  const Status s = internal::CheckUtf8("name: x\ntitle: caf\xE9\n", "m.yaml");  // Latin-1 é
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.where().file, "m.yaml");
  EXPECT_EQ(s.where().line, 2);
  EXPECT_EQ(s.where().column, 11);
  EXPECT_NE(s.cause().find("byte 0xE9 at column 11"), std::string::npos) << s.cause();
  // UTF-16 with a byte order mark is left to yaml-cpp, which decodes it.
  EXPECT_TRUE(internal::CheckUtf8(std::string_view("\xFF\xFEn\0", 4), "m.yaml").ok());
}

// YAML 1.2's printable set (5.1): found by the scenario fuzz target, a NUL in a source text was read, written back
// by yaml-cpp as something else and read again differently.
TEST(Utf8, YamlTextHasNoRawControlCharacters) {
  using internal::FirstNonPrintable;
  EXPECT_EQ(FirstNonPrintable("tab\tLF\nCR\r ~ caf\xC3\xA9 \xC2\x85 \xC2\xA0 \xEF\xBF\xBD"),
            kNone);  // NEL, NBSP, U+FFFD pass
  EXPECT_EQ(FirstNonPrintable(std::string_view("a\0b", 3)), 1u);
  EXPECT_EQ(FirstNonPrintable("ab\x1B[0m"), 2u);         // ESC
  EXPECT_EQ(FirstNonPrintable("x\x7F"), 1u);             // DEL
  EXPECT_EQ(FirstNonPrintable("\xC3\xA9\xC2\x80"), 2u);  // U+0080, a C1 control
  EXPECT_EQ(FirstNonPrintable("\xC2\x9F"), 0u);          // U+009F
  EXPECT_EQ(FirstNonPrintable("\xEF\xBF\xBE"), 0u);      // U+FFFE
  EXPECT_EQ(FirstNonPrintable("\xEF\xBF\xBF"), 0u);      // U+FFFF
  const Status s = internal::CheckYamlText(std::string_view("name: a\nsource: \"x\0y\"\n", 22), "s.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.where().line, 2);
  EXPECT_EQ(s.where().column, 11);
  EXPECT_NE(s.cause().find("control character U+0000"), std::string::npos) << s.cause();
  const Status c1 = internal::CheckYamlText("t: \xC2\x9B", "s.yaml");
  EXPECT_NE(c1.cause().find("U+009B"), std::string::npos) << c1.cause();
  EXPECT_NE(internal::CheckYamlText("t: \xEF\xBF\xBF", "s.yaml").cause().find("U+FFFF"), std::string::npos);
  // Not UTF-8 is still said first.
  EXPECT_NE(internal::CheckYamlText("t: \xFF", "s.yaml").cause().find("not UTF-8"), std::string::npos);
}

}  // namespace
}  // namespace lccge
