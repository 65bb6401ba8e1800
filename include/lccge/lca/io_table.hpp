// A multi-regional input-output table of industries (region x sector) in value terms, with direct emissions,
// and the Leontief accounts computed on it (docs/lca.md):
//
//   A = Z diag(x)^-1,   f = e / x,   eps = f (I - A)^-1   (solved as (I - A)^T eps^T = f^T with sparse LU)
//
// eps_j is the cradle-to-gate (embodied) emission intensity of industry j per unit of its output value. Each
// industry is region-specific, so emissions embodied in imports are attributed to the region where they occur.
// Emissions embodied in a final-demand column y_k are eps . y_k, and summed over every final demand they equal
// total direct emissions (conservation) when the table is balanced (x = Z 1 + Y 1).
//
// Build an IoTable directly (AddIndustry, AddFlow, AddFinalDemand) or from supply and use tables
// (BuildFromSupplyUse: an industry-by-industry table under the fixed product-sales-structure assumption, which is
// exact when each commodity has one producing industry, as in an equilibrium model's production blocks).
#pragma once

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <map>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"

namespace lccge::lca {

struct Industry {
  std::string region;
  std::string sector;
  std::string Label() const { return region + "." + sector; }
};

struct FinalDemandColumn {
  std::string region;    // the consuming region
  std::string category;  // e.g. "household", "government", "investment"
};

class IoTable {
 public:
  // Adds an industry; (region, sector) must be new. `index` receives its position.
  Status AddIndustry(const std::string& region, const std::string& sector, int* index = nullptr);
  int IndustryIndex(const std::string& region, const std::string& sector) const;  // -1 if absent
  int num_industries() const { return static_cast<int>(industries_.size()); }
  const std::vector<Industry>& industries() const { return industries_; }

  // Z(from, to) += value: the value of `from`'s output used as input by `to`. value >= 0.
  Status AddFlow(int from, int to, double value);
  // Final demand of `region`/`category` for the output of industry `from`. value >= 0. Returns the column index.
  Status AddFinalDemand(int from, const std::string& region, const std::string& category, double value);
  // Gross output x_i. Optional: by default x = row sums of Z plus final demand. When set, it is checked.
  Status SetGrossOutput(int industry, double value);
  // Direct emissions of the industry (kg CO2e). Default 0.
  Status SetDirectEmissions(int industry, double kg_co2e);
  // Physical units per unit of value (e.g. kg per USD) for intensities per physical unit. Optional.
  Status SetPhysicalPerValue(int industry, double units_per_value, const std::string& unit);

  // Accessors.
  const std::vector<FinalDemandColumn>& final_demand_columns() const { return fd_columns_; }
  Eigen::SparseMatrix<double> IntermediateMatrix() const;  // Z, n x n
  Eigen::MatrixXd FinalDemandMatrix() const;               // Y, n x K
  const std::vector<double>& direct_emissions() const { return direct_; }
  const std::vector<double>& gross_output_set() const { return gross_; }                 // NaN where not set
  const std::vector<double>& physical_per_value() const { return physical_per_value_; }  // NaN where not set
  const std::vector<std::string>& physical_units() const { return physical_unit_; }
  int FinalDemandColumnIndex(const std::string& region, const std::string& category) const;  // -1 if absent

 private:
  Status CheckIndex(int i, const char* what) const;
  std::vector<Industry> industries_;
  std::map<std::pair<std::string, std::string>, int> index_;
  std::map<std::pair<int, int>, double> z_;
  std::vector<FinalDemandColumn> fd_columns_;
  std::map<std::pair<int, int>, double> y_;  // (industry, column)
  std::vector<double> gross_, direct_, physical_per_value_;
  std::vector<std::string> physical_unit_;
};

// Supply (make) and use tables in value terms, for building an industry-by-industry IoTable.
struct SupplyUseTables {
  std::vector<Industry> industries;
  std::vector<std::string> commodities;
  struct Entry {
    int row = -1;  // supply: industry; use/final: commodity
    int col = -1;  // supply: commodity; use: industry
    double value = 0;
  };
  std::vector<Entry> supply;  // industry `row` produces commodity `col` worth `value`
  std::vector<Entry> use;     // commodity `row` used by industry `col` worth `value`
  struct FinalUse {
    int commodity = -1;
    std::string region, category;
    double value = 0;
  };
  std::vector<FinalUse> final_use;
  std::vector<double> direct_emissions;  // per industry (kg CO2e); empty = zeros
};

// Industry-by-industry table: Z = D U and Y = D y with market shares D(i, c) = supply(i, c) / q_c. Commodities
// with one producer map their use onto that producer exactly. Each used commodity must be supplied.
Status BuildFromSupplyUse(const SupplyUseTables& tables, IoTable* table);

struct IoAccountsOptions {
  // Relative tolerance of the row balance check when gross output is set: |x - (Z 1 + Y 1)| <= tol * max(1, x).
  double balance_tolerance = 1e-6;
  // Also compute each final demand's emissions by the industry where they occur (n x K; one extra solve per
  // final-demand column with the same factorisation).
  bool by_origin = true;
  bool IsValid(std::string* why) const;
};

struct IoAccounts {
  Eigen::VectorXd gross_output;           // x (value)
  Eigen::VectorXd value_added;            // x_j - sum_i Z_ij
  Eigen::VectorXd direct;                 // e (kg CO2e)
  Eigen::VectorXd direct_intensity;       // f = e / x (kg CO2e per unit value; 0 where x = 0)
  Eigen::VectorXd embodied_intensity;     // eps = f (I - A)^-1 (kg CO2e per unit value)
  Eigen::VectorXd physical_intensity;     // eps / (physical per value) (kg CO2e per physical unit; NaN if unknown)
  Eigen::VectorXd final_demand_embodied;  // per final-demand column: eps . y_k (kg CO2e)
  Eigen::MatrixXd embodied_by_origin;     // n x K: f_i ((I - A)^-1 y_k)_i, where the emissions occur
  double total_direct = 0;
  double total_final_demand_embodied = 0;

  // Emissions embodied in final demand column k that occur in `region` (requires by_origin).
  double EmbodiedFromRegion(const IoTable& table, int column, const std::string& region) const;
};

Status ComputeIoAccounts(const IoTable& table, const IoAccountsOptions& options, IoAccounts* accounts);
inline Status ComputeIoAccounts(const IoTable& table, IoAccounts* accounts) {
  return ComputeIoAccounts(table, IoAccountsOptions{}, accounts);
}

// The value-emission decomposition by supply-chain stage (seed 000's "value-emission paradox" table): each stage's
// share of the chain's value added against its share of the chain's direct emissions.
struct StageShare {
  std::string stage;
  double value_added = 0;
  double emissions = 0;
  double value_share = 0;     // of the labelled industries' total value added
  double emission_share = 0;  // of the labelled industries' total direct emissions
  // emission_share / value_share (> 1: the stage emits more than its share of value); NaN if value_share = 0.
  double ratio = 0;
};
struct StageDecomposition {
  std::vector<StageShare> stages;     // in order of first appearance in `stage_of_sector`'s industries
  std::vector<std::string> excluded;  // industry labels without a stage (outside the supply chain)
  double total_value_added = 0, total_emissions = 0;
};
// `stage_of_sector` maps a sector (any region) to its stage; `stage_of_industry` ("REGION.sector") overrides it.
Status DecomposeByStage(const IoTable& table, const IoAccounts& accounts,
                        const std::map<std::string, std::string>& stage_of_sector, StageDecomposition* result,
                        const std::map<std::string, std::string>& stage_of_industry = {});

}  // namespace lccge::lca
