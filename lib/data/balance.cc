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

bool IsTradeCell(AccountClass row, AccountClass column) {
  const CellRole role = RoleOf(row, column);
  return role == CellRole::kExports || role == CellRole::kImports || role == CellRole::kTariff ||
         role == CellRole::kMarginSupply;
}

// The factor z > 0 that balances one account when its row's free positive cells are divided by z and its free
// negative cells multiplied by z, and its column's free positive cells multiplied by z and negative cells divided:
//   rp / z - rn z + rf = cp z - cn / z + cf   <=>   (cp + rn) z^2 + (cf - rf) z - (rp + cn) = 0.
bool Factor(double rp, double rn, double rf, double cp, double cn, double cf, double* z) {
  const double a = cp + rn, b = cf - rf, c = rp + cn;
  if (a > 0) {
    *z = (-b + std::sqrt(b * b + 4 * a * c)) / (2 * a);
  } else if (b > 0) {
    *z = c / b;
  } else {
    return false;
  }
  return *z > 0 && std::isfinite(*z);
}

// Balances one SAM; returns the sweeps used, -1 (with `why`) when infeasible, -2 at the iteration limit.
int BalanceOne(Eigen::MatrixXd* m, const Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>& fixed,
               const BalanceOptions& opt, const Dataset& d, int region, std::string* why) {
  Eigen::MatrixXd& x = *m;
  const int n = static_cast<int>(x.rows());
  auto where = [&](int k) {
    return "region '" + d.regions[static_cast<size_t>(region)] + "', account '" +
           d.accounts[static_cast<size_t>(k)].name + "'";
  };
  for (int it = 0; it <= opt.max_iterations; ++it) {
    if (MaxImbalance(x) <= opt.tolerance) return it;
    if (it == opt.max_iterations) break;
    for (int k = 0; k < n; ++k) {
      double rp = 0, rn = 0, rf = 0, cp = 0, cn = 0, cf = 0;
      for (int j = 0; j < n; ++j) {
        if (j == k) continue;  // a diagonal cell is in both totals: it never affects the balance
        const double v = x(k, j), w = x(j, k);
        if (fixed(k, j))
          rf += v;
        else if (v > 0)
          rp += v;
        else
          rn -= v;
        if (fixed(j, k))
          cf += w;
        else if (w > 0)
          cp += w;
        else
          cn -= w;
      }
      const double row = rp - rn + rf, col = cp - cn + cf;
      if (RelGap(row, col) <= 0.1 * opt.tolerance) continue;
      double z = 1;
      if (rp + rn + cp + cn == 0) {
        *why = where(k) + ": every cell of its row and column is fixed or zero, and the row total " + Num(row) +
               " differs from the column total " + Num(col);
        return -1;
      }
      if (!Factor(rp, rn, rf, cp, cn, cf, &z)) {
        *why = where(k) + ": its free cells cannot balance the row total " + Num(row) + " with the column total " +
               Num(col) + " (the fixed cells leave no positive scaling factor)";
        return -1;
      }
      for (int j = 0; j < n; ++j) {
        if (j == k) continue;
        if (!fixed(k, j)) x(k, j) = x(k, j) > 0 ? x(k, j) / z : x(k, j) * z;
        if (!fixed(j, k)) x(j, k) = x(j, k) > 0 ? x(j, k) * z : x(j, k) / z;
      }
    }
  }
  *why = "region '" + d.regions[static_cast<size_t>(region)] + "': not balanced after " +
         std::to_string(opt.max_iterations) + " iterations (max relative imbalance " + Num(MaxImbalance(x)) + ")";
  return -2;
}

}  // namespace

bool BalanceOptions::IsValid(std::string* error) const {
  std::string e;
  if (!(tolerance > 0))
    e = "tolerance must be positive";
  else if (max_iterations < 1)
    e = "max_iterations must be at least 1";
  else if (!(report_threshold >= 0))
    e = "report_threshold must be non-negative";
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
      return Status::Invalid("region '" + d.regions[static_cast<size_t>(r)] +
                             "': the SAM holds a value that is not a finite number");
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
  // The SAM is the source of the production taxes: rates given for a cross-check follow the balanced SAM.
  for (TaxRate& t : d.tax_rates)
    if (t.region >= 0 && t.region < nr && t.sector >= 0 && t.sector < d.num_sectors())
      t.rate = d.ProductionTaxRate(t.region, t.sector);
  std::stable_sort(summary->changes.begin(), summary->changes.end(), [](const auto& a, const auto& b) {
    return std::abs(a.relative_change) > std::abs(b.relative_change);
  });
  return Status::Ok();
}

}  // namespace lccge::data
