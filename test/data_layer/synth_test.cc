// Synthetic datasets: balanced to rounding, pass every check, deterministic for a seed, round-trip through files.
#include "lccge/data/synth.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.hpp"
#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"

namespace lccge::data {
namespace {

namespace fs = std::filesystem;

double MaxImbalance(const Dataset& d) {
  double worst = 0;
  for (int r = 0; r < d.num_regions(); ++r)
    for (int i = 0; i < d.num_accounts(); ++i) {
      const double a = d.RowTotal(r, i), b = d.ColumnTotal(r, i);
      const double scale = std::max(std::abs(a), std::abs(b));
      if (scale > 0) worst = std::max(worst, std::abs(a - b) / scale);
    }
  return worst;
}

struct Size {
  int regions, sectors;
  bool government, margins, cet;
};

class DataSynthSizes : public ::testing::TestWithParam<Size> {};

TEST_P(DataSynthSizes, BalancedAndClean) {
  const Size z = GetParam();
  SynthOptions o;
  o.regions = z.regions;
  o.sectors = z.sectors;
  o.government = z.government;
  o.margins = z.margins;
  o.cet = z.cet;
  o.seed = 42;
  Dataset d;
  ASSERT_TRUE(Synthesize(o, &d).ok());
  EXPECT_EQ(d.num_regions(), z.regions);
  EXPECT_EQ(d.num_sectors(), z.sectors);
  EXPECT_LT(MaxImbalance(d), 1e-12);
  Diagnostics diag;
  CheckOptions strict;
  strict.relative_tolerance = 1e-12;
  strict.absolute_tolerance = 0;
  CheckDataset(d, strict, &diag);
  EXPECT_TRUE(diag.ok()) << diag.ToString();
  for (int r = 0; r < d.num_regions(); ++r)
    for (int s = 0; s < d.num_sectors(); ++s) {
      EXPECT_GT(d.Output(r, s), 0);
      EXPECT_GT(d.DomesticSales(r, s), 0);
    }
  EXPECT_EQ(d.FirstAccount(AccountClass::kGovernment) >= 0, z.government);
}

INSTANTIATE_TEST_SUITE_P(Data, DataSynthSizes,
                         ::testing::Values(Size{1, 1, true, true, false}, Size{1, 3, true, true, false},
                                           Size{2, 1, true, true, false}, Size{2, 2, true, true, false},
                                           Size{3, 4, false, false, false}, Size{10, 10, true, true, true},
                                           Size{30, 30, true, true, false}));

TEST(DataSynth, RealisticShape) {
  SynthOptions o;
  o.regions = 30;
  o.sectors = 30;
  Dataset d;
  ASSERT_TRUE(Synthesize(o, &d).ok());
  // Skewed sizes: the largest sector of a region is many times its smallest; regions differ widely.
  Eigen::VectorXd out(d.num_sectors());
  for (int s = 0; s < d.num_sectors(); ++s) out(s) = d.Output(0, s);
  EXPECT_GT(out.maxCoeff() / out.minCoeff(), 10);
  // Sparse trade: some links of traded goods carry nothing; tariffs and margins exist.
  long zero = 0, links = 0;
  for (const auto& t : d.trade) {
    links += t.size() - t.rows();
    zero += (t.array() == 0).count() - t.rows();
  }
  EXPECT_GT(zero, links / 10);
  EXPECT_GT(d.tariffs[0].maxCoeff(), 0);
  EXPECT_GT(d.margins[0].maxCoeff(), 0);
  EXPECT_FALSE(d.tax_rates.empty());
  EXPECT_EQ(d.sectors.back().name, "trn");
}

TEST(DataSynth, DeterministicForASeed) {
  SynthOptions o;
  o.regions = 4;
  o.sectors = 5;
  o.seed = 7;
  Dataset a, b, c;
  ASSERT_TRUE(Synthesize(o, &a).ok());
  ASSERT_TRUE(Synthesize(o, &b).ok());
  o.seed = 8;
  ASSERT_TRUE(Synthesize(o, &c).ok());
  for (int r = 0; r < 4; ++r) EXPECT_TRUE(a.sam[r] == b.sam[r]);
  EXPECT_FALSE(a.sam[0] == c.sam[0]);
}

TEST(DataSynth, RoundTripsThroughFilesExactly) {
  SynthOptions o;
  o.regions = 5;
  o.sectors = 6;
  o.cet = true;
  Dataset a, b;
  ASSERT_TRUE(Synthesize(o, &a).ok());
  const std::string dir = (fs::temp_directory_path() / ("lccge_synth_rt_" + std::to_string(::getpid()))).string();
  ASSERT_TRUE(WriteDataset(a, dir).ok());
  Diagnostics diag;
  ASSERT_TRUE(ReadDataset(dir, &b, &diag).ok()) << diag.ToString();
  EXPECT_TRUE(CheckDataDirectory(dir, &diag).ok()) << diag.ToString();
  ASSERT_EQ(a.regions, b.regions);
  ASSERT_EQ(a.num_accounts(), b.num_accounts());
  for (int r = 0; r < 5; ++r) EXPECT_TRUE(a.sam[r] == b.sam[r]) << r;
  for (int s = 0; s < 6; ++s) {
    EXPECT_TRUE(a.trade[s] == b.trade[s]);
    EXPECT_TRUE(a.margins[s] == b.margins[s]);
    EXPECT_TRUE(a.tariffs[s] == b.tariffs[s]);
  }
  for (int e = 0; e < kElasticityCount; ++e) EXPECT_TRUE(a.elasticities[e] == b.elasticities[e]) << e;
  EXPECT_EQ(a.tax_rates.size(), b.tax_rates.size());
  fs::remove_all(dir);
}

TEST(DataSynth, InvalidOptions) {
  SynthOptions o;
  o.regions = 0;
  std::string why;
  EXPECT_FALSE(o.IsValid(&why));
  EXPECT_EQ(why, "regions must be between 1 and 10000");
  Dataset d;
  EXPECT_EQ(Synthesize(o, &d).code(), StatusCode::kInvalidInput);
}

#ifdef LCCGE_CLI
TEST(DataSynthCli, WritesDeterministicCleanData) {
  const std::string dir = (fs::temp_directory_path() / ("lccge_synth_cli_" + std::to_string(::getpid()))).string();
  auto r1 = lccge::testing::RunCli("synth --regions 3 --sectors 4 --seed 5 --out " + dir + "/a");
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  EXPECT_NE(r1.out.find("3 regions, 4 sectors"), std::string::npos) << r1.out;
  auto r2 = lccge::testing::RunCli("synth --regions 3 --sectors 4 --seed 5 --out " + dir + "/b");
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  for (const char* f : {"accounts.csv", "sam.csv", "trade.csv", "tariffs.csv", "elasticities.csv", "taxes.csv"}) {
    EXPECT_EQ(lccge::testing::ReadWhole(dir + "/a/" + f), lccge::testing::ReadWhole(dir + "/b/" + f)) << f;
  }
  Diagnostics diag;
  EXPECT_TRUE(CheckDataDirectory(dir + "/a", &diag).ok()) << diag.ToString();
  fs::remove_all(dir);
}

TEST(DataSynthCli, InvalidUsageExitsTwo) {
  auto r = lccge::testing::RunCli("synth --regions 0 --sectors 4 --out /tmp/lccge_never_written");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("regions must be between 1 and 10000"), std::string::npos) << r.err;
  r = lccge::testing::RunCli("synth --regions 2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
  r = lccge::testing::RunCli("synth --regions two --out /tmp/lccge_never_written");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists("/tmp/lccge_never_written"));
}
#endif

}  // namespace
}  // namespace lccge::data
