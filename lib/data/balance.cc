#include "lccge/data/balance.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lccge::data {

namespace {

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

double RelGap(double a, double b) {
  const double scale = std::max(std::abs(a), std::abs(b));
  return scale == 0 ? 0.0 : std::abs(a - b) / scale;
}

double MaxImbalance(const Eigen::MatrixXd& m) {
  double worst = 0;
  for (int i = 0; i < m.rows(); ++i) worst = std::max(worst, RelGap(m.row(i).sum(), m.col(i).sum()));
  return worst;
}

// The GRAS multiplier x with x * pos - neg / x = goal (pos, neg >= 0 sums of the free positive and the absolute
// free negative cells). Returns false when no positive multiplier exists.
bool Multiplier(double pos, double neg, double goal, double* x) {
  if (pos > 0) {
    *x = (goal + std::sqrt(goal * goal + 4 * pos * neg)) / (2 * pos);
    return *x > 0 && std::isfinite(*x);
  }
  if (neg > 0 && goal < 0) {
    *x = -neg / goal;
    return true;
  }
  return false;
}

bool IsTradeCell(AccountClass row, AccountClass column) {
  const CellRole role = RoleOf(row, column);
  return role == CellRole::kExports || role == CellRole::kImports || role == CellRole::kTariff ||
         role == CellRole::kMarginSupply;
}

// Balances one SAM; returns the iterations used, or -1 with `why` when infeasible.
int BalanceOne(Eigen::MatrixXd* m, const Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>& fixed,
               const BalanceOptions& opt, const Dataset& d, int region, std::string* why) {
  const int n = static_cast<int>(m->rows());
  Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic> free_cell(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) free_cell(i, j) = !fixed(i, j) && (*m)(i, j) != 0.0;
  // Targets: the mean of the totals, or the side that cannot move.
  Eigen::VectorXd target(n);
  for (int i = 0; i < n; ++i) {
    const double row = m->row(i).sum(), col = m->col(i).sum();
    const bool row_free = free_cell.row(i).any(), col_free = free_cell.col(i).any();
    if (!row_free && !col_free) {
      if (RelGap(row, col) > opt.tolerance) {
        *why = "region '" + d.regions[static_cast<size_t>(region)] + "', account '" +
               d.accounts[static_cast<size_t>(i)].name + "': every cell of its row and column is fixed or zero, and " +
               "the row total " + Num(row) + " differs from the column total " + Num(col);
        return -1;
      }
      target(i) = row;
    } else if (!row_free) {
      target(i) = row;
    } else if (!col_free) {
      target(i) = col;
    } else {
      target(i) = 0.5 * (row + col);
    }
  }
  for (int it = 0; it <= opt.max_iterations; ++it) {
    if (MaxImbalance(*m) <= opt.tolerance) return it;
    if (it == opt.max_iterations) break;
    for (int pass = 0; pass < 2; ++pass) {  // rows, then columns
      for (int i = 0; i < n; ++i) {
        double pos = 0, neg = 0, fixed_sum = 0;
        for (int k = 0; k < n; ++k) {
          const int r = pass == 0 ? i : k, c = pass == 0 ? k : i;
          const double v = (*m)(r, c);
          if (!free_cell(r, c)) fixed_sum += v;
          else if (v > 0) pos += v;
          else neg -= v;
        }
        if (pos == 0 && neg == 0) continue;
        double x = 1;
        if (!Multiplier(pos, neg, target(i) - fixed_sum, &x)) {
          *why = "region '" + d.regions[static_cast<size_t>(region)] + "', account '" +
                 d.accounts[static_cast<size_t>(i)].name + "': its free cells cannot reach the total " +
                 Num(target(i)) + " with a positive scaling factor";
          return -1;
        }
        for (int k = 0; k < n; ++k) {
          const int r = pass == 0 ? i : k, c = pass == 0 ? k : i;
          if (!free_cell(r, c)) continue;
          double& v = (*m)(r, c);
          v = v > 0 ? v * x : v / x;
        }
      }
    }
  }
  *why = "region '" + d.regions[static_cast<size_t>(region)] + "': not balanced after " +
         std::to_string(opt.max_iterations) + " iterations (max relative imbalance " + Num(MaxImbalance(*m)) + ")";
  return -2;
}

}  // namespace

bool BalanceOptions::IsValid(std::string* error) const {
  std::string e;
  if (!(tolerance > 0)) e = "tolerance must be positive";
  else if (max_iterations < 1) e = "max_iterations must be at least 1";
  else if (!(report_threshold >= 0)) e = "report_threshold must be non-negative";
  if (!e.empty() && error) *error = e;
  return e.empty();
}

std::string BalanceSummary::BriefReport() const {
  std::string out = converged ? "balanced" : "NOT balanced";
  out += " in " + std::to_string(iterations) + " iterations; max relative imbalance " + Num(initial_max_imbalance) +
         " -> " + Num(final_max_imbalance) + "; max relative cell change " + Num(max_relative_change) + "; " +
         std::to_string(changes.size()) + " cells moved";
  if (!message.empty()) out += "; " + message;
  return out;
}

std::string BalanceSummary::FullReport() const {
  std::string out = BriefReport() + "\nregion,row,column,old,new,relative_change\n";
  for (const CellChange& c : changes) {
    out += c.region + "," + c.row + "," + c.column + "," + Num(c.old_value) + "," + Num(c.new_value) + "," +
           Num(c.relative_change) + "\n";
  }
  return out;
}

Status Balance(const BalanceOptions& options, Dataset* dataset, BalanceSummary* summary) {
  std::string why;
  if (!options.IsValid(&why)) return Status::Invalid("invalid balance options: " + why);
  Dataset& d = *dataset;
  *summary = BalanceSummary();
  const int nr = d.num_regions(), na = d.num_accounts();
  if (static_cast<int>(d.sam.size()) != nr) return Status::Invalid("the dataset's SAMs do not match its regions");
  std::vector<Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>> fixed(
      static_cast<size_t>(nr), Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(na, na, false));
  for (int r = 0; r < nr; ++r) {
    if (d.sam[static_cast<size_t>(r)].rows() != na || d.sam[static_cast<size_t>(r)].cols() != na)
      return Status::Invalid("the dataset's SAMs do not match its accounts");
    if (!d.sam[static_cast<size_t>(r)].allFinite())
      return Status::Invalid("region '" + d.regions[static_cast<size_t>(r)] + "': the SAM holds a value that is not a finite number");
    if (options.fix_trade_cells)
      for (int j = 0; j < na; ++j)
        for (int i = 0; i < na; ++i)
          fixed[static_cast<size_t>(r)](i, j) = IsTradeCell(d.accounts[static_cast<size_t>(i)].account_class,
                                                            d.accounts[static_cast<size_t>(j)].account_class);
  }
  for (const BalanceOptions::Cell& c : options.fixed_cells) {
    const int i = d.AccountIndex(c.row), j = d.AccountIndex(c.column);
    const int r = c.region == "*" ? -1 : d.RegionIndex(c.region);
    if (i < 0) return Status::Invalid("fixed cell: unknown account '" + c.row + "'");
    if (j < 0) return Status::Invalid("fixed cell: unknown account '" + c.column + "'");
    if (c.region != "*" && r < 0) return Status::Invalid("fixed cell: unknown region '" + c.region + "'");
    for (int k = 0; k < nr; ++k)
      if (r < 0 || k == r) fixed[static_cast<size_t>(k)](i, j) = true;
  }
  summary->converged = true;
  for (int r = 0; r < nr; ++r) {
    Eigen::MatrixXd& m = d.sam[static_cast<size_t>(r)];
    const Eigen::MatrixXd before = m;
    summary->initial_max_imbalance = std::max(summary->initial_max_imbalance, MaxImbalance(m));
    std::string region_why;
    const int its = BalanceOne(&m, fixed[static_cast<size_t>(r)], options, d, r, &region_why);
    if (its < 0) {
      summary->converged = false;
      if (!summary->message.empty()) summary->message += "; ";
      summary->message += region_why;
      if (its == -1) m = before;  // infeasible: leave the region as it was
      summary->iterations = std::max(summary->iterations, its == -2 ? options.max_iterations : 0);
    } else {
      summary->iterations = std::max(summary->iterations, its);
    }
    summary->final_max_imbalance = std::max(summary->final_max_imbalance, MaxImbalance(m));
    for (int j = 0; j < na; ++j)
      for (int i = 0; i < na; ++i) {
        const double o = before(i, j), v = m(i, j);
        if (o == v) continue;
        const double rel = (v - o) / std::abs(o);
        summary->max_relative_change = std::max(summary->max_relative_change, std::abs(rel));
        if (std::abs(rel) >= options.report_threshold)
          summary->changes.push_back({d.regions[static_cast<size_t>(r)], d.accounts[static_cast<size_t>(i)].name,
                                      d.accounts[static_cast<size_t>(j)].name, o, v, rel});
      }
  }
  std::stable_sort(summary->changes.begin(), summary->changes.end(),
                   [](const auto& a, const auto& b) { return std::abs(a.relative_change) > std::abs(b.relative_change); });
  return Status::Ok();
}

}  // namespace lccge::data
