// lccge synth: writes a synthetic balanced multi-region dataset (docs/data.md, "Synthetic data").
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"
#include "lccge/data/synth.hpp"

namespace lccge::app {

int RunSynth(int argc, char** argv) {
  CLI::App app{"Write a synthetic, balanced multi-region dataset (SAMs, bilateral trade, tariffs, elasticities)",
               "lccge synth"};
  data::SynthOptions options;
  std::string out;
  bool no_government = false, no_margins = false, check = false;
  app.add_option("--regions,-r", options.regions, "number of regions")->capture_default_str();
  app.add_option("--sectors,-s", options.sectors, "number of sectors (= goods)")->capture_default_str();
  app.add_option("--seed", options.seed, "random seed; the same seed writes the same data")->capture_default_str();
  app.add_option("--out,-o", out, "output directory (created if missing)")->required();
  app.add_option("--zero-links", options.zero_link_share, "share of bilateral links without trade")
      ->capture_default_str();
  app.add_option("--mean-tariff", options.mean_tariff, "average tariff on goods")->capture_default_str();
  app.add_flag("--cet", options.cet, "write CET elasticities (etrn) between domestic sales and exports");
  app.add_flag("--no-government", no_government, "no government account");
  app.add_flag("--no-margins", no_margins, "no international transport margins");
  app.add_flag("--check", check, "run every data check on the result before writing it");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInvalid;
  }
  options.government = !no_government;
  options.margins = !no_margins;
  std::string why;
  if (!options.IsValid(&why)) {
    std::fprintf(stderr, "lccge synth: %s\n", why.c_str());
    return kExitInvalid;
  }
  const auto t0 = std::chrono::steady_clock::now();
  data::Dataset dataset;
  Status s = data::Synthesize(options, &dataset);
  if (!s.ok()) {
    std::fprintf(stderr, "lccge synth: %s\n", s.ToString().c_str());
    return ExitCodeFor(s);
  }
  const auto t1 = std::chrono::steady_clock::now();
  if (check) {
    Diagnostics diag;
    data::CheckDataset(dataset, data::CheckOptions(), &diag);
    if (!diag.ok()) {
      std::fprintf(stderr, "lccge synth: the generated data fail their checks (a defect in lccge):\n%s",
                   diag.ToString().c_str());
      return kExitFailed;
    }
  }
  s = data::WriteDataset(dataset, out);
  if (!s.ok()) {
    std::fprintf(stderr, "lccge synth: %s\n", s.ToString().c_str());
    return ExitCodeFor(s);
  }
  const auto t2 = std::chrono::steady_clock::now();
  long sam_cells = 0, links = 0;
  for (const auto& m : dataset.sam) sam_cells += static_cast<long>((m.array() != 0).count());
  for (const auto& m : dataset.trade) links += static_cast<long>((m.array() != 0).count());
  std::printf(
      "wrote %s: %d regions, %d sectors, %d accounts, %ld SAM cells, %ld trade links "
      "(generated in %.2f s, written in %.2f s)\n",
      out.c_str(), dataset.num_regions(), dataset.num_sectors(), dataset.num_accounts(), sam_cells, links,
      std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count());
  return kExitOk;
}

}  // namespace lccge::app
