// The reference of the C API's scenario-run test (c_api_test.c): the same run through the C++ API, one step at a time
// (LoadBatteryData, LoadScenarioFile, BuildBatteryModel, RunScenario, AppendIamcRows; not RunScenarios, which the C
// API calls), written as an IAMC CSV whose numbers read back to the same doubles.
//
// Usage: c_api_run_reference DATA_DIR SCENARIO_FILE FIRST_YEAR LAST_YEAR OUT_CSV
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lccge/battery/battery.hpp"
#include "lccge/scenario/iamc.hpp"

int main(int argc, char** argv) {
  using namespace lccge;
  if (argc != 6) {
    std::fprintf(stderr, "usage: c_api_run_reference DATA_DIR SCENARIO_FILE FIRST_YEAR LAST_YEAR OUT_CSV\n");
    return 2;
  }
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "c_api_run_reference: %s\n", s.ToString().c_str());
    return 1;
  };
  battery::BatteryData data;
  Status s = battery::LoadBatteryData(argv[1], &data);
  if (!s.ok()) return fail(s);
  battery::DynamicOptions options;
  options.first_year = std::atoi(argv[3]);
  options.last_year = std::atoi(argv[4]);
  battery::ScenarioSpec spec;
  s = battery::LoadScenarioFile(argv[2], data, &spec, options.first_year);
  if (!s.ok()) return fail(s);
  battery::BatteryModel model;
  s = battery::BuildBatteryModel(data, {}, &model);
  if (!s.ok()) return fail(s);
  battery::ScenarioResult run;
  s = battery::RunScenario(data, model, spec, options, nullptr, &run);
  if (!s.ok()) return fail(s);
  scenario::IamcTable table;
  battery::AppendIamcRows(run, &table);
  s = table.Write(argv[5]);
  if (!s.ok()) return fail(s);
  std::printf("wrote %s (%zu rows)\n", argv[5], table.num_rows());
  return 0;
}
