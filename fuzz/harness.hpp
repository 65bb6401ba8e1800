// Fuzz harnesses for lccge's readers (docs/testing.md). A harness takes the raw bytes of one fuzz input, feeds them
// to a reader and checks what the reader promises: it returns a Status (a crash, hang, leak or sanitizer report is
// the fuzzer's to catch), and an input it accepts, written back and read again, gives the same model, dataset or
// expression. A harness returns "" when all held, else what went wrong. The libFuzzer programs (fuzz_target.cc)
// abort on a message; the regression test (test/fuzz/regressions_test.cc) runs every saved input through the same
// harness, so a finding stays fixed.
//
// Adding a reader: write a harness here and in harness.cc, add it to Targets();
// fuzz/CMakeLists.txt then builds fuzz_<name>, scripts/fuzz_corpus.sh needs its seeds, and the regression inputs go
// to test/data/fuzz-regressions/<name>/.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lccge::fuzz {

// A model file, YAML or JSON: io::ParseModel; an accepted model is written with io::ModelToYaml, read again and
// compared field by field (and the second writing must equal the first).
std::string FuzzModel(std::string_view input);
// An expression: Expression::Parse; an accepted one is re-parsed from text() and both are evaluated (with and
// without gradient) at the same point, which must give the same numbers.
std::string FuzzExpression(std::string_view input);
// A data folder, its files as parts (SplitParts): accounts.csv, sam.csv, trade.csv, tariffs.csv, elasticities.csv,
// taxes.csv, nests.csv (an empty part: no such file). data::ReadDataset and data::CheckDataDirectory; an accepted
// dataset is written with data::WriteDataset, read again and compared.
std::string FuzzDataFolder(std::string_view input);
// Grid intensities and emission factors, as parts grid.csv and factors.csv: lca::ParseGridIntensities and
// lca::ParseEmissionFactors; every value of an accepted table must be finite and evaluate.
std::string FuzzLcaTables(std::string_view input);
// A footprint inventory with its tables, as parts inventory.yaml, grid.csv, factors.csv (written to one folder):
// lca::LoadFootprintInventory; an accepted inventory is computed (lca::ComputeFootprint) and reported.
std::string FuzzFootprint(std::string_view input);

// A battery scenario file with a file it may include, as parts scenario.yaml and included.yaml (written to one
// folder): battery::LoadScenarioFile against the bundled battery data; an accepted scenario must have known levers
// and finite paths in the horizon, and written back (its includes merged) it reads again to the same levers.
std::string FuzzScenario(std::string_view input);
// A sweep file with a scenario file it may name, as parts sweep.yaml and scenario.yaml: battery::LoadSweepFile;
// the draws of an accepted sweep (up to 100,000 values) are finite, inside their distributions and bounds and the
// same twice, and the sweep written back reads again to the same sweep.
std::string FuzzSweep(std::string_view input);
// One of the battery data folder's own files (regions, sectors, physical quantities, recycling, chemistries,
// parameters, published figures, paths: the first byte picks it, the rest is its text) in a copy of the bundled
// folder: battery::LoadBatteryData; status and diagnostics agree, and accepted data have one record per region and
// sector, known stages, recycling rates inside their ranges and finite quantities, parameters and paths.
std::string FuzzBatteryData(std::string_view input);

using Harness = std::string (*)(std::string_view input);

struct Target {
  const char* name;  // the program is fuzz_<name>; its seeds and regression inputs are in folders of this name
  Harness run;
};
// Every fuzz target.
std::span<const Target> Targets();
// The target called `name`, or nullptr.
const Target* FindTarget(std::string_view name);

// The parts of a multi-file input: separated by lines "@@" (kPartSeparator), at most `max_parts` (the last part
// keeps any further separators).
inline constexpr std::string_view kPartSeparator = "\n@@\n";
std::vector<std::string_view> SplitParts(std::string_view input, size_t max_parts);

}  // namespace lccge::fuzz
