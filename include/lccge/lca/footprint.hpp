// A product's regionalised cradle-to-gate carbon footprint from an inventory file (YAML; format in docs/lca.md):
// components with a mass per functional unit and sourcing shares by country, each with electricity, heat, material
// and waste inputs per unit (directly or through named sub-processes, evaluated in the component's country unless
// an input names its own region); regional grid intensities and emission factors from CSV files; transport legs of
// critical minerals (lccge/lca/transport.hpp). Results: total, per component, a hotspot table by input category, and
// a carbon-footprint declaration per kWh by the EU Battery Regulation's life-cycle stages.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/lca/emission_factors.hpp"
#include "lccge/lca/grid_intensity.hpp"
#include "lccge/lca/transport.hpp"

namespace lccge::lca {

// Hotspot categories of inputs (transport of minerals is reported separately).
enum class InputCategory { kElectricity = 0, kHeat = 1, kResources = 2, kWaste = 3 };
inline constexpr int kNumInputCategories = 4;
// "electricity", "heat_and_mechanical_energy", "resources", "waste_by_products".
const char* CategoryKey(InputCategory category);
// "Electricity", "Heat and mechanical energy", "Resources", "Waste/by-products".
const char* CategoryTitle(InputCategory category);
// Accepts the key, the title (case-insensitive) and the short forms "heat" and "waste".
bool ParseCategory(const std::string& text, InputCategory* category);

// Life-cycle stages of the EU Battery Regulation (2023/1542, Annex II).
enum class LifeCycleStage { kRawMaterial = 0, kProduction = 1, kDistribution = 2, kEndOfLife = 3 };
inline constexpr int kNumLifeCycleStages = 4;
// "raw_material_acquisition_and_pre_processing", "main_product_production", "distribution",
// "end_of_life_and_recycling".
const char* StageKey(LifeCycleStage stage);
const char* StageTitle(LifeCycleStage stage);
// Accepts the key, the title (case-insensitive) and the short forms "raw_material", "production".
bool ParseStage(const std::string& text, LifeCycleStage* stage);

using CategoryVector = std::array<double, kNumInputCategories>;

struct Input {
  enum class Source { kElectricity, kFactor, kInlineFactor, kProcess };
  std::string name;
  Source source = Source::kElectricity;
  InputCategory category = InputCategory::kResources;  // for kFactor/kInlineFactor (process part)
  double amount = 0;                                   // per unit of the parent
  std::string unit;                                    // "kWh/kg", "kg/kg", "MJ/kg", ...
  std::string reference;                               // factor sector (kFactor) or process name (kProcess)
  double inline_factor = 0;                            // kg CO2e per unit of the numerator (kInlineFactor)
  std::string inline_unit;                             // e.g. "kg CO2e/MJ"
  std::string region;                                  // optional override of the producing region
  bool has_stage = false;
  LifeCycleStage stage = LifeCycleStage::kRawMaterial;  // optional override of the component's stage
  SourceLocation where;
};

struct Process {
  std::string name;
  std::string unit;  // unit of the process's output, e.g. "kg"
  std::vector<Input> inputs;
  SourceLocation where;
};

struct Component {
  std::string name;
  double mass = 0;   // per functional unit
  std::string unit;  // "kg"
  LifeCycleStage stage = LifeCycleStage::kRawMaterial;
  std::vector<std::pair<std::string, double>> sourcing;  // region -> share, sums to 1
  std::vector<Input> inputs;                             // per unit of the component
  SourceLocation where;
};

struct FootprintInventory {
  std::string file;  // the inventory file, for messages
  std::string name;
  std::string functional_unit;  // description
  double functional_amount = 1;
  std::string functional_unit_unit;  // "kg" or "kWh"
  double specific_energy = 0;        // kWh per functional-unit unit (kWh/kg); required unless the unit is kWh
  int year = 0;
  GridIntensities grid;
  EmissionFactors factors;
  std::map<std::string, Process> processes;
  std::vector<Component> components;
  bool has_transport = false;
  TransportInventory transport;
  LifeCycleStage transport_stage = LifeCycleStage::kRawMaterial;
  double share_tolerance = 1e-6;
};

// Parses an inventory file; grid-intensity and factor files it names are read relative to its folder. Errors name
// the file and line (YAML lines are 1-based).
Status LoadFootprintInventory(const std::string& path, FootprintInventory* inventory);
// Parses inventory text; `file` is used in messages and `base_dir` to resolve the CSV files it names.
Status ParseFootprintInventory(const std::string& text, const std::string& file, const std::string& base_dir,
                               FootprintInventory* inventory);

struct ComponentResult {
  std::string name;
  LifeCycleStage stage = LifeCycleStage::kRawMaterial;
  double total = 0;                         // kg CO2e per functional unit
  CategoryVector by_category{};             // sums to total
  std::map<std::string, double> by_region;  // sourcing region -> kg CO2e
};

struct FootprintResult {
  std::string name;
  std::string functional_unit;
  double functional_amount = 1;
  std::string functional_unit_unit;
  double kwh_per_functional_unit = 0;
  std::vector<ComponentResult> components;
  double components_total = 0;  // transport excluded
  CategoryVector by_category{};
  TransportResult transport;
  double total = 0;                                       // components + transport
  std::array<double, kNumLifeCycleStages> stage_total{};  // kg CO2e per functional unit
  std::array<double, kNumLifeCycleStages> declaration{};  // kg CO2e per kWh
};

Status ComputeFootprint(const FootprintInventory& inventory, FootprintResult* result);

// A readable report: components, hotspot table, transport by mineral and route, declaration per kWh.
std::string FormatFootprintReport(const FootprintResult& result);

}  // namespace lccge::lca
