// lccge balance DIR --out OUT [--fix-account NAME ...] [--tolerance T] [--report]: balances every region's SAM of a
// data folder with the data layer's cross-entropy balancing (docs/data.md, "Balancing") and writes the balanced
// folder. Trade-determined cells stay fixed, and so does every cell in the row or column of each --fix-account.
// Exit 0 balanced and written, 1 not balanced (nothing written), 2 invalid input or usage.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "cli_common.hpp"
#include "commands.hpp"
#include "lccge/data/balance.hpp"
#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"

namespace lccge::app {

int RunBalance(int argc, char** argv) {
  CLI::App cli{"Balance the SAMs of a data folder (cross-entropy, RAS-type) and write the balanced folder",
               "lccge balance"};
  std::string dir, out;
  std::vector<std::string> fix_accounts;
  data::BalanceOptions options;
  bool report = false;
  cli.add_option("DIR", dir, "data folder (CSV tables, docs/data.md)")->required();
  cli.add_option("--out", out, "folder to write the balanced data to (may be DIR itself)")->required();
  cli.add_option("--fix-account", fix_accounts,
                 "keep every cell in this account's row and column (every region); repeatable");
  cli.add_option("--tolerance", options.tolerance, "relative imbalance to reach (default 1e-10)");
  cli.add_flag("--report", report, "list every cell that moved (CSV) after the summary");
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;

  data::Dataset dataset;
  Diagnostics problems;
  Status s = data::ReadDataset(dir, &dataset, &problems);
  if (!problems.ok()) {
    for (const Status& p : problems.problems()) std::fprintf(stderr, "%s\n", p.ToString().c_str());
    return ReportError(
        Status::Invalid(std::to_string(problems.problems().size()) + " problem(s) reading the data", {dir, 0, 0}));
  }
  for (const std::string& name : fix_accounts) {
    const int k = dataset.AccountIndex(name);
    if (k < 0) return ReportError(Status::Invalid("--fix-account: unknown account '" + name + "'", {dir, 0, 0}));
    for (int r = 0; r < dataset.num_regions(); ++r)
      for (int j = 0; j < dataset.num_accounts(); ++j) {
        const std::string& region = dataset.regions[static_cast<size_t>(r)];
        const std::string& other = dataset.accounts[static_cast<size_t>(j)].name;
        if (dataset.sam[static_cast<size_t>(r)](k, j) != 0) options.fixed_cells.push_back({region, name, other});
        if (j != k && dataset.sam[static_cast<size_t>(r)](j, k) != 0)
          options.fixed_cells.push_back({region, other, name});
      }
  }
  data::BalanceSummary summary;
  s = data::Balance(options, &dataset, &summary);
  if (!s.ok()) return ReportError(s);
  std::printf("%s\n", (report ? summary.FullReport() : summary.BriefReport()).c_str());
  if (!summary.converged) {
    std::fprintf(stderr, "lccge balance: %s: not balanced: %s (nothing written)\n", dir.c_str(),
                 summary.message.c_str());
    return kExitFailed;
  }
  Diagnostics check;
  data::CheckDataset(dataset, data::CheckOptions(), &check);
  if (!check.ok()) {
    for (const Status& p : check.problems()) std::fprintf(stderr, "%s\n", p.ToString().c_str());
    return ReportError(Status::Failed("the balanced data does not pass the checks (nothing written)"));
  }
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  s = data::WriteDataset(dataset, out);
  if (!s.ok()) return ReportError(s);
  std::printf("wrote %s\n", out.c_str());
  return kExitOk;
}

}  // namespace lccge::app
