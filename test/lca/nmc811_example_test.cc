// The NMC811 example (examples/nmc811): runs through the CLI and keeps its accounting invariants. The comparison
// with seed 002's published figures is documentation (docs/validation.md), not a test.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace lccge::lca {
namespace {

nlohmann::json RunExample(const std::string& file) {
  const auto r =
      lccge::testing::RunCli("footprint " + std::string(LCCGE_SOURCE_DIR) + "/examples/nmc811/" + file + " --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  return nlohmann::json::parse(r.out);
}

void CheckInvariants(const nlohmann::json& j) {
  const double tol = 1e-9;
  const double total = j["total"].get<double>();
  ASSERT_GT(total, 0);
  double components = 0;
  for (const auto& [name, v] : j["by_component"].items()) {
    components += v.get<double>();
    double categories = 0;
    for (const auto& [cat, c] : j["hotspots"][name].items()) {
      EXPECT_GE(c.get<double>(), 0) << name << " " << cat;
      categories += c.get<double>();
    }
    EXPECT_NEAR(categories, v.get<double>(), tol) << name;
  }
  const double transport = j["transport"]["total"].get<double>();
  EXPECT_NEAR(total, components + transport, tol);
  double minerals = 0;
  for (const auto& [m, v] : j["transport"]["by_mineral"].items()) minerals += v.get<double>();
  EXPECT_NEAR(minerals, transport, tol);
  double declared = 0;
  for (const auto& [stage, v] : j["declaration"].items()) declared += v.get<double>();
  EXPECT_NEAR(declared * j["functional_unit"]["kwh"].get<double>(), total, tol);
  EXPECT_EQ(j["declaration"].size(), 4u);
  for (const char* key : {"cathode", "anode", "electrolyte", "separator", "cell manufacturing"})
    EXPECT_TRUE(j["by_component"].contains(key)) << key;
  for (const char* key : {"cobalt", "lithium", "nickel", "manganese"})
    EXPECT_GT(j["transport"]["by_mineral"][key].get<double>(), 0) << key;
}

TEST(lcaNmc811Example, BaseAndOnshoredKeepInvariants) {
  const nlohmann::json base = RunExample("base.yaml");
  const nlohmann::json onshored = RunExample("onshored.yaml");
  CheckInvariants(base);
  CheckInvariants(onshored);
  // Onshoring to a less carbon-intensive grid with shorter mineral routes lowers the footprint.
  EXPECT_LT(onshored["total"].get<double>(), base["total"].get<double>());
  EXPECT_LT(onshored["by_component"]["cathode"].get<double>(), base["by_component"]["cathode"].get<double>());
  EXPECT_LT(onshored["transport"]["total"].get<double>(), base["transport"]["total"].get<double>());
  // Only electricity is regionalised (as in seed 002): the cathode's other categories do not move.
  for (const char* cat : {"heat_and_mechanical_energy", "resources", "waste_by_products"}) {
    EXPECT_NEAR(onshored["hotspots"]["cathode"][cat].get<double>(), base["hotspots"]["cathode"][cat].get<double>(),
                1e-12)
        << cat;
  }
  // Same product: same contained minerals (equation 1) in both scenarios.
  for (const auto& [m, v] : base["transport"]["contained_mineral_kg"].items())
    EXPECT_NEAR(onshored["transport"]["contained_mineral_kg"][m].get<double>(), v.get<double>(), 1e-15) << m;
}

}  // namespace
}  // namespace lccge::lca
