// nests.csv: sub-nests of a sector's intermediate bundle. Read, written back unchanged, and every malformed entry
// reported with file, line and cause.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"

namespace lccge::data {
namespace {

namespace fs = std::filesystem;

class NestsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("lccge_nests_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::copy(std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3", dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& text) { std::ofstream(dir_ + "/nests.csv") << text; }
  std::string dir_;
};

TEST_F(NestsFile, ReadsRegionalOverridesAndWritesThemBack) {
  Write(
      "region,sector,nest,parent,elasticity,goods\n"
      "*,ser,goods,int,2,agr man\n"
      "south,ser,food,int,0.5,agr\n");
  Dataset d;
  Diagnostics diag;
  ASSERT_TRUE(ReadDataset(dir_, &d, &diag).ok()) << diag.ToString();
  ASSERT_EQ(d.input_nests.size(), 2u);
  const int north = d.RegionIndex("north"), south = d.RegionIndex("south"), ser = d.SectorIndex("ser");
  ASSERT_EQ(d.InputNestsOf(north, ser).size(), 1u);
  EXPECT_EQ(d.InputNestsOf(north, ser)[0]->name, "goods");
  EXPECT_EQ(d.InputNestsOf(north, ser)[0]->goods.size(), 2u);
  ASSERT_EQ(d.InputNestsOf(south, ser).size(), 1u);  // the region's own entries replace the '*' ones
  EXPECT_EQ(d.InputNestsOf(south, ser)[0]->name, "food");
  EXPECT_DOUBLE_EQ(d.InputNestsOf(south, ser)[0]->elasticity, 0.5);
  EXPECT_TRUE(d.InputNestsOf(north, d.SectorIndex("agr")).empty());
  Diagnostics checks;
  CheckDataset(d, CheckOptions(), &checks);
  EXPECT_TRUE(checks.ok()) << checks.ToString();
  const std::string out = dir_ + "_out";
  ASSERT_TRUE(WriteDataset(d, out).ok());
  Dataset again;
  ASSERT_TRUE(ReadDataset(out, &again, &diag).ok()) << diag.ToString();
  ASSERT_EQ(again.input_nests.size(), 2u);
  EXPECT_EQ(again.input_nests[1].region, south);
  EXPECT_EQ(again.input_nests[0].goods, d.input_nests[0].goods);
  fs::remove_all(out);
}

TEST_F(NestsFile, EveryMalformedEntryNamesFileLineAndCause) {
  struct Case {
    const char* row;
    const char* cause;
  };
  const Case cases[] = {
      {"*,ser,mat,int,2,agr wood", "unknown good 'wood' in nest 'mat'"},
      {"*,ser,int,int,2,agr", "nest name 'int' is reserved"},
      {"*,ser,mat,materials,2,agr", "parent 'materials' of nest 'mat' is neither int nor a nest"},
      {"*,ser,mat,int,-1,agr", "elasticity of nest 'mat' is negative (-1)"},
      {"*,ser,mat,int,2,", "nest 'mat' has no goods and no sub-nests"},
      {"east,ser,mat,int,2,agr", "unknown region 'east'"},
      {"*,steel,mat,int,2,agr", "unknown sector 'steel'"},
      {"*,ser,mat,int,two,agr", "column 'elasticity': 'two' is not a number"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.row);
    Write(std::string("region,sector,nest,parent,elasticity,goods\n") + c.row + "\n");
    Dataset d;
    Diagnostics diag;
    EXPECT_FALSE(ReadDataset(dir_, &d, &diag).ok());
    EXPECT_NE(diag.ToString().find(dir_ + "/nests.csv:2: "), std::string::npos) << diag.ToString();
    EXPECT_NE(diag.ToString().find(c.cause), std::string::npos) << diag.ToString();
  }
  // Problems that need the whole group: a cycle, and a good in two nests.
  Write("region,sector,nest,parent,elasticity,goods\n*,ser,a,b,1,agr\n*,ser,b,a,1,man\n");
  Dataset d;
  Diagnostics diag;
  EXPECT_FALSE(ReadDataset(dir_, &d, &diag).ok());
  EXPECT_NE(diag.ToString().find("nests.csv:2: nest 'a' is its own ancestor"), std::string::npos) << diag.ToString();
  Write("region,sector,nest,parent,elasticity,goods\n*,ser,a,int,1,agr\n*,ser,b,int,1,agr man\n");
  diag = Diagnostics();
  EXPECT_FALSE(ReadDataset(dir_, &d, &diag).ok());
  EXPECT_NE(diag.ToString().find("nests.csv:3: good 'agr' is in nests 'a' and 'b'"), std::string::npos)
      << diag.ToString();
  Write("region,sector,nest,parent,elasticity,goods\n*,ser,a,int,1,agr\n*,ser,a,int,1,man\n");
  diag = Diagnostics();
  EXPECT_FALSE(ReadDataset(dir_, &d, &diag).ok());
  EXPECT_NE(diag.ToString().find("nests.csv:3: duplicate nest 'a'"), std::string::npos) << diag.ToString();
}

}  // namespace
}  // namespace lccge::data
