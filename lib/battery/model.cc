#include "lccge/battery/model.hpp"

#include <cmath>

#include "lccge/model/multi_region.hpp"

namespace lccge::battery {

namespace {

std::string Q(const std::string& s) { return "'" + s + "'"; }

std::string PolicyName(const Policy& p) { return p.name.empty() ? std::string("policy") : "policy " + Q(p.name); }

}  // namespace

bool BatteryModelOptions::IsValid(std::string* /*error*/) const { return true; }

Scenario BatteryModel::Benchmark() const {
  Scenario s;
  s.name = "benchmark";
  s.fixed[numeraire] = 1.0;
  return s;
}

Status BuildBatteryModel(const BatteryData& data, const BatteryModelOptions& options, BatteryModel* out) {
  std::string why;
  if (!options.IsValid(&why)) return Status::Invalid("battery model options: " + why);
  model::MultiRegionOptions mr;
  mr.numeraire_region = options.numeraire_region;
  mr.add_scenarios = false;
  BatteryModel bm;
  bm.chain = data.ChainSectors();
  if (bm.chain.empty()) return Status::Invalid("no sector has a stage in sectors.csv", {data.dir, 0, 0});
  model::ShockParameterOptions& shocks = mr.shock_parameters;
  shocks.tariff_goods = bm.chain;
  shocks.endowments = true;
  shocks.productivity = true;
  shocks.demand_goods = data.SectorsOfStage("Cell");
  shocks.input_sectors = bm.chain;
  Model m;
  Status s = model::AssembleMultiRegionModel(data.dataset, mr, &m);
  if (!s.ok()) return s;
  m.SetName("battery_chain");
  m.SetTitle("Battery supply chain, " + std::to_string(data.dataset.num_regions()) + " regions x " +
             std::to_string(data.dataset.num_sectors()) + " sectors (" + data.dir + ")");
  const std::string& r0 = options.numeraire_region.empty() ? data.dataset.regions.front() : options.numeraire_region;
  bm.numeraire = model::Name("PU", r0);
  m.AddScenario(bm.Benchmark());
  s = m.Finalize();
  if (!s.ok()) return s;
  bm.model = std::move(m);
  *out = std::move(bm);
  return Status::Ok();
}

Status PolicyScenario(const BatteryData& data, const BatteryModel& bm, const Policy& policy, Scenario* scenario) {
  Scenario sc = bm.Benchmark();
  sc.name = policy.name.empty() ? "policy" : policy.name;
  const Model& m = bm.model;
  auto invalid = [&](const std::string& cause) {
    return Status::Invalid(PolicyName(policy) + ": " + cause, policy.where);
  };
  for (const auto& [route, add] : policy.tariff_add) {
    const auto& [good, exporter, importer] = route;
    if (data.RegionIndex(exporter) < 0) return invalid("unknown region " + Q(exporter));
    if (data.RegionIndex(importer) < 0) return invalid("unknown region " + Q(importer));
    const SectorInfo* sec = data.FindSector(good);
    if (sec == nullptr || sec->stage.empty()) return invalid("no tariff lever for " + Q(good) + " (not a chain good)");
    if (!std::isfinite(add) || add <= -1) return invalid("tariff change on " + Q(good) + " must be a number above -1");
    const std::string name = model::TariffParameter(good, exporter, importer);
    if (m.ParameterIndex(name) < 0)
      return invalid("no trade in " + Q(good) + " from " + Q(exporter) + " to " + Q(importer) +
                     " at the benchmark (an Armington route is needed for a tariff)");
    sc.parameters[name] = add;
  }
  for (const auto& [region, rate] : policy.collection_rate) {
    if (data.RegionIndex(region) < 0) return invalid("unknown region " + Q(region));
    if (!(rate >= 0 && rate <= 1))
      return invalid("collection rate " + std::to_string(rate) + " of region " + Q(region) + " is outside 0..1");
    const RecyclingInfo* info = data.FindRecycling(region);
    if (info == nullptr || data.scrap_account.empty())
      return invalid("region " + Q(region) + " has no recycling data (recycling.csv)");
    const double base = info->Feed(info->collection_rate);
    if (base <= 0) return invalid("region " + Q(region) + " has no recycling feed at the benchmark");
    for (const std::string& sector : data.SectorsOfStage("Recycling")) {
      const std::string name = model::EndowmentParameter(region, data.scrap_account, sector);
      if (m.ParameterIndex(name) >= 0) sc.parameters[name] = info->Feed(rate) / base;
    }
  }
  for (const auto& [region, scale] : policy.grid_scale) {
    if (data.RegionIndex(region) < 0) return invalid("unknown region " + Q(region));
    if (!(scale >= 0) || std::isinf(scale)) return invalid("grid scale of region " + Q(region) + " must be >= 0");
  }
  for (const auto& [name, value] : policy.parameters) {
    if (m.ParameterIndex(name) < 0) return invalid("unknown parameter " + Q(name));
    if (!std::isfinite(value)) return invalid("parameter " + Q(name) + " is not a finite number");
    sc.parameters[name] = value;
  }
  *scenario = std::move(sc);
  return Status::Ok();
}

std::vector<Policy> StandardShocks(const BatteryData& data) {
  std::vector<Policy> out;
  auto has = [&](const std::string& region) { return data.RegionIndex(region) >= 0; };
  if (has("CHN") && has("USA")) {
    Policy p;
    p.name = "US tariff on Chinese cathode and cells";
    if (data.FindSector("cathode") != nullptr) p.tariff_add[{"cathode", "CHN", "USA"}] = 0.25;
    for (const std::string& good : data.SectorsOfStage("Cell")) p.tariff_add[{good, "CHN", "USA"}] = 0.25;
    out.push_back(std::move(p));
  }
  if (const RecyclingInfo* eu = data.FindRecycling("EU"); eu != nullptr) {
    Policy p;
    p.name = "EU collection rate doubled";
    p.collection_rate["EU"] = std::min(1.0, 2 * eu->collection_rate);
    out.push_back(std::move(p));
  }
  if (has("CHN")) {
    Policy p;
    p.name = "China grid decarbonised by half";
    p.grid_scale["CHN"] = 0.5;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace lccge::battery
