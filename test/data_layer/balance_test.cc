// RAS (GRAS) balancing: a perturbed balanced SAM is balanced again, zero and fixed cells stay, the report lists
// how far each cell moved, and infeasible or unconverged cases are reported rather than hidden.
#include "lccge/data/balance.hpp"

#include <gtest/gtest.h>

#include "data/random.hpp"
#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"
#include "lccge/data/synth.hpp"

namespace lccge::data {
namespace {

const std::string kExample = std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3";

// Multiplies every non-trade, non-zero cell by 1 + U(-amount, amount).
void Perturb(Dataset* d, double amount, std::uint64_t seed) {
  internal::Rng rng(seed);
  for (auto& m : d->sam)
    for (int j = 0; j < m.cols(); ++j)
      for (int i = 0; i < m.rows(); ++i) {
        const CellRole role = RoleOf(d->accounts[i].account_class, d->accounts[j].account_class);
        if (m(i, j) == 0 || role == CellRole::kExports || role == CellRole::kImports || role == CellRole::kTariff ||
            role == CellRole::kMarginSupply)
          continue;
        m(i, j) *= 1 + rng.Uniform(-amount, amount);
      }
}

TEST(DataBalance, RebalancesAPerturbedSam) {
  Dataset d;
  Diagnostics diag;
  ASSERT_TRUE(ReadDataset(kExample, &d, &diag).ok());
  const Dataset original = d;
  Perturb(&d, 0.05, 3);
  CheckDataset(d, CheckOptions(), &diag);
  ASSERT_FALSE(diag.ok());  // the perturbation unbalanced it
  BalanceSummary summary;
  ASSERT_TRUE(Balance(BalanceOptions(), &d, &summary).ok());
  EXPECT_TRUE(summary.converged) << summary.BriefReport();
  EXPECT_GT(summary.iterations, 0);
  EXPECT_GT(summary.initial_max_imbalance, 1e-3);
  EXPECT_LE(summary.final_max_imbalance, 1e-10);
  Diagnostics after;
  CheckOptions strict;
  strict.relative_tolerance = 1e-9;
  CheckDataset(d, strict, &after);
  EXPECT_TRUE(after.ok()) << after.ToString();
  // Zero cells stay zero; trade cells (fixed by default) keep their values.
  const int world = d.FirstAccount(AccountClass::kWorld);
  for (int r = 0; r < 2; ++r) {
    EXPECT_TRUE(((original.sam[r].array() == 0) == (d.sam[r].array() == 0)).all());
    EXPECT_TRUE(original.sam[r].row(world) == d.sam[r].row(world));
  }
  // The report: cells with old and new values, largest relative change first; the change is of the perturbation's
  // order, not wild.
  ASSERT_FALSE(summary.changes.empty());
  EXPECT_EQ(std::abs(summary.changes.front().relative_change), summary.max_relative_change);
  for (size_t k = 1; k < summary.changes.size(); ++k)
    EXPECT_GE(std::abs(summary.changes[k - 1].relative_change), std::abs(summary.changes[k].relative_change));
  EXPECT_LT(summary.max_relative_change, 0.2);
  const auto& c = summary.changes.front();
  EXPECT_NEAR(c.relative_change, (c.new_value - c.old_value) / std::abs(c.old_value), 1e-15);
  EXPECT_NE(summary.FullReport().find("region,row,column,old,new,relative_change"), std::string::npos);
}

TEST(DataBalance, LargeSyntheticSamWithNegativeCells) {
  SynthOptions o;
  o.regions = 6;
  o.sectors = 12;
  Dataset d;
  ASSERT_TRUE(Synthesize(o, &d).ok());
  Perturb(&d, 0.02, 11);
  BalanceSummary summary;
  ASSERT_TRUE(Balance(BalanceOptions(), &d, &summary).ok());
  EXPECT_TRUE(summary.converged) << summary.BriefReport();
  Diagnostics diag;
  CheckDataset(d, CheckOptions(), &diag);
  EXPECT_TRUE(diag.ok()) << diag.ToString();
}

TEST(DataBalance, FixedCellsKeepTheirValues) {
  Dataset d;
  Diagnostics diag;
  ASSERT_TRUE(ReadDataset(kExample, &d, &diag).ok());
  Perturb(&d, 0.05, 5);
  const Dataset before = d;
  BalanceOptions options;
  options.fixed_cells = {{"*", "lab", "a_man"}, {"north", "c_ser", "hh"}};
  BalanceSummary summary;
  ASSERT_TRUE(Balance(options, &d, &summary).ok());
  EXPECT_TRUE(summary.converged) << summary.BriefReport();
  const int lab = d.AccountIndex("lab"), a_man = d.AccountIndex("a_man");
  const int c_ser = d.AccountIndex("c_ser"), hh = d.AccountIndex("hh");
  EXPECT_EQ(d.sam[0](lab, a_man), before.sam[0](lab, a_man));
  EXPECT_EQ(d.sam[1](lab, a_man), before.sam[1](lab, a_man));
  EXPECT_EQ(d.sam[0](c_ser, hh), before.sam[0](c_ser, hh));
  EXPECT_NE(d.sam[1](c_ser, hh), before.sam[1](c_ser, hh));
}

TEST(DataBalance, InfeasibleAndIterationLimitAreReported) {
  Dataset d;
  Diagnostics diag;
  ASSERT_TRUE(ReadDataset(kExample, &d, &diag).ok());
  // The margins account: its row (paid by the world) is free, its column (margin supply) is a trade cell. Fix the
  // payment too and make the two differ: nothing can move.
  const int trans = d.AccountIndex("trans"), world = d.AccountIndex("world");
  d.sam[0](trans, world) = 4;
  BalanceOptions options;
  options.fixed_cells = {{"north", "trans", "world"}};
  BalanceSummary summary;
  ASSERT_TRUE(Balance(options, &d, &summary).ok());
  EXPECT_FALSE(summary.converged);
  EXPECT_NE(summary.message.find("region 'north', account 'trans': every cell of its row and column is fixed or zero"),
            std::string::npos)
      << summary.message;

  ASSERT_TRUE(ReadDataset(kExample, &d, &diag).ok());
  Perturb(&d, 0.05, 9);
  options = BalanceOptions();
  options.max_iterations = 1;
  ASSERT_TRUE(Balance(options, &d, &summary).ok());
  EXPECT_FALSE(summary.converged);
  EXPECT_NE(summary.message.find("not balanced after 1 iterations"), std::string::npos) << summary.message;
}

TEST(DataBalance, InvalidOptionsAndUnknownCells) {
  Dataset d;
  Diagnostics diag;
  ASSERT_TRUE(ReadDataset(kExample, &d, &diag).ok());
  BalanceSummary summary;
  BalanceOptions options;
  options.tolerance = 0;
  EXPECT_EQ(Balance(options, &d, &summary).cause(), "invalid balance options: tolerance must be positive");
  options = BalanceOptions();
  options.fixed_cells = {{"north", "labour", "a_man"}};
  EXPECT_EQ(Balance(options, &d, &summary).cause(), "fixed cell: unknown account 'labour'");
}

TEST(DataBalance, BalancedDataDoNotMove) {
  Dataset d;
  Diagnostics diag;
  ASSERT_TRUE(ReadDataset(kExample, &d, &diag).ok());
  BalanceSummary summary;
  ASSERT_TRUE(Balance(BalanceOptions(), &d, &summary).ok());
  EXPECT_TRUE(summary.converged);
  EXPECT_EQ(summary.iterations, 0);
  EXPECT_TRUE(summary.changes.empty());
}

}  // namespace
}  // namespace lccge::data
