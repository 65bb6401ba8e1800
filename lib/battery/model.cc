#include "lccge/battery/model.hpp"

#include <cmath>
#include <cstdio>

#include "lccge/model/multi_region.hpp"

namespace lccge::battery {

namespace {

std::string Q(const std::string& s) { return "'" + s + "'"; }

std::string PolicyName(const Policy& p) { return p.name.empty() ? std::string("policy") : "policy " + Q(p.name); }

}  // namespace

bool BatteryModelOptions::IsValid(std::string* /*error*/) const { return true; }

std::string RecycledContentParameter(const std::string& region) { return model::Name("rc", region); }
std::string MetalPerCathodeParameter(const std::string& region) { return model::Name("rcm", region); }
std::string RecycledContentSubsidy(const std::string& region) { return model::Name("RC", region); }
std::string SecondaryActivity(const std::string& region) { return model::Name("SEC", region); }

namespace {

// Benchmark physical quantity (t) bought of good g by sector s in region r: the SAM value x the physical content
// per value of region r's market for g (domestic sales and imports, each in its producer's units).
double PhysicalPurchase(const BatteryData& data, int r, int g, int s) {
  const data::Dataset& d = data.dataset;
  const std::string& good = d.sectors[static_cast<size_t>(g)].name;
  auto per_value = [&](int e) {
    auto it = data.physical.find({d.regions[static_cast<size_t>(e)], good});
    const double out = d.Output(e, g);
    return it == data.physical.end() || out <= 0 ? 0.0 : it->second.first / out;
  };
  double q = d.DomesticSales(r, g) * per_value(r);
  for (int e = 0; e < d.num_regions(); ++e) q += d.trade[static_cast<size_t>(g)](e, r) * per_value(e);
  const double supply = d.ArmingtonSupply(r, g);
  return supply <= 0 ? 0.0 : d.IntermediateUse(r, g, s) / supply * q;
}

// Routes region r's purchases of the Recycling-stage goods by `user` through SEC_r (1:1; the subsidy RC_r on the
// user's purchases) and adds the constraint  a SEC_r - rc_r rcm_r Y_r_user >= 0  perp  RC_r >= 0, with a the benchmark
// tonnes of secondary metal per unit of SEC_r.
void AddRecycledContent(const BatteryData& data, int r, int user, Model* m, BatteryModel* bm) {
  const data::Dataset& d = data.dataset;
  const std::string& region = d.regions[static_cast<size_t>(r)];
  const std::string activity = model::Name("Y", region, d.sectors[static_cast<size_t>(user)].name);
  double secondary_t = 0, metal_t = 0;
  std::vector<std::string> secondary_goods;
  for (int g = 0; g < d.num_sectors(); ++g) {
    const SectorInfo& info = data.sectors[static_cast<size_t>(g)];
    if (info.unit.find("contained") == std::string::npos || g == user) continue;
    if (info.stage != "Recycling" && info.stage != "Cathode") continue;
    const double t = PhysicalPurchase(data, r, g, user);
    metal_t += t;
    if (info.stage == "Recycling" && t > 0) {
      secondary_t += t;
      secondary_goods.push_back(model::Name("PA", region, info.name));
    }
  }
  if (secondary_t <= 0 || secondary_goods.size() != 1) return;
  Production* block = nullptr;
  for (Production& p : m->mutable_productions())
    if (p.sector == activity) block = &p;
  if (block == nullptr) return;
  const std::string sec = SecondaryActivity(region), psec = model::Name("PSEC", region);
  const std::string rc = RecycledContentParameter(region), rcm = MetalPerCathodeParameter(region);
  const std::string subsidy = RecycledContentSubsidy(region), household = model::Name("HH", region);
  // The benchmark value of the secondary material the user buys: SEC_r's quantity per unit of activity, so that
  // SEC_r's level is 1 at the benchmark and the secondary tonnes are secondary_t x SEC_r.
  double benchmark_value = 0;
  for (int g = 0; g < d.num_sectors(); ++g)
    if (model::Name("PA", region, d.sectors[static_cast<size_t>(g)].name) == secondary_goods.front())
      benchmark_value = d.IntermediateUse(r, g, user);
  // The subsidy: an input tax of rate -RC_r on the user's purchases of PSEC_r (inputs pay p (1 + rate)), paid by the
  // region's household. It sits on the buyer, whose value added (factors and net taxes) absorbs it.
  for (Flow& f : block->inputs) {
    if (f.commodity != secondary_goods.front()) continue;
    f.commodity = psec;
    Tax t;
    t.agent = household;
    t.rate = Expression::Linear(0.0, {{-1.0, subsidy}});
    f.taxes.push_back(std::move(t));
  }
  Production sp;
  sp.sector = sec;
  Flow in;
  in.commodity = secondary_goods.front();
  in.quantity = benchmark_value;
  sp.inputs.push_back(std::move(in));
  Flow out;
  out.commodity = psec;
  out.quantity = benchmark_value;
  sp.outputs.push_back(std::move(out));
  m->AddSector(sec);
  m->AddCommodity(psec);
  m->SetVariableGroup(sec, region);
  m->SetVariableGroup(psec, region);
  m->AddProduction(std::move(sp));
  m->AddParameter(rc, 0.0);
  const double metal_per_level = metal_t;  // at the benchmark the user's activity level is 1
  m->AddParameter(rcm, metal_per_level);
  m->AddAuxiliary(subsidy);
  m->SetVariableGroup(subsidy, region);
  AuxConstraint c;
  c.aux = subsidy;
  c.type = AuxConstraintType::kComplementarity;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", secondary_t);
  c.expr = Expression::FromText(std::string(buf) + "*" + sec + "-" + rc + "*" + rcm + "*" + activity);
  m->AddAuxConstraint(std::move(c));
  bm->secondary_per_level[region] = secondary_t;
  bm->metal_per_cathode_level[region] = metal_per_level;
}

}  // namespace

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
  double elasticity = 0;
  if (data.Parameter("resource_supply_elasticity", &elasticity).ok()) {
    // Mineral resources only: the scrap endowment is the collected end-of-life metal, set by collection policy.
    for (int k : data.dataset.AccountsOf(data::AccountClass::kResource))
      if (data.dataset.accounts[static_cast<size_t>(k)].name != data.scrap_account)
        shocks.resource_supply_elasticity[data.dataset.accounts[static_cast<size_t>(k)].name] = elasticity;
  }
  Model m;
  Status s = model::AssembleMultiRegionModel(data.dataset, mr, &m);
  if (!s.ok()) return s;
  m.SetName("battery_chain");
  m.SetTitle("Battery supply chain, " + std::to_string(data.dataset.num_regions()) + " regions x " +
             std::to_string(data.dataset.num_sectors()) + " sectors (" + data.dir + ")");
  const std::string& r0 = options.numeraire_region.empty() ? data.dataset.regions.front() : options.numeraire_region;
  bm.numeraire = model::Name("PU", r0);
  if (options.recycled_content) {
    const data::Dataset& d = data.dataset;
    for (int r = 0; r < d.num_regions(); ++r)
      for (int u = 0; u < d.num_sectors(); ++u) {
        if (d.sectors[static_cast<size_t>(u)].activity < 0 || d.Output(r, u) <= 0) continue;
        if (data.sectors[static_cast<size_t>(u)].stage != "Cathode") continue;
        AddRecycledContent(data, r, u, &m, &bm);
      }
  }
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
  for (const auto& [region, share] : policy.recycled_content) {
    if (data.RegionIndex(region) < 0) return invalid("unknown region " + Q(region));
    if (!(share >= 0 && share <= 1))
      return invalid("recycled content " + std::to_string(share) + " of region " + Q(region) + " is outside 0..1");
    if (m.ParameterIndex(RecycledContentParameter(region)) < 0)
      return invalid("region " + Q(region) +
                     " makes no cathode material with secondary metal: no recycled-content lever");
    sc.parameters[RecycledContentParameter(region)] = share;
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
