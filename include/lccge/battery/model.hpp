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
  bool IsValid(std::string* error) const;
};

struct BatteryModel {
  Model model;                     // finalized
  std::string numeraire;           // the fixed price of every scenario
  std::vector<std::string> chain;  // the chain's sectors (those with a stage), in data order
  // The benchmark scenario: the numeraire fixed, every parameter at its calibrated value.
  Scenario Benchmark() const;
};

// Builds and finalizes the model of `data` with parameters for tariffs on every chain good's routes, endowments
// (factors, mineral resources, scrap), output productivity, battery demand (the Cell-stage goods' use) and
// material intensity (inputs of the chain's sectors); docs/battery.md lists them.
Status BuildBatteryModel(const BatteryData& data, const BatteryModelOptions& options, BatteryModel* model);

struct Policy {
  std::string name;  // the scenario's name in reports
  // (good, exporter, importer) -> added ad valorem rate, e.g. {"cell", "CHN", "USA"} -> 0.25.
  std::map<std::tuple<std::string, std::string, std::string>, double> tariff_add;
  std::map<std::string, double> collection_rate;  // region -> new rate (0..1)
  std::map<std::string, double> grid_scale;       // region -> multiplier on its grid intensity (>= 0)
  std::map<std::string, double> parameters;       // any model parameter by name
  SourceLocation where;                           // where the policy was defined (for messages)
};

// The scenario of a policy: the benchmark scenario with the policy's parameters. Unknown regions, goods without
// tariff parameters, rates outside 0..1 and negative grid scales are errors naming the policy.
Status PolicyScenario(const BatteryData& data, const BatteryModel& model, const Policy& policy, Scenario* scenario);

// The policy shocks `lccge run` solves beside the base year: a 25 % US tariff (added points) on Chinese cathode
// material and cells; the EU's end-of-life collection rate doubled; China's grid intensity halved.
std::vector<Policy> StandardShocks(const BatteryData& data);

}  // namespace lccge::battery
