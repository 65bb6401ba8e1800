#include "lccge/lca/io_table.hpp"

#include <Eigen/SparseLU>
#include <cmath>
#include <limits>

#include "lca/util.hpp"

namespace lccge::lca {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool FiniteNonNegative(double v) { return std::isfinite(v) && v >= 0; }

}  // namespace

Status IoTable::CheckIndex(int i, const char* what) const {
  if (i < 0 || i >= num_industries()) {
    return Status::Invalid(std::string(what) + ": industry index " + std::to_string(i) + " out of range (" +
                           std::to_string(num_industries()) + " industries)");
  }
  return Status::Ok();
}

Status IoTable::AddIndustry(const std::string& region, const std::string& sector, int* index) {
  if (region.empty() || sector.empty()) return Status::Invalid("an industry needs a region and a sector");
  if (index_.count({region, sector})) return Status::Invalid("duplicate industry " + region + "." + sector);
  const int i = num_industries();
  industries_.push_back({region, sector});
  index_[{region, sector}] = i;
  gross_.push_back(kNaN);
  direct_.push_back(0.0);
  physical_per_value_.push_back(kNaN);
  physical_unit_.emplace_back();
  if (index) *index = i;
  return Status::Ok();
}

int IoTable::IndustryIndex(const std::string& region, const std::string& sector) const {
  auto it = index_.find({region, sector});
  return it == index_.end() ? -1 : it->second;
}

Status IoTable::AddFlow(int from, int to, double value) {
  Status s = CheckIndex(from, "flow");
  if (!s.ok()) return s;
  s = CheckIndex(to, "flow");
  if (!s.ok()) return s;
  if (!FiniteNonNegative(value)) {
    return Status::Invalid("flow " + industries_[from].Label() + " -> " + industries_[to].Label() +
                           " is negative or not finite");
  }
  z_[{from, to}] += value;
  return Status::Ok();
}

int IoTable::FinalDemandColumnIndex(const std::string& region, const std::string& category) const {
  for (size_t k = 0; k < fd_columns_.size(); ++k)
    if (fd_columns_[k].region == region && fd_columns_[k].category == category) return static_cast<int>(k);
  return -1;
}

Status IoTable::AddFinalDemand(int from, const std::string& region, const std::string& category, double value) {
  Status s = CheckIndex(from, "final demand");
  if (!s.ok()) return s;
  if (region.empty()) return Status::Invalid("final demand needs a region");
  if (!FiniteNonNegative(value)) {
    return Status::Invalid("final demand of " + region + "/" + category + " for " + industries_[from].Label() +
                           " is negative or not finite");
  }
  int k = FinalDemandColumnIndex(region, category);
  if (k < 0) {
    k = static_cast<int>(fd_columns_.size());
    fd_columns_.push_back({region, category});
  }
  y_[{from, k}] += value;
  return Status::Ok();
}

Status IoTable::SetGrossOutput(int i, double value) {
  Status s = CheckIndex(i, "gross output");
  if (!s.ok()) return s;
  if (!FiniteNonNegative(value)) return Status::Invalid("gross output of " + industries_[i].Label() + " is negative");
  gross_[i] = value;
  return Status::Ok();
}

Status IoTable::SetDirectEmissions(int i, double kg) {
  Status s = CheckIndex(i, "direct emissions");
  if (!s.ok()) return s;
  if (!FiniteNonNegative(kg)) {
    return Status::Invalid("direct emissions of " + industries_[i].Label() + " are negative or not finite");
  }
  direct_[i] = kg;
  return Status::Ok();
}

Status IoTable::SetPhysicalPerValue(int i, double units_per_value, const std::string& unit) {
  Status s = CheckIndex(i, "physical per value");
  if (!s.ok()) return s;
  if (!std::isfinite(units_per_value) || units_per_value <= 0) {
    return Status::Invalid("physical units per value of " + industries_[i].Label() + " must be positive");
  }
  if (unit.empty()) return Status::Invalid("missing physical unit for " + industries_[i].Label());
  physical_per_value_[i] = units_per_value;
  physical_unit_[i] = unit;
  return Status::Ok();
}

Eigen::SparseMatrix<double> IoTable::IntermediateMatrix() const {
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(z_.size());
  for (const auto& [ij, v] : z_) t.emplace_back(ij.first, ij.second, v);
  Eigen::SparseMatrix<double> z(num_industries(), num_industries());
  z.setFromTriplets(t.begin(), t.end());
  return z;
}

Eigen::MatrixXd IoTable::FinalDemandMatrix() const {
  Eigen::MatrixXd y = Eigen::MatrixXd::Zero(num_industries(), static_cast<Eigen::Index>(fd_columns_.size()));
  for (const auto& [ik, v] : y_) y(ik.first, ik.second) += v;
  return y;
}

Status BuildFromSupplyUse(const SupplyUseTables& t, IoTable* table) {
  IoTable out;
  const int n = static_cast<int>(t.industries.size());
  const int m = static_cast<int>(t.commodities.size());
  for (const Industry& ind : t.industries) {
    Status s = out.AddIndustry(ind.region, ind.sector);
    if (!s.ok()) return s;
  }
  // Market shares D(i, c) = supply(i, c) / q_c.
  std::vector<double> q(m, 0.0);
  std::vector<std::vector<std::pair<int, double>>> producers(m);
  std::vector<double> output(n, 0.0);
  for (const auto& e : t.supply) {
    if (e.row < 0 || e.row >= n || e.col < 0 || e.col >= m) return Status::Invalid("supply entry out of range");
    if (!FiniteNonNegative(e.value)) {
      return Status::Invalid("negative supply of " + t.commodities[e.col] + " by " + t.industries[e.row].Label());
    }
    q[e.col] += e.value;
    producers[e.col].push_back({e.row, e.value});
    output[e.row] += e.value;
  }
  auto distribute = [&](int c, double value, auto&& add) -> Status {
    if (value == 0) return Status::Ok();
    if (q[c] <= 0) return Status::Invalid("commodity " + t.commodities[c] + " is used but nobody supplies it");
    for (const auto& [i, v] : producers[c]) {
      Status s = add(i, value * v / q[c]);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
  for (const auto& e : t.use) {
    if (e.row < 0 || e.row >= m || e.col < 0 || e.col >= n) return Status::Invalid("use entry out of range");
    if (!FiniteNonNegative(e.value)) {
      return Status::Invalid("negative use of " + t.commodities[e.row] + " by " + t.industries[e.col].Label());
    }
    Status s = distribute(e.row, e.value, [&](int i, double v) { return out.AddFlow(i, e.col, v); });
    if (!s.ok()) return s;
  }
  for (const auto& f : t.final_use) {
    if (f.commodity < 0 || f.commodity >= m) return Status::Invalid("final use entry out of range");
    Status s = distribute(f.commodity, f.value,
                          [&](int i, double v) { return out.AddFinalDemand(i, f.region, f.category, v); });
    if (!s.ok()) return s;
  }
  for (int i = 0; i < n; ++i) {
    Status s = out.SetGrossOutput(i, output[i]);
    if (!s.ok()) return s;
  }
  if (!t.direct_emissions.empty()) {
    if (static_cast<int>(t.direct_emissions.size()) != n) {
      return Status::Invalid("direct emissions: expected one value per industry");
    }
    for (int i = 0; i < n; ++i) {
      Status s = out.SetDirectEmissions(i, t.direct_emissions[i]);
      if (!s.ok()) return s;
    }
  }
  *table = std::move(out);
  return Status::Ok();
}

bool IoAccountsOptions::IsValid(std::string* why) const {
  if (!(balance_tolerance >= 0) || !std::isfinite(balance_tolerance)) {
    if (why) *why = "balance_tolerance must be a finite non-negative number";
    return false;
  }
  return true;
}

double IoAccounts::EmbodiedFromRegion(const IoTable& table, int column, const std::string& region) const {
  double sum = 0;
  if (column < 0 || column >= embodied_by_origin.cols()) return 0;
  for (int i = 0; i < table.num_industries(); ++i)
    if (table.industries()[i].region == region) sum += embodied_by_origin(i, column);
  return sum;
}

Status ComputeIoAccounts(const IoTable& table, const IoAccountsOptions& options, IoAccounts* accounts) {
  std::string why;
  if (!options.IsValid(&why)) return Status::Invalid("IoAccountsOptions: " + why);
  const int n = table.num_industries();
  if (n == 0) return Status::Invalid("the input-output table has no industries");
  const Eigen::SparseMatrix<double> z = table.IntermediateMatrix();
  const Eigen::MatrixXd y = table.FinalDemandMatrix();
  const Eigen::VectorXd row_sums = z * Eigen::VectorXd::Ones(n) + y.rowwise().sum();
  Eigen::VectorXd col_sums = Eigen::VectorXd::Zero(n);
  for (int k = 0; k < z.outerSize(); ++k)
    for (Eigen::SparseMatrix<double>::InnerIterator it(z, k); it; ++it) col_sums(it.col()) += it.value();

  IoAccounts a;
  a.gross_output.resize(n);
  for (int i = 0; i < n; ++i) {
    const double set = table.gross_output_set()[i];
    if (std::isnan(set)) {
      a.gross_output(i) = row_sums(i);
    } else {
      if (std::abs(set - row_sums(i)) > options.balance_tolerance * std::max(1.0, std::abs(set))) {
        return Status::Invalid("industry " + table.industries()[i].Label() + ": gross output " +
                               internal::FormatNumber(set) + " differs from intermediate plus final use " +
                               internal::FormatNumber(row_sums(i)) + " (the table is not balanced)");
      }
      a.gross_output(i) = set;
    }
  }
  a.value_added = a.gross_output - col_sums;
  for (int j = 0; j < n; ++j) {
    if (a.value_added(j) < -options.balance_tolerance * std::max(1.0, a.gross_output(j))) {
      return Status::Invalid("industry " + table.industries()[j].Label() + ": inputs worth " +
                             internal::FormatNumber(col_sums(j)) + " exceed its gross output " +
                             internal::FormatNumber(a.gross_output(j)) + " (negative value added)");
    }
    if (a.gross_output(j) == 0 && (col_sums(j) > 0 || table.direct_emissions()[j] > 0)) {
      return Status::Invalid("industry " + table.industries()[j].Label() + " has inputs or emissions but no output");
    }
  }
  a.direct = Eigen::Map<const Eigen::VectorXd>(table.direct_emissions().data(), n);
  a.direct_intensity = Eigen::VectorXd::Zero(n);
  for (int i = 0; i < n; ++i)
    if (a.gross_output(i) > 0) a.direct_intensity(i) = a.direct(i) / a.gross_output(i);

  // (I - A) with A = Z diag(x)^-1; columns with x = 0 are empty.
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(z.nonZeros() + n);
  for (int i = 0; i < n; ++i) t.emplace_back(i, i, 1.0);
  for (int k = 0; k < z.outerSize(); ++k)
    for (Eigen::SparseMatrix<double>::InnerIterator it(z, k); it; ++it)
      if (a.gross_output(it.col()) > 0) t.emplace_back(it.row(), it.col(), -it.value() / a.gross_output(it.col()));
  Eigen::SparseMatrix<double> leontief(n, n);
  leontief.setFromTriplets(t.begin(), t.end());
  leontief.makeCompressed();

  // eps (I - A) = f  <=>  (I - A)^T eps^T = f^T.
  Eigen::SparseMatrix<double> leontief_t = leontief.transpose();
  leontief_t.makeCompressed();
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu_t;
  lu_t.compute(leontief_t);
  if (lu_t.info() != Eigen::Success) {
    return Status::Failed(
        "the Leontief matrix (I - A) is singular: an industry's inputs per unit of output sum to "
        "1 or more in a closed loop");
  }
  a.embodied_intensity = lu_t.solve(a.direct_intensity);
  if (lu_t.info() != Eigen::Success || !a.embodied_intensity.allFinite()) {
    return Status::Failed("solving for embodied intensities failed");
  }
  a.physical_intensity.resize(n);
  for (int i = 0; i < n; ++i) {
    const double ppv = table.physical_per_value()[i];
    a.physical_intensity(i) = std::isnan(ppv) ? kNaN : a.embodied_intensity(i) / ppv;
  }
  const Eigen::Index K = y.cols();
  a.final_demand_embodied = Eigen::VectorXd::Zero(K);
  for (Eigen::Index k = 0; k < K; ++k) a.final_demand_embodied(k) = a.embodied_intensity.dot(y.col(k));
  a.total_direct = a.direct.sum();
  a.total_final_demand_embodied = a.final_demand_embodied.sum();

  if (options.by_origin && K > 0) {
    Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
    lu.compute(leontief);
    if (lu.info() != Eigen::Success) return Status::Failed("the Leontief matrix (I - A) is singular");
    const Eigen::MatrixXd output_for = lu.solve(y);  // (I - A)^-1 y_k, column by column
    if (lu.info() != Eigen::Success || !output_for.allFinite()) return Status::Failed("Leontief solve failed");
    a.embodied_by_origin = a.direct_intensity.asDiagonal() * output_for;
  }
  *accounts = std::move(a);
  return Status::Ok();
}

Status DecomposeByStage(const IoTable& table, const IoAccounts& accounts,
                        const std::map<std::string, std::string>& stage_of_sector, StageDecomposition* result,
                        const std::map<std::string, std::string>& stage_of_industry) {
  const int n = table.num_industries();
  if (accounts.value_added.size() != n || accounts.direct.size() != n) {
    return Status::Invalid("the accounts were not computed on this table");
  }
  StageDecomposition d;
  std::map<std::string, int> position;
  for (int i = 0; i < n; ++i) {
    const Industry& ind = table.industries()[i];
    std::string stage;
    if (auto it = stage_of_industry.find(ind.Label()); it != stage_of_industry.end())
      stage = it->second;
    else if (auto is = stage_of_sector.find(ind.sector); is != stage_of_sector.end())
      stage = is->second;
    if (stage.empty()) {
      d.excluded.push_back(ind.Label());
      continue;
    }
    auto [it, inserted] = position.try_emplace(stage, static_cast<int>(d.stages.size()));
    if (inserted) d.stages.push_back({stage});
    StageShare& s = d.stages[it->second];
    s.value_added += accounts.value_added(i);
    s.emissions += accounts.direct(i);
    d.total_value_added += accounts.value_added(i);
    d.total_emissions += accounts.direct(i);
  }
  if (d.stages.empty()) return Status::Invalid("no industry has a stage label");
  for (StageShare& s : d.stages) {
    s.value_share = d.total_value_added != 0 ? s.value_added / d.total_value_added : 0;
    s.emission_share = d.total_emissions != 0 ? s.emissions / d.total_emissions : 0;
    s.ratio = s.value_share != 0 ? s.emission_share / s.value_share : kNaN;
  }
  *result = std::move(d);
  return Status::Ok();
}

}  // namespace lccge::lca
