// The main job: the battery chain's scenarios to 2060 (and the base year's policy shocks), with progress on the
// terminal and every output written at the end through a staging folder (an interrupted run leaves nothing).
#include "run_battery.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_common.hpp"
#include "commands.hpp"
#include "figures.hpp"
#include "lccge/battery/battery.hpp"
#include "lccge/core/file.hpp"
#include "lccge/dynamics/recursive.hpp"
#include "lccge/scenario/iamc.hpp"

namespace lccge::app {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// The regions of the comparison tables: World and every region with cells or a paper figure.
std::vector<std::string> TableRegions(const battery::BatteryData& data) {
  std::vector<std::string> out = {"World"};
  for (const battery::RegionInfo& r : data.regions) out.push_back(r.name);
  return out;
}

std::string Fixed(double v, int digits = 2) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

// ---- figures ----

std::vector<Figure> MakeFigures(const battery::BatteryData& data, const std::vector<battery::ScenarioResult>& runs,
                                const battery::ScenarioResult& baseline, int last_year) {
  std::vector<Figure> figures;
  // 1. Emission intensity paths by scenario: World and the three regions the paper reports.
  {
    Figure f;
    f.name = "intensity_paths";
    f.width = 1400;
    f.height = 1000;
    std::string csv = "year";
    for (const auto& run : runs) csv += "," + run.spec.name;
    csv += "\n";
    const std::vector<std::string> panels = {"World", "China", "United States", "European Union"};
    std::map<std::string, std::string> by_panel;
    for (const std::string& panel : panels) {
      std::string text = csv;
      for (const battery::YearRecord& y : baseline.years) {
        text += std::to_string(y.year);
        for (const auto& run : runs) {
          const battery::YearRecord* ry = run.Year(y.year);
          double v = NAN;
          if (ry != nullptr) {
            if (panel == "World") {
              v = ry->accounts.world.Intensity();
            } else {
              for (const auto& r : ry->accounts.regions)
                if (r.name == panel) v = r.Intensity();
            }
          }
          text += ',';
          text += std::isfinite(v) ? std::to_string(1000 * v) : std::string("NaN");
        }
        text += "\n";
      }
      const std::string file = "intensity_" + std::to_string(by_panel.size()) + ".csv";
      by_panel[panel] = file;
      f.data.emplace_back(file, text);
    }
    std::string s =
        "set multiplot layout 2,2 title 'Emission intensity of the battery chain (g CO2e per USD_{2023} "
        "of real chain output)'\nset key top right font ',9'\nset grid\nset xlabel 'year'\n";
    for (const std::string& panel : panels) {
      s += "set title " + GnuplotQuote(panel) + "\nplot ";
      for (size_t i = 0; i < runs.size(); ++i)
        s += (i ? ", " : "") + GnuplotQuote(by_panel[panel]) + " using 1:" + std::to_string(i + 2) +
             " with lines lw 2 title " + GnuplotQuote(runs[i].spec.name);
      s += "\n";
    }
    s += "unset multiplot";
    f.script = s;
    figures.push_back(std::move(f));
  }
  // 2. Value-emission shares by stage, World: base year and the last year of each scenario.
  {
    Figure f;
    f.name = "stage_shares";
    f.width = 1400;
    f.height = 700;
    std::string text = "case";
    for (const char* stage : battery::kStages) text += std::string(",") + stage + " value," + stage + " emissions";
    text += "\n";
    auto row = [&](const std::string& label, const battery::RegionAccounts& w) {
      text += label;
      for (size_t s = 0; s < battery::kStages.size(); ++s)
        text += "," + std::to_string(100 * w.ValueShare(s)) + "," + std::to_string(100 * w.EmissionShare(s));
      text += "\n";
    };
    if (!baseline.years.empty()) row("2023", baseline.years.front().accounts.world);
    for (const auto& run : runs)
      if (const battery::YearRecord* y = run.Year(last_year))
        row(run.spec.name + " " + std::to_string(last_year), y->accounts.world);
    f.data.emplace_back("stage_shares.csv", text);
    std::string s =
        "set multiplot layout 1,2 title 'Value-emission shares by stage, World (%)'\n"
        "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.8 border -1\n"
        "set boxwidth 0.7\nset yrange [0:100]\nset xtics rotate by -30 font ',9'\nset key outside right\n";
    for (int panel = 0; panel < 2; ++panel) {
      s += std::string("set title '") + (panel == 0 ? "value added" : "emissions") + "'\nplot ";
      for (size_t st = 0; st < battery::kStages.size(); ++st)
        s += (st ? ", " : "") + std::string("'stage_shares.csv' using ") + std::to_string(2 + 2 * st + panel) +
             (st == 0 ? ":xtic(1)" : "") + " title " + GnuplotQuote(battery::kStages[st]);
      s += "\n";
    }
    s += "unset multiplot";
    f.script = s;
    figures.push_back(std::move(f));
  }
  // 3. Who gains and who pays: the change in each region's chain emissions and value added in the last year, against
  // the baseline, by scenario (the burden shifting the paper warns about).
  {
    Figure f;
    f.name = "burden_shifting";
    f.width = 1500;
    f.height = 800;
    std::string text = "region";
    for (const auto& run : runs)
      if (run.spec.name != baseline.spec.name) text += "," + run.spec.name + " emissions," + run.spec.name + " value";
    text += "\n";
    const battery::YearRecord* b = baseline.Year(last_year);
    for (size_t r = 0; b != nullptr && r < data.regions.size(); ++r) {
      text += "\"" + data.regions[r].name + "\"";
      for (const auto& run : runs) {
        if (run.spec.name == baseline.spec.name) continue;
        const battery::YearRecord* y = run.Year(last_year);
        const double de =
            y ? (y->accounts.regions[r].total.emissions - b->accounts.regions[r].total.emissions) / 1e9 : NAN;
        const double dv =
            y ? (y->accounts.regions[r].total.value_added - b->accounts.regions[r].total.value_added) / 1e3 : NAN;
        text += "," + std::to_string(de) + "," + std::to_string(dv);
      }
      text += "\n";
    }
    f.data.emplace_back("burden.csv", text);
    const size_t n = runs.size() - 1;
    std::string s = "set multiplot layout 2,1 title 'Who gains and who pays in " + std::to_string(last_year) +
                    ": change against Baseline by region'\nset style data histograms\n"
                    "set style histogram clustered gap 1\nset style fill solid 0.8 border -1\nset grid ytics\n"
                    "set xtics rotate by -20 font ',9'\nset key outside right font ',9'\nset xzeroaxis lt -1\n";
    for (int panel = 0; panel < 2; ++panel) {
      s += std::string("set title '") +
           (panel == 0 ? "chain emissions (Mt CO2e; above zero: the region emits more)"
                       : "chain value added (billion USD_{2023})") +
           "'\nplot ";
      for (size_t i = 0; i < n; ++i)
        s += (i ? ", " : "") + std::string("'burden.csv' using ") + std::to_string(2 + 2 * i + panel) +
             (i == 0 ? ":xtic(1)" : "") + " title columnhead";
      s += "\n";
    }
    s += "unset multiplot";
    f.script = s;
    figures.push_back(std::move(f));
  }
  return figures;
}

// ---- the run ----

int LoadData(const std::string& dir, battery::BatteryData* data) {
  Diagnostics diagnostics;
  battery::LoadBatteryData(dir, data, &diagnostics);
  if (diagnostics.ok()) return -1;
  for (const Status& p : diagnostics.problems()) std::fprintf(stderr, "%s\n", p.ToString().c_str());
  return ReportError(
      Status::Invalid(std::to_string(diagnostics.problems().size()) + " problem(s) in the battery data", {dir, 0, 0}));
}

}  // namespace

int RunBattery(const RunBatteryOptions& o) {
  const auto start = Clock::now();
  battery::BatteryData data;
  if (int code = LoadData(o.data_dir, &data); code >= 0) return code;
  // Every scenario file is read and checked before anything is solved.
  std::vector<std::string> files = o.scenario_files;
  if (files.empty()) files = battery::BundledScenarioFiles(data.dir);
  std::vector<battery::ScenarioSpec> specs;
  for (const std::string& file : files) {
    battery::ScenarioSpec spec;
    Status s = battery::LoadScenarioFile(file, data, &spec, o.first_year);
    if (!s.ok()) return ReportError(s);
    for (const auto& other : specs)
      if (other.name == spec.name)
        return ReportError(
            Status::Invalid("two scenarios named '" + spec.name + "' (" + other.file + ")", {file, 0, 0}));
    specs.push_back(std::move(spec));
  }
  // The change against Baseline needs a Baseline: the bundled one unless a file provides it.
  bool have_baseline = false;
  for (const auto& s : specs) have_baseline = have_baseline || s.name == "Baseline";
  if (!have_baseline) {
    battery::ScenarioSpec base;
    Status s = battery::LoadScenarioFile(battery::BundledScenarioFiles(data.dir).front(), data, &base, o.first_year);
    if (!s.ok()) return ReportError(s);
    specs.insert(specs.begin(), std::move(base));
  }
  battery::BatteryModel bm;
  auto t = Clock::now();
  Status s = battery::BuildBatteryModel(data, {}, &bm);
  if (!s.ok()) return ReportError(s);
  const double build_seconds = Seconds(t);
  // The base year's policy shocks (issue 13's), checked before solving too.
  std::vector<battery::Policy> shocks = o.shocks ? battery::StandardShocks(data) : std::vector<battery::Policy>();
  std::vector<Scenario> shock_scenarios;
  for (const battery::Policy& p : shocks) {
    Scenario sc;
    s = battery::PolicyScenario(data, bm, p, &sc);
    if (!s.ok()) return ReportError(s);
    shock_scenarios.push_back(std::move(sc));
  }
  std::printf("Battery supply chain: %d regions x %d sectors, %zu scenarios, %d to %d (%s)\n",
              data.dataset.num_regions(), data.dataset.num_sectors(), specs.size(), o.first_year, o.last_year,
              data.dir.c_str());
  battery::DynamicOptions dyn;
  dyn.first_year = o.first_year;
  dyn.last_year = o.last_year;
  dyn.step = o.step;
  std::string why;
  if (!dyn.IsValid(&why)) return ReportError(Status::Invalid("--years/--step: " + why));
  const bool tty = isatty(fileno(stderr)) != 0;
  std::vector<battery::ScenarioResult> runs;
  dynamics::RecursiveOptions years_of;
  years_of.first_year = o.first_year;
  years_of.last_year = o.last_year;
  years_of.step = o.step;
  const int years_per_run = static_cast<int>(years_of.Years().size());
  const int total_years = years_per_run * static_cast<int>(specs.size());
  int done_years = 0;
  const auto run_start = Clock::now();
  for (size_t i = 0; i < specs.size(); ++i) {
    battery::ScenarioResult result;
    auto progress = [&](const std::string& name, int year, int done, int total) {
      ++done_years;
      const double elapsed = Seconds(run_start);
      const double left = elapsed / done_years * (total_years - done_years);
      std::fprintf(stderr, "%s[%zu/%zu] %-26s %d (%2d/%d)  %5.1f s, about %.0f s left%s", tty ? "\r" : "", i + 1,
                   specs.size(), name.c_str(), year, done, total, elapsed, left, tty ? "   " : "\n");
      std::fflush(stderr);
    };
    s = battery::RunScenario(
        data, bm, specs[i], dyn,
        (tty || o.verbose) ? battery::ProgressFn(progress) : battery::ProgressFn([&](auto&&...) { ++done_years; }),
        &result);
    if (tty) std::fprintf(stderr, "\n");
    if (!s.ok()) {
      std::fprintf(stderr, "lccge run: %s; nothing written\n", s.ToString().c_str());
      return s.code() == StatusCode::kFailed ? kExitFailed : ExitCodeFor(s);
    }
    std::printf("  %-26s %d years solved, %.2f s (solve %.2f, accounts %.2f)\n", specs[i].name.c_str(),
                static_cast<int>(result.years.size()),
                result.solve_seconds + result.accounts_seconds + result.update_seconds, result.solve_seconds,
                result.accounts_seconds);
    runs.push_back(std::move(result));
  }
  const battery::ScenarioResult& baseline = runs.front();
  // The base year's shocks.
  scenario::IamcTable table;
  for (const auto& run : runs) battery::AppendIamcRows(run, &table);
  for (size_t i = 0; i < shocks.size(); ++i) {
    Solution solution;
    Solver::Summary summary;
    s = Solve(bm.model, shock_scenarios[i], Solver::Options(), &solution, &summary);
    if (!s.ok()) return ReportError(s);
    if (!summary.converged()) {
      std::fprintf(stderr, "lccge run: shock '%s' did not converge: %s; nothing written\n", shocks[i].name.c_str(),
                   summary.message.c_str());
      return kExitFailed;
    }
    battery::BatteryAccounts accounts;
    const battery::EmissionAdjustments adj = battery::AdjustmentsOf(shocks[i]);
    s = battery::ComputeBatteryAccounts(data, bm, shock_scenarios[i], solution.values, &adj, &accounts);
    if (!s.ok()) return ReportError(s);
    battery::AppendIamcRows(accounts, shocks[i].name, o.first_year, &table);
  }
  // Base year: the stage shares (a check against the paper's calibration targets) and the implied footprints.
  const battery::YearRecord& base_year = baseline.years.front();
  std::printf("\nBase year %d, shares of value added / emissions by stage:\n%s", o.first_year,
              battery::FormatStageShares(base_year.accounts).c_str());
  if (!data.chemistries.empty()) {
    std::printf("  implied cradle-to-gate footprint, kg CO2e/kWh of cells (every stage in the region; cathode "
                "material in kg CO2e/kg):\n");
    for (const auto& [name, bom] : data.chemistries) {
      std::string line;
      for (const battery::RegionInfo& r : data.regions) {
        battery::Footprint f;
        if (!battery::ImpliedFootprint(data, bm, base_year.accounts, base_year.values, r.code, bom, &f).ok()) continue;
        char buf[96];
        std::snprintf(buf, sizeof(buf), "  %s %.1f (%.1f)", r.code.c_str(), f.per_kwh, f.cathode_per_kg);
        line += buf;
      }
      if (!line.empty()) std::printf("    %-7s%s\n", name.c_str(), line.c_str());
    }
  }
  // The last year: change of emission intensity against Baseline, beside the paper's figures.
  const int last = o.last_year;
  const std::vector<std::string> regions = TableRegions(data);
  nlohmann::ordered_json change = nlohmann::ordered_json::object();
  std::printf("\nChange of the chain's emission intensity in %d against Baseline (%%), lccge [paper]:\n", last);
  std::printf("  %-26s", "");
  for (const char* r : {"World", "China", "United States", "European Union"}) std::printf(" %18s", r);
  std::printf("\n");
  for (const auto& run : runs) {
    nlohmann::ordered_json by_region = nlohmann::ordered_json::object();
    for (const std::string& region : regions) {
      const double v = battery::IntensityChangePercent(run, baseline, region, last);
      by_region[region] = std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
    }
    change[run.spec.name] = by_region;
    std::printf("  %-26s", run.spec.name.c_str());
    for (const char* region : {"World", "China", "United States", "European Union"}) {
      const double v = battery::IntensityChangePercent(run, baseline, region, last);
      std::string cell = Fixed(v);
      for (const battery::ReferenceFigure& f : data.paper)
        if (f.scenario == run.spec.name && f.region == region && f.year == last) cell += " [" + Fixed(f.value) + "]";
      std::printf(" %18s", cell.c_str());
    }
    std::printf("\n");
  }
  nlohmann::ordered_json summary;
  summary["year"] = last;
  summary["metric"] =
      "emission intensity of the battery chain: chain emissions per unit of real chain output "
      "(output at 2023 prices), change against Baseline in the same year, percent";
  summary["change_vs_baseline_percent"] = change;
  nlohmann::ordered_json paper = nlohmann::ordered_json::array();
  for (const battery::ReferenceFigure& f : data.paper)
    paper.push_back(
        {{"scenario", f.scenario}, {"region", f.region}, {"year", f.year}, {"value", f.value}, {"source", f.source}});
  summary["paper"] = paper;
  // Outputs: staged in a hidden folder inside DIR, then renamed into place.
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) return ReportError(Status::IoError("cannot create the output folder: " + ec.message(), {o.out_dir, 0, 0}));
  const fs::path staging = fs::path(o.out_dir) / (".lccge-run-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  fs::create_directories(staging, ec);
  std::vector<std::string> staged;
  s = table.Write((staging / "iamc.csv").string());
  if (s.ok()) s = WriteFileAtomically((staging / "summary.json").string(), summary.dump(1) + "\n");
  if (!s.ok()) {
    fs::remove_all(staging, ec);
    return ReportError(s);
  }
  staged = {(staging / "iamc.csv").string(), (staging / "summary.json").string()};
  if (o.figures) {
    if (GnuplotAvailable()) {
      std::vector<std::string> figures;
      s = DrawFigures(MakeFigures(data, runs, baseline, last), staging.string(), &figures);
      if (!s.ok()) {
        fs::remove_all(staging, ec);
        return ReportError(s);
      }
      staged.insert(staged.end(), figures.begin(), figures.end());
    } else {
      std::fprintf(stderr, "lccge run: gnuplot not found: figures skipped (bash scripts/setup.sh installs it)\n");
    }
  }
  for (const std::string& file : staged) {
    fs::rename(file, fs::path(o.out_dir) / fs::path(file).filename(), ec);
    if (ec) {
      fs::remove_all(staging, ec);
      return ReportError(Status::IoError("cannot move " + file + " into place: " + ec.message(), {o.out_dir, 0, 0}));
    }
  }
  fs::remove_all(staging, ec);
  std::printf("\nwrote %s/{iamc.csv,summary.json%s} (%zu rows, years %d-%d) in %.1f s (model build %.3f s)\n",
              o.out_dir.c_str(), staged.size() > 2 ? ",figures" : "", table.num_rows(), o.first_year, last,
              Seconds(start), build_seconds);
  return kExitOk;
}

}  // namespace lccge::app
