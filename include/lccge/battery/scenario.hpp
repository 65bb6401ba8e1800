// Battery policy scenarios to 2060 as files (YAML) users copy and edit: docs/battery-scenarios.md.
//
//   name: Recycling                       # the IAMC scenario name
//   description: consumer-driven collection and recovery
//   include: [baseline.yaml]              # optional: other scenario files whose levers apply first
//   levers:
//     collection_rate:                    # share of end-of-life batteries collected, 0..1
//       - {region: "*", path: {2030: 0.6, 2040: 0.85}, source: "...", choice: true}
//     recovery_rate: [...]                # share of the feed's metal recovered, (0, 1]
//     recycled_content: [...]             # mandated secondary share of a region's cathode metal, 0..1
//     tariffs:                            # multiplier on the base-year rates of chain goods' routes (0: removed)
//       - {goods: "*", exporter: "*", importer: "*", path: {2025: 1, 2030: 0}, source: "..."}
//     technology_convergence:             # share of the gap to the best region's emission factors closed, 0..1
//       - {sectors: "*", path: {2025: 0, 2060: 0.8}, source: "...", choice: true}
//     grid_intensity: [...]               # a region's grid path in g CO2e/kWh, replacing the baseline's
//     captive_power: [...]                # a region's captive power emissions, index (2023 = 1), replacing the
//     baseline's
//
// A path gives values at years; between them and from the base year's value to the first point it is linear, after
// the last point flat. Every entry names its source, or says it is a choice (choice: true). Errors name the file,
// the line and the cause: unknown keys and levers, unknown regions, goods or sectors, years outside the base
// year..2100, values out of range, include cycles.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lccge/battery/data.hpp"
#include "lccge/core/status.hpp"
#include "lccge/dynamics/paths.hpp"

namespace lccge::battery {

struct LeverEntry {
  std::string region = "*";    // collection, recovery, recycled content, grid: a region code or "*"
  std::string goods = "*";     // tariffs: a chain good or "*"
  std::string exporter = "*";  // tariffs
  std::string importer = "*";  // tariffs
  std::string sectors = "*";   // technology convergence: a chain sector or "*"
  dynamics::Path path;
  std::string source;
  bool choice = false;      // the magnitude is a modelling choice (no source pins it)
  bool calibrated = false;  // calibrated to a published figure (docs/validation.md)
  SourceLocation where;
};

struct ScenarioSpec {
  std::string name;  // IAMC scenario name, e.g. "Recycling"
  std::string description;
  std::string file;
  // Lever name -> entries, in the order read (included files first). Lever names: collection_rate, recovery_rate,
  // recycled_content, tariffs, technology_convergence, grid_intensity, captive_power.
  std::map<std::string, std::vector<LeverEntry>> levers;
};

// The lever names a scenario file may use.
const std::vector<std::string>& LeverNames();

// Reads and checks a scenario file against the data (regions, goods, sectors).
Status LoadScenarioFile(const std::string& path, const BatteryData& data, ScenarioSpec* spec, int base_year = 2023);

// Multiplies every value of a lever's paths by `factor` (>= 0), kept inside the lever's range (sweeps).
void ScaleLever(ScenarioSpec* spec, const std::string& lever, double factor);

// The six bundled scenario files of a battery data folder, in report order: baseline, recycling,
// technology-cooperation, open-trade, tailored-circular-economy, combined (its scenarios/ subfolder).
std::vector<std::string> BundledScenarioFiles(const std::string& data_dir);

}  // namespace lccge::battery
