#include "lccge/lca/footprint.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace lccge::lca {
namespace {

namespace fs = std::filesystem;
const std::string kMini = std::string(LCCGE_TEST_DATA_DIR) + "/lca/mini";

std::string Read(const std::string& path) { return lccge::testing::ReadWhole(path); }

// test/data/lca/mini/ok.yaml by hand (grid AA 0.5, BB 0.1 kg CO2e/kWh; metal = 2 process + 1 fuel + 4 kWh):
//   powder per kg in AA: metal 1.5*(2 res + 1 heat + 4*0.5 elec) + 2*0.5 elec -> res 3, heat 1.5, elec 4   = 8.5
//                  in BB: res 3, heat 1.5, elec 1.5*0.4 + 0.2 = 0.8                                         = 5.3
//   electrode per kg: 0.8 powder + steam 10*0.07 (heat) + waste 0.1*0.5
//                  AA: res 2.4, heat 1.9, elec 3.2, waste 0.05 = 7.55;  BB: res 2.4, heat 1.9, elec 0.64, waste 0.05
//   electrode per FU: 0.5*(0.6*AA + 0.4*BB): res 1.2, heat 0.95, elec 1.088, waste 0.025 = 3.263
//   assembly: 1 kWh * 0.1 = 0.1 (electricity)
//   transport: 0.6 kg Ni = 6e-4 t * 10000 km * 0.01 = 0.06
//   total 3.423; per kWh (0.2 kWh per kg): raw materials (3.263 + 0.06)/0.2 = 16.615, production 0.5.
TEST(lcaFootprint, HandCalculation) {
  FootprintInventory inv;
  Status s = LoadFootprintInventory(kMini + "/ok.yaml", &inv);
  ASSERT_TRUE(s.ok()) << s.ToString();
  FootprintResult r;
  s = ComputeFootprint(inv, &r);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(r.components.size(), 2u);
  const ComponentResult& e = r.components[0];
  EXPECT_NEAR(e.total, 3.263, 1e-12);
  EXPECT_NEAR(e.by_category[static_cast<int>(InputCategory::kResources)], 1.2, 1e-12);
  EXPECT_NEAR(e.by_category[static_cast<int>(InputCategory::kHeat)], 0.95, 1e-12);
  EXPECT_NEAR(e.by_category[static_cast<int>(InputCategory::kElectricity)], 1.088, 1e-12);
  EXPECT_NEAR(e.by_category[static_cast<int>(InputCategory::kWaste)], 0.025, 1e-12);
  EXPECT_NEAR(e.by_region.at("AA"), 0.5 * 0.6 * 7.55, 1e-12);
  EXPECT_NEAR(r.components[1].total, 0.1, 1e-12);
  EXPECT_NEAR(r.transport.total, 0.06, 1e-12);
  EXPECT_NEAR(r.total, 3.423, 1e-12);
  EXPECT_NEAR(r.kwh_per_functional_unit, 0.2, 1e-15);
  EXPECT_NEAR(r.declaration[0], 16.615, 1e-10);
  EXPECT_NEAR(r.declaration[1], 0.5, 1e-12);
  EXPECT_EQ(r.declaration[2], 0.0);
  EXPECT_EQ(r.declaration[3], 0.0);
}

TEST(lcaFootprint, CliJsonAndTable) {
  const auto res = lccge::testing::RunCli("footprint " + kMini + "/ok.yaml --json");
  ASSERT_EQ(res.exit_code, 0) << res.err;
  const auto j = nlohmann::json::parse(res.out);
  EXPECT_NEAR(j["total"].get<double>(), 3.423, 1e-12);
  EXPECT_NEAR(j["by_component"]["electrode"].get<double>(), 3.263, 1e-12);
  EXPECT_NEAR(j["hotspots"]["electrode"]["heat_and_mechanical_energy"].get<double>(), 0.95, 1e-12);
  EXPECT_NEAR(j["transport"]["by_mineral"]["nickel"].get<double>(), 0.06, 1e-12);
  EXPECT_NEAR(j["declaration"]["main_product_production"].get<double>(), 0.5, 1e-12);
  EXPECT_EQ(j["functional_unit"]["description"], "1 kg of widget");
  const auto table = lccge::testing::RunCli("footprint " + kMini + "/ok.yaml");
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("Carbon footprint declaration"), std::string::npos);
  EXPECT_NE(table.out.find("electrode"), std::string::npos);
}

// Writes a copy of the mini inventory with one text replaced (in the YAML or in a CSV), runs the CLI and returns
// the result. `line` receives the 1-based line of the replacement in the mutated file.
struct Mutation {
  std::string file;  // "ok.yaml", "grid.csv" or "factors.csv"
  std::string from, to;
};

lccge::testing::CliResult RunMutated(const std::string& name, const Mutation& m, int* line, std::string* path) {
  const fs::path dir = fs::temp_directory_path() / ("lccge_lca_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* f : {"ok.yaml", "grid.csv", "factors.csv"}) {
    std::string text = Read(kMini + "/" + f);
    if (m.file == f) {
      const size_t at = text.find(m.from);
      EXPECT_NE(at, std::string::npos) << m.from;
      text.replace(at, m.from.size(), m.to);
      *line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
      *path = (dir / f).string();
    }
    std::ofstream(dir / f) << text;
  }
  return lccge::testing::RunCli("footprint " + (dir / "ok.yaml").string() + " --json");
}

void ExpectInvalid(const std::string& name, const Mutation& m, const std::string& cause) {
  int line = 0;
  std::string path;
  const auto r = RunMutated(name, m, &line, &path);
  EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
  EXPECT_TRUE(r.out.empty()) << name << ": stdout should be empty, got " << r.out;
  const std::string where = path + ":" + std::to_string(line) + ": ";
  EXPECT_NE(r.err.find(where), std::string::npos) << name << ": expected '" << where << "' in: " << r.err;
  EXPECT_NE(r.err.find(cause), std::string::npos) << name << ": expected '" << cause << "' in: " << r.err;
}

TEST(lcaFootprint, InvalidInventoriesExitTwoNamingFileAndLine) {
  ExpectInvalid("country", {"ok.yaml", "sourcing: {AA: 0.6, BB: 0.4}", "sourcing: {AA: 0.6, ZZ: 0.4}"},
                "unknown country 'ZZ' in the sourcing of component 'electrode'");
  ExpectInvalid("shares", {"ok.yaml", "sourcing: {AA: 0.6, BB: 0.4}", "sourcing: {AA: 0.6, BB: 0.3}"},
                "sourcing shares of component 'electrode' sum to 0.9, not 1");
  ExpectInvalid("mass", {"ok.yaml", "mass: 0.5", "mass: -0.5"}, "negative mass of component 'electrode'");
  ExpectInvalid("unit", {"ok.yaml", "amount: 1, unit: kWh/kg}", "amount: 1}"}, "missing unit of input 'power'");
  ExpectInvalid("category", {"ok.yaml", "category: waste", "category: landfill"},
                "unknown category 'landfill' of input 'scrap disposal'");
  ExpectInvalid("yaml", {"ok.yaml", "sourcing: {AA: 0.6, BB: 0.4}", "sourcing: {AA: 0.6, BB: 0.4}}"}, "malformed YAML");
  ExpectInvalid("key", {"ok.yaml", "    unit: kg\n    stage: main", "    units: kg\n    stage: main"},
                "unknown key 'units' in a component");
  ExpectInvalid("perunit", {"ok.yaml", "amount: 0.8, unit: kg/kg", "amount: 0.8, unit: kg/MJ"},
                "is per MJ but component 'electrode' is measured in kg");
  ExpectInvalid("route", {"ok.yaml", "share: 1, legs", "share: 0.5, legs"}, "route shares of nickel sum to 0.5, not 1");
  ExpectInvalid("factor_unit", {"factors.csv", "GLO,metal,fuel,1,kg CO2e/kg", "GLO,metal,fuel,1,"},
                "missing unit for metal in GLO");
  ExpectInvalid("factor_region", {"factors.csv", "GLO,metal,fuel", "XX,metal,fuel"}, "unknown region 'XX'");
  ExpectInvalid("factor_negative", {"factors.csv", "GLO,metal,process,2", "GLO,metal,process,-2"},
                "negative factor for metal in GLO");
  ExpectInvalid("grid_negative", {"grid.csv", "AA,0.5", "AA,-0.5"}, "grid intensity of AA is negative");
  ExpectInvalid("grid_unit", {"grid.csv", "BB,100,g CO2e/kWh", "BB,100,"}, "missing unit for the grid intensity of BB");
  ExpectInvalid("control_character", {"ok.yaml", "category: waste", "category: wa\x1Bste"}, "control character U+001B");
}

TEST(lcaFootprint, MissingFileAndCycles) {
  auto r = lccge::testing::RunCli("footprint " + kMini + "/does_not_exist.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  r = lccge::testing::RunCli("footprint");
  EXPECT_EQ(r.exit_code, 2);
  FootprintInventory inv;
  const std::string text = Read(kMini + "/ok.yaml");
  std::string cyc = text;
  const std::string from = "- {name: kiln power, category: electricity, amount: 2, unit: kWh/kg}";
  cyc.replace(cyc.find(from), from.size(), "- {name: loop, process: powder, amount: 0.1, unit: kg/kg}");
  const Status s = ParseFootprintInventory(cyc, "cyc.yaml", kMini, &inv);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.cause().find("a cycle"), std::string::npos) << s.ToString();
  EXPECT_EQ(s.where().line, 12);
}

// Forty processes, each using the next twice (1 kg per kg by two inputs), the last 1 kWh per kg in AA (0.5 kg CO2e per
// kWh): 2^39 kWh behind a kilogram of the first, 2^38 kg CO2e. Evaluated path by path that took 2^39 evaluations (the
// footprint fuzz harness timed out on such a file); each process is now computed once per region and stage.
TEST(lcaFootprint, SharedSubProcessesAreComputedOnce) {
  std::string text = R"(functional_unit: {description: 1 kg, amount: 1, unit: kg}
specific_energy: {value: 0.5, unit: kWh/kg}
grid_intensity: grid.csv
components:
  - {name: c, mass: 1, unit: kg, stage: production, sourcing: {AA: 1}, inputs: [{name: x, process: p0, amount: 1, unit: kg/kg}]}
processes:
)";
  for (int i = 0; i < 40; ++i) {
    std::string name = "p", next = "p";  // (not "p" + std::to_string(i): GCC 12 warns -Wrestrict on that)
    name += std::to_string(i);
    next += std::to_string(i + 1);
    text.append("  ").append(name).append(":\n    unit: kg\n    inputs:\n");
    if (i < 39) {
      for (const char* input : {"a", "b"})
        text.append("      - {name: ")
            .append(input)
            .append(", process: ")
            .append(next)
            .append(", amount: 1, unit: kg/kg}\n");
    } else {
      text.append("      - {name: power, category: electricity, amount: 1, unit: kWh/kg}\n");
    }
  }
  FootprintInventory inv;
  Status s = ParseFootprintInventory(text, "dag.yaml", kMini, &inv);
  ASSERT_TRUE(s.ok()) << s.ToString();
  FootprintResult r;
  s = ComputeFootprint(inv, &r);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(r.total, 274877906944.0);  // 2^38
  EXPECT_EQ(r.by_category[static_cast<int>(InputCategory::kElectricity)], 274877906944.0);
}

}  // namespace
}  // namespace lccge::lca
