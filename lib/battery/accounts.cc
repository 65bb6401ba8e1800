#include "lccge/battery/accounts.hpp"

#include <cmath>

#include "lccge/model/multi_region.hpp"

namespace lccge::battery {

namespace {

std::string Q(const std::string& s) { return "'" + s + "'"; }

// Benchmark physical quantity of region r's market (Armington composite) of good g: domestic sales plus imports,
// each in the producer's physical units (value / the producer's benchmark value per unit). 0 when unknown.
double CompositePhysical(const BatteryData& data, int r, int g) {
  const data::Dataset& d = data.dataset;
  const std::string& good = d.sectors[static_cast<size_t>(g)].name;
  auto per_value = [&](int e) {  // physical units per million USD of region e's output of g
    auto it = data.physical.find({d.regions[static_cast<size_t>(e)], good});
    const double out = d.Output(e, g);
    return it == data.physical.end() || out <= 0 ? 0.0 : it->second.first / out;
  };
  double q = d.DomesticSales(r, g) * per_value(r);
  for (int e = 0; e < d.num_regions(); ++e) q += d.trade[static_cast<size_t>(g)](e, r) * per_value(e);
  return q;
}

}  // namespace

EmissionAdjustments AdjustmentsOf(const Policy& policy) {
  EmissionAdjustments a;
  a.grid_scale = policy.grid_scale;
  return a;
}

Status ComputeBatteryAccounts(const BatteryData& data, const BatteryModel& bm, const Scenario& scenario,
                              const std::vector<double>& values, const EmissionAdjustments* adjustments,
                              BatteryAccounts* out) {
  static const EmissionAdjustments kNone;
  const EmissionAdjustments& adj = adjustments != nullptr ? *adjustments : kNone;
  lca::MultiRegionAccountsOptions options;
  options.physical_output = data.physical;
  options.stages = data.stages;
  for (const auto& [region, level] : bm.metal_per_cathode_level)
    options.extra_industries[SecondaryActivity(region)] = {region, "secondary supply"};
  lca::MultiRegionLabels labels;
  Status s = lca::LabelMultiRegionModel(bm.model, &labels, &options.extra_industries);
  if (!s.ok()) return s;
  std::vector<lca::MultiRegionFactor> factors;
  s = lca::MultiRegionEmissionFactors(bm.model, labels, data.factors, data.grid, options, &factors);
  if (!s.ok()) return s;
  lca::EquilibriumTableOptions o;
  o.industry_of_sector = labels.industry_of_sector;
  o.region_of_consumer = labels.region_of_consumer;
  o.final_demand_sectors = labels.final_demand_sectors;
  for (lca::MultiRegionFactor& f : factors) {
    // Per unit of activity level: process and fuel scaled by technology, electricity = kWh x the year's grid.
    auto find = [](const auto& map, const std::pair<std::string, std::string>& key, double fallback) {
      auto it = map.find(key);
      return it == map.end() ? fallback : it->second;
    };
    const std::pair<std::string, std::string> key{f.region, f.data_sector};
    const double ds = find(adj.direct_scale, key, adj.default_direct_scale);
    const double es = find(adj.electricity_scale, key, adj.default_electricity_scale);
    double grid = f.factor.grid;
    if (auto it = adj.grid.find(f.region); it != adj.grid.end()) grid = it->second;
    if (auto it = adj.grid_scale.find(f.region); it != adj.grid_scale.end()) grid *= it->second;
    if (!(grid >= 0) || !std::isfinite(grid))
      return Status::Invalid("grid intensity of region '" + f.region + "' must be a number >= 0");
    f.per_level.process *= ds;
    f.per_level.fuel *= ds;
    f.per_level.electricity = f.factor.electricity_kwh * es * grid * f.activity_per_level;
    o.factors[f.sector] = f.per_level;
  }
  for (const std::string& sector : labels.production_sectors) {
    const lca::Industry& ind = labels.industry_of_sector.at(sector);
    if (auto it = options.physical_output.find({ind.region, ind.sector}); it != options.physical_output.end())
      o.physical_per_activity[sector] = it->second;
  }
  o.stages = options.stages;
  BatteryAccounts acc;
  acc.factors = std::move(factors);
  s = lca::ComputeEquilibriumAccounts(bm.model, scenario, values, o, &acc.equilibrium);
  if (!s.ok()) return s;
  const data::Dataset& d = data.dataset;
  acc.regions.resize(data.regions.size());
  for (size_t r = 0; r < data.regions.size(); ++r) {
    acc.regions[r].code = data.regions[r].code;
    acc.regions[r].name = data.regions[r].name;
  }
  acc.world.code = acc.world.name = "World";
  for (const lca::ActivityAccount& a : acc.equilibrium.activities) {
    const SectorInfo* info = data.FindSector(a.industry.sector);
    if (info == nullptr || info->stage.empty()) continue;
    const int r = d.RegionIndex(a.industry.region), g = d.SectorIndex(a.industry.sector);
    if (r < 0 || g < 0) return Status::Internal("battery accounts: unknown activity " + Q(a.sector));
    const size_t stage = static_cast<size_t>(StageIndex(info->stage));
    StageFigures add;
    add.value_added = a.value_added;
    add.emissions = a.direct;
    add.real_output = a.level * d.Output(r, g);
    add.embodied = a.embodied_intensity * a.output_value;
    for (RegionAccounts* ra : {&acc.regions[static_cast<size_t>(r)], &acc.world}) {
      for (StageFigures* f : {&ra->stages[stage], &ra->total}) {
        f->value_added += add.value_added;
        f->emissions += add.emissions;
        f->real_output += add.real_output;
        f->embodied += add.embodied;
      }
      if (info->stage == "Cell") {
        auto it = data.physical.find({a.industry.region, a.industry.sector});
        if (it != data.physical.end()) ra->cells_gwh += a.level * it->second.first;
      }
    }
  }
  // Secondary share of the cathode makers' metal: physical inputs at the solution (reports give the composite
  // quantity per unit of activity; the benchmark composite's physical content converts it).
  std::map<std::string, double> reports;
  s = ComputeReports(bm.model, scenario, values, &reports);
  if (!s.ok()) return s;
  // The metal goods: battery-grade chemicals (Cathode stage, tonnes contained) and secondary material (Recycling
  // stage), as bought by any chain sector.
  double secondary = 0, all_metal = 0;
  for (int u = 0; u < d.num_sectors(); ++u) {
    const std::string& user = d.sectors[static_cast<size_t>(u)].name;
    for (int r = 0; r < d.num_regions(); ++r) {
      const std::string& region = d.regions[static_cast<size_t>(r)];
      const std::string activity = model::Name("Y", region, user);
      const int iy = bm.model.VariableIndex(activity);
      if (iy < 0) continue;
      for (int g = 0; g < d.num_sectors(); ++g) {
        const SectorInfo& gi = data.sectors[static_cast<size_t>(g)];
        const bool is_recycled = gi.stage == "Recycling";
        const bool is_metal =
            g != u && (is_recycled || gi.stage == "Cathode") && gi.unit.find("contained") != std::string::npos;
        if (!is_metal) continue;
        // Secondary material may reach its buyer through SEC_<region> (recycled-content mandates): 1:1 in value.
        auto it = reports.find(activity + ":in:" + model::Name("PA", region, gi.name));
        if (it == reports.end() && is_recycled) it = reports.find(activity + ":in:" + model::Name("PSEC", region));
        const double composite_value = d.ArmingtonSupply(r, g);
        if (it == reports.end() || composite_value <= 0) continue;
        const double tonnes =
            values[static_cast<size_t>(iy)] * it->second * CompositePhysical(data, r, g) / composite_value;
        all_metal += tonnes;
        if (is_recycled) secondary += tonnes;
      }
    }
  }
  acc.secondary_share = all_metal > 0 ? secondary / all_metal : 0;
  *out = std::move(acc);
  return Status::Ok();
}

Status ImpliedFootprint(const BatteryData& data, const BatteryModel& bm, const BatteryAccounts& acc,
                        const std::vector<double>& values, const std::string& region, const BillOfMaterials& bom,
                        Footprint* out) {
  const data::Dataset& d = data.dataset;
  const int r = d.RegionIndex(region);
  if (r < 0) return Status::Invalid("footprint: unknown region " + Q(region));
  std::map<std::string, const lca::ActivityAccount*> by_sector;
  for (const lca::ActivityAccount& a : acc.equilibrium.activities) by_sector[a.sector] = &a;
  // Embodied intensity per physical unit of region r's market for `good` (kg CO2e per t or per GWh).
  auto market_intensity = [&](const std::string& good, double* v) -> Status {
    const int g = d.SectorIndex(good);
    if (g < 0) return Status::Invalid("footprint: unknown good " + Q(good));
    auto it = by_sector.find(model::Name("A", region, good));
    const double q = CompositePhysical(data, r, g);
    if (it == by_sector.end() || q <= 0 || it->second->level <= 0)
      return Status::Invalid("footprint: no market for " + Q(good) + " in " + Q(region));
    *v = it->second->embodied_intensity * it->second->output_value / (it->second->level * q);
    return Status::Ok();
  };
  // Own (direct) emissions of region r's activity per physical unit.
  auto own_intensity = [&](const std::string& sector, double* v) -> Status {
    auto it = by_sector.find(model::Name("Y", region, sector));
    auto ph = data.physical.find({region, sector});
    if (it == by_sector.end() || ph == data.physical.end() || it->second->level <= 0)
      return Status::Invalid("footprint: no activity of " + Q(sector) + " in " + Q(region));
    *v = it->second->direct / (it->second->level * ph->second.first);
    return Status::Ok();
  };
  (void)bm;
  (void)values;
  Footprint f;
  double cathode_total = 0;  // kg CO2e per GWh for the cathode material
  for (const auto& [good, t_per_gwh] : bom.chemicals) {
    double v = 0;
    Status s = market_intensity(good, &v);
    if (!s.ok()) return s;
    f.parts[good] = t_per_gwh * v / 1e6;
    cathode_total += t_per_gwh * v;
  }
  double own = 0;
  Status s = own_intensity(bom.cathode_sector, &own);
  if (!s.ok()) return s;
  f.parts[bom.cathode_sector] = bom.cathode_t_per_gwh * own / 1e6;
  cathode_total += bom.cathode_t_per_gwh * own;
  double total = cathode_total;
  for (const auto& [good, t_per_gwh] : bom.cell_inputs) {
    double v = 0;
    s = market_intensity(good, &v);
    if (!s.ok()) return s;
    f.parts[good] = t_per_gwh * v / 1e6;
    total += t_per_gwh * v;
  }
  s = own_intensity(bom.cell_sector, &own);
  if (!s.ok()) return s;
  f.parts[bom.cell_sector] = own / 1e6;
  total += own;
  f.per_kwh = total / 1e6;  // kg per GWh -> kg per kWh
  f.cathode_per_kg = bom.cathode_t_per_gwh > 0 ? cathode_total / (bom.cathode_t_per_gwh * 1000) : 0;
  *out = std::move(f);
  return Status::Ok();
}

}  // namespace lccge::battery
