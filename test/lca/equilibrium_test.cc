// Emission accounts on equilibrium solutions: a hand-checked economy, conservation (embodied emissions summed over
// final demand = total direct emissions) and the income identity on every model tested (the hand economies, the
// solved sam2x3 multi-region model under three scenarios, synthetic 3x4 models with and without CET, the engine's
// test models), the emissions command.
#include "lccge/lca/equilibrium.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "lccge/data/io.hpp"
#include "lccge/data/synth.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/model/flows.hpp"
#include "lccge/model/multi_region.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::lca {
namespace {

const std::string kData = std::string(LCCGE_TEST_DATA_DIR) + "/lca/equilibrium/";
const std::string kSam2x3 = std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3";
const std::string kSamFactors = std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3_emissions/";

Model LoadModelOrDie(const std::string& path) {
  Model m;
  Status s = io::LoadModel(path, &m);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return m;
}

Solution SolveOrDie(const Model& model, const Scenario& scenario) {
  Solution solution;
  Solver::Summary summary;
  Status s = Solve(model, scenario, Solver::Options{}, &solution, &summary);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(summary.converged()) << model.name() << " / " << scenario.name << ": " << summary.BriefReport();
  return solution;
}

// Tax revenue of every consumer at the solution: income minus the value of its endowments.
double TaxRevenue(const Model& model, const Scenario& scenario, const std::vector<double>& values) {
  EquilibriumFlows flows;
  EXPECT_TRUE(ComputeEquilibriumFlows(model, scenario, values, &flows).ok());
  double revenue = 0;
  for (const Demand& d : model.demands()) revenue += values[static_cast<size_t>(model.VariableIndex(d.consumer))];
  for (const auto& e : flows.endowments) revenue -= values[static_cast<size_t>(e.commodity)] * e.quantity;
  return revenue;
}

// The identities every account must satisfy: conservation, value added = factor payments + taxes, the value of
// final demand = value added (income side = expenditure side), taxes = the consumers' tax revenue, embodied by
// origin sums to embodied.
void ExpectClosedAccounts(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                          const EquilibriumAccounts& a) {
  SCOPED_TRACE(model.name() + " / " + scenario.name);
  ASSERT_GT(a.total_direct, 0);
  EXPECT_LE(a.conservation_gap, 1e-9);
  EXPECT_NEAR(a.total_embodied, a.total_direct, 1e-9 * a.total_direct);
  EXPECT_LE(a.max_market_imbalance, 1e-8);
  double va = 0, taxes = 0, fd = 0, embodied = 0;
  for (const ActivityAccount& x : a.activities) {
    EXPECT_NEAR(x.value_added, x.factor_payments + x.taxes, 1e-9 * std::max(1.0, x.output_value)) << x.sector;
    EXPECT_NEAR(x.output_value, x.intermediate + x.value_added, 1e-9 * std::max(1.0, x.output_value)) << x.sector;
    va += x.value_added;
    taxes += x.taxes;
  }
  double endowment_va = 0;
  for (int i = 0; i < a.table.num_industries(); ++i)
    if (a.table.industries()[static_cast<size_t>(i)].region == "endowment") endowment_va += a.io.value_added(i);
  for (const FinalDemandAccount& f : a.final_demand) {
    fd += f.value;
    embodied += f.embodied;
    double origin = 0;
    for (const auto& [r, v] : f.by_origin) origin += v;
    EXPECT_NEAR(origin, f.embodied, 1e-9 * std::max(1.0, a.total_direct)) << f.consumer;
  }
  EXPECT_NEAR(embodied, a.total_direct, 1e-9 * a.total_direct);
  const double scale = std::max(1.0, fd);
  EXPECT_NEAR(va + endowment_va, fd, 1e-8 * scale);
  EXPECT_NEAR(taxes + a.final_demand_sector_value_added, TaxRevenue(model, scenario, values), 1e-8 * scale);
}

// ---- the hand economy (test/data/lca/equilibrium/hand.yaml) ----

EquilibriumTableOptions HandOptions() {
  EquilibriumTableOptions o;
  o.industry_of_sector["X"] = {"home", "X"};
  o.industry_of_sector["Y"] = {"home", "Y"};
  o.region_of_consumer["HH"] = "home";
  o.region_of_consumer["GOV"] = "home";
  o.final_demand_sectors = {"W"};
  o.factors["X"] = {30, 10, 10};  // 50 kg CO2e per unit of activity
  o.factors["Y"] = {20, 0, 0};
  return o;
}

// At the benchmark every price and level is 1. Table (values): Z(X->Y) = 30, Z(Y->X) = 20; x = (100, 100);
// final demand HH = W's inputs (PX 60, PY 80), GOV = PX 10. A(X,Y) = 0.3, A(Y,X) = 0.2; f = (0.5, 0.2).
// eps_X = 0.5 + 0.2 eps_Y, eps_Y = 0.2 + 0.3 eps_X  =>  eps_X = 0.54 / 0.94 = 27/47, eps_Y = 0.2 + 8.1/47 = 35/94.
// Embodied: HH = 60 x 27/47 + 80 x 35/94 = 3020/47, GOV = 10 x 27/47 = 270/47; sum 3290/47 = 70 = 50 + 20.
// Value added: X = 100 - 20 = 80 = labour 70 + output tax 10; Y = 100 - 30 = 70 = labour 70.
TEST(lcaEquilibrium, HandCheckedBenchmark) {
  const Model m = LoadModelOrDie(kData + "hand.yaml");
  const Scenario& bench = *m.FindScenario("benchmark");
  const Solution sol = SolveOrDie(m, bench);
  EquilibriumAccounts a;
  Status s = ComputeEquilibriumAccounts(m, bench, sol.values, HandOptions(), &a);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(a.activities.size(), 2u);  // W is final demand, not an industry
  const ActivityAccount& x = a.activities[0];
  const ActivityAccount& y = a.activities[1];
  EXPECT_EQ(x.sector, "X");
  EXPECT_EQ(x.industry.Label(), "home.X");
  EXPECT_NEAR(x.output_value, 100, 1e-9);
  EXPECT_NEAR(x.intermediate, 20, 1e-9);
  EXPECT_NEAR(x.factor_payments, 70, 1e-9);
  EXPECT_NEAR(x.taxes, 10, 1e-9);
  EXPECT_NEAR(x.value_added, 80, 1e-9);
  EXPECT_NEAR(y.value_added, 70, 1e-9);
  EXPECT_NEAR(y.taxes, 0, 1e-9);
  EXPECT_NEAR(x.direct, 50, 1e-12);
  EXPECT_NEAR(x.direct_parts.process, 30, 1e-12);
  EXPECT_NEAR(x.direct_parts.electricity, 10, 1e-12);
  EXPECT_NEAR(y.direct, 20, 1e-12);
  EXPECT_NEAR(x.direct_intensity, 0.5, 1e-12);
  EXPECT_NEAR(x.embodied_intensity, 27.0 / 47, 1e-12);
  EXPECT_NEAR(y.embodied_intensity, 35.0 / 94, 1e-12);
  ASSERT_EQ(a.final_demand.size(), 2u);
  EXPECT_EQ(a.final_demand[0].consumer, "HH");
  EXPECT_NEAR(a.final_demand[0].value, 140, 1e-9);
  EXPECT_NEAR(a.final_demand[0].embodied, 3020.0 / 47, 1e-10);
  EXPECT_NEAR(a.final_demand[0].intensity, 3020.0 / 47 / 140, 1e-12);
  EXPECT_EQ(a.final_demand[1].consumer, "GOV");
  EXPECT_NEAR(a.final_demand[1].embodied, 270.0 / 47, 1e-10);
  EXPECT_NEAR(a.total_direct, 70, 1e-12);
  EXPECT_NEAR(a.total_embodied, 70, 1e-10);
  ExpectClosedAccounts(m, bench, sol.values, a);

  // Stages: X and Y; X holds 80/150 of value added and 50/70 of emissions.
  EquilibriumTableOptions o = HandOptions();
  o.stages.by_sector = {{"X", "upstream"}, {"Y", "downstream"}};
  ASSERT_TRUE(ComputeEquilibriumAccounts(m, bench, sol.values, o, &a).ok());
  ASSERT_TRUE(a.has_stages);
  ASSERT_EQ(a.stages.stages.size(), 2u);
  EXPECT_EQ(a.stages.stages[0].stage, "upstream");
  EXPECT_NEAR(a.stages.stages[0].value_share, 80.0 / 150, 1e-12);
  EXPECT_NEAR(a.stages.stages[0].emission_share, 50.0 / 70, 1e-12);
  EXPECT_NEAR(a.stages.stages[0].ratio, (50.0 / 70) / (80.0 / 150), 1e-12);
}

// Away from the benchmark (tax 30 %): values at the new prices; emissions follow activity levels.
TEST(lcaEquilibrium, HandAtCounterfactualPrices) {
  const Model m = LoadModelOrDie(kData + "hand.yaml");
  const Scenario& sc = *m.FindScenario("tax_30");
  const Solution sol = SolveOrDie(m, sc);
  EquilibriumAccounts a;
  ASSERT_TRUE(ComputeEquilibriumAccounts(m, sc, sol.values, HandOptions(), &a).ok());
  const double X = sol.values[static_cast<size_t>(m.VariableIndex("X"))];
  const double Y = sol.values[static_cast<size_t>(m.VariableIndex("Y"))];
  const double PX = sol.values[static_cast<size_t>(m.VariableIndex("PX"))];
  EXPECT_NEAR(a.activities[0].direct, 50 * X, 1e-12);
  EXPECT_NEAR(a.activities[1].direct, 20 * Y, 1e-12);
  // X's output is valued at the market price PX (gross of the 30 % tax): taxes = 0.3 x PX x 100 X.
  EXPECT_NEAR(a.activities[0].output_value, PX * 100 * X, 1e-8);
  EXPECT_NEAR(a.activities[0].taxes, 0.3 * PX * 100 * X, 1e-7);
  // eps solves eps = f + eps A with the solution's value shares.
  const double ax = a.io.embodied_intensity(0), ay = a.io.embodied_intensity(1);
  const double zyx = a.activities[0].intermediate, zxy = a.activities[1].intermediate;
  EXPECT_NEAR(ax, a.activities[0].direct_intensity + ay * zyx / a.activities[0].output_value, 1e-12);
  EXPECT_NEAR(ay, a.activities[1].direct_intensity + ax * zxy / a.activities[1].output_value, 1e-12);
  ExpectClosedAccounts(m, sc, sol.values, a);
}

// Endowments of produced goods: a positive net endowment is an emission-free supplier; a negative one is delivered
// out of the market (its own final-demand column). Accounts close either way.
TEST(lcaEquilibrium, EndowmentsOfProducedGoods) {
  for (const char* file : {"hand.yaml", "hand_endowment.yaml", "hand_delivery.yaml"}) {
    const Model m = LoadModelOrDie(kData + file);
    for (const Scenario& sc : m.scenarios()) {
      const Solution sol = SolveOrDie(m, sc);
      EquilibriumAccounts a;
      Status s = ComputeEquilibriumAccounts(m, sc, sol.values, HandOptions(), &a);
      ASSERT_TRUE(s.ok()) << file << ": " << s.ToString();
      ExpectClosedAccounts(m, sc, sol.values, a);
      if (std::string(file) == "hand_endowment.yaml") {
        ASSERT_EQ(a.endowment_suppliers, std::vector<std::string>{"PY"});
        EXPECT_EQ(a.table.num_industries(), 3);
      } else if (std::string(file) == "hand_delivery.yaml") {
        ASSERT_EQ(a.final_demand.size(), 3u);
        EXPECT_EQ(a.final_demand[2].consumer, "(net endowment)");
        if (sc.name == "benchmark") {
          EXPECT_NEAR(a.final_demand[2].value, 5, 1e-9);
          EXPECT_NEAR(a.final_demand[2].embodied, 5 * 35.0 / 94, 1e-10);  // the economy is the hand one
          EXPECT_NEAR(a.final_demand[0].embodied, 60 * 27.0 / 47 + 75 * 35.0 / 94, 1e-10);
        }
      } else {
        EXPECT_TRUE(a.endowment_suppliers.empty());
        EXPECT_EQ(a.final_demand.size(), 2u);
      }
    }
  }
}

TEST(lcaEquilibrium, RejectsBadOptions) {
  const Model m = LoadModelOrDie(kData + "hand.yaml");
  const Scenario& bench = *m.FindScenario("benchmark");
  const Solution sol = SolveOrDie(m, bench);
  EquilibriumAccounts a;
  EquilibriumTableOptions o = HandOptions();
  o.factors["Q"] = {1, 0, 0};
  Status s = ComputeEquilibriumAccounts(m, bench, sol.values, o, &a);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.cause().find("'Q' is not a sector"), std::string::npos) << s.cause();
  o = HandOptions();
  o.factors["W"] = {1, 0, 0};
  s = ComputeEquilibriumAccounts(m, bench, sol.values, o, &a);
  EXPECT_NE(s.cause().find("final-demand sector 'W' cannot carry direct emissions"), std::string::npos) << s.cause();
  o = HandOptions();
  o.factors.erase("Y");
  o.final_demand_sectors = {"Y"};  // Y's output PY is used by X and W
  s = ComputeEquilibriumAccounts(m, bench, sol.values, o, &a);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.cause().find("the output of a final-demand sector"), std::string::npos) << s.cause();
  o = HandOptions();
  o.factors["X"].fuel = -1;
  EXPECT_EQ(ComputeEquilibriumAccounts(m, bench, sol.values, o, &a).code(), StatusCode::kInvalidInput);
  // Not an equilibrium: the markets do not balance.
  std::vector<double> off = sol.values;
  off[static_cast<size_t>(m.VariableIndex("X"))] = 1.5;
  s = ComputeEquilibriumAccounts(m, bench, off, HandOptions(), &a);
  EXPECT_NE(s.cause().find("does not balance"), std::string::npos) << s.cause();
  // Stage label for a sector that is not in the table.
  o = HandOptions();
  o.stages.by_sector = {{"Z", "upstream"}};
  o.stages.where["Z"] = {"stages.csv", 3, 0};
  s = ComputeEquilibriumAccounts(m, bench, sol.values, o, &a);
  EXPECT_EQ(s.ToString(), "stages.csv:3: stage label for unknown sector 'Z'");
}

// Every model of the engine's tests, with a factor on every sector: the accounts close.
TEST(lcaEquilibrium, ConservationOnEngineTestModels) {
  for (const char* name : {"twobytwo_ces.json", "twobytwo_cobb_douglas.json", "shutdown_free_good.yaml",
                           "taxes_two_agents.yaml", "aux_endogenous_tax.yaml", "nested_three_levels.yaml"}) {
    const Model m = LoadModelOrDie(std::string(LCCGE_TEST_DATA_DIR) + "/models/" + name);
    std::vector<Scenario> scenarios = m.scenarios();
    if (scenarios.empty()) scenarios.emplace_back();
    for (const Scenario& sc : scenarios) {
      const Solution sol = SolveOrDie(m, sc);
      EquilibriumTableOptions o;
      double k = 1;
      for (const VariableInfo& v : m.variables())
        if (v.kind == VariableKind::kSector) o.factors[v.name] = {k++, 0.5, 0.25};
      EquilibriumAccounts a;
      Status s = ComputeEquilibriumAccounts(m, sc, sol.values, o, &a);
      if (sc.name == "two_fixed") {
        // Fixing an activity level as well as the numeraire drops a zero-profit condition: the numeraire's market
        // does not clear, and the table says so instead of inventing a balancing item.
        EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
        EXPECT_NE(s.cause().find("the market for 'PD' does not balance"), std::string::npos) << s.cause();
        continue;
      }
      ASSERT_TRUE(s.ok()) << name << " / " << sc.name << ": " << s.ToString();
      ExpectClosedAccounts(m, sc, sol.values, a);
    }
  }
}

// ---- the standard multi-region model ----

struct Factors {
  GridIntensities grid;
  EmissionFactors factors;
};

Factors SamFactors() {
  Factors f;
  Status s = LoadGridIntensities(kSamFactors + "grid_intensity.csv", &f.grid);
  EXPECT_TRUE(s.ok()) << s.ToString();
  s = LoadEmissionFactors(kSamFactors + "emission_factors.csv", f.grid, &f.factors);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return f;
}

Model Sam2x3Model() {
  data::Dataset d;
  Diagnostics diag;
  Status s = data::ReadDataset(kSam2x3, &d, &diag);
  EXPECT_TRUE(s.ok()) << s.ToString();
  Model m;
  s = model::BuildMultiRegionModel(d, model::MultiRegionOptions{}, &m);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return m;
}

TEST(lcaEquilibrium, MultiRegionLabels) {
  const Model m = Sam2x3Model();
  MultiRegionLabels l;
  ASSERT_TRUE(LabelMultiRegionModel(m, &l).ok());
  EXPECT_EQ(l.regions, (std::vector<std::string>{"north", "south"}));
  EXPECT_EQ(l.industry_of_sector.at("Y_north_agr").Label(), "north.agr");
  EXPECT_EQ(l.industry_of_sector.at("A_south_man").Label(), "south.armington:man");
  EXPECT_EQ(l.industry_of_sector.at("T").Label(), "global.transport");
  EXPECT_EQ(l.final_demand_sectors, (std::vector<std::string>{"W_north", "W_south"}));
  EXPECT_EQ(l.region_of_consumer.at("HH_south"), "south");
  EXPECT_EQ(l.production_sectors.size(), 6u);

  // Overlapping region names: the longest match wins.
  Model o("overlap");
  for (const char* s : {"W_n", "W_n_e", "Y_n_e_agr", "Y_n_agr"}) o.AddSector(s);
  for (const char* c : {"PU_n", "PU_n_e", "PY_a", "PY_b", "PL"}) o.AddCommodity(c);
  auto block = [](const char* sector, const char* out) {
    Production p;
    p.sector = sector;
    Flow f;
    f.commodity = out;
    f.quantity = 1.0;
    p.outputs.push_back(f);
    f.commodity = "PL";
    p.inputs.push_back(f);
    return p;
  };
  o.AddProduction(block("W_n", "PU_n"));
  o.AddProduction(block("W_n_e", "PU_n_e"));
  o.AddProduction(block("Y_n_e_agr", "PY_a"));
  o.AddProduction(block("Y_n_agr", "PY_b"));
  ASSERT_TRUE(o.Finalize().ok());
  ASSERT_TRUE(LabelMultiRegionModel(o, &l).ok());
  EXPECT_EQ(l.industry_of_sector.at("Y_n_e_agr").Label(), "n_e.agr");
  EXPECT_EQ(l.industry_of_sector.at("Y_n_agr").Label(), "n.agr");
}

// The solved sam2x3 model: benchmark, tariff removal and +10 points of tariffs. Direct emissions by hand at the
// benchmark (factor per USD x benchmark output): north agr (0.5 + 0.2 + 0.3 kWh x 0.3) x 50 = 39.5; south man
// (0.45 + 0.4 + 1.0 x 0.8) x 60 = 99.
TEST(lcaEquilibrium, Sam2x3Scenarios) {
  const Model m = Sam2x3Model();
  const Factors f = SamFactors();
  MultiRegionAccountsOptions o;
  ASSERT_TRUE(LoadStageLabels(kSamFactors + "stages.csv", &o.stages).ok());
  for (const char* name : {"benchmark", "tariff_removal", "tariff_10"}) {
    const Scenario& sc = *m.FindScenario(name);
    const Solution sol = SolveOrDie(m, sc);
    EquilibriumAccounts a;
    std::vector<MultiRegionFactor> used;
    Status s = ComputeMultiRegionAccounts(m, sc, sol.values, f.factors, f.grid, o, &a, &used);
    ASSERT_TRUE(s.ok()) << name << ": " << s.ToString();
    ExpectClosedAccounts(m, sc, sol.values, a);
    EXPECT_EQ(a.activities.size(), 13u);  // 6 Y, 6 A, T
    ASSERT_EQ(a.final_demand.size(), 2u);
    EXPECT_EQ(a.final_demand[0].consumer, "HH_north");
    // Imports carry their origin's emissions: both households consume emissions that occur abroad.
    EXPECT_GT(a.final_demand[0].by_origin.at("south"), 1.0);
    EXPECT_GT(a.final_demand[1].by_origin.at("north"), 1.0);
    ASSERT_TRUE(a.has_stages);
    EXPECT_EQ(a.stages.stages.size(), 3u);
    EXPECT_EQ(a.stages.excluded.size(), 7u);
    for (const ActivityAccount& x : a.activities) {
      const double level = x.level;
      if (x.sector == "Y_north_agr") {
        EXPECT_NEAR(x.direct, 39.5 * level, 1e-9);
      }
      if (x.sector == "Y_south_man") {
        EXPECT_NEAR(x.direct, 99.0 * level, 1e-9);
      }
      if (x.industry.sector.rfind("armington:", 0) == 0 || x.sector == "T") {
        EXPECT_EQ(x.direct, 0.0);
      }
    }
    if (std::string(name) == "benchmark") {
      // Benchmark values are the SAM: north's household and investment spend 140 + 30; tariffs are the value added
      // of the Armington activities (north agr 1, south man 1); the north man production tax 5.
      EXPECT_NEAR(a.final_demand[0].value, 170, 1e-9);
      for (const ActivityAccount& x : a.activities) {
        if (x.sector == "A_north_agr") {
          EXPECT_NEAR(x.taxes, 1, 1e-9);
        }
        if (x.sector == "A_south_man") {
          EXPECT_NEAR(x.taxes, 1, 1e-9);
        }
        if (x.sector == "Y_north_man") {
          EXPECT_NEAR(x.taxes, 5, 1e-9);
        }
        if (x.sector == "Y_north_man") {
          EXPECT_NEAR(x.output_value, 105, 1e-9);
        }
      }
      EXPECT_NEAR(a.total_direct, 358.3, 1e-9);
      for (const MultiRegionFactor& u : used)
        if (u.sector == "Y_south_ser") {
          EXPECT_NEAR(u.benchmark_output, 110, 1e-12);
        }
    }
    if (std::string(name) == "tariff_removal") {
      for (const ActivityAccount& x : a.activities)
        if (x.industry.sector.rfind("armington:", 0) == 0) {
          EXPECT_NEAR(x.taxes, 0, 1e-9) << x.sector;
        }
    }
  }
}

// Synthetic 3-region x 4-sector datasets, with margins, taxes, government; with and without CET (industries with
// two outputs).
TEST(lcaEquilibrium, Synthetic3x4) {
  for (bool cet : {false, true}) {
    data::SynthOptions so;
    so.regions = 3;
    so.sectors = 4;
    so.seed = 7;
    so.cet = cet;
    data::Dataset d;
    ASSERT_TRUE(data::Synthesize(so, &d).ok());
    Model m;
    ASSERT_TRUE(model::BuildMultiRegionModel(d, model::MultiRegionOptions{}, &m).ok());
    Factors f;
    double g = 0.2;
    for (const std::string& r : d.regions) ASSERT_TRUE(f.grid.Set(r, 0, g += 0.15).ok());
    double k = 0.1;
    for (const auto& sec : d.sectors) {
      ASSERT_TRUE(f.factors.Add("GLO", sec.name, 0, FactorKind::kProcess, k += 0.2, "kg CO2e/USD").ok());
      ASSERT_TRUE(f.factors.Add("GLO", sec.name, 0, FactorKind::kElectricity, 0.5, "kWh/USD").ok());
    }
    MultiRegionAccountsOptions o;
    for (const auto& sec : d.sectors) o.stages.by_sector[sec.name] = &sec == &d.sectors.back() ? "transport" : "goods";
    for (const char* name : {"benchmark", "tariff_removal"}) {
      const Scenario& sc = *m.FindScenario(name);
      const Solution sol = SolveOrDie(m, sc);
      EquilibriumAccounts a;
      Status s = ComputeMultiRegionAccounts(m, sc, sol.values, f.factors, f.grid, o, &a);
      ASSERT_TRUE(s.ok()) << name << ": " << s.ToString();
      ExpectClosedAccounts(m, sc, sol.values, a);
      EXPECT_EQ(a.final_demand.size(), 3u);
      ASSERT_EQ(a.stages.stages.size(), 2u);
      EXPECT_NEAR(a.stages.stages[0].value_share + a.stages.stages[1].value_share, 1.0, 1e-12);
    }
  }
}

TEST(lcaEquilibrium, MultiRegionFactorUnits) {
  const Model m = Sam2x3Model();
  const Scenario& bench = *m.FindScenario("benchmark");
  const Solution sol = SolveOrDie(m, bench);
  Factors f = SamFactors();
  MultiRegionAccountsOptions o;
  EquilibriumAccounts a;
  // A factor per tonne needs a benchmark physical output in tonnes.
  EmissionFactors per_t = f.factors;
  ASSERT_TRUE(per_t.Add("north", "agr", 0, FactorKind::kProcess, 100, "kg CO2e/t", {"f.csv", 9, 0}).ok());
  Status s = ComputeMultiRegionAccounts(m, bench, sol.values, per_t, f.grid, o, &a);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.ToString(),
            "f.csv:9: the emission factor of 'agr' in north is per 't', which is neither the model's value unit "
            "'USD', 'activity', nor the unit of a benchmark physical output given for it");
  o.physical_output[{"north", "agr"}] = {20, "t"};
  ASSERT_TRUE(ComputeMultiRegionAccounts(m, bench, sol.values, per_t, f.grid, o, &a).ok());
  for (const ActivityAccount& x : a.activities) {
    if (x.sector != "Y_north_agr") continue;
    EXPECT_NEAR(x.direct, 100 * 20, 1e-9);
    EXPECT_EQ(x.physical_unit, "t");
    EXPECT_NEAR(x.physical_intensity, x.embodied_intensity * 50 / 20, 1e-12);  // 50 USD of output, 20 t
  }
  ExpectClosedAccounts(m, bench, sol.values, a);
  // A missing factor is an error naming the activity.
  EmissionFactors partial;
  ASSERT_TRUE(partial.Add("GLO", "agr", 0, FactorKind::kProcess, 1, "kg CO2e/USD").ok());
  s = ComputeMultiRegionAccounts(m, bench, sol.values, partial, f.grid, o, &a);
  EXPECT_EQ(s.cause(), "no emission factor for sector 'man' (activity Y_north_man)");
  // Per activity level.
  EmissionFactors per_level;
  for (const char* sec : {"agr", "man", "ser"})
    ASSERT_TRUE(per_level.Add("GLO", sec, 0, FactorKind::kFuel, 2, "kg CO2e/activity").ok());
  ASSERT_TRUE(
      ComputeMultiRegionAccounts(m, bench, sol.values, per_level, f.grid, MultiRegionAccountsOptions{}, &a).ok());
  EXPECT_NEAR(a.total_direct, 12, 1e-12);
}

TEST(lcaEquilibrium, StageTable) {
  CsvTable t;
  ASSERT_TRUE(ParseCsv("region,sector,stage\n,mining,mining\nCN,refining,refining\n*,cell,cell\n", "s.csv", &t).ok());
  StageLabels l;
  ASSERT_TRUE(ParseStageLabels(t, &l).ok());
  EXPECT_EQ(l.by_sector.at("mining"), "mining");
  EXPECT_EQ(l.by_sector.at("cell"), "cell");
  EXPECT_EQ(l.by_industry.at("CN.refining"), "refining");
  auto error = [](const std::string& text) {
    CsvTable table;
    EXPECT_TRUE(ParseCsv(text, "s.csv", &table).ok());
    StageLabels labels;
    return ParseStageLabels(table, &labels).ToString();
  };
  EXPECT_EQ(error("sector,phase\na,b\n"), "s.csv:1: missing column 'stage' in the header");
  EXPECT_EQ(error("sector,stage\na,\n"), "s.csv:2: empty stage for sector 'a'");
  EXPECT_EQ(error("sector,stage\n,x\n"), "s.csv:2: empty sector");
  EXPECT_EQ(error("sector,stage\na,x\na,y\n"), "s.csv:3: duplicate stage for sector 'a' (first at s.csv:2)");
  EXPECT_EQ(error("region,sector,stage\nCN,a,x\nCN,a,y\n"), "s.csv:3: duplicate stage for 'CN.a' (first at s.csv:2)");
}

// ---- lccge emissions ----

#ifdef LCCGE_CLI
std::string EmissionsArgs(const std::string& model, const std::string& extra = "") {
  return model + " --factors " + kSamFactors + "emission_factors.csv --grid " + kSamFactors + "grid_intensity.csv " +
         extra;
}

TEST(lcaEmissionsCli, JsonOnDataFolderAndModelFile) {
  auto r = testing::RunCli(
      "emissions " + EmissionsArgs(kSam2x3, "--scenario tariff_removal --stages " + kSamFactors + "stages.csv --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["scenario"], "tariff_removal");
  EXPECT_EQ(j["status"], "converged");
  EXPECT_NEAR(j["total_embodied_in_final_demand"].get<double>(), j["total_direct"].get<double>(),
              1e-9 * j["total_direct"].get<double>());
  EXPECT_EQ(j["activities"].size(), 13u);
  EXPECT_EQ(j["final_demand"].size(), 2u);
  EXPECT_EQ(j["stages"].size(), 3u);
  EXPECT_EQ(j["activities"][0]["factor"]["per"], "USD");

  // The same through a model file written by lccge build, in tables.
  const std::string file =
      (std::filesystem::temp_directory_path() / ("lccge_em_" + std::to_string(::getpid()) + ".yaml")).string();
  ASSERT_EQ(testing::RunCli("build " + kSam2x3 + " --out " + file).exit_code, 0);
  r = testing::RunCli("emissions " + EmissionsArgs(file));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("scenario benchmark"), std::string::npos);
  EXPECT_NE(r.out.find("total direct emissions                358.300000"), std::string::npos) << r.out;

  // No convergence: exit 1.
  r = testing::RunCli("emissions " + EmissionsArgs(file, "--scenario tariff_removal --max-iterations 1"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("did not converge"), std::string::npos) << r.err;
  std::filesystem::remove(file);
}

TEST(lcaEmissionsCli, InvalidInputExits2WithFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / ("lccge_em_bad_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream((dir / name).string()) << text;
    return (dir / name).string();
  };
  const std::string grid = kSamFactors + "grid_intensity.csv";
  const std::string missing_unit = write("f1.csv", "region,sector,kind,value,unit\nGLO,agr,process,1,\n");
  auto r = testing::RunCli("emissions " + kSam2x3 + " --factors " + missing_unit + " --grid " + grid);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(missing_unit + ":2: missing unit for agr in GLO"), std::string::npos) << r.err;
  const std::string no_man = write("f2.csv", "region,sector,kind,value,unit\nGLO,agr,process,1,kg CO2e/USD\n");
  r = testing::RunCli("emissions " + kSam2x3 + " --factors " + no_man + " --grid " + grid);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(no_man + ": no emission factor for sector 'man' (activity Y_north_man)"), std::string::npos)
      << r.err;
  const std::string stages = write("s.csv", "sector,stage\nagr,primary\nmining,primary\n");
  r = testing::RunCli("emissions " + EmissionsArgs(kSam2x3, "--stages " + stages));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(stages + ":3: stage label for unknown sector 'mining'"), std::string::npos) << r.err;
  r = testing::RunCli("emissions " + EmissionsArgs(kSam2x3, "--scenario nope"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no scenario named 'nope'"), std::string::npos) << r.err;
  r = testing::RunCli("emissions " + kSam2x3 + " --grid " + grid);
  EXPECT_EQ(r.exit_code, 2);
  // Not a multi-region model.
  r = testing::RunCli("emissions " + EmissionsArgs(kData + "hand.yaml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("hand.yaml: model 'lca_hand' has no final-demand sectors W_<region>"), std::string::npos)
      << r.err;
  std::filesystem::remove_all(dir);
}
#endif

}  // namespace
}  // namespace lccge::lca
