// Checking that text is UTF-8, for the readers of YAML and JSON files (both are Unicode text: YAML 1.2, RFC 8259).
// yaml-cpp reads invalid bytes as they are and writes them back as something else, so that a model would not survive
// being written and read again; the readers reject such files with the line of the first bad byte instead.
#pragma once

#include <string>
#include <string_view>

#include "lccge/core/status.hpp"

namespace lccge::internal {

// The offset of the first byte that does not belong to well-formed UTF-8 (overlong forms, surrogates and code points
// above U+10FFFF included), or std::string_view::npos when there is none.
size_t FirstInvalidUtf8(std::string_view text);

// Ok for UTF-8 text (and for text that starts with a UTF-16 or UTF-32 byte order mark, which yaml-cpp decodes);
// otherwise an error at the line and column of the first bad byte of `file`.
Status CheckUtf8(std::string_view text, const std::string& file);

// The offset of the first character that YAML does not allow unescaped in a stream (YAML 1.2, 5.1 "c-printable"):
// C0 controls other than tab, LF and CR, DEL, C1 controls other than NEL, U+FFFE and U+FFFF; npos when there is none.
// `text` must be UTF-8. yaml-cpp reads such characters but does not give them back the same when it writes.
size_t FirstNonPrintable(std::string_view text);

// CheckUtf8, then an error at the line and column of the first character FirstNonPrintable finds: for the readers of
// YAML files (and JSON files read as YAML), whose text must survive being written and read again.
Status CheckYamlText(std::string_view text, const std::string& file);

}  // namespace lccge::internal
