#include "core/utf8.hpp"

#include <cstdio>
#include <utility>

namespace lccge::internal {

size_t FirstInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The length of the sequence and the range of its second byte (Unicode 15, table 3-7).
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // no overlong forms
      if (c == 0xED) high = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // no overlong forms
      if (c == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + length > n || s[i + 1] < low || s[i + 1] > high) return i;
    for (size_t k = 2; k < length; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    i += length;
  }
  return std::string_view::npos;
}

namespace {

// Line and column (1-based, in bytes) of offset `at`.
std::pair<int, int> LineAndColumn(std::string_view text, size_t at) {
  int line = 1, column = 1;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

bool StartsWithUtf16Or32Mark(std::string_view text) {
  for (std::string_view bom :
       {std::string_view("\xFE\xFF"), std::string_view("\xFF\xFE"), std::string_view("\x00\x00\xFE\xFF", 4)})
    if (text.substr(0, bom.size()) == bom) return true;
  return false;
}

}  // namespace

Status CheckUtf8(std::string_view text, const std::string& file) {
  if (StartsWithUtf16Or32Mark(text)) return Status::Ok();
  const size_t at = FirstInvalidUtf8(text);
  if (at == std::string_view::npos) return Status::Ok();
  const auto [line, column] = LineAndColumn(text, at);
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[at])));
  return Status::Invalid(std::string("not UTF-8 text: byte ") + byte + " at column " + std::to_string(column) +
                             " (YAML and JSON files are Unicode; save the file as UTF-8)",
                         {file, line, column});
}

size_t FirstNonPrintable(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return i;
      ++i;
      continue;
    }
    // Well-formed UTF-8 (checked before): C1 controls are C2 80..C2 9F (NEL is C2 85); U+FFFE and U+FFFF are
    // EF BF BE and EF BF BF.
    const size_t length = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c == 0xC2 && i + 1 < text.size() && s[i + 1] <= 0x9F && s[i + 1] != 0x85) return i;
    if (c == 0xEF && i + 2 < text.size() && s[i + 1] == 0xBF && s[i + 2] >= 0xBE) return i;
    i += length;
  }
  return std::string_view::npos;
}

Status CheckYamlText(std::string_view text, const std::string& file) {
  if (Status utf8 = CheckUtf8(text, file); !utf8.ok()) return utf8;
  if (StartsWithUtf16Or32Mark(text)) return Status::Ok();  // yaml-cpp decodes these itself
  const size_t at = FirstNonPrintable(text);
  if (at == std::string_view::npos) return Status::Ok();
  const auto [line, column] = LineAndColumn(text, at);
  unsigned code = static_cast<unsigned char>(text[at]);
  if (code == 0xC2) code = static_cast<unsigned char>(text[at + 1]);
  if (code == 0xEF) code = 0xFFFE + (static_cast<unsigned char>(text[at + 2]) - 0xBE);
  char name[16];
  std::snprintf(name, sizeof name, "U+%04X", code);
  return Status::Invalid(std::string("control character ") + name + " at column " + std::to_string(column) +
                             " is not allowed in YAML or JSON text (write it escaped in a double-quoted string, "
                             "e.g. \"\\t\")",
                         {file, line, column});
}

}  // namespace lccge::internal
