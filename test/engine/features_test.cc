// Model features, each checked against numbers derived independently of the engine.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "test_models.hpp"

namespace lccge {
namespace {

using testing::LoadOrDie;
using testing::ValueOf;

Solution SolveScenario(const Model& m, const std::string& name, Solver::Summary* sum = nullptr,
                       const std::string& method = "ceres") {
  Solver::Summary local;
  Solver::Summary& s = sum ? *sum : local;
  const Scenario* sc = m.FindScenario(name);
  EXPECT_NE(sc, nullptr) << name;
  Solver::Options o;
  o.method = method;
  Solution sol;
  EXPECT_TRUE(Solve(m, *sc, o, &sol, &s).ok());
  EXPECT_TRUE(s.converged()) << s.FullReport();
  return sol;
}

// The hand solution is in the model file's comment.
TEST(Complementarity, ActivityShutsDownAndFreeGoodHasZeroPrice) {
  Model m = LoadOrDie("shutdown_free_good.yaml");
  for (const char* method : {"ceres", "newton-lu", "newton-krylov"}) {
    SCOPED_TRACE(method);
    Solver::Summary sum;
    Solution sol = SolveScenario(m, "equilibrium", &sum, method);
    const Scenario& sc = *m.FindScenario("equilibrium");
    for (const auto& [name, expected] : sc.expected) EXPECT_NEAR(ValueOf(m, sol, name), expected, 1e-8) << name;
    // Both binding inequalities are reported.
    EXPECT_NE(std::find(sum.inactive.begin(), sum.inactive.end(), "Z"), sum.inactive.end());
    EXPECT_NE(std::find(sum.inactive.begin(), sum.inactive.end(), "PW"), sum.inactive.end());
  }
}

// Tax revenue recomputed from the reported quantities: GOV's income is the labour tax paid by X,
// RA's income is its endowments plus the output tax paid by Y.
TEST(Taxes, RevenueGoesToTwoAgents) {
  Model m = LoadOrDie("taxes_two_agents.yaml");
  for (const char* scenario : {"benchmark", "higher_taxes"}) {
    SCOPED_TRACE(scenario);
    Solution sol = SolveScenario(m, scenario);
    const Scenario& sc = *m.FindScenario(scenario);
    const double tl = sc.parameters.count("tl") ? sc.parameters.at("tl") : 0.25;
    const double ty = sc.parameters.count("ty") ? sc.parameters.at("ty") : 0.1;
    const double X = ValueOf(m, sol, "X"), Y = ValueOf(m, sol, "Y");
    const double PL = ValueOf(m, sol, "PL"), PK = ValueOf(m, sol, "PK"), PY = ValueOf(m, sol, "PY");
    const double gov = X * sol.reports.at("X:in:PL") * PL * tl;
    const double ra = 76 * PL + 68 * PK + Y * sol.reports.at("Y:out:PY") * PY * ty;
    EXPECT_NEAR(ValueOf(m, sol, "GOV"), gov, 1e-8 * gov);
    EXPECT_NEAR(ValueOf(m, sol, "RA"), ra, 1e-8 * ra);
    // Zero profit with the tax wedges: X pays PL (1 + tl), Y receives PY (1 - ty).
    const double cost_x = sol.reports.at("X:in:PL") * PL * (1 + tl) + sol.reports.at("X:in:PK") * PK;
    EXPECT_NEAR(cost_x, 100 * ValueOf(m, sol, "PX"), 1e-8 * cost_x);
    const double cost_y = sol.reports.at("Y:in:PL") * PL + sol.reports.at("Y:in:PK") * PK;
    EXPECT_NEAR(cost_y, 60 * PY * (1 - ty), 1e-8 * cost_y);
  }
  // Higher taxes raise the government's real income.
  Solution a = SolveScenario(m, "benchmark"), b = SolveScenario(m, "higher_taxes");
  EXPECT_GT(ValueOf(m, b, "GOV"), ValueOf(m, a, "GOV") * 1.5);
}

// The endogenous tax meets its target: GOV = target * PC, and GOV equals the revenue TAU * wage bill.
TEST(Auxiliary, EndogenousTaxMeetsItsTarget) {
  Model m = LoadOrDie("aux_endogenous_tax.yaml");
  Solution base = SolveScenario(m, "benchmark");
  EXPECT_NEAR(ValueOf(m, base, "TAU"), 0.25, 1e-10);
  Solution sol = SolveScenario(m, "higher_target");
  const double PC = ValueOf(m, sol, "PC"), GOV = ValueOf(m, sol, "GOV"), TAU = ValueOf(m, sol, "TAU");
  EXPECT_NEAR(GOV, 12 * PC, 1e-9);
  const double revenue = ValueOf(m, sol, "C") * sol.reports.at("C:in:PL") * ValueOf(m, sol, "PL") * TAU;
  EXPECT_NEAR(GOV, revenue, 1e-9 * GOV);
  EXPECT_GT(TAU, 0.25);
  // The household buys what the government does not: 110 C - 12.
  EXPECT_NEAR(sol.reports.at("HH:fd:PC"), 110 * ValueOf(m, sol, "C") - 12, 1e-8);
}

// Independent nested CES cost and CET revenue written out directly for sector S of nested_three_levels.yaml:
// c_kef = CES_1.6(PEN, PF; 18, 12), c_ke = CES_0.4(PK, kef; 40, 30), c_kle = CES_0.7(PL, ke; 60, 70),
// c_top = CES_0.3(PF, kle; 20, 130); revenue r = CET_2(PD, PXP; 120, 30).
double Ces(double s, const std::vector<double>& prices, const std::vector<double>& values) {
  double total = 0, acc = 0;
  for (double v : values) total += v;
  for (size_t i = 0; i < prices.size(); ++i) acc += values[i] / total * std::pow(prices[i], 1 - s);
  return std::pow(acc, 1 / (1 - s));
}

TEST(Nesting, ThreeLevelCesAndCetMatchDirectFormulas) {
  Model m = LoadOrDie("nested_three_levels.yaml");
  Solution sol = SolveScenario(m, "more_labour");
  const double PD = ValueOf(m, sol, "PD"), PXP = ValueOf(m, sol, "PXP"), PL = ValueOf(m, sol, "PL"),
               PK = ValueOf(m, sol, "PK"), PEN = ValueOf(m, sol, "PEN"), PF = ValueOf(m, sol, "PF");
  auto unit_cost = [&](double pl, double pk, double pen, double pf) {
    const double kef = Ces(1.6, {pen, pf}, {18, 12});
    const double ke = Ces(0.4, {pk, kef}, {40, 30});
    const double kle = Ces(0.7, {pl, ke}, {60, 70});
    return 150 * Ces(0.3, {pf, kle}, {20, 130});
  };
  auto unit_revenue = [&](double pd, double pxp) {
    // CET: r = (sum theta p^(1+t))^(1/(1+t)), t = 2.
    return 150 * std::pow(0.8 * std::pow(pd, 3) + 0.2 * std::pow(pxp, 3), 1.0 / 3.0);
  };
  // Zero profit of an active sector.
  EXPECT_NEAR(unit_cost(PL, PK, PEN, PF), unit_revenue(PD, PXP), 1e-8 * 150);
  // Shephard's lemma by central differences on the direct formulas, against the engine's reports.
  const double h = 1e-6;
  EXPECT_NEAR(sol.reports.at("S:in:PL"), (unit_cost(PL + h, PK, PEN, PF) - unit_cost(PL - h, PK, PEN, PF)) / (2 * h),
              1e-5);
  EXPECT_NEAR(sol.reports.at("S:in:PK"), (unit_cost(PL, PK + h, PEN, PF) - unit_cost(PL, PK - h, PEN, PF)) / (2 * h),
              1e-5);
  EXPECT_NEAR(sol.reports.at("S:in:PEN"), (unit_cost(PL, PK, PEN + h, PF) - unit_cost(PL, PK, PEN - h, PF)) / (2 * h),
              1e-5);
  EXPECT_NEAR(sol.reports.at("S:in:PF"), (unit_cost(PL, PK, PEN, PF + h) - unit_cost(PL, PK, PEN, PF - h)) / (2 * h),
              1e-5);
  EXPECT_NEAR(sol.reports.at("S:out:PD"), (unit_revenue(PD + h, PXP) - unit_revenue(PD - h, PXP)) / (2 * h), 1e-5);
  EXPECT_NEAR(sol.reports.at("S:out:PXP"), (unit_revenue(PD, PXP + h) - unit_revenue(PD, PXP - h)) / (2 * h), 1e-5);
  // Joint production responds to relative prices: the dearer output gets the larger share of supply growth.
  const double ratio = sol.reports.at("S:out:PD") / sol.reports.at("S:out:PXP");
  EXPECT_NEAR(ratio, 4.0 * std::pow(PD / PXP, 2.0), 1e-8);
}

// Two fixed variables: PD (numeraire) and the activity E (above its free level). Both hold their values; E's
// zero-profit condition is dropped (it need not hold), every other condition holds.
TEST(Scenarios, FixingTwoVariablesSolvesTheRemainingSquareSystem) {
  Model m = LoadOrDie("nested_three_levels.yaml");
  Solver::Summary sum;
  Solution sol = SolveScenario(m, "two_fixed", &sum);
  EXPECT_EQ(sum.unknowns, m.num_variables() - 2);
  EXPECT_DOUBLE_EQ(ValueOf(m, sol, "PD"), 1.0);
  EXPECT_DOUBLE_EQ(ValueOf(m, sol, "E"), 1.2);
  // E is held above its free-equilibrium level, so it makes a loss: unit cost > PEN * 18.
  const double cost_e =
      sol.reports.at("E:in:PL") * ValueOf(m, sol, "PL") + sol.reports.at("E:in:PK") * ValueOf(m, sol, "PK");
  Solution free_sol = SolveScenario(m, "more_labour");
  EXPECT_GT(1.2, ValueOf(m, free_sol, "E"));
  EXPECT_GT(cost_e, 18 * ValueOf(m, sol, "PEN"));
}

// Warm start from a solution converges at once; an infeasible iteration limit reports no convergence.
TEST(Solver, WarmStartAndIterationLimit) {
  Model m = LoadOrDie("twobytwo_ces.json");
  const Scenario& sc = *m.FindScenario("labor_plus10pct_PX_numeraire");
  Solution sol;
  Solver::Summary sum;
  ASSERT_TRUE(Solve(m, sc, Solver::Options(), &sol, &sum).ok());
  Solver::Options warm;
  warm.warm_start = sol.values;
  Solution again;
  ASSERT_TRUE(Solve(m, sc, warm, &again, &sum).ok());
  EXPECT_TRUE(sum.converged());
  EXPECT_EQ(sum.iterations, 0);
  Solver::Options one;
  one.max_iterations = 1;
  ASSERT_TRUE(Solve(m, sc, one, &again, &sum).ok());
  EXPECT_FALSE(sum.converged());
  EXPECT_FALSE(sum.BriefReport().empty());
  EXPECT_NE(sum.FullReport().find("no_convergence"), std::string::npos);
  Solver::Options bad;
  bad.method = "path";
  std::string error;
  EXPECT_FALSE(bad.IsValid(&error));
  EXPECT_FALSE(Solve(m, sc, bad, &again, &sum).ok());
}

// The smoothed Fischer-Burmeister path reaches the same solution as the generalized-Jacobian path.
TEST(Solver, SmoothingContinuationAgrees) {
  Model m = LoadOrDie("shutdown_free_good.yaml");
  Solver::Options o;
  o.smoothing_start = 1e-4;
  Solution sol;
  Solver::Summary sum;
  ASSERT_TRUE(Solve(m, m.scenarios().front(), o, &sol, &sum).ok());
  ASSERT_TRUE(sum.converged()) << sum.FullReport();
  EXPECT_NEAR(ValueOf(m, sol, "PX"), 0.8, 1e-8);
  EXPECT_NEAR(ValueOf(m, sol, "Z"), 0.0, 1e-8);
}

}  // namespace
}  // namespace lccge
