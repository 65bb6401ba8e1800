// Balancing SAMs that are close to balanced. Each region's SAM X is replaced by the balanced matrix nearest to it
// in cross-entropy: X'(i,j) = X(i,j) z_j / z_i for positive cells and X(i,j) z_i / z_j for negative ones (a negative
// payment is a positive one the other way, as in GRAS), with one factor z_k > 0 per account. The totals are free
// (the balanced total of each account follows from the data), zero cells stay zero, fixed cells keep their values.
// The factors are found account by account (each update balances one account exactly; sweeps repeat until every
// account balances), a RAS-type iteration. docs/data.md, "Balancing".
#pragma once

#include <string>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/data/dataset.hpp"

namespace lccge::data {

struct BalanceOptions {
  double tolerance = 1e-10;    // stop when every |row total - column total| <= tolerance * max(|row|, |column|, 1e-300)
  int max_iterations = 10000;  // sweeps over the accounts, per region
  // Keep the cells that trade.csv and tariffs.csv determine (exports, imports, tariff revenue, margin supply and
  // payment) fixed, so the SAMs stay consistent with the trade data.
  bool fix_trade_cells = true;
  struct Cell {
    std::string region, row, column;
  };
  std::vector<Cell> fixed_cells;  // further cells to keep fixed ("*" as region = every region)
  // Cells whose relative change is at least this are listed in BalanceSummary::changes.
  double report_threshold = 0.0;
  bool IsValid(std::string* error) const;
};

struct BalanceSummary {
  struct CellChange {
    std::string region, row, column;
    double old_value = 0, new_value = 0;
    double relative_change = 0;  // (new - old) / |old|
  };
  bool converged = false;
  int iterations = 0;                // sweeps over the accounts (the largest count over regions)
  double initial_max_imbalance = 0;  // max relative |row - column| over accounts and regions, before
  double final_max_imbalance = 0;    // and after
  double max_relative_change = 0;    // max |relative change| over cells
  std::vector<CellChange> changes;   // cells that moved, largest |relative change| first
  std::string message;               // why it did not converge, if it did not

  std::string BriefReport() const;
  std::string FullReport() const;  // BriefReport plus every listed cell change
};

// Balances every region's SAM in place (and sets any tax_rates to the rates implied by the balanced SAM). Returns a
// non-Ok status only when the call itself is wrong (invalid options, unknown fixed cell, a dataset whose tables do not
// match its scheme); whether the SAMs are balanced is summary->converged (infeasible with the fixed cells, or the
// iteration limit reached, gives false).
Status Balance(const BalanceOptions& options, Dataset* dataset, BalanceSummary* summary);

}  // namespace lccge::data
