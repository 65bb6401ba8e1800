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

#include <string>

#include "lccge/core/status.hpp"
#include "lccge/data/dataset.hpp"
#include "lccge/model/model.hpp"

namespace lccge::model {

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
  bool IsValid(std::string* error) const;
};

// Names used by the builder for variables, e.g. Name("Y", "north", "agr") = "Y_north_agr" (characters that cannot
// appear in expressions are replaced by '_').
std::string Name(const std::string& prefix, const std::string& a, const std::string& b = "");

// Builds and finalizes the model. The dataset must pass data::CheckDataset (the builder re-checks the identities
// it relies on and returns the first violation).
Status BuildMultiRegionModel(const data::Dataset& dataset, const MultiRegionOptions& options, Model* model);

// Reads a data folder (data::ReadDataset), checks it (data::CheckDataset) and builds the model from it: what
// `lccge solve DATA_DIR` and `lccge build` do. Every problem in the data goes to `diagnostics` (if given); the status
// returned is then the first of them, with the count of all in its cause.
Status BuildMultiRegionModelFromDirectory(const std::string& dir, const MultiRegionOptions& options, Model* model,
                                          Diagnostics* diagnostics = nullptr);

}  // namespace lccge::model
