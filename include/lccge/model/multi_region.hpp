// The standard multi-region (GTAP-style) model calibrated from a data::Dataset, generated as an ordinary
// lccge::Model solved by the same engine (docs/multi-region.md):
// - per region r and sector s, activity Y_r_s: nested CES of intermediates (Armington goods, esub_int) and value
//   added (labour, capital, a sector-specific resource; esub_va) under esub_top; output PY_r_s at market prices
//   with the production tax (revenue to the regional household); CET between domestic sales PD_r_s and exports
//   PE_r_s where etrn is given;
// - per region and good, Armington aggregation A_r_g: domestic sales vs the import composite (esub_dm), imports by
//   source (esub_mm), each route a Leontief bundle of the exporter's good (fob) and the global transport service
//   PT (margin), with the bilateral tariff on the cif value (revenue to the importer's household);
// - a global transport activity T (Cobb-Douglas over the regions' margin services);
// - per region, a final-demand activity W_r producing PU_r from private (esub_fd), government and investment
//   demand, bought by the regional household HH_r, whose income is factor income, taxes and its foreign savings,
//   held fixed in units of the numeraire PU of the first region (current account closure "fixed").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/data/dataset.hpp"
#include "lccge/model/model.hpp"

namespace lccge::model {

// Parameters a builder can add for shocks and dynamics (all off by default: a GTAP-size model would get millions).
// Each multiplies or shifts one calibrated quantity; at their defaults the model is the benchmark model.
struct ShockParameterOptions {
  // Import tariffs: per route of these goods ("*" = every good) a parameter tm_<good>_<exporter>_<importer>
  // (default 0) added to the route's rate: t0 * tariff_scale + tariff_add + tm.
  std::vector<std::string> tariff_goods;
  // Endowments: qe_<region>_<factor> for each labour and capital account and qe_<region>_<resource>_<sector> for
  // each sector-specific resource multiply the benchmark endowment (default 1).
  bool endowments = false;
  // Output-augmenting productivity ao_<region>_<sector> (default 1): every input per unit of output is divided by it.
  bool productivity = false;
  // Demand shifters dm_<region>_<good> for these goods ("*" = every good; default 1) multiply the benchmark quantity
  // of the good in every use in the region (intermediate inputs of every sector and final demand): a change of
  // technology or preferences toward the good, e.g. battery demand per unit of the rest of the economy.
  std::vector<std::string> demand_goods;
  // Input-saving technical change ai_<region>_<good>_<sector> (default 1) for the intermediate inputs of these using
  // sectors ("*" = every sector): the benchmark quantity of good per unit of the sector's activity is multiplied by
  // it, e.g. less cathode material per kWh of cells.
  std::vector<std::string> input_sectors;
  // With endowments on: the supply of these resource accounts responds to its real price,
  // q0 x qe x (PR / PU_region)^elasticity (resource account name -> elasticity; absent: a fixed endowment).
  std::map<std::string, double> resource_supply_elasticity;
  bool any() const {
    return !tariff_goods.empty() || endowments || productivity || !demand_goods.empty() || !input_sectors.empty();
  }
};

struct MultiRegionOptions {
  // Region whose PU is the numeraire (fixed to 1 in the generated scenarios); empty = the first region.
  std::string numeraire_region;
  // Foreign savings closure: "fixed" (in units of the numeraire) is the one implemented.
  std::string current_account = "fixed";
  // Scenarios to add: "benchmark", "tariff_removal" (all tariffs to zero) and "tariff_10" (+10 points on every
  // route).
  bool add_scenarios = true;
  // Give each import composite its own activity M_r_g and price PM_r_g instead of a nest inside A_r_g: the same
  // equilibrium, written as GTAP's explicit formulation writes it. Off by default: with MPSGE's implicit price
  // indices it adds unknowns without making the Jacobian sparser (docs/multi-region.md, "Import composite").
  bool explicit_import_composite = false;
  ShockParameterOptions shock_parameters;
  bool IsValid(std::string* error) const;
};

// Names used by the builder for variables, e.g. Name("Y", "north", "agr") = "Y_north_agr" (characters that cannot
// appear in expressions are replaced by '_').
std::string Name(const std::string& prefix, const std::string& a, const std::string& b = "");

// Names of the shock parameters (ShockParameterOptions), sanitized like Name().
std::string TariffParameter(const std::string& good, const std::string& exporter, const std::string& importer);
std::string EndowmentParameter(const std::string& region, const std::string& factor, const std::string& sector = "");
std::string ProductivityParameter(const std::string& region, const std::string& sector);
std::string DemandParameter(const std::string& region, const std::string& good);
std::string InputParameter(const std::string& region, const std::string& good, const std::string& sector);

// Adds the model's parts to `model` without finalizing it, so that another builder can add blocks, parameters,
// auxiliary constraints and scenarios before calling Model::Finalize (lccge::battery does).
Status AssembleMultiRegionModel(const data::Dataset& dataset, const MultiRegionOptions& options, Model* model);

// Builds and finalizes the model. The dataset must pass data::CheckDataset (the builder re-checks the identities
// it relies on and returns the first violation).
Status BuildMultiRegionModel(const data::Dataset& dataset, const MultiRegionOptions& options, Model* model);

// Reads a data folder (data::ReadDataset), checks it (data::CheckDataset) and builds the model from it: what
// `lccge solve DATA_DIR` and `lccge build` do. Every problem in the data goes to `diagnostics` (if given); the status
// returned is then the first of them, with the count of all in its cause.
Status BuildMultiRegionModelFromDirectory(const std::string& dir, const MultiRegionOptions& options, Model* model,
                                          Diagnostics* diagnostics = nullptr);

}  // namespace lccge::model
