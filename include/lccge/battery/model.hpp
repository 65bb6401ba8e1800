// The battery supply-chain model: the standard multi-region model (lccge/model/multi_region.hpp) of the battery
// data folder, with the shock parameters its policies need, and the policy levers that set them.
//
// Policy levers (a Policy; docs/battery.md):
//   tariffs           extra ad valorem points on a route of a chain good (parameter tm_<good>_<exporter>_<importer>)
//   collection rates  a region's end-of-life collection rate: the Recycling sector's scrap endowment becomes
//                     (other feed + rate x end-of-life metal) / benchmark feed (parameter qe_<region>_<scrap>_<sector>)
//   grid scale        a multiplier on a region's grid intensity: an emissions-only lever (the accounts, not the
//                     equilibrium), e.g. 0.5 for a grid decarbonised by half
// Any other parameter of the model can be set by name (Policy::parameters).
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "lccge/battery/data.hpp"
#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"

namespace lccge::battery {

struct BatteryModelOptions {
  // Region whose utility price is the numeraire (empty: the first region of the data).
  std::string numeraire_region;
  // Recycled-content mandates: each region's secondary material reaches its buyers through an activity
  // SEC_<region> with an endogenous subsidy RC_<region> (an auxiliary variable, as in MPSGE) that keeps the
  // secondary share of the region's cathode metal at least the parameter rc_<region> (default 0: never binding).
  bool recycled_content = true;
  bool IsValid(std::string* error) const;
};

struct BatteryModel {
  Model model;                     // finalized
  std::string numeraire;           // the fixed price of every scenario
  std::vector<std::string> chain;  // the chain's sectors (those with a stage), in data order
  // Regions with a recycled-content constraint, and per region the benchmark metal (t) per unit of the cathode
  // makers' activity (the default of rcm_<region>, which the dynamics scale with the chemistry mix).
  std::map<std::string, double> metal_per_cathode_level;
  std::map<std::string, double> secondary_per_level;  // t of secondary metal per unit of SEC_<region>
  // The benchmark scenario: the numeraire fixed, every parameter at its calibrated value.
  Scenario Benchmark() const;
};

// Names of the recycled-content parameters and variables of a region.
std::string RecycledContentParameter(const std::string& region);  // rc_<region>: the mandated share (0..1)
std::string MetalPerCathodeParameter(const std::string& region);  // rcm_<region>: t metal per cathode activity
std::string RecycledContentSubsidy(const std::string& region);    // RC_<region>: the endogenous subsidy rate
std::string SecondaryActivity(const std::string& region);         // SEC_<region>

// Builds and finalizes the model of `data` with parameters for tariffs on every chain good's routes, endowments
// (factors, mineral resources, scrap), output productivity, battery demand (the Cell-stage goods' use) and
// material intensity (inputs of the chain's sectors); docs/battery.md lists them.
Status BuildBatteryModel(const BatteryData& data, const BatteryModelOptions& options, BatteryModel* model);

struct Policy {
  std::string name;  // the scenario's name in reports
  // (good, exporter, importer) -> added ad valorem rate, e.g. {"cell", "CHN", "USA"} -> 0.25.
  std::map<std::tuple<std::string, std::string, std::string>, double> tariff_add;
  std::map<std::string, double> collection_rate;   // region -> new rate (0..1)
  std::map<std::string, double> grid_scale;        // region -> multiplier on its grid intensity (>= 0)
  std::map<std::string, double> parameters;        // any model parameter by name
  std::map<std::string, double> recycled_content;  // region -> mandated secondary share of cathode metal (0..1)
  SourceLocation where;                            // where the policy was defined (for messages)
};

// The scenario of a policy: the benchmark scenario with the policy's parameters. Unknown regions, goods without
// tariff parameters, rates outside 0..1 and negative grid scales are errors naming the policy.
Status PolicyScenario(const BatteryData& data, const BatteryModel& model, const Policy& policy, Scenario* scenario);

// The policy shocks `lccge run` solves beside the base year: a 25 % US tariff (added points) on Chinese cathode
// material and cells; the EU's end-of-life collection rate doubled; China's grid intensity halved.
std::vector<Policy> StandardShocks(const BatteryData& data);

}  // namespace lccge::battery
