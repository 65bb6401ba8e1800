// The multi-region builder's input sub-nests (nests.csv) and shock parameters: at their defaults the model is the
// benchmark model; each parameter does what its definition says, checked against a hand calculation or an
// equivalent formulation.
#include <gtest/gtest.h>

#include <cmath>

#include "lccge/data/io.hpp"
#include "lccge/model/multi_region.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge {
namespace {

data::Dataset Example() {
  data::Dataset d;
  Diagnostics diag;
  EXPECT_TRUE(data::ReadDataset(std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3", &d, &diag).ok()) << diag.ToString();
  return d;
}

Solution SolveOrFail(const Model& m, const Scenario& sc, Solver::Summary* summary = nullptr) {
  Solution sol;
  Solver::Summary sum;
  EXPECT_TRUE(Solve(m, sc, Solver::Options(), &sol, &sum).ok());
  EXPECT_TRUE(sum.converged()) << sc.name << ": " << sum.BriefReport();
  if (summary != nullptr) *summary = sum;
  return sol;
}

double Var(const Model& m, const Solution& s, const std::string& name) {
  const int i = m.VariableIndex(name);
  EXPECT_GE(i, 0) << name;
  return i < 0 ? 0.0 : s.values[static_cast<size_t>(i)];
}

model::MultiRegionOptions AllShocks() {
  model::MultiRegionOptions o;
  o.shock_parameters.tariff_goods = {"*"};
  o.shock_parameters.endowments = true;
  o.shock_parameters.productivity = true;
  o.shock_parameters.demand_goods = {"*"};
  o.shock_parameters.input_sectors = {"*"};
  return o;
}

TEST(MultiRegionShocks, AtTheirDefaultsTheModelIsTheBenchmarkModel) {
  const data::Dataset d = Example();
  Model plain, shocked;
  ASSERT_TRUE(model::BuildMultiRegionModel(d, {}, &plain).ok());
  ASSERT_TRUE(model::BuildMultiRegionModel(d, AllShocks(), &shocked).ok());
  EXPECT_GT(shocked.parameters().size(), plain.parameters().size() + 20);
  EXPECT_GE(shocked.ParameterIndex(model::TariffParameter("man", "south", "north")), 0);
  EXPECT_GE(shocked.ParameterIndex(model::EndowmentParameter("north", "res", "agr")), 0);
  Solver::Summary sum;
  const Solution a = SolveOrFail(plain, *plain.FindScenario("benchmark"), &sum);
  EXPECT_EQ(sum.iterations, 0);
  const Solution b = SolveOrFail(shocked, *shocked.FindScenario("benchmark"), &sum);
  EXPECT_EQ(sum.iterations, 0);
  EXPECT_LT(sum.max_residual, 1e-10);
  // The same equilibrium under a shock that both models can express.
  const Solution c = SolveOrFail(plain, *plain.FindScenario("tariff_10"));
  const Solution e = SolveOrFail(shocked, *shocked.FindScenario("tariff_10"));
  for (const VariableInfo& v : plain.variables())
    EXPECT_NEAR(Var(shocked, e, v.name), Var(plain, c, v.name), 1e-8) << v.name;
}

// Ten points on every route through the route parameters is the scenario "tariff_10" (tariff_add = 0.1).
TEST(MultiRegionShocks, RouteTariffsAddToTheRouteRate) {
  Model m;
  ASSERT_TRUE(model::BuildMultiRegionModel(Example(), AllShocks(), &m).ok());
  const Solution ten = SolveOrFail(m, *m.FindScenario("tariff_10"));
  Scenario routes = *m.FindScenario("benchmark");
  routes.name = "routes";
  for (const auto& [name, value] : m.parameters())
    if (name.rfind("tm_", 0) == 0) routes.parameters[name] = 0.1;
  const Solution same = SolveOrFail(m, routes);
  for (size_t i = 0; i < ten.values.size(); ++i) EXPECT_NEAR(same.values[i], ten.values[i], 1e-9);
}

// In the Leontief intermediate bundle the input per unit of activity is the benchmark quantity whatever the prices:
// with ai = 0.5 it is exactly half (hand calculation), while the other inputs keep theirs.
TEST(MultiRegionShocks, InputSavingHalvesTheInputPerUnit) {
  Model m;
  ASSERT_TRUE(model::BuildMultiRegionModel(Example(), AllShocks(), &m).ok());
  Scenario sc = *m.FindScenario("benchmark");
  sc.parameters[model::InputParameter("north", "man", "ser")] = 0.5;
  const Solution s = SolveOrFail(m, sc);
  EXPECT_NEAR(s.reports.at("Y_north_ser:in:PA_north_man"), 0.5 * 20, 1e-9);
  EXPECT_NEAR(s.reports.at("Y_north_ser:in:PA_north_agr"), 5, 1e-9);
}

// More of an endowment, more output; a demand shift toward a good, more of it; productivity, a lower price.
TEST(MultiRegionShocks, EndowmentDemandAndProductivityMoveTheRightWay) {
  Model m;
  ASSERT_TRUE(model::BuildMultiRegionModel(Example(), AllShocks(), &m).ok());
  const Scenario bench = *m.FindScenario("benchmark");
  const Solution b = SolveOrFail(m, bench);
  Scenario sc = bench;
  sc.parameters[model::EndowmentParameter("north", "lab")] = 1.2;
  Solution s = SolveOrFail(m, sc);
  EXPECT_GT(Var(m, s, "Y_north_ser"), Var(m, b, "Y_north_ser"));
  EXPECT_LT(Var(m, s, "PF_north_lab") / Var(m, s, "PF_north_cap"), 1.0);
  sc = bench;
  sc.parameters[model::DemandParameter("south", "agr")] = 1.5;
  s = SolveOrFail(m, sc);
  EXPECT_GT(Var(m, s, "A_south_agr"), Var(m, b, "A_south_agr") * 1.1);
  sc = bench;
  sc.parameters[model::ProductivityParameter("north", "man")] = 1.25;
  s = SolveOrFail(m, sc);
  EXPECT_LT(Var(m, s, "PY_north_man") / Var(m, s, "PF_north_lab"),
            Var(m, b, "PY_north_man") / Var(m, b, "PF_north_lab"));
  EXPECT_LT(s.reports.at("Y_north_man:in:PF_north_lab"), b.reports.at("Y_north_man:in:PF_north_lab"));
}

// A sub-nest of the intermediate bundle (nests.csv) replicates its benchmark and lets the inputs substitute: with
// agr and man in a CES nest (elasticity 3) of ser, a tariff on agr moves ser's input mix away from agr, while the
// Leontief default keeps it fixed.
TEST(MultiRegionShocks, InputSubNestReplicatesAndSubstitutes) {
  data::Dataset d = Example();
  data::InputNest n;
  n.sector = d.SectorIndex("ser");
  n.name = "goods";
  n.elasticity = 3;
  n.goods = {d.SectorIndex("agr"), d.SectorIndex("man")};
  d.input_nests.push_back(n);
  Model nested, flat;
  ASSERT_TRUE(model::BuildMultiRegionModel(d, {}, &nested).ok());
  ASSERT_TRUE(model::BuildMultiRegionModel(Example(), {}, &flat).ok());
  for (const Production& p : nested.productions()) {
    if (p.sector != "Y_north_ser") continue;
    ASSERT_EQ(p.input_nests.size(), 3u);
    EXPECT_EQ(p.input_nests[1].name, "goods");
    EXPECT_EQ(p.input_nests[1].parent, "int");
  }
  Solver::Summary sum;
  SolveOrFail(nested, *nested.FindScenario("benchmark"), &sum);
  EXPECT_EQ(sum.iterations, 0);
  const Solution sf = SolveOrFail(flat, *flat.FindScenario("tariff_removal"));
  const Solution sn = SolveOrFail(nested, *nested.FindScenario("tariff_removal"));
  auto ratio = [](const Solution& s) {
    return s.reports.at("Y_north_ser:in:PA_north_agr") / s.reports.at("Y_north_ser:in:PA_north_man");
  };
  EXPECT_NEAR(ratio(sf), 5.0 / 20.0, 1e-9);  // Leontief: the benchmark mix
  EXPECT_GT(std::fabs(ratio(sn) - 5.0 / 20.0), 1e-4);
  EXPECT_LT(sum.walras_residual, 1e-9);
}

}  // namespace
}  // namespace lccge
