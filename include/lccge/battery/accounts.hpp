// Value added and emissions of the battery chain by stage and region at an equilibrium of the battery model, from
// the life-cycle accounts of the multi-region model (lccge/lca/equilibrium.hpp): each chain activity's value added
// at market prices and its direct emissions (process + fuel + electricity x its region's grid, per unit of physical
// output), summed by stage (sectors.csv) and region; the world is the sum of the regions. The full accounts
// (embodied emissions, conservation, Leontief intensities) come along.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "lccge/battery/data.hpp"
#include "lccge/battery/model.hpp"
#include "lccge/lca/equilibrium.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::battery {

struct StageFigures {
  double value_added = 0;  // million USD at the solution's prices
  double emissions = 0;    // kg CO2e, direct: occurring in the stage's activities
  double real_output = 0;  // output at base-year prices (activity level x benchmark output), million USD
  double embodied = 0;     // kg CO2e, cradle to gate: embodied in the stage's output (eps x output value)
};

struct RegionAccounts {
  std::string code, name;                           // "World" for the world
  std::array<StageFigures, kStages.size()> stages;  // by index in kStages
  StageFigures total;                               // the chain: every stage
  double cells_gwh = 0;                             // cells produced (Cell-stage physical output, GWh)
  double EmissionShare(size_t stage) const {
    return total.emissions > 0 ? stages[stage].emissions / total.emissions : 0;
  }
  double ValueShare(size_t stage) const {
    return total.value_added > 0 ? stages[stage].value_added / total.value_added : 0;
  }
  // The chain's emission intensity (docs/battery.md): cradle-to-gate emissions embodied in the region's chain output
  // (wherever they occur) per unit of its real chain output, kg CO2e per USD at base-year prices.
  double Intensity() const { return total.real_output > 0 ? total.embodied / (total.real_output * 1e6) : 0; }
  // Production-based: the emissions occurring in the region's chain per unit of its real chain output.
  double ProductionIntensity() const { return total.real_output > 0 ? total.emissions / (total.real_output * 1e6) : 0; }
};

struct BatteryAccounts {
  std::vector<RegionAccounts> regions;  // in data order
  RegionAccounts world;
  // Secondary material's share of the metal the cathode makers use (physical, world).
  double secondary_share = 0;
  lca::EquilibriumAccounts equilibrium;         // every activity, embodied emissions, conservation
  std::vector<lca::MultiRegionFactor> factors;  // the factors used, per production activity
};

// Changes of the emission side that do not move the equilibrium: a year's grid intensities, technology (process and
// electricity efficiency), a policy's grid scales.
struct EmissionAdjustments {
  std::map<std::string, double> grid;                                  // region -> kg CO2e/kWh replacing the data's
  std::map<std::string, double> grid_scale;                            // region -> multiplier, after `grid`
  std::map<std::pair<std::string, std::string>, double> direct_scale;  // (region, sector) -> x process + fuel
  std::map<std::pair<std::string, std::string>, double> electricity_scale;  // (region, sector) -> x kWh per unit
  double default_direct_scale = 1.0;                                        // pairs not listed above
  double default_electricity_scale = 1.0;
};
// The adjustments of a policy: its grid scales.
EmissionAdjustments AdjustmentsOf(const Policy& policy);

// Accounts of the battery model at `values` (a solution under `scenario`); null adjustments = the data as it is.
Status ComputeBatteryAccounts(const BatteryData& data, const BatteryModel& model, const Scenario& scenario,
                              const std::vector<double>& values, const EmissionAdjustments* adjustments,
                              BatteryAccounts* accounts);

// Cradle-to-gate footprint implied by the accounts for a bill of materials (BatteryData::chemistries) made in one
// region (every stage in `region`, each input bought on that region's market): sum over inputs of amount x the
// embodied intensity per physical unit of the region's market for that good, plus the own (direct) emissions of
// the stages that turn them into the product. docs/validation.md uses it for NMC811 cells.
struct Footprint {
  double per_kwh = 0;                   // kg CO2e per kWh of cells
  double cathode_per_kg = 0;            // kg CO2e per kg of cathode active material (cradle to gate)
  std::map<std::string, double> parts;  // kg CO2e per kWh by part (each chemical, cathode, graphite, cell)
};
Status ImpliedFootprint(const BatteryData& data, const BatteryModel& model, const BatteryAccounts& accounts,
                        const std::vector<double>& values, const std::string& region, const BillOfMaterials& bom,
                        Footprint* footprint);

}  // namespace lccge::battery
