// Every input the fuzzers found a fault with (test/data/fuzz-regressions/<target>/<name>) runs through the harness
// that found it (fuzz/harness.hpp): the reader must return a status and an accepted input must survive writing
// and reading again. The bundled models and data folders go through the same harnesses, as the fuzzers' seeds do.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness.hpp"
#include "lccge/core/file.hpp"

namespace lccge {
namespace {

namespace fs = std::filesystem;

std::string ReadOrFail(const fs::path& path) {
  std::string text;
  const Status s = ReadFileToString(path.string(), &text);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return text;
}

TEST(FuzzRegressions, EverySavedInputPasses) {
  const fs::path root = fs::path(LCCGE_TEST_DATA_DIR) / "fuzz-regressions";
  int count = 0;
  for (const auto& folder : fs::directory_iterator(root)) {
    if (!folder.is_directory()) continue;
    const fuzz::Target* target = fuzz::FindTarget(folder.path().filename().string());
    ASSERT_NE(target, nullptr) << "no fuzz target named like the folder " << folder.path();
    for (const auto& file : fs::directory_iterator(folder.path())) {
      SCOPED_TRACE(file.path().string());
      EXPECT_EQ(target->run(ReadOrFail(file.path())), "");
      ++count;
    }
  }
  EXPECT_GT(count, 0) << "no regression inputs under " << root;
}

// The bundled models, written and read again, are the same models (the model harness's round trip).
TEST(FuzzRegressions, BundledModelsRoundTrip) {
  int count = 0;
  for (const fs::path& dir : {fs::path(LCCGE_TEST_DATA_DIR) / "models", fs::path(LCCGE_SOURCE_DIR) / "examples/models"})
    for (const auto& file : fs::directory_iterator(dir)) {
      SCOPED_TRACE(file.path().string());
      EXPECT_EQ(fuzz::FuzzModel(ReadOrFail(file.path())), "");
      ++count;
    }
  EXPECT_GE(count, 15);
}

// A data folder as one input: its files joined by the part separator in the harness's order.
std::string JoinedFolder(const fs::path& dir) {
  std::string input;
  bool first = true;
  for (const char* name :
       {"accounts.csv", "sam.csv", "trade.csv", "tariffs.csv", "elasticities.csv", "taxes.csv", "nests.csv"}) {
    if (!first) input += fuzz::kPartSeparator;
    first = false;
    if (fs::exists(dir / name)) input += ReadOrFail(dir / name);
  }
  return input;
}

TEST(FuzzRegressions, BundledDataFoldersRoundTrip) {
  for (const fs::path& dir :
       {fs::path(LCCGE_SOURCE_DIR) / "examples/sam2x3", fs::path(LCCGE_TEST_DATA_DIR) / "sam/tiny",
        fs::path(LCCGE_SOURCE_DIR) / "data/battery"}) {
    SCOPED_TRACE(dir.string());
    EXPECT_EQ(fuzz::FuzzDataFolder(JoinedFolder(dir)), "");
  }
}

TEST(FuzzRegressions, SplitParts) {
  const std::vector<std::string_view> parts = fuzz::SplitParts("a\n@@\nb\n@@\nc\n@@\nd", 3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[1], "b");
  EXPECT_EQ(parts[2], "c\n@@\nd");
  EXPECT_EQ(fuzz::SplitParts("", 6).size(), 1u);
}

}  // namespace
}  // namespace lccge
