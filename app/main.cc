// lccge: computable general equilibrium with life-cycle emission accounts.
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* help;
};

constexpr Command kCommands[] = {
    {"solve", lccge::app::RunSolve, "solve a model file: lccge solve FILE [--scenario NAME] [--json]"},
    {"check", lccge::app::RunCheck, "validate a model file or a data folder, listing every problem"},
    {"build", lccge::app::RunBuild, "calibrate the standard multi-region model: lccge build DATA_DIR --out FILE"},
    {"balance", lccge::app::RunBalance, "balance the SAMs of a data folder: lccge balance DIR --out OUT"},
    {"synth", lccge::app::RunSynth, "write a synthetic balanced dataset: lccge synth --regions R --sectors S"},
    {"footprint", lccge::app::RunFootprint, "a product's cradle-to-gate footprint: lccge footprint FILE [--json]"},
    {"emissions", lccge::app::RunEmissions, "emission accounts of an equilibrium: lccge emissions MODEL --factors F"},
    {"bench", lccge::app::RunBench, "solver speed and convergence report"},
    {"run", lccge::app::RunRun, "the main job: the battery chain's scenarios to 2060 (or model files)"},
    {"sweep", lccge::app::RunSweep, "uncertainty sweeps over the battery scenarios: lccge sweep FILE [--threads N]"},
};

void PrintUsage(std::FILE* out) {
  std::fprintf(out, "usage: lccge <command> [options]\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.help);
  std::fprintf(out, "\n'lccge <command> --help' describes each command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return lccge::app::kExitInvalid;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(stdout);
    return lccge::app::kExitOk;
  }
  if (name == "--version") {
    std::printf("lccge 0.1.0\n");
    return lccge::app::kExitOk;
  }
  for (const Command& c : kCommands) {
    if (name == c.name) {
      std::string program = std::string("lccge ") + c.name;
      argv[1] = program.data();
      return c.run(argc - 1, argv + 1);
    }
  }
  std::fprintf(stderr, "lccge: unknown command '%s'\n\n", name.c_str());
  PrintUsage(stderr);
  return lccge::app::kExitInvalid;
}
