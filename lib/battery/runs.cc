// Runs of several battery scenarios: the loop `lccge run`, the C API (lccge_run_scenarios) and the Python module
// (lccge.run) share. The program keeps its printing, files and figures; this file only reads, checks and solves.
#include <string>
#include <utility>
#include <vector>

#include "lccge/battery/dynamics.hpp"

namespace lccge::battery {

Status LoadScenarioFiles(const BatteryData& data, const std::vector<std::string>& files, int base_year,
                         std::vector<ScenarioSpec>* specs) {
  const std::vector<std::string> chosen = files.empty() ? BundledScenarioFiles(data.dir) : files;
  std::vector<ScenarioSpec> loaded;
  for (const std::string& file : chosen) {
    ScenarioSpec spec;
    Status s = LoadScenarioFile(file, data, &spec, base_year);
    if (!s.ok()) return s;
    for (const ScenarioSpec& other : loaded)
      if (other.name == spec.name)
        return Status::Invalid("two scenarios named '" + spec.name + "' (" + other.file + ")", {file, 0, 0});
    loaded.push_back(std::move(spec));
  }
  *specs = std::move(loaded);
  return Status::Ok();
}

Status RunScenarios(const BatteryData& data, const BatteryModel& model, const std::vector<ScenarioSpec>& specs,
                    const DynamicOptions& options, const ProgressFn& progress, const ScenarioDoneFn& done,
                    std::vector<ScenarioResult>* runs, scenario::IamcTable* table) {
  std::string why;
  if (!options.IsValid(&why)) return Status::Invalid("dynamic options: " + why);
  const int base_year = DynamicOptions().first_year;
  if (options.first_year != base_year)
    return Status::Invalid("the first year must be the data's base year " + std::to_string(base_year) +
                           " (the recursive dynamics start from the calibrated benchmark), not " +
                           std::to_string(options.first_year));
  std::vector<ScenarioResult> results;
  results.reserve(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    ScenarioResult result;
    Status s = RunScenario(data, model, specs[i], options, progress, &result);
    if (!s.ok()) return s;
    if (done) done(i, result);
    results.push_back(std::move(result));
  }
  if (table != nullptr)
    for (const ScenarioResult& run : results) AppendIamcRows(run, table);
  if (runs != nullptr) *runs = std::move(results);
  return Status::Ok();
}

Status RunScenarios(const std::string& data_dir, const std::vector<std::string>& scenario_files,
                    const DynamicOptions& options, const ProgressFn& progress, std::vector<ScenarioResult>* runs,
                    scenario::IamcTable* table, Diagnostics* diagnostics) {
  std::string why;
  if (!options.IsValid(&why)) return Status::Invalid("dynamic options: " + why);
  const std::string dir = data_dir.empty() ? DefaultDataDirectory() : data_dir;
  if (dir.empty())
    return Status::IoError("the bundled battery data folder was not found (set LCCGE_DATA_DIR or give a data folder)");
  // Every problem of the data folder, the first returned with the count of the others (as a multi-region data
  // folder's, lccge/io/model_file.hpp).
  Diagnostics local;
  Diagnostics* problems = diagnostics != nullptr ? diagnostics : &local;
  const size_t before = problems->problems().size();
  BatteryData data;
  LoadBatteryData(dir, &data, problems);
  if (Status s = problems->FirstSince(before, "the battery data folder " + dir); !s.ok()) return s;
  std::vector<ScenarioSpec> specs;
  Status s = LoadScenarioFiles(data, scenario_files, options.first_year, &specs);
  if (!s.ok()) return s;
  BatteryModel model;
  s = BuildBatteryModel(data, {}, &model);
  if (!s.ok()) return s;
  return RunScenarios(data, model, specs, options, progress, nullptr, runs, table);
}

}  // namespace lccge::battery
