// lccge build DATA_DIR --out FILE: calibrates the standard multi-region model from a data folder and writes it as
// a model file (atomically). The data must pass every check (lccge check DATA_DIR lists the problems).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli_common.hpp"
#include "commands.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/model/multi_region.hpp"

namespace lccge::app {

int RunBuild(int argc, char** argv) {
  CLI::App cli{"Calibrate the standard multi-region model from a data folder", "lccge build"};
  std::string dir, out;
  model::MultiRegionOptions options;
  cli.add_option("DATA_DIR", dir, "data folder (accounts.csv, sam.csv, trade.csv, ...)")->required();
  cli.add_option("--out", out, "model file to write (YAML)")->required();
  cli.add_option("--numeraire-region", options.numeraire_region, "region whose PU is the numeraire");
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;
  Model model;
  if (int code = BuildModelFromData(dir, options, &model); code >= 0) return code;
  Status s = io::SaveModel(model, out);
  if (!s.ok()) return ReportError(s);
  std::printf("wrote %s: %d variables, %zu production blocks, %zu scenarios\n", out.c_str(), model.num_variables(),
              model.productions().size(), model.scenarios().size());
  return kExitOk;
}

}  // namespace lccge::app
