// The hand-checkable 2-region, 3-sector example in examples/sam2x3 reads, checks clean and has the documented
// benchmark quantities.
#include <gtest/gtest.h>

#include <cmath>

#include "lccge/data/data.hpp"  // the layer's umbrella header compiles on its own

namespace lccge::data {
namespace {

const std::string kExample = std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3";

TEST(DataSam2x3, ReadsAndChecksClean) {
  Diagnostics diag;
  Status s = CheckDataDirectory(kExample, &diag);
  EXPECT_TRUE(s.ok()) << diag.ToString();
}

TEST(DataSam2x3, BenchmarkQuantities) {
  Dataset d;
  Diagnostics diag;
  ASSERT_TRUE(ReadDataset(kExample, &d, &diag).ok()) << diag.ToString();
  ASSERT_EQ(d.regions, (std::vector<std::string>{"north", "south"}));
  ASSERT_EQ(d.num_sectors(), 3);
  const int north = d.RegionIndex("north"), south = d.RegionIndex("south");
  const int agr = d.SectorIndex("agr"), man = d.SectorIndex("man"), ser = d.SectorIndex("ser");
  EXPECT_EQ(d.Output(north, man), 105);
  EXPECT_EQ(d.Exports(north, man), 18);
  EXPECT_EQ(d.DomesticSales(north, man), 87);
  EXPECT_EQ(d.Imports(north, man), 15);
  EXPECT_EQ(d.ArmingtonSupply(north, agr), 61);
  EXPECT_EQ(d.MarginSupply(north, ser), 3);
  EXPECT_EQ(d.DomesticSales(north, ser), 142);
  EXPECT_EQ(d.TariffRevenue(south, man), 1);
  EXPECT_EQ(d.IntermediateUse(south, agr, ser), 5);
  EXPECT_DOUBLE_EQ(d.ProductionTaxRate(north, man), 0.05);
  EXPECT_DOUBLE_EQ(d.ProductionTaxRate(south, ser), 0.1);
  EXPECT_EQ(d.trade[man](north, south), 18);
  EXPECT_EQ(d.margins[man](north, south), 2);
  EXPECT_DOUBLE_EQ(d.tariffs[agr](south, north), 0.1);
  EXPECT_EQ(d.ElasticityOf(Elasticity::kEsubMm, south, man), 4);
  EXPECT_TRUE(std::isinf(d.ElasticityOf(Elasticity::kEtrn, south, man)));
  // Armington supply = intermediate + final use, for every region and good.
  const int hh = d.FirstAccount(AccountClass::kHousehold), inv = d.FirstAccount(AccountClass::kInvestment);
  for (int r = 0; r < 2; ++r)
    for (int g = 0; g < 3; ++g) {
      double use = 0;
      for (int s = 0; s < 3; ++s) use += d.IntermediateUse(r, g, s);
      const int c = d.sectors[g].commodity;
      use += d.sam[r](c, hh) + d.sam[r](c, inv);
      EXPECT_DOUBLE_EQ(d.ArmingtonSupply(r, g), use) << r << " " << g;
    }
}

}  // namespace
}  // namespace lccge::data
