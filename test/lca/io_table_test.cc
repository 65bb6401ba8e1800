#include "lccge/lca/io_table.hpp"

#include <gtest/gtest.h>

#include <random>

namespace lccge::lca {
namespace {

// A 3-sector (mining m, refining r, cell c), 2-region (CN, US) table solved by hand.
//
// Flows Z (value), final demand and gross output x (rows balance: x_i = sum_j Z_ij + sum_k y_ik):
//   CN.m -> CN.r 60, CN.m -> US.r 20, final CN 20                   x = 100
//   CN.r -> CN.c 120, CN.r -> US.c 60, final CN 20                  x = 200
//   CN.c: final CN 300, final US 100                                 x = 400
//   US.m -> US.r 30, final US 20                                     x = 50
//   US.r -> US.c 60, final US 40                                     x = 100
//   US.c: final US 300                                               x = 300
// A = Z diag(x)^-1 is strictly upper triangular in the order m, r, c (upstream before downstream):
//   A(CN.m,CN.r) = 0.3, A(CN.m,US.r) = 0.2, A(CN.r,CN.c) = 0.3, A(CN.r,US.c) = 0.2, A(US.m,US.r) = 0.3,
//   A(US.r,US.c) = 0.2.
// Direct emissions e = (50, 100, 80, 10, 20, 30) kg, so f = e/x = (0.5, 0.5, 0.2, 0.2, 0.2, 0.1).
// eps = f + eps A, solved downstream in order (the inverse of a triangular I - A by substitution):
//   eps(CN.m) = 0.5, eps(US.m) = 0.2
//   eps(CN.r) = 0.5 + 0.5*0.3 = 0.65
//   eps(US.r) = 0.2 + 0.5*0.2 + 0.2*0.3 = 0.36           (imports of CN ore carry CN's intensity)
//   eps(CN.c) = 0.2 + 0.65*0.3 = 0.395
//   eps(US.c) = 0.1 + 0.65*0.2 + 0.36*0.2 = 0.302
// Embodied in final demand: CN = 0.5*20 + 0.65*20 + 0.395*300 = 141.5;
//                           US = 0.395*100 + 0.2*20 + 0.36*40 + 0.302*300 = 148.5; sum 290 = sum e.
// Where US final demand's emissions occur: output needed x_US = L y_US = (47, 90, 100, 50, 100, 300)
//   (US.c 300; US.r 40 + 0.2*300; US.m 20 + 0.3*100; CN.c 100; CN.r 0.3*100 + 0.2*300; CN.m 0.3*90 + 0.2*100),
//   times f: CN 23.5 + 45 + 20 = 88.5, US 10 + 20 + 30 = 60.
// Value added x_j - sum_i Z_ij = (100, 140, 280, 50, 50, 180); by stage mining 150, refining 190, cell 460 of 800;
// emissions by stage mining 60, refining 120, cell 110 of 290.
class lcaHandSolved : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* regions[] = {"CN", "US"};
    const char* sectors[] = {"mining", "refining", "cell"};
    for (const char* r : regions)
      for (const char* s : sectors) ASSERT_TRUE(t.AddIndustry(r, s).ok());
    auto id = [&](const char* r, const char* s) { return t.IndustryIndex(r, s); };
    ASSERT_TRUE(t.AddFlow(id("CN", "mining"), id("CN", "refining"), 60).ok());
    ASSERT_TRUE(t.AddFlow(id("CN", "mining"), id("US", "refining"), 20).ok());
    ASSERT_TRUE(t.AddFlow(id("CN", "refining"), id("CN", "cell"), 120).ok());
    ASSERT_TRUE(t.AddFlow(id("CN", "refining"), id("US", "cell"), 60).ok());
    ASSERT_TRUE(t.AddFlow(id("US", "mining"), id("US", "refining"), 30).ok());
    ASSERT_TRUE(t.AddFlow(id("US", "refining"), id("US", "cell"), 60).ok());
    ASSERT_TRUE(t.AddFinalDemand(id("CN", "mining"), "CN", "household", 20).ok());
    ASSERT_TRUE(t.AddFinalDemand(id("CN", "refining"), "CN", "household", 20).ok());
    ASSERT_TRUE(t.AddFinalDemand(id("CN", "cell"), "CN", "household", 300).ok());
    ASSERT_TRUE(t.AddFinalDemand(id("CN", "cell"), "US", "household", 100).ok());
    ASSERT_TRUE(t.AddFinalDemand(id("US", "mining"), "US", "household", 20).ok());
    ASSERT_TRUE(t.AddFinalDemand(id("US", "refining"), "US", "household", 40).ok());
    ASSERT_TRUE(t.AddFinalDemand(id("US", "cell"), "US", "household", 300).ok());
    const double e[] = {50, 100, 80, 10, 20, 30};
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(t.SetDirectEmissions(i, e[i]).ok());
    const double x[] = {100, 200, 400, 50, 100, 300};
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(t.SetGrossOutput(i, x[i]).ok());
    ASSERT_TRUE(t.SetPhysicalPerValue(id("CN", "cell"), 0.01, "kg").ok());
  }
  IoTable t;
};

TEST_F(lcaHandSolved, EmbodiedIntensities) {
  IoAccounts a;
  const Status s = ComputeIoAccounts(t, &a);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const double eps[] = {0.5, 0.65, 0.395, 0.2, 0.36, 0.302};
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(a.embodied_intensity(i), eps[i], 1e-12) << t.industries()[i].Label();
  const double va[] = {100, 140, 280, 50, 50, 180};
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(a.value_added(i), va[i], 1e-12);
  // Per physical unit: 0.395 kg CO2e/USD / 0.01 kg/USD = 39.5 kg CO2e/kg.
  EXPECT_NEAR(a.physical_intensity(t.IndustryIndex("CN", "cell")), 39.5, 1e-10);
  EXPECT_TRUE(std::isnan(a.physical_intensity(t.IndustryIndex("US", "cell"))));
}

TEST_F(lcaHandSolved, FinalDemandAndOrigin) {
  IoAccounts a;
  ASSERT_TRUE(ComputeIoAccounts(t, &a).ok());
  const int cn = t.FinalDemandColumnIndex("CN", "household"), us = t.FinalDemandColumnIndex("US", "household");
  ASSERT_GE(cn, 0);
  ASSERT_GE(us, 0);
  EXPECT_NEAR(a.final_demand_embodied(cn), 141.5, 1e-10);
  EXPECT_NEAR(a.final_demand_embodied(us), 148.5, 1e-10);
  // Imports attributed to their origin.
  EXPECT_NEAR(a.EmbodiedFromRegion(t, us, "CN"), 88.5, 1e-10);
  EXPECT_NEAR(a.EmbodiedFromRegion(t, us, "US"), 60.0, 1e-10);
  // Conservation.
  EXPECT_NEAR(a.total_final_demand_embodied, 290.0, 1e-10);
  EXPECT_NEAR(a.total_direct, 290.0, 0);
}

TEST_F(lcaHandSolved, StageDecomposition) {
  IoAccounts a;
  ASSERT_TRUE(ComputeIoAccounts(t, &a).ok());
  StageDecomposition d;
  ASSERT_TRUE(DecomposeByStage(t, a, {{"mining", "mining"}, {"refining", "refining"}, {"cell", "cell"}}, &d).ok());
  ASSERT_EQ(d.stages.size(), 3u);
  EXPECT_EQ(d.stages[0].stage, "mining");
  EXPECT_NEAR(d.stages[0].value_share, 150.0 / 800, 1e-12);
  EXPECT_NEAR(d.stages[0].emission_share, 60.0 / 290, 1e-12);
  EXPECT_NEAR(d.stages[1].value_share, 190.0 / 800, 1e-12);
  EXPECT_NEAR(d.stages[1].emission_share, 120.0 / 290, 1e-12);
  EXPECT_NEAR(d.stages[2].value_share, 460.0 / 800, 1e-12);
  EXPECT_NEAR(d.stages[2].emission_share, 110.0 / 290, 1e-12);
  EXPECT_NEAR(d.stages[2].ratio, (110.0 / 290) / (460.0 / 800), 1e-12);
  // Unlabelled sectors are excluded and listed.
  ASSERT_TRUE(DecomposeByStage(t, a, {{"mining", "mining"}}, &d).ok());
  EXPECT_EQ(d.excluded.size(), 4u);
  EXPECT_NEAR(d.stages[0].value_share, 1.0, 1e-12);
}

TEST_F(lcaHandSolved, UnbalancedGrossOutputIsAnError) {
  ASSERT_TRUE(t.SetGrossOutput(0, 101).ok());
  IoAccounts a;
  const Status s = ComputeIoAccounts(t, &a);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.cause().find("CN.mining"), std::string::npos) << s.ToString();
}

TEST(lcaIoTable, RejectsBadInput) {
  IoTable t;
  ASSERT_TRUE(t.AddIndustry("CN", "a").ok());
  EXPECT_FALSE(t.AddIndustry("CN", "a").ok());
  EXPECT_FALSE(t.AddFlow(0, 1, 1).ok());
  EXPECT_FALSE(t.AddFlow(0, 0, -1).ok());
  EXPECT_FALSE(t.SetDirectEmissions(0, -1).ok());
  IoAccountsOptions o;
  o.balance_tolerance = -1;
  std::string why;
  EXPECT_FALSE(o.IsValid(&why));
  IoAccounts a;
  EXPECT_FALSE(ComputeIoAccounts(IoTable{}, &a).ok());
}

// A random balanced multi-regional table: value added positive, rows balance by construction.
IoTable RandomTable(int regions, int sectors, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  IoTable t;
  // Names built with append: GCC 12 warns falsely (-Wrestrict) on "R" + std::to_string(r).
  auto name = [](char prefix, int i) {
    std::string out(1, prefix);
    out.append(std::to_string(i));
    return out;
  };
  for (int r = 0; r < regions; ++r)
    for (int s = 0; s < sectors; ++s) t.AddIndustry(name('R', r), name('S', s));
  const int n = regions * sectors;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j)
      if (u(rng) < 0.3) t.AddFlow(i, j, 10 * u(rng));
    for (int r = 0; r < regions; ++r) t.AddFinalDemand(i, name('R', r), "household", 50 + 50 * u(rng));
    t.SetDirectEmissions(i, 100 * u(rng));
  }
  return t;
}

TEST(lcaIoTable, ConservationOnRandomTables) {
  for (unsigned seed : {1u, 2u, 3u}) {
    const IoTable t = RandomTable(3, 12, seed);
    IoAccounts a;
    const Status s = ComputeIoAccounts(t, &a);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_NEAR(a.total_final_demand_embodied / a.total_direct, 1.0, 1e-9);
    // By origin: each column's origins add up to its total.
    for (Eigen::Index k = 0; k < a.final_demand_embodied.size(); ++k)
      EXPECT_NEAR(a.embodied_by_origin.col(k).sum(), a.final_demand_embodied(k), 1e-9 * a.total_direct);
    // eps >= f componentwise (non-negative A).
    EXPECT_TRUE(((a.embodied_intensity - a.direct_intensity).array() >= -1e-15).all());
  }
}

TEST(lcaIoTable, FromSupplyUse) {
  // Two industries in one region; commodity "ore" produced only by mining, "metal" by refining (90) and, as a
  // by-product, by mining (10). Fixed product-sales structure: metal use splits 0.9 / 0.1.
  SupplyUseTables su;
  su.industries = {{"CN", "mining"}, {"CN", "refining"}};
  su.commodities = {"ore", "metal"};
  su.supply = {{0, 0, 50}, {0, 1, 10}, {1, 1, 90}};
  su.use = {{0, 1, 40}, {1, 0, 20}};  // refining uses 40 of ore; mining uses 20 of metal
  su.final_use = {{0, "CN", "household", 10}, {1, "CN", "household", 80}};
  su.direct_emissions = {30, 60};
  IoTable t;
  const Status s = BuildFromSupplyUse(su, &t);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const Eigen::MatrixXd z = Eigen::MatrixXd(t.IntermediateMatrix());
  EXPECT_NEAR(z(0, 1), 40, 1e-12);        // ore -> refining, all from mining
  EXPECT_NEAR(z(1, 0), 20 * 0.9, 1e-12);  // metal -> mining, 90 % from refining
  EXPECT_NEAR(z(0, 0), 20 * 0.1, 1e-12);  // 10 % from mining's by-product
  IoAccounts a;
  ASSERT_TRUE(ComputeIoAccounts(t, &a).ok());
  EXPECT_NEAR(a.gross_output(0), 60, 1e-12);
  EXPECT_NEAR(a.gross_output(1), 90, 1e-12);
  EXPECT_NEAR(a.total_final_demand_embodied / a.total_direct, 1.0, 1e-9);
  // A used commodity nobody supplies is an error.
  su.supply = {{0, 0, 50}};
  EXPECT_FALSE(BuildFromSupplyUse(su, &t).ok());
}

}  // namespace
}  // namespace lccge::lca
