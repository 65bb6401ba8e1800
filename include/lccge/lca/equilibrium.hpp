// Life-cycle emission accounts on an equilibrium solution (docs/lca.md, "Accounts on an equilibrium"):
//
// 1. A multi-regional input-output table from the equilibrium's own flows (lccge::ComputeEquilibriumFlows), valued
//    at the solution's market prices P_c. Every active sector of the model is an industry: its supply of commodity
//    c is P_c x (quantity produced), its use of a produced commodity c is P_c x (quantity used). Commodities that no
//    sector produces (factors, resources) are primary inputs: their payments, with the net taxes on the sector's
//    inputs and outputs, make up its value added (v = x - Z^T 1 = factor payments + taxes; profit is zero at an
//    equilibrium). Each commodity's use is attributed to its producers by market shares (exact when one sector
//    produces it); Armington and transport activities are industries like the others, so imported inputs reach
//    their region of origin through the chain.
// 2. Final demand: each consumer's purchases at P_c. A "final-demand sector" (e.g. W_<region> of the multi-region
//    model, producing the utility good PU bought by the household) is not an industry: its inputs are the final
//    demand of the consumers that buy its output, in proportion to their purchases.
// 3. Direct emissions per activity e_j = (process + fuel + electricity) per unit of activity level x level Y_j;
//    then eps = f (I - A)^-1 (ComputeIoAccounts, sparse LU), emissions embodied in each consumer's final demand,
//    intensities per unit of value (and per physical unit when given), and the value-emission decomposition by
//    stage. Embodied emissions summed over all final demand equal total direct emissions (conservation).
//
// For the standard multi-region model (lccge/model/multi_region.hpp) ComputeMultiRegionAccounts labels the
// activities by region and data sector and takes their factors from an EmissionFactors table (electricity x the
// region's grid intensity).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/lca/emission_factors.hpp"
#include "lccge/lca/grid_intensity.hpp"
#include "lccge/lca/io_table.hpp"
#include "lccge/model/model.hpp"

namespace lccge::lca {

// Direct emissions of an activity per unit of its activity level (kg CO2e), split like FactorValue.
struct ActivityEmissionFactor {
  double process = 0;
  double fuel = 0;
  double electricity = 0;  // kWh x grid intensity, already in kg CO2e
  double total() const { return process + fuel + electricity; }
};

// Stage labels for the value-emission decomposition: by sector label (any region) or by "REGION.sector".
struct StageLabels {
  std::map<std::string, std::string> by_sector;
  std::map<std::string, std::string> by_industry;
  std::map<std::string, SourceLocation> where;  // of each key above (sector or REGION.sector), for messages
  bool empty() const { return by_sector.empty() && by_industry.empty(); }
};

// Parses a stage table (CSV with columns sector, stage and optionally region; a blank region or "*" means every
// region), e.g.
//   region,sector,stage
//   ,mining,mining
//   CN,refining,refining
// Errors name the file and line: missing columns, empty sector or stage, duplicate labels.
Status ParseStageLabels(const CsvTable& table, StageLabels* labels);
Status LoadStageLabels(const std::string& path, StageLabels* labels);

struct EquilibriumTableOptions {
  // Industry label (region, sector) of each sector variable; sectors not listed get (default_region, its name).
  std::map<std::string, Industry> industry_of_sector;
  // Region of each consumer's final-demand column; consumers not listed get default_region. The column's
  // category is the consumer's name.
  std::map<std::string, std::string> region_of_consumer;
  std::string default_region = "all";
  // Sectors whose inputs are the final demand of the consumers buying their outputs (their outputs may not be used
  // by any sector). They carry no direct emissions.
  std::vector<std::string> final_demand_sectors;
  // Direct emissions per unit of activity level by sector variable; sectors not listed emit nothing.
  std::map<std::string, ActivityEmissionFactor> factors;
  // Physical output per unit of activity level (e.g. tonnes) and its unit, by sector variable: gives intensities
  // per physical unit. Optional.
  std::map<std::string, std::pair<double, std::string>> physical_per_activity;
  // Stage labels for the decomposition (empty: no decomposition).
  StageLabels stages;
  // Relative tolerance of the value balance of each market, |supply - uses| <= tol x max(1, supply), and of net
  // endowments of produced commodities treated as zero (transfers between consumers).
  double balance_tolerance = 1e-6;
  bool IsValid(std::string* why) const;
};

struct ActivityAccount {
  std::string sector;                   // the model's sector variable
  Industry industry;                    // its label in the table
  double level = 0;                     // activity level Y_j
  double output_value = 0;              // x_j: outputs at market prices (gross of output taxes)
  double intermediate = 0;              // purchases of produced commodities at market prices
  double factor_payments = 0;           // purchases of commodities no sector produces (factors, resources)
  double taxes = 0;                     // x_j - intermediate - factor payments: net taxes on inputs and outputs
  double value_added = 0;               // factor payments + taxes = x_j - intermediate
  ActivityEmissionFactor direct_parts;  // kg CO2e (factor x level)
  double direct = 0;                    // kg CO2e
  double direct_intensity = 0;          // kg CO2e per unit of output value
  double embodied_intensity = 0;        // eps_j, kg CO2e per unit of output value
  double physical_intensity = 0;        // eps_j per physical unit (NaN when no physical output is given)
  std::string physical_unit;
};

struct FinalDemandAccount {
  std::string consumer;  // consumer name ("(net endowment)" for deliveries out of negative net endowments)
  std::string region;
  double value = 0;      // final demand in the table (at market prices; through final-demand sectors: their
                         // inputs)
  double embodied = 0;   // kg CO2e embodied
  double intensity = 0;  // embodied / value (0 when value = 0)
  std::map<std::string, double> by_origin;  // region where the embodied emissions occur -> kg CO2e
  double primary_value = 0;  // purchases of primary commodities (e.g. leisure): no emissions, not in the table
};

struct EquilibriumAccounts {
  IoTable table;
  IoAccounts io;
  std::vector<ActivityAccount> activities;       // in table order (one per industry except endowment suppliers)
  std::vector<FinalDemandAccount> final_demand;  // one per table final-demand column, in column order
  double total_direct = 0;
  double total_embodied = 0;                     // sum over final demand
  double conservation_gap = 0;                   // |total_embodied - total_direct| / max(1e-300, |total_direct|)
  double max_market_imbalance = 0;               // largest relative value imbalance of a produced commodity's market
  double final_demand_sector_value_added = 0;    // value added of final-demand sectors (taxes on final demand)
  std::vector<std::string> endowment_suppliers;  // produced commodities with a positive net endowment
  bool has_stages = false;
  StageDecomposition stages;
  // Share of each stage's value added and direct emissions for the labelled industries (see DecomposeByStage).
};

// Builds the table at `values` (a solution of `model` under `scenario`) and computes the accounts.
Status ComputeEquilibriumAccounts(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                                  const EquilibriumTableOptions& options, EquilibriumAccounts* accounts);

// ---- the standard multi-region model ----

struct MultiRegionAccountsOptions {
  int year = 0;  // year of the factor and grid lookups (0: rows without a year)
  // Unit of value of the model's data: a factor per this unit (e.g. "kg CO2e/USD") multiplies the activity's
  // benchmark output value. A factor per "activity" multiplies the activity level. A factor per any other unit
  // (e.g. "kg CO2e/t") needs the activity's benchmark physical output in that unit below.
  std::string value_unit = "USD";
  // Benchmark physical output per (region, data sector) with its unit, e.g. {"north", "agr"} -> {1200, "t"}.
  std::map<std::pair<std::string, std::string>, std::pair<double, std::string>> physical_output;
  StageLabels stages;
  double balance_tolerance = 1e-6;
  // Further sectors a builder added to the standard model (e.g. lccge::battery's SEC_<region>), with their industry
  // labels; they take no emission factor.
  std::map<std::string, Industry> extra_industries;
};

// Labels of a standard multi-region model recovered from its variable names: regions from W_<region> (and
// HH_<region>); Y_<region>_<sector> -> (region, sector); A_<region>_<good> -> (region, "armington:<good>");
// T -> ("global", "transport"); W_<region> are final-demand sectors; HH_<region> consumes in <region>. When region
// names overlap (a region is a prefix of another followed by '_'), the longest region name matching wins.
struct MultiRegionLabels {
  std::vector<std::string> regions;
  std::map<std::string, Industry> industry_of_sector;
  std::map<std::string, std::string> region_of_consumer;
  std::vector<std::string> final_demand_sectors;
  std::vector<std::string> production_sectors;  // the Y_ sectors, which take emission factors
};
// `extra` labels sectors a builder added to the standard model (they are industries without emission factors).
Status LabelMultiRegionModel(const Model& model, MultiRegionLabels* labels,
                             const std::map<std::string, Industry>* extra = nullptr);

// Per production sector Y_<r>_<s>: the factor of data sector s in region r (EmissionFactors::Evaluate: electricity
// kWh x the grid of r), converted to kg CO2e per unit of activity level with the benchmark output: value (factor
// per value_unit), 1 (per "activity") or physical output (per a physical unit). Benchmark output is the sector's
// output per unit of activity at the model's benchmark (levels and prices 1 or their start values, the model's
// own parameters).
struct MultiRegionFactor {
  std::string sector;  // Y_<r>_<s>
  std::string region, data_sector;
  FactorValue factor;                // as evaluated for the region
  double benchmark_output = 0;       // value (model units) per unit of activity level
  double activity_per_level = 0;     // units of the factor's activity per unit of activity level
  ActivityEmissionFactor per_level;  // kg CO2e per unit of activity level
};
Status MultiRegionEmissionFactors(const Model& model, const MultiRegionLabels& labels, const EmissionFactors& factors,
                                  const GridIntensities& grid, const MultiRegionAccountsOptions& options,
                                  std::vector<MultiRegionFactor>* result);

// All of the above: labels, factors, table and accounts at `values` (a solution under `scenario`).
Status ComputeMultiRegionAccounts(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                                  const EmissionFactors& factors, const GridIntensities& grid,
                                  const MultiRegionAccountsOptions& options, EquilibriumAccounts* accounts,
                                  std::vector<MultiRegionFactor>* factors_used = nullptr);

// Per-unit output of each sector at the model's benchmark (levels and prices 1 unless the model gives start
// values; the model's own parameters): sector variable name -> sum of its output quantities per unit of activity.
Status BenchmarkOutputs(const Model& model, std::map<std::string, double>* output_per_level);

}  // namespace lccge::lca
