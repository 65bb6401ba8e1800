// The main job (`lccge run` without model files): the battery chain's scenarios to 2060. docs/battery.md.
#pragma once

#include <string>
#include <vector>

namespace lccge::app {

struct RunBatteryOptions {
  std::string data_dir;                     // the battery data folder
  std::vector<std::string> scenario_files;  // empty: the six bundled scenarios
  std::string out_dir = "results";
  int first_year = 2023, last_year = 2060, step = 1;
  bool shocks = true;    // also the base year's three policy shocks
  bool figures = true;   // PNG and SVG figures (gnuplot)
  bool verbose = false;  // progress lines even when standard error is not a terminal
};

int RunBattery(const RunBatteryOptions& options);

}  // namespace lccge::app
