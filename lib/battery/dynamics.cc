#include "lccge/battery/dynamics.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include "lccge/battery/report.hpp"
#include "lccge/dynamics/recursive.hpp"
#include "lccge/dynamics/stock_flow.hpp"
#include "lccge/model/multi_region.hpp"

namespace lccge::battery {

namespace {

std::string Q(const std::string& s) { return "'" + s + "'"; }

// The path of a material per GWh for a good: "<good>_per_gwh", else "<prefix>_per_gwh" with the prefix before '_'.
std::string MaterialPath(const dynamics::PathTable& paths, const std::string& good) {
  if (paths.Has(good + "_per_gwh")) return good + "_per_gwh";
  const std::string prefix = good.substr(0, good.find('_'));
  return paths.Has(prefix + "_per_gwh") ? prefix + "_per_gwh" : std::string();
}

// A lever's value for a region (or route, sector) in `year`: the last matching entry wins; before its first point
// the value moves linearly from `base` (the base year's) to it. `matches` selects the entries.
template <typename Match>
bool LeverValue(const ScenarioSpec& spec, const std::string& lever, int base_year, double year, double base,
                Match matches, double* value) {
  auto it = spec.levers.find(lever);
  if (it == spec.levers.end()) return false;
  const LeverEntry* found = nullptr;
  for (const LeverEntry& e : it->second)
    if (matches(e)) found = &e;
  if (found == nullptr || found->path.empty()) return false;
  const auto& pts = found->path.points();
  if (year < pts.front().first) {
    const double span = pts.front().first - base_year;
    const double w = span > 0 ? (year - base_year) / span : 1.0;
    *value = base + std::max(0.0, w) * (pts.front().second - base);
  } else {
    *value = found->path.At(year);
  }
  return true;
}

bool Matches(const std::string& pattern, const std::string& name) { return pattern == "*" || pattern == name; }

struct RegionState {
  dynamics::CohortStockFlow stock;
  std::vector<int> vintage;  // entry year of each cohort
  double capital = 1.0;      // capital stock, index (benchmark 1)
  double eol_offset = 0;     // end-of-life metal of the data beyond the stock-flow's (t/yr)
  double eol_t = 0;          // end-of-life metal (t) available to this year's recycling
  double demand0 = 0;        // battery demand in the base year (GWh)
};

class Runner {
 public:
  Runner(const BatteryData& data, const BatteryModel& bm, const ScenarioSpec& spec, const DynamicOptions& options)
      : data_(data), bm_(bm), spec_(spec), options_(options), d_(data.dataset) {}

  Status Init() {
    const dynamics::PathTable& p = data_.paths;
    for (const char* v : {"battery_demand", "battery_demand_history", "labour", "productivity", "grid_intensity",
                          "process_efficiency", "electricity_efficiency", "recovery_rate", "collection_rate"})
      if (!p.Has(v))
        return Status::Invalid(std::string("paths.csv has no path for ") + v, {data_.dir + "/paths.csv", 0, 0});
    for (const char* name :
         {"depreciation_rate", "benchmark_growth_rate", "lifetime_mean", "lifetime_sd", "first_sales_year"}) {
      double v = 0;
      Status s = data_.Parameter(name, &v);
      if (!s.ok()) return s;
      constants_[name] = v;
    }
    const dynamics::Lifetime life = dynamics::Lifetime::Normal(constants_["lifetime_mean"], constants_["lifetime_sd"]);
    std::string why;
    if (!life.IsValid(&why)) return Status::Invalid("parameters.csv: " + why, {data_.dir + "/parameters.csv", 0, 0});
    // Metal per GWh of each vintage: the cathode metals of the chemistry mix.
    for (const std::string& good : data_.ChainSectors()) {
      const SectorInfo* info = data_.FindSector(good);
      if (info->stage == "Cathode" && info->unit.find("contained") != std::string::npos) {
        const std::string path = MaterialPath(p, good);
        if (path.empty()) return Status::Invalid("paths.csv has no material path for " + Q(good));
        metal_paths_.push_back(path);
      }
    }
    const int R = d_.num_regions();
    states_.resize(static_cast<size_t>(R));
    // The sector outside the chain that buys the most cells in each region (the vehicle, storage and device
    // makers): battery demand is per unit of its activity.
    cell_user_.assign(static_cast<size_t>(R), std::string());
    for (int r = 0; r < R; ++r) {
      double most = 0;
      for (const std::string& cell : data_.SectorsOfStage("Cell")) {
        const int g = d_.SectorIndex(cell);
        for (int u = 0; u < d_.num_sectors(); ++u) {
          if (!data_.sectors[static_cast<size_t>(u)].stage.empty()) continue;
          if (d_.IntermediateUse(r, g, u) > most) {
            most = d_.IntermediateUse(r, g, u);
            cell_user_[static_cast<size_t>(r)] = d_.sectors[static_cast<size_t>(u)].name;
          }
        }
      }
    }
    double world0 = 0;
    for (int r = 0; r < R; ++r) world0 += Demand(r, options_.first_year);
    world_demand0_ = world0;
    const int first_sales = static_cast<int>(constants_["first_sales_year"]);
    for (int r = 0; r < R; ++r) {
      RegionState& st = states_[static_cast<size_t>(r)];
      st.stock = dynamics::CohortStockFlow(life, {});
      st.demand0 = Demand(r, options_.first_year);
      const double share = world0 > 0 ? st.demand0 / world0 : 0;
      double eol = 0;
      for (int y = first_sales; y < options_.first_year; ++y) {
        Status s = AddSales(&st, y, share * Value("battery_demand_history", r, y));
        if (!s.ok()) return s;
        s = Retire(&st, y + 1, &eol);
        if (!s.ok()) return s;
      }
      // The data's end-of-life metal of the base year beyond the stock-flow's (batteries sold before the first
      // cohort, imported scrap) stays as a constant offset.
      const RecyclingInfo* info = data_.FindRecycling(d_.regions[static_cast<size_t>(r)]);
      const double data_eol = info == nullptr ? 0.0 : info->eol_contained;
      st.eol_offset = std::max(0.0, data_eol - eol);
      st.eol_t = std::max(data_eol, eol);
    }
    // Technology convergence: the base-year process + fuel and kWh per physical unit by region, the part of the
    // former that is captive power (energy supply, which convergence leaves), and each sector's best (lowest)
    // technology part and kWh among the regions producing it (docs/dynamics.md, "Technology convergence").
    for (int s = 0; s < d_.num_sectors(); ++s) {
      const std::string& sector = d_.sectors[static_cast<size_t>(s)].name;
      if (data_.sectors[static_cast<size_t>(s)].stage.empty()) continue;
      for (int r = 0; r < R; ++r) {
        if (d_.Output(r, s) <= 0) continue;
        const std::string& region = d_.regions[static_cast<size_t>(r)];
        lca::FactorValue f;
        Status st = data_.factors.Evaluate(region, sector, 0, data_.grid, &f);
        if (!st.ok()) return st;
        auto captive = data_.captive_power.find({region, sector});
        const double energy = captive == data_.captive_power.end() ? 0.0 : captive->second;
        const double technology = f.process + f.fuel - energy;
        own_direct_[{r, s}] = f.process + f.fuel;
        own_captive_[{r, s}] = energy;
        own_kwh_[{r, s}] = f.electricity_kwh;
        auto& bd = best_direct_[s];
        auto& bk = best_kwh_[s];
        bd = best_direct_.count(s) && bd > 0 ? std::min(bd, technology) : technology;
        bk = best_kwh_.count(s) && bk > 0 ? std::min(bk, f.electricity_kwh) : f.electricity_kwh;
      }
    }
    return Status::Ok();
  }

  Status Update(int year, const dynamics::YearSolution* previous, Scenario* sc) {
    const int R = d_.num_regions();
    const Model& m = bm_.model;
    *sc = bm_.Benchmark();
    sc->name = spec_.name + " " + std::to_string(year);
    auto set = [&](const std::string& name, double v) {
      if (m.ParameterIndex(name) >= 0) sc->parameters[name] = v;
    };
    auto level = [&](const std::string& variable) {
      if (previous == nullptr) return 1.0;
      const int i = m.VariableIndex(variable);
      return i < 0 ? 1.0 : previous->solution.values[static_cast<size_t>(i)];
    };
    double world = 0;
    for (int r = 0; r < R; ++r) world += Demand(r, year);
    const double world_index = world_demand0_ > 0 ? world / world_demand0_ : 1.0;
    region_years_.assign(static_cast<size_t>(R), RegionYear());
    for (int r = 0; r < R; ++r) {
      const std::string& region = d_.regions[static_cast<size_t>(r)];
      RegionState& st = states_[static_cast<size_t>(r)];
      RegionYear& ry = region_years_[static_cast<size_t>(r)];
      // Labour in efficiency units; capital from accumulation.
      for (int k : d_.AccountsOf(data::AccountClass::kLabour))
        set(model::EndowmentParameter(region, d_.accounts[static_cast<size_t>(k)].name),
            Value("labour", r, year) * Value("productivity", r, year));
      for (int k : d_.AccountsOf(data::AccountClass::kCapital))
        set(model::EndowmentParameter(region, d_.accounts[static_cast<size_t>(k)].name), st.capital);
      for (int s = 0; s < d_.num_sectors(); ++s) {
        const data::Sector& sec = d_.sectors[static_cast<size_t>(s)];
        const SectorInfo& info = data_.sectors[static_cast<size_t>(s)];
        if (sec.activity < 0 || d_.Output(r, s) <= 0) continue;
        // Mineral capacity follows the world's demand for the mineral (demand index x material per GWh).
        if (info.stage == "Mining") {
          const std::string path = MaterialPath(data_.paths, sec.name);
          const double material = path.empty() ? 1.0 : Ratio(path, year);
          for (int k : d_.AccountsOf(data::AccountClass::kResource))
            if (d_.accounts[static_cast<size_t>(k)].name != data_.scrap_account)
              set(model::EndowmentParameter(region, d_.accounts[static_cast<size_t>(k)].name, sec.name),
                  world_index * material);
        }
        // Material per unit of the chain's products (the chemistry mix).
        if (info.stage == "Cell" || info.stage == "Cathode") {
          for (int g = 0; g < d_.num_sectors(); ++g) {
            if (d_.IntermediateUse(r, g, s) <= 0) continue;
            const SectorInfo& gi = data_.sectors[static_cast<size_t>(g)];
            if (gi.stage.empty() || gi.stage == "Recycling") continue;
            const std::string path = MaterialPath(data_.paths, gi.name);
            if (path.empty()) continue;
            double ratio = Ratio(path, year);
            if (info.stage == "Cathode") ratio /= Ratio("cathode_per_gwh", year);  // per t of cathode material
            set(model::InputParameter(region, gi.name, sec.name), ratio);
          }
        }
      }
      // Battery demand: cells per unit of the rest of the economy's activity, from last year's level.
      const double demand = Demand(r, year);
      for (const std::string& cell : data_.SectorsOfStage("Cell")) {
        const double index = st.demand0 > 0 ? demand / st.demand0 : 1.0;
        const std::string& user = cell_user_[static_cast<size_t>(r)];
        const double user_level = user.empty() ? 1.0 : level(model::Name("Y", region, user));
        set(model::DemandParameter(region, cell), index / std::max(1e-9, user_level));
      }
      // Recycling: collection and recovery (levers over the baseline), the scrap endowment, the mandate.
      const RecyclingInfo* info = data_.FindRecycling(region);
      const double c0 = info == nullptr ? 0.0 : info->collection_rate;
      double collection = c0, recovery = Value("recovery_rate", r, year);
      const double recovery0 = Value("recovery_rate", r, options_.first_year);
      auto by_region = [&](const LeverEntry& e) { return Matches(e.region, region); };
      LeverValue(spec_, "collection_rate", options_.first_year, year, c0, by_region, &collection);
      LeverValue(spec_, "recovery_rate", options_.first_year, year, recovery0, by_region, &recovery);
      double content = 0;
      LeverValue(spec_, "recycled_content", options_.first_year, year, 0.0, by_region, &content);
      ry.collection_rate = collection;
      ry.recovery_rate = recovery;
      ry.recycled_content = content;
      ry.end_of_life_t = st.eol_t;
      if (info != nullptr && !data_.scrap_account.empty()) {
        const double base = info->Feed(info->collection_rate);
        const double production = CellOutputIndex(r, previous);
        const double feed = info->other_feed * production + collection * st.eol_t;
        for (const std::string& sector : data_.SectorsOfStage("Recycling")) {
          if (base > 0) set(model::EndowmentParameter(region, data_.scrap_account, sector), feed / base);
          set(model::ProductivityParameter(region, sector), recovery0 > 0 ? recovery / recovery0 : 1.0);
        }
      }
      set(RecycledContentParameter(region), content);
      if (auto it = bm_.metal_per_cathode_level.find(region); it != bm_.metal_per_cathode_level.end()) {
        double metal_ratio = 0, metal0 = 0;
        for (const std::string& path : metal_paths_) {
          metal_ratio += Path(path, year);
          metal0 += Path(path, options_.first_year);
        }
        const double per_cathode =
            (metal_ratio / Path("cathode_per_gwh", year)) / (metal0 / Path("cathode_per_gwh", options_.first_year));
        set(MetalPerCathodeParameter(region), it->second * per_cathode);
      }
      // Grid: the scenario's path, else the baseline's.
      double grid = Value("grid_intensity", r, year) * Scale(options_.grid_scale, region);
      LeverValue(spec_, "grid_intensity", options_.first_year, year, grid, by_region, &grid);
      ry.grid = grid / 1000.0;
    }
    // Tariffs: a multiplier on each chain route's base-year rate.
    if (spec_.levers.count("tariffs")) {
      for (int g = 0; g < d_.num_sectors(); ++g) {
        const std::string& good = d_.sectors[static_cast<size_t>(g)].name;
        if (data_.sectors[static_cast<size_t>(g)].stage.empty()) continue;
        for (int e = 0; e < R; ++e)
          for (int i = 0; i < R; ++i) {
            const double t0 = d_.tariffs[static_cast<size_t>(g)](e, i);
            if (t0 == 0) continue;
            double multiplier = 1.0;
            const std::string& ex = d_.regions[static_cast<size_t>(e)];
            const std::string& im = d_.regions[static_cast<size_t>(i)];
            if (LeverValue(
                    spec_, "tariffs", options_.first_year, year, 1.0,
                    [&](const LeverEntry& l) {
                      return Matches(l.goods, good) && Matches(l.exporter, ex) && Matches(l.importer, im);
                    },
                    &multiplier))
              set(model::TariffParameter(good, ex, im), t0 * (multiplier - 1.0));
          }
      }
    }
    // Emission side of the year: grid, technology (autonomous efficiency and convergence toward the best region).
    adjustments_ = EmissionAdjustments();
    for (int r = 0; r < R; ++r) {
      const std::string& region = d_.regions[static_cast<size_t>(r)];
      adjustments_.grid[region] = region_years_[static_cast<size_t>(r)].grid;
      const double process = Value("process_efficiency", r, year), kwh = Value("electricity_efficiency", r, year);
      // Captive power: the scenario's path, else the baseline's (regions without one keep their 2023 emissions).
      double captive_path = 1.0;
      data_.paths.Value("captive_power", region, year, &captive_path);
      LeverValue(
          spec_, "captive_power", options_.first_year, year, captive_path,
          [&](const LeverEntry& e) { return Matches(e.region, region); }, &captive_path);
      for (int s = 0; s < d_.num_sectors(); ++s) {
        const std::string& sector = d_.sectors[static_cast<size_t>(s)].name;
        auto own = own_direct_.find({r, s});
        if (own == own_direct_.end()) continue;
        double c = 0;
        LeverValue(
            spec_, "technology_convergence", options_.first_year, year, 0.0,
            [&](const LeverEntry& e) { return Matches(e.sectors, sector); }, &c);
        // Only the technology part (process + fuel less captive power) moves toward the best region's; captive
        // power follows its energy-policy path (docs/dynamics.md, "Technology convergence").
        const double best = best_direct_[s], best_kwh = best_kwh_[s], own_kwh = own_kwh_[{r, s}];
        const double captive = own_captive_[{r, s}], technology = own->second - captive;
        const double converged = technology > 0 ? technology + c * (best - technology) : 0.0;
        const double direct = own->second > 0 ? (converged + captive * captive_path) / own->second : 1.0;
        const double electricity = own_kwh > 0 ? 1.0 + c * (best_kwh / own_kwh - 1.0) : 1.0;
        adjustments_.direct_scale[{region, sector}] = process * direct * Scale(options_.factor_scale, sector);
        adjustments_.electricity_scale[{region, sector}] = kwh * electricity;
      }
    }
    return Status::Ok();
  }

  Status Record(const dynamics::YearSolution& y, int next_year, ScenarioResult* result) {
    auto t0 = std::chrono::steady_clock::now();
    YearRecord rec;
    rec.year = y.year;
    rec.iterations = y.summary.iterations;
    rec.max_residual = y.summary.max_residual;
    rec.scenario = y.scenario;
    rec.values = y.solution.values;
    Status s = ComputeBatteryAccounts(data_, bm_, y.scenario, y.solution.values, &adjustments_, &rec.accounts);
    if (!s.ok()) return Status(s.code(), "year " + std::to_string(y.year) + ": " + s.cause(), s.where());
    result->accounts_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // State to the next solved year: capital, battery stock and end-of-life metal.
    const Model& m = bm_.model;
    const double depreciation = constants_["depreciation_rate"], growth = constants_["benchmark_growth_rate"];
    for (int r = 0; r < d_.num_regions(); ++r) {
      const std::string& region = d_.regions[static_cast<size_t>(r)];
      RegionState& st = states_[static_cast<size_t>(r)];
      const int iw = m.VariableIndex(model::Name("W", region));
      const double investment = (growth + depreciation) * (iw < 0 ? 1.0 : y.solution.values[static_cast<size_t>(iw)]);
      const int years = std::max(1, next_year - y.year);
      if (next_year > y.year) st.capital = dynamics::AccumulateCapital(st.capital, investment, depreciation, years);
      double eol = 0;
      for (int yy = y.year; yy < std::max(next_year, y.year + 1); ++yy) {
        s = AddSales(&st, yy, Demand(r, yy));
        if (!s.ok()) return s;
        s = Retire(&st, yy + 1, &eol);
        if (!s.ok()) return s;
      }
      st.eol_t = eol + st.eol_offset;
      RegionYear ry = region_years_[static_cast<size_t>(r)];
      ry.battery_stock_gwh = st.stock.Stock();
      rec.regions.push_back(ry);
    }
    result->years.push_back(std::move(rec));
    return Status::Ok();
  }

 private:
  double Value(const std::string& variable, int r, double year) const {
    double v = 0;
    if (!data_.paths.Value(variable, d_.regions[static_cast<size_t>(r)], year, &v).ok()) return 0.0;
    return v;
  }
  // Battery demand, its growth beyond the base year scaled by options.demand_growth_scale.
  double Demand(int r, double year) const {
    const double d0 = Value("battery_demand", r, options_.first_year);
    return d0 + options_.demand_growth_scale * (Value("battery_demand", r, year) - d0);
  }
  double Scale(const std::map<std::string, double>& scales, const std::string& key) const {
    auto it = scales.find(key);
    if (it == scales.end()) it = scales.find("*");
    return it == scales.end() ? 1.0 : it->second;
  }
  double Path(const std::string& variable, double year) const {
    double v = 0;
    data_.paths.Value(variable, "*", year, &v);
    return v;
  }
  // A "*" path's value relative to the base year.
  double Ratio(const std::string& variable, double year) const {
    const double base = Path(variable, options_.first_year);
    return base > 0 ? Path(variable, year) / base : 1.0;
  }
  // The region's cell output last year relative to the benchmark (production scrap grows with it).
  double CellOutputIndex(int r, const dynamics::YearSolution* previous) const {
    if (previous == nullptr) return 1.0;
    double sum = 0;
    int n = 0;
    for (const std::string& cell : data_.SectorsOfStage("Cell")) {
      const int i = bm_.model.VariableIndex(model::Name("Y", d_.regions[static_cast<size_t>(r)], cell));
      if (i < 0) continue;
      sum += previous->solution.values[static_cast<size_t>(i)];
      ++n;
    }
    return n == 0 ? 1.0 : sum / n;
  }
  // Metal contained per GWh of a vintage.
  double MetalPerGwh(int vintage) const {
    double metal = 0;
    for (const std::string& path : metal_paths_) metal += Path(path, std::max(vintage, options_.first_year));
    return metal;
  }
  Status AddSales(RegionState* st, int year, double gwh) {
    Status s = st->stock.AddCohort(year, std::max(0.0, gwh));
    if (s.ok()) st->vintage.push_back(year);
    return s;
  }
  // Integrates to `t`; `metal` receives the contained metal of the batteries retired on the way.
  Status Retire(RegionState* st, double t, double* metal) {
    std::vector<double> before;
    for (const auto& c : st->stock.cohorts()) before.push_back(c.in_use);
    Status s = st->stock.AdvanceTo(t);
    if (!s.ok()) return s;
    *metal = 0;
    for (size_t c = 0; c < before.size(); ++c)
      *metal += (before[c] - st->stock.cohorts()[c].in_use) * MetalPerGwh(st->vintage[c]);
    return Status::Ok();
  }

  const BatteryData& data_;
  const BatteryModel& bm_;
  const ScenarioSpec& spec_;
  const DynamicOptions& options_;
  const data::Dataset& d_;
  std::map<std::string, double> constants_;
  std::vector<std::string> metal_paths_;
  std::vector<RegionState> states_;
  std::vector<std::string> cell_user_;
  std::vector<RegionYear> region_years_;
  double world_demand0_ = 0;
  std::map<std::pair<int, int>, double> own_direct_, own_captive_, own_kwh_;
  std::map<int, double> best_direct_, best_kwh_;
  EmissionAdjustments adjustments_;
};

}  // namespace

bool DynamicOptions::IsValid(std::string* error) const {
  dynamics::RecursiveOptions r;
  r.first_year = first_year;
  r.last_year = last_year;
  r.step = step;
  r.solver = solver;
  return r.IsValid(error);
}

const YearRecord* ScenarioResult::Year(int year) const {
  for (const YearRecord& y : years)
    if (y.year == year) return &y;
  return nullptr;
}

Status RunScenario(const BatteryData& data, const BatteryModel& model, const ScenarioSpec& spec,
                   const DynamicOptions& options, const ProgressFn& progress, ScenarioResult* result) {
  std::string why;
  if (!options.IsValid(&why)) return Status::Invalid("dynamic options: " + why);
  ScenarioResult res;
  res.spec = spec;
  Runner runner(data, model, spec, options);
  Status s = runner.Init();
  if (!s.ok()) return s;
  dynamics::RecursiveOptions ro;
  ro.first_year = options.first_year;
  ro.last_year = options.last_year;
  ro.step = options.step;
  ro.solver = options.solver;
  const int total = static_cast<int>(ro.Years().size());
  int done = 0;
  dynamics::RecursiveSummary summary;
  s = dynamics::RunRecursive(
      model.model, model.Benchmark(), ro,
      [&](int year, const dynamics::YearSolution* previous, Scenario* sc) { return runner.Update(year, previous, sc); },
      [&](const dynamics::YearSolution& y, int next) {
        Status st = runner.Record(y, next, &res);
        if (st.ok() && progress) progress(spec.name, y.year, ++done, total);
        return st;
      },
      &summary);
  res.solve_seconds = summary.solve_seconds;
  res.update_seconds = summary.update_seconds;
  if (!s.ok()) return Status(s.code(), "scenario " + Q(spec.name) + ": " + s.cause(), s.where());
  *result = std::move(res);
  return Status::Ok();
}

void AppendIamcRows(const ScenarioResult& run, scenario::IamcTable* table) {
  for (const YearRecord& y : run.years) {
    AppendIamcRows(y.accounts, run.spec.name, y.year, table);
    double stock = 0, eol = 0;
    for (size_t r = 0; r < y.regions.size(); ++r) {
      const RegionYear& ry = y.regions[r];
      const std::string& name = y.accounts.regions[r].name;
      table->Set(kIamcModel, run.spec.name, name, "Stock|Batteries|In Use", "GWh", y.year, ry.battery_stock_gwh);
      table->Set(kIamcModel, run.spec.name, name, "End of Life|Batteries|Contained Metal", "kt/yr", y.year,
                 ry.end_of_life_t / 1e3);
      table->Set(kIamcModel, run.spec.name, name, "Collection Rate|Batteries", "%", y.year, 100 * ry.collection_rate);
      stock += ry.battery_stock_gwh;
      eol += ry.end_of_life_t;
    }
    table->Set(kIamcModel, run.spec.name, "World", "Stock|Batteries|In Use", "GWh", y.year, stock);
    table->Set(kIamcModel, run.spec.name, "World", "End of Life|Batteries|Contained Metal", "kt/yr", y.year, eol / 1e3);
  }
}

double IntensityChangePercent(const ScenarioResult& run, const ScenarioResult& reference, const std::string& region,
                              int year) {
  const YearRecord* a = run.Year(year);
  const YearRecord* b = reference.Year(year);
  if (a == nullptr || b == nullptr) return std::numeric_limits<double>::quiet_NaN();
  auto intensity = [&](const YearRecord& y) {
    if (region == "World") return y.accounts.world.Intensity();
    for (const RegionAccounts& r : y.accounts.regions)
      if (r.name == region || r.code == region) return r.Intensity();
    return 0.0;
  };
  const double x = intensity(*a), x0 = intensity(*b);
  if (!(x0 > 0)) return std::numeric_limits<double>::quiet_NaN();
  return 100.0 * (x / x0 - 1.0);
}

}  // namespace lccge::battery
