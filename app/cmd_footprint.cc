// lccge footprint FILE [--json]: a product's regionalised cradle-to-gate carbon footprint (docs/lca.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.hpp"
#include "lccge/lca/footprint.hpp"

namespace lccge::app {
namespace {

nlohmann::ordered_json ToJson(const lca::FootprintResult& r) {
  nlohmann::ordered_json j;
  j["name"] = r.name;
  j["functional_unit"] = {{"description", r.functional_unit},
                          {"amount", r.functional_amount},
                          {"unit", r.functional_unit_unit},
                          {"kwh", r.kwh_per_functional_unit}};
  j["unit"] = "kg CO2e per functional unit";
  j["total"] = r.total;
  j["components_total"] = r.components_total;
  nlohmann::ordered_json by_component = nlohmann::ordered_json::object();
  nlohmann::ordered_json hotspots = nlohmann::ordered_json::object();
  nlohmann::ordered_json by_region = nlohmann::ordered_json::object();
  for (const lca::ComponentResult& c : r.components) {
    by_component[c.name] = c.total;
    nlohmann::ordered_json h = nlohmann::ordered_json::object();
    for (int k = 0; k < lca::kNumInputCategories; ++k)
      h[lca::CategoryKey(static_cast<lca::InputCategory>(k))] = c.by_category[k];
    hotspots[c.name] = h;
    by_region[c.name] = c.by_region;
  }
  j["by_component"] = by_component;
  j["hotspots"] = hotspots;
  j["by_component_and_region"] = by_region;
  nlohmann::ordered_json t;
  t["total"] = r.transport.total;
  t["by_mineral"] = r.transport.by_mineral;
  t["contained_mineral_kg"] = r.transport.contained;
  t["by_origin"] = r.transport.by_origin;
  t["by_mode"] = r.transport.by_mode;
  nlohmann::ordered_json routes = nlohmann::ordered_json::array();
  for (const lca::RouteEmissions& e : r.transport.routes) {
    routes.push_back({{"mineral", e.mineral},
                      {"origin", e.origin},
                      {"route", e.route},
                      {"share", e.share},
                      {"mineral_kg", e.mineral_mass},
                      {"tonne_km", e.tonne_km},
                      {"emissions", e.emissions}});
  }
  t["routes"] = routes;
  j["transport"] = t;
  nlohmann::ordered_json decl = nlohmann::ordered_json::object();
  for (int a = 0; a < lca::kNumLifeCycleStages; ++a)
    decl[lca::StageKey(static_cast<lca::LifeCycleStage>(a))] = r.declaration[a];
  j["declaration"] = decl;
  j["declaration_unit"] = "kg CO2e per kWh";
  return j;
}

}  // namespace

int RunFootprint(int argc, char** argv) {
  CLI::App app{"A product's regionalised cradle-to-gate carbon footprint from an inventory file (docs/lca.md)",
               "lccge footprint"};
  std::string file;
  bool json = false;
  app.add_option("FILE", file, "inventory file (YAML)")->required();
  app.add_flag("--json", json, "print one JSON object instead of tables");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInvalid;
  }
  lca::FootprintInventory inventory;
  Status s = lca::LoadFootprintInventory(file, &inventory);
  lca::FootprintResult result;
  if (s.ok()) s = lca::ComputeFootprint(inventory, &result);
  if (!s.ok()) {
    std::fprintf(stderr, "lccge footprint: %s\n", s.ToString().c_str());
    return ExitCodeFor(s);
  }
  if (json) {
    std::printf("%s\n", ToJson(result).dump(2).c_str());
  } else {
    std::printf("%s", lca::FormatFootprintReport(result).c_str());
  }
  return kExitOk;
}

}  // namespace lccge::app
