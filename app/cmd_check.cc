// lccge check PATH: validates a model file, a data folder or a battery data folder (its data-layer files and the
// battery files, docs/battery.md) and prints every problem found (not only the first), and the warnings (a model
// whose benchmark is not an equilibrium, say). Exit 0 when there is no problem, 2 otherwise.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "cli_common.hpp"
#include "commands.hpp"
#include "lccge/battery/data.hpp"
#include "lccge/data/check.hpp"
#include "lccge/io/model_file.hpp"

namespace lccge::app {

int RunCheck(int argc, char** argv) {
  CLI::App cli{"Validate a model file or a data folder, listing every problem", "lccge check"};
  std::string path;
  cli.add_option("PATH", path, "model file (YAML/JSON) or data folder (CSV tables)")->required();
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;
  Diagnostics diagnostics;
  std::error_code ec;
  std::string what;
  if (battery::IsBatteryDataDirectory(path)) {
    what = "battery data folder";
    battery::BatteryData data;
    battery::LoadBatteryData(path, &data, &diagnostics);
  } else if (std::filesystem::is_directory(path, ec)) {
    what = "data folder";
    data::CheckDataDirectory(path, &diagnostics);
  } else {
    what = "model file";
    Model model;
    io::LoadModel(path, &model, &diagnostics);
  }
  for (const Status& problem : diagnostics.problems()) std::fprintf(stderr, "%s\n", problem.ToString().c_str());
  for (const Status& warning : diagnostics.warnings()) std::fprintf(stderr, "%s\n", WarningText(warning).c_str());
  const size_t warnings = diagnostics.warnings().size();
  const std::string warning_count =
      warnings == 0 ? "" : " (" + std::to_string(warnings) + " warning" + (warnings == 1 ? "" : "s") + ")";
  if (diagnostics.ok()) {
    std::printf("%s %s: no problems found%s\n", what.c_str(), path.c_str(), warning_count.c_str());
    return kExitOk;
  }
  std::fprintf(stderr, "%s %s: %zu problem%s%s\n", what.c_str(), path.c_str(), diagnostics.problems().size(),
               diagnostics.problems().size() == 1 ? "" : "s", warning_count.c_str());
  return kExitInvalid;
}

}  // namespace lccge::app
