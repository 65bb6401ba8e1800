// Tests that write a model or data file as a variant of a good one: the text with one fragment replaced.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace lccge::testing {

// `text` with the first `from` replaced by `to`; a test failure when `from` is not in it (the variant would silently
// be the good text).
inline std::string ReplaceOnce(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace lccge::testing
