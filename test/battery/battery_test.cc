// The bundled battery supply-chain model: found without a path, replicates its benchmark, reproduces the paper's
// base-year stage shares (its calibration targets) through the model's own accounts, implies footprints inside the
// independent LCA range, and responds to the three policy shocks in the expected direction with consistent
// accounts. Bad data stops before any solve with file, line and cause.
#include "lccge/battery/battery.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.hpp"
#include "lccge/model/multi_region.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::battery {
namespace {

namespace fs = std::filesystem;

std::string BundledDir() { return std::string(LCCGE_SOURCE_DIR) + "/data/battery"; }

// A solved scenario with its accounts.
struct Solved {
  Scenario scenario;
  Solution solution;
  Solver::Summary summary;
  BatteryAccounts accounts;
};

class BatteryModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new BatteryData;
    ASSERT_TRUE(LoadBatteryData(BundledDir(), data_).ok());
    model_ = new BatteryModel;
    ASSERT_TRUE(BuildBatteryModel(*data_, {}, model_).ok());
  }
  static void TearDownTestSuite() {
    delete data_;
    delete model_;
  }
  static Solved Run(const Policy* policy) {
    Solved s;
    if (policy == nullptr) {
      s.scenario = model_->Benchmark();
    } else {
      Status st = PolicyScenario(*data_, *model_, *policy, &s.scenario);
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
    EXPECT_TRUE(Solve(model_->model, s.scenario, Solver::Options(), &s.solution, &s.summary).ok());
    EXPECT_TRUE(s.summary.converged()) << s.summary.BriefReport();
    const EmissionAdjustments adjustments = policy == nullptr ? EmissionAdjustments() : AdjustmentsOf(*policy);
    Status st = ComputeBatteryAccounts(*data_, *model_, s.scenario, s.solution.values, &adjustments, &s.accounts);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return s;
  }
  static const Policy& Shock(const std::string& name) {
    static const std::vector<Policy> shocks = StandardShocks(*data_);
    for (const Policy& p : shocks)
      if (p.name == name) return p;
    ADD_FAILURE() << "no shock " << name;
    return shocks.front();
  }
  static double Value(const Solved& s, const std::string& variable) {
    const int i = model_->model.VariableIndex(variable);
    EXPECT_GE(i, 0) << variable;
    return i < 0 ? 0.0 : s.solution.values[static_cast<size_t>(i)];
  }
  // Quantity bought by activity `sector` of commodity `good` at the solution (level x input per unit).
  static double Bought(const Solved& s, const std::string& sector, const std::string& good) {
    auto it = s.solution.reports.find(sector + ":in:" + good);
    EXPECT_NE(it, s.solution.reports.end()) << sector << " " << good;
    return it == s.solution.reports.end() ? 0.0 : Value(s, sector) * it->second;
  }
  // Every account adds up: stages to the chain total, regions to the world, embodied to direct emissions.
  static void ExpectConsistent(const BatteryAccounts& a) {
    for (const RegionAccounts* r : [&] {
           std::vector<const RegionAccounts*> v = {&a.world};
           for (const RegionAccounts& x : a.regions) v.push_back(&x);
           return v;
         }()) {
      double va = 0, em = 0;
      for (const StageFigures& f : r->stages) {
        va += f.value_added;
        em += f.emissions;
      }
      EXPECT_NEAR(va, r->total.value_added, 1e-9 * std::max(1.0, r->total.value_added)) << r->name;
      EXPECT_NEAR(em, r->total.emissions, 1e-9 * std::max(1.0, r->total.emissions)) << r->name;
    }
    for (size_t s = 0; s < kStages.size(); ++s) {
      double va = 0, em = 0;
      for (const RegionAccounts& r : a.regions) {
        va += r.stages[s].value_added;
        em += r.stages[s].emissions;
      }
      EXPECT_NEAR(va, a.world.stages[s].value_added, 1e-9 * a.world.total.value_added) << kStages[s];
      EXPECT_NEAR(em, a.world.stages[s].emissions, 1e-9 * a.world.total.emissions) << kStages[s];
    }
    EXPECT_LT(a.equilibrium.conservation_gap, 1e-9);
    // The chain's emissions are every labelled activity's direct emissions (the accounts' own decomposition).
    EXPECT_NEAR(a.world.total.emissions, a.equilibrium.stages.total_emissions, 1e-9 * a.world.total.emissions);
  }
  static BatteryData* data_;
  static BatteryModel* model_;
};

BatteryData* BatteryModelTest::data_ = nullptr;
BatteryModel* BatteryModelTest::model_ = nullptr;

TEST(BatteryData, TheBundledFolderIsFoundWithoutAPath) {
  const std::string dir = DefaultDataDirectory();
  ASSERT_FALSE(dir.empty());
  BatteryData data;
  Status s = LoadBatteryData(dir, &data);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(data.regions.size(), 10u);
  std::vector<std::string> names;
  for (const RegionInfo& r : data.regions) names.push_back(r.name);
  for (const char* expected : {"China", "United States", "European Union", "Japan", "South Korea", "Australia",
                               "Chile and Argentina", "DR Congo", "Indonesia", "Rest of World"})
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  for (const char* stage : kStages) EXPECT_FALSE(data.SectorsOfStage(stage).empty()) << stage;
  EXPECT_EQ(data.scrap_account, "scrap");
}

TEST_F(BatteryModelTest, BenchmarkReplicatesInZeroIterations) {
  // Finalize's benchmark checks ran on the chain's model (docs/model-format.md, "Benchmark checks") and agree.
  EXPECT_TRUE(model_->model.benchmark_check());
  EXPECT_TRUE(model_->model.warnings().empty()) << model_->model.warnings().front().ToString();
  const Solved s = Run(nullptr);
  EXPECT_EQ(s.summary.iterations, 0);
  // max|F| as lccge reports it: each condition divided by its benchmark scale (docs/theory.md). Unscaled, the
  // conditions are flows in million USD of economies up to 1e8 of them: round-off relative to those.
  EXPECT_LT(s.summary.max_residual, 1e-9);
  EXPECT_LT(s.summary.max_residual_unscaled, 1e-14 * 1e8);
  ExpectConsistent(s.accounts);
}

// The paper's base-year shares are the calibration targets of the data (docs/battery-data.md): computed here from
// the equilibrium's accounts, they check that the model, the accounts and the calibration agree.
TEST_F(BatteryModelTest, BaseYearWorldSharesAreThePapersWithinOnePoint) {
  const Solved s = Run(nullptr);
  const RegionAccounts& w = s.accounts.world;
  const size_t mining = static_cast<size_t>(StageIndex("Mining")), cathode = static_cast<size_t>(StageIndex("Cathode"));
  EXPECT_NEAR(100 * w.ValueShare(cathode), 42.56, 1.0);
  EXPECT_NEAR(100 * w.EmissionShare(cathode), 34.82, 1.0);
  EXPECT_NEAR(100 * w.ValueShare(mining), 18.78, 1.0);
  EXPECT_NEAR(100 * w.EmissionShare(mining), 38.52, 1.0);
  // The world made 1235 GWh of cells in 2023 (the data's sum of regional production).
  EXPECT_NEAR(w.cells_gwh, 1235.0, 1e-6);
}

// Independent check (docs/validation.md): NMC811 cells made in China, every input from China's markets, against
// GREET 2024 (50.0 kg/kWh upstream) up to the Nature Communications range for NMC (59-115) and IEA GEVO 2024
// (101.5 for high-nickel NMC); cathode material against seed 002 (9.00 kg per 0.41 kg of cathode, 22 kg/kg) up to
// the coal-based Indonesian nickel route (about 53-60 kg/kg).
TEST_F(BatteryModelTest, ImpliedNmc811FootprintIsInsideTheLiteratureRange) {
  const Solved s = Run(nullptr);
  ASSERT_EQ(data_->chemistries.count("NMC811"), 1u);
  Footprint f;
  Status st =
      ImpliedFootprint(*data_, *model_, s.accounts, s.solution.values, "CHN", data_->chemistries.at("NMC811"), &f);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_GE(f.per_kwh, 50.0);
  EXPECT_LE(f.per_kwh, 115.0);
  EXPECT_GE(f.cathode_per_kg, 20.0);
  EXPECT_LE(f.cathode_per_kg, 60.0);
  double parts = 0;
  for (const auto& [name, v] : f.parts) parts += v;
  EXPECT_NEAR(parts, f.per_kwh, 1e-9 * f.per_kwh);
  // Cells made with the EU's cleaner grid carry less.
  Footprint eu;
  ASSERT_TRUE(
      ImpliedFootprint(*data_, *model_, s.accounts, s.solution.values, "EU", data_->chemistries.at("NMC811"), &eu)
          .ok());
  EXPECT_LT(eu.per_kwh, f.per_kwh);
}

TEST_F(BatteryModelTest, UsTariffOnChineseCathodeAndCellsDivertsTrade) {
  const Solved base = Run(nullptr);
  const Solved shock = Run(&Shock("US tariff on Chinese cathode and cells"));
  // US imports of Chinese cells fall; imports from the other exporters and US cell output rise.
  EXPECT_LT(Bought(shock, "A_USA_cell", "PY_CHN_cell"), 0.9 * Bought(base, "A_USA_cell", "PY_CHN_cell"));
  for (const char* exporter : {"PY_KOR_cell", "PY_JPN_cell"})  // the other net exporters of cells
    EXPECT_GT(Bought(shock, "A_USA_cell", exporter), Bought(base, "A_USA_cell", exporter)) << exporter;
  EXPECT_GT(Value(shock, "Y_USA_cell"), Value(base, "Y_USA_cell"));
  EXPECT_GT(Value(shock, "Y_USA_cathode"), Value(base, "Y_USA_cathode"));
  EXPECT_LT(Value(shock, "Y_CHN_cell"), Value(base, "Y_CHN_cell"));
  // The tariff is collected: the route's rate is the benchmark rate plus 25 points.
  const int tm = model_->model.ParameterIndex(model::TariffParameter("cell", "CHN", "USA"));
  ASSERT_GE(tm, 0);
  EXPECT_EQ(shock.scenario.parameters.at(model::TariffParameter("cell", "CHN", "USA")), 0.25);
  ExpectConsistent(shock.accounts);
}

TEST_F(BatteryModelTest, EuCollectionDoubledRaisesRecyclingAndCutsPrimaryMining) {
  const Solved base = Run(nullptr);
  const Solved shock = Run(&Shock("EU collection rate doubled"));
  EXPECT_GT(Value(shock, "Y_EU_recycling"), Value(base, "Y_EU_recycling") * 1.05);
  const size_t mining = static_cast<size_t>(StageIndex("Mining")),
               recycling = static_cast<size_t>(StageIndex("Recycling"));
  EXPECT_LT(shock.accounts.world.stages[mining].real_output, base.accounts.world.stages[mining].real_output);
  EXPECT_LT(shock.accounts.world.stages[mining].emissions, base.accounts.world.stages[mining].emissions);
  EXPECT_GT(shock.accounts.world.stages[recycling].real_output, base.accounts.world.stages[recycling].real_output);
  EXPECT_GT(shock.accounts.secondary_share, base.accounts.secondary_share);
  // The scrap endowment follows the data: (other feed + 2 c x end-of-life) / (other feed + c x end-of-life).
  const RecyclingInfo* eu = data_->FindRecycling("EU");
  ASSERT_NE(eu, nullptr);
  const double expected = eu->Feed(2 * eu->collection_rate) / eu->Feed(eu->collection_rate);
  EXPECT_DOUBLE_EQ(shock.scenario.parameters.at(model::EndowmentParameter("EU", "scrap", "recycling")), expected);
  ExpectConsistent(shock.accounts);
}

// Hand calculation: halving China's grid removes half of the electricity part of every Chinese activity's direct
// emissions and nothing else; the equilibrium (value added) does not move.
TEST_F(BatteryModelTest, ChinaGridHalvedRemovesHalfItsElectricityEmissions) {
  const Solved base = Run(nullptr);
  const Solved shock = Run(&Shock("China grid decarbonised by half"));
  double electricity = 0;
  for (const lca::ActivityAccount& a : base.accounts.equilibrium.activities)
    if (a.industry.region == "CHN" && data_->FindSector(a.industry.sector) != nullptr &&
        !data_->FindSector(a.industry.sector)->stage.empty())
      electricity += a.direct_parts.electricity;
  ASSERT_GT(electricity, 0);
  EXPECT_NEAR(shock.accounts.world.total.emissions, base.accounts.world.total.emissions - 0.5 * electricity,
              1e-9 * base.accounts.world.total.emissions);
  EXPECT_NEAR(shock.accounts.world.total.value_added, base.accounts.world.total.value_added, 1e-9);
  for (size_t r = 0; r < base.accounts.regions.size(); ++r) {
    if (base.accounts.regions[r].code == "CHN") continue;
    EXPECT_DOUBLE_EQ(shock.accounts.regions[r].total.emissions, base.accounts.regions[r].total.emissions);
  }
  ExpectConsistent(shock.accounts);
}

// A recycled-content mandate above the benchmark share binds: the endogenous subsidy RC_EU turns positive and the
// EU cathode makers' secondary share of metal is exactly the mandate (complementarity); below it, RC stays 0.
TEST_F(BatteryModelTest, RecycledContentMandateBindsThroughAnEndogenousSubsidy) {
  Policy p;
  p.name = "EU recycled content 20 %";
  p.recycled_content["EU"] = 0.20;
  const Solved s = Run(&p);
  EXPECT_GT(Value(s, RecycledContentSubsidy("EU")), 0.0);
  const double secondary = model_->secondary_per_level.at("EU") * Value(s, SecondaryActivity("EU"));
  const double metal = model_->metal_per_cathode_level.at("EU") * Value(s, "Y_EU_cathode");
  EXPECT_NEAR(secondary / metal, 0.20, 1e-9);
  ExpectConsistent(s.accounts);
  Policy low;
  low.name = "EU recycled content 1 %";
  low.recycled_content["EU"] = 0.01;
  const Solved l = Run(&low);
  EXPECT_NEAR(Value(l, RecycledContentSubsidy("EU")), 0.0, 1e-12);
  EXPECT_NEAR(Value(l, "Y_EU_cathode"), 1.0, 1e-9);
}

TEST_F(BatteryModelTest, PoliciesWithBadLeversAreRejectedBeforeSolving) {
  Scenario sc;
  Policy p;
  p.name = "bad";
  p.collection_rate["EU"] = 1.5;
  Status s = PolicyScenario(*data_, *model_, p, &sc);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.cause().find("outside 0..1"), std::string::npos) << s.ToString();
  p = Policy{};
  p.tariff_add[{"cell", "CHN", "XXX"}] = 0.1;
  s = PolicyScenario(*data_, *model_, p, &sc);
  EXPECT_NE(s.cause().find("unknown region 'XXX'"), std::string::npos) << s.ToString();
  p = Policy{};
  p.tariff_add[{"rest", "CHN", "USA"}] = 0.1;
  s = PolicyScenario(*data_, *model_, p, &sc);
  EXPECT_NE(s.cause().find("not a chain good"), std::string::npos) << s.ToString();
  p = Policy{};
  p.grid_scale["CHN"] = -1;
  s = PolicyScenario(*data_, *model_, p, &sc);
  EXPECT_NE(s.cause().find("grid scale"), std::string::npos) << s.ToString();
}

// ---- data edits: a copy of the bundled folder with one change ----

class EditedData : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("lccge_battery_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& e : fs::directory_iterator(BundledDir()))
      if (e.is_regular_file()) fs::copy_file(e.path(), dir_ + "/" + e.path().filename().string());
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Replaces the first line of `file` that starts with `prefix` with `replacement`; returns its 1-based number.
  int Replace(const std::string& file, const std::string& prefix, const std::string& replacement) {
    std::ifstream in(dir_ + "/" + file);
    std::string line, out;
    int number = 0, found = 0;
    while (std::getline(in, line)) {
      ++number;
      if (found == 0 && line.rfind(prefix, 0) == 0) {
        line = replacement;
        found = number;
      }
      out += line + "\n";
    }
    in.close();
    std::ofstream(dir_ + "/" + file) << out;
    EXPECT_GT(found, 0) << prefix;
    return found;
  }
  Status Load(BatteryData* data, Diagnostics* diag) { return LoadBatteryData(dir_, data, diag); }
  // Expects exactly one problem naming `file`, `line` (0: any) and containing `cause`.
  void ExpectProblem(const std::string& file, int line, const std::string& cause) {
    BatteryData data;
    Diagnostics diag;
    EXPECT_FALSE(Load(&data, &diag).ok());
    bool found = false;
    for (const Status& p : diag.problems()) {
      const std::string text = p.ToString();
      std::string where = dir_ + "/" + file;
      if (line > 0) where += std::string(":").append(std::to_string(line)).append(":");
      found = found || (text.find(where) != std::string::npos && text.find(cause) != std::string::npos);
    }
    EXPECT_TRUE(found) << diag.ToString();
  }
  std::string dir_;
};

TEST_F(EditedData, ACollectionRateAboveOneIsRejectedWithFileAndLine) {
  const int line = Replace("recycling.csv", "EU,", "EU,1.2,4000,1000,0.9");
  ExpectProblem("recycling.csv", line, "collection rate of region 'EU' is 1.2, outside 0..1");
}

TEST_F(EditedData, ANegativeFlowIsRejectedWithFileAndLine) {
  const int line = Replace("sam.csv", "CHN,lab,a_cell,", "CHN,lab,a_cell,-5");
  ExpectProblem("sam.csv", line, "negative factor payment");
}

TEST_F(EditedData, AMissingEmissionFactorIsRejectedNamingTheFile) {
  // Every factor row of the cathode sector goes: its activities have no factor.
  std::ifstream in(dir_ + "/emission_factors.csv");
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind("GLO,cathode,", 0) != 0) out += line + "\n";
  in.close();
  std::ofstream(dir_ + "/emission_factors.csv") << out;
  ExpectProblem("emission_factors.csv", 0, "no emission factor for sector 'cathode'");
}

TEST_F(EditedData, AStageLabelNamingNoSectorIsRejectedWithFileAndLine) {
  const int line = Replace("sectors.csv", "mn_mine,", "mn_mines,Mining,t Mn contained,manganese ore");
  ExpectProblem("sectors.csv", line, "stage label for unknown sector 'mn_mines'");
}

TEST_F(EditedData, AnUnknownStageIsRejectedWithFileAndLine) {
  const int line = Replace("sectors.csv", "graphite,", "graphite,Anode,t graphite,battery graphite");
  ExpectProblem("sectors.csv", line, "unknown stage 'Anode'");
}

// captive_power.csv: a part of a chain activity's process + fuel factor, in its unit; its path an index >= 0.
TEST_F(EditedData, CaptivePowerAboveItsFactorIsRejectedWithFileAndLine) {
  const int line = Replace("captive_power.csv", "IDN,ni_mine,", "IDN,ni_mine,1e9,kg CO2e/t,test");
  ExpectProblem("captive_power.csv", line, "must be between 0 and its process + fuel factor");
}

TEST_F(EditedData, CaptivePowerInAnotherUnitIsRejectedWithFileAndLine) {
  const int line = Replace("captive_power.csv", "IDN,ni_mine,", "IDN,ni_mine,1000,kg CO2e/kg,test");
  ExpectProblem("captive_power.csv", line, "must be the factor's 'kg CO2e/t'");
}

TEST_F(EditedData, CaptivePowerOfAnActivityTheRegionLacksIsRejectedWithFileAndLine) {
  const int line = Replace("captive_power.csv", "IDN,ni_mine,", "EU,ni_mine,1000,kg CO2e/t,test");
  ExpectProblem("captive_power.csv", line, "'EU' has no activity of 'ni_mine'");
}

TEST_F(EditedData, ANegativeCaptivePowerPathIsRejectedWithFileAndLine) {
  const int line = Replace("paths.csv", "captive_power,IDN,2033,", "captive_power,IDN,2033,-0.5,index,test");
  ExpectProblem("paths.csv", line, "captive_power of 'IDN' in 2033 must be an index >= 0");
}

// Moving a sector to another stage is a data edit: the decomposition follows it.
TEST_F(EditedData, RelabellingASectorMovesItsShareToTheOtherStage) {
  BatteryData base, moved;
  ASSERT_TRUE(LoadBatteryData(BundledDir(), &base).ok());
  Replace("sectors.csv", "graphite,", "graphite,Cell,t graphite,battery graphite (reported with the cell)");
  Diagnostics diag;
  ASSERT_TRUE(Load(&moved, &diag).ok()) << diag.ToString();
  auto world = [](const BatteryData& d) {
    BatteryModel m;
    EXPECT_TRUE(BuildBatteryModel(d, {}, &m).ok());
    Solution sol;
    Solver::Summary sum;
    const Scenario sc = m.Benchmark();
    EXPECT_TRUE(Solve(m.model, sc, Solver::Options(), &sol, &sum).ok());
    BatteryAccounts a;
    EXPECT_TRUE(ComputeBatteryAccounts(d, m, sc, sol.values, nullptr, &a).ok());
    return a.world;
  };
  const RegionAccounts a = world(base), b = world(moved);
  const size_t refining = static_cast<size_t>(StageIndex("Refining")), cell = static_cast<size_t>(StageIndex("Cell"));
  EXPECT_EQ(b.stages[refining].emissions, 0.0);
  EXPECT_NEAR(b.stages[cell].emissions, a.stages[cell].emissions + a.stages[refining].emissions,
              1e-9 * a.total.emissions);
  EXPECT_NEAR(b.total.emissions, a.total.emissions, 1e-9 * a.total.emissions);
}

// ---- the command line ----

// The main job, whole: the six bundled scenarios to 2060 and the base year's shocks, deterministic, with the paper's
// figures beside ours at the end of the terminal output. (The change against Baseline is asserted in
// dynamics_test.cc.)
TEST(BatteryCli, RunWritesTheSixScenariosTo2060AndTheShocksDeterministically) {
  const std::string out = (fs::temp_directory_path() / ("lccge_run_" + std::to_string(::getpid()))).string();
  fs::remove_all(out);
  const auto r = testing::RunCli("run --no-figures --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Mining"), std::string::npos);
  EXPECT_NE(r.out.find("[-35.87]"), std::string::npos) << r.out;  // the paper's figure beside ours
  const std::string csv = testing::ReadWhole(out + "/iamc.csv");
  std::string header = "Model,Scenario,Region,Variable,Unit";
  for (int y = 2023; y <= 2060; ++y) {
    header += ',';
    header += std::to_string(y);
  }
  EXPECT_EQ(csv.rfind(header + "\n", 0), 0u) << csv.substr(0, 200);
  for (const char* needle :
       {"lccge,Baseline,World,Value Added|Battery Supply Chain|Cathode,", "lccge,Combined,United States,",
        "lccge,Technology cooperation,European Union,Emissions|CO2e|Battery Supply Chain|Mining,Mt CO2e/yr,",
        "lccge,Open trade,China,Emissions Intensity|Battery Supply Chain,kg CO2e/USD_2023,",
        "lccge,Tailored circular economy,World,Emissions Intensity|Battery Supply Chain|per kWh,",
        "lccge,Recycling,World,Secondary Material Share|Battery Supply Chain,%,", "Stock|Batteries|In Use",
        "US tariff on Chinese cathode and cells", "EU collection rate doubled", "China grid decarbonised by half"})
    EXPECT_NE(csv.find(needle), std::string::npos) << needle;
  const std::string summary = testing::ReadWhole(out + "/summary.json");
  EXPECT_NE(summary.find("\"change_vs_baseline_percent\""), std::string::npos);
  EXPECT_NE(summary.find("\"Tailored circular economy\""), std::string::npos);
  // A second run gives the same bytes.
  const auto again = testing::RunCli("run --no-figures --out " + out + "_2");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(testing::ReadWhole(out + "_2/iamc.csv"), csv);
  EXPECT_EQ(testing::ReadWhole(out + "_2/summary.json"), summary);
  fs::remove_all(out);
  fs::remove_all(out + "_2");
}

TEST_F(EditedData, RunStopsOnBadDataWithExitTwoAndWritesNothing) {
  const int line = Replace("recycling.csv", "CHN,", "CHN,1.5,24000,1000,0.9");
  const std::string out = dir_ + "_out";
  const auto r = testing::RunCli("run --data " + dir_ + " --out " + out);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("recycling.csv:" + std::to_string(line) + ": collection rate of region 'CHN' is 1.5"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out + "/iamc.csv"));
  EXPECT_TRUE(r.out.empty()) << r.out;
  const auto check = testing::RunCli("check " + dir_);
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.err.find("recycling.csv:" + std::to_string(line)), std::string::npos) << check.err;
}

TEST(BatteryCli, CheckSolveAndEmissionsAcceptTheBundledFolder) {
  const std::string dir = BundledDir();
  auto r = testing::RunCli("check " + dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("battery data folder"), std::string::npos);
  r = testing::RunCli("solve " + dir + " --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"iterations\": 0"), std::string::npos) << r.out.substr(0, 400);
  r = testing::RunCli("emissions " + dir + " --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"stage\": \"Cathode\""), std::string::npos);
}

}  // namespace
}  // namespace lccge::battery
