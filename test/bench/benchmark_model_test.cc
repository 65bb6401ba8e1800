// Benchmark models and shocks (lccge/model/benchmark_model.hpp), and every lccge back end reaching the same
// equilibrium on small models (correctness only: no timing asserts). PETSc's back ends are checked in
// benchmarks/petsc_vi_test.cc when the benchmark build finds PETSc.
#include "lccge/model/benchmark_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "lccge/data/synth.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/model/multi_region.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge {
namespace {

using model::Shock;

Solution SolveOrFail(const Model& m, const Scenario& sc, const std::string& method,
                     const std::string& trust_region = "levenberg_marquardt") {
  Solver::Options o;
  o.method = method;
  o.trust_region = trust_region;
  Solution solution;
  Solver::Summary summary;
  const Status s = Solve(m, sc, o, &solution, &summary);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(summary.converged()) << method << ": " << summary.BriefReport();
  EXPECT_LE(summary.max_residual, o.tolerance);
  return solution;
}

double Value(const Model& m, const Solution& s, const std::string& name) {
  const int v = m.VariableIndex(name);
  EXPECT_GE(v, 0) << name;
  return v >= 0 ? s.values[static_cast<size_t>(v)] : 0.0;
}

TEST(Shock, ParsesEveryForm) {
  Shock s;
  ASSERT_TRUE(model::ParseShock("tariff:10", &s).ok());
  EXPECT_EQ(s.kind, Shock::Kind::kTariffSet);
  EXPECT_DOUBLE_EQ(s.value, 0.10);
  ASSERT_TRUE(model::ParseShock("tariff:0", &s).ok());
  EXPECT_EQ(s.kind, Shock::Kind::kTariffSet);
  EXPECT_DOUBLE_EQ(s.value, 0.0);
  ASSERT_TRUE(model::ParseShock("tariff:+100", &s).ok());
  EXPECT_EQ(s.kind, Shock::Kind::kTariffAdd);
  EXPECT_DOUBLE_EQ(s.value, 1.0);
  ASSERT_TRUE(model::ParseShock("tariff:-2.5", &s).ok());
  EXPECT_EQ(s.kind, Shock::Kind::kTariffAdd);
  EXPECT_DOUBLE_EQ(s.value, -0.025);
  ASSERT_TRUE(model::ParseShock("endowment:0.5", &s).ok());
  EXPECT_EQ(s.kind, Shock::Kind::kEndowment);
  EXPECT_DOUBLE_EQ(s.value, 0.5);
  ASSERT_TRUE(model::ParseShock("none", &s).ok());
  EXPECT_EQ(s.kind, Shock::Kind::kNone);
  for (const char* bad : {"tariff", "tariff:", "tariff:x", "endowment:0", "endowment:-1", "labour:2", "tariff:1e999"}) {
    const Status st = model::ParseShock(bad, &s);
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.code(), StatusCode::kInvalidInput) << bad;
  }
}

TEST(BenchmarkModel, ReplicatesTheBenchmarkWithoutShock) {
  model::BenchmarkModelOptions o;
  o.regions = 2;
  o.sectors = 3;
  Model m;
  Scenario sc;
  model::BenchmarkModelTimes times;
  ASSERT_TRUE(model::BuildBenchmarkModel(o, &m, &sc, &times).ok());
  EXPECT_EQ(sc.name, "benchmark");
  EXPECT_GE(times.synth_seconds, 0.0);
  EXPECT_GE(times.builder_seconds, 0.0);
  Solver::Options opt;
  Solution solution;
  Solver::Summary summary;
  ASSERT_TRUE(Solve(m, sc, opt, &solution, &summary).ok());
  EXPECT_TRUE(summary.converged());
  EXPECT_EQ(summary.iterations, 0);
}

TEST(BenchmarkModel, TariffShocksAreTheBuildersScenarios) {
  // tariff:+10 is the multi-region builder's "tariff_10" and tariff:0 its "tariff_removal" (the builder run on the
  // same synthetic dataset with its default options): same numeraire, same parameters, same solution.
  data::SynthOptions synth;
  synth.regions = 3;
  synth.sectors = 2;
  data::Dataset d;
  ASSERT_TRUE(data::Synthesize(synth, &d).ok());
  Model builder_model;
  ASSERT_TRUE(model::BuildMultiRegionModel(d, model::MultiRegionOptions(), &builder_model).ok());
  for (const auto& [text, builder_scenario] :
       {std::pair<const char*, const char*>{"tariff:+10", "tariff_10"}, {"tariff:0", "tariff_removal"}}) {
    model::BenchmarkModelOptions o;
    o.regions = synth.regions;
    o.sectors = synth.sectors;
    o.seed = synth.seed;
    ASSERT_TRUE(model::ParseShock(text, &o.shock).ok());
    Model m;
    Scenario sc;
    ASSERT_TRUE(model::BuildBenchmarkModel(o, &m, &sc).ok());
    EXPECT_EQ(sc.name, std::string("benchmark+") + text);
    const Scenario* reference = builder_model.FindScenario(builder_scenario);
    ASSERT_NE(reference, nullptr);
    ASSERT_EQ(m.num_variables(), builder_model.num_variables());
    const Solution a = SolveOrFail(m, sc, "newton-lu");
    const Solution b = SolveOrFail(builder_model, *reference, "newton-lu");
    ASSERT_EQ(a.values.size(), b.values.size());
    for (size_t v = 0; v < a.values.size(); ++v) EXPECT_NEAR(a.values[v], b.values[v], 1e-9) << m.variables()[v].name;
  }
}

TEST(BenchmarkModel, TariffShockNeedsTariffParameters) {
  Model m;
  ASSERT_TRUE(io::LoadModel(std::string(LCCGE_TEST_DATA_DIR) + "/models/shutdown_free_good.yaml", &m).ok());
  Shock s;
  ASSERT_TRUE(model::ParseShock("tariff:+10", &s).ok());
  Scenario out;
  const Status st = model::ApplyShock(s, m.scenarios().front(), &m, &out);
  EXPECT_EQ(st.code(), StatusCode::kInvalidInput);
  EXPECT_NE(st.cause().find("tariff_scale"), std::string::npos);
}

TEST(ScaleEndowments, AllEndowmentsHalvedHalvesEveryQuantity) {
  // Constant returns and homothetic demand: halving every endowment (foreign savings included) halves activity
  // levels and incomes and leaves relative prices unchanged. A check that ScaleEndowments copies the model exactly.
  model::BenchmarkModelOptions o;
  o.regions = 2;
  o.sectors = 2;
  Model m;
  Scenario bench;
  ASSERT_TRUE(model::BuildBenchmarkModel(o, &m, &bench).ok());
  Model scaled;
  ASSERT_TRUE(model::ScaleEndowments(
                  m, "e_all", [](const std::string&, const std::string&) { return true; }, &scaled)
                  .ok());
  EXPECT_EQ(scaled.num_variables(), m.num_variables());
  // The copy keeps the variable groups (the newton-krylov preconditioner's blocks), by name.
  ASSERT_EQ(scaled.group_names(), m.group_names());
  ASSERT_FALSE(m.group_names().empty());
  for (int v = 0; v < m.num_variables(); ++v) {
    const std::string& name = m.variables()[static_cast<size_t>(v)].name;
    EXPECT_EQ(scaled.group_of_variable()[static_cast<size_t>(scaled.VariableIndex(name))],
              m.group_of_variable()[static_cast<size_t>(v)])
        << name;
  }
  Scenario half = bench;
  half.parameters["e_all"] = 0.5;
  const Solution base = SolveOrFail(scaled, bench, "newton-lu");
  const Solution x = SolveOrFail(scaled, half, "newton-lu");
  for (int v = 0; v < m.num_variables(); ++v) {
    const auto& info = m.variables()[static_cast<size_t>(v)];
    const double b = base.values[static_cast<size_t>(v)], got = x.values[static_cast<size_t>(v)];
    if (info.kind == VariableKind::kCommodity) {
      EXPECT_NEAR(got, b, 1e-8) << info.name;
    } else {
      EXPECT_NEAR(got, 0.5 * b, 1e-8 * std::max(1.0, std::fabs(b))) << info.name;
    }
  }
  // The unshocked scenario of the copy has the original's solution.
  const Solution original = SolveOrFail(m, bench, "newton-lu");
  for (size_t v = 0; v < original.values.size(); ++v)
    EXPECT_NEAR(base.values[v], original.values[v], 1e-9) << m.variables()[v].name;
  // A name already in the model is refused.
  Model again;
  EXPECT_FALSE(model::ScaleEndowments(
                   scaled, "e_all", [](const std::string&, const std::string&) { return true; }, &again)
                   .ok());
}

TEST(ScaleEndowments, KeepsBoundsStartsAndScenariosOfAModelFile) {
  Model m;
  ASSERT_TRUE(io::LoadModel(std::string(LCCGE_TEST_DATA_DIR) + "/models/shutdown_free_good.yaml", &m).ok());
  Shock s;
  ASSERT_TRUE(model::ParseShock("endowment:1", &s).ok());
  Scenario sc;
  ASSERT_TRUE(model::ApplyShock(s, m.scenarios().front(), &m, &sc).ok());
  EXPECT_GE(m.ParameterIndex(model::kEndowmentScaleParameter), 0);
  ASSERT_EQ(m.scenarios().size(), 1u);
  // Scale 1: the file's expected solution (Z shut down, PW free).
  const Solution x = SolveOrFail(m, sc, "newton-lu");
  for (const auto& [name, value] : sc.expected) EXPECT_NEAR(Value(m, x, name), value, 1e-8) << name;
}

TEST(BenchmarkModel, EndowmentShockMovesFactorsNotForeignSavings) {
  model::BenchmarkModelOptions o;
  o.regions = 2;
  o.sectors = 2;
  ASSERT_TRUE(model::ParseShock("endowment:0.5", &o.shock).ok());
  Model m;
  Scenario sc;
  ASSERT_TRUE(model::BuildBenchmarkModel(o, &m, &sc).ok());
  EXPECT_DOUBLE_EQ(sc.parameters.at(model::kEndowmentScaleParameter), 0.5);
  for (const Demand& d : m.demands())
    for (const Endowment& e : d.endowments) {
      const bool fixed = sc.fixed.count(e.commodity) > 0;
      EXPECT_EQ(e.quantity.text().rfind(std::string(model::kEndowmentScaleParameter) + "*", 0) == 0, !fixed)
          << d.consumer << " " << e.commodity << ": " << e.quantity.text();
    }
  const Solution x = SolveOrFail(m, sc, "newton-lu");
  // Less of every factor: activity falls everywhere.
  for (int v = 0; v < m.num_variables(); ++v) {
    const auto& info = m.variables()[static_cast<size_t>(v)];
    if (info.kind == VariableKind::kSector && info.name.rfind("Y_", 0) == 0) {
      EXPECT_LT(x.values[static_cast<size_t>(v)], 1.0) << info.name;
    }
  }
}

// Every lccge back end reaches the same equilibrium (values to 1e-8) on small models under each kind of shock.
class BackendsAgree : public ::testing::TestWithParam<std::tuple<int, int, const char*>> {};

TEST_P(BackendsAgree, CeresDoglegAndNewtonLu) {
  const auto [regions, sectors, shock] = GetParam();
  model::BenchmarkModelOptions o;
  o.regions = regions;
  o.sectors = sectors;
  ASSERT_TRUE(model::ParseShock(shock, &o.shock).ok());
  Model m;
  Scenario sc;
  ASSERT_TRUE(model::BuildBenchmarkModel(o, &m, &sc).ok());
  const Solution reference = SolveOrFail(m, sc, "newton-lu");
  const Solution ceres = SolveOrFail(m, sc, "ceres");
  const Solution dogleg = SolveOrFail(m, sc, "ceres", "dogleg");
  ASSERT_EQ(reference.values.size(), ceres.values.size());
  for (size_t v = 0; v < reference.values.size(); ++v) {
    const double tol = 1e-8 * std::max(1.0, std::fabs(reference.values[v]));
    EXPECT_NEAR(ceres.values[v], reference.values[v], tol) << m.variables()[v].name;
    EXPECT_NEAR(dogleg.values[v], reference.values[v], tol) << m.variables()[v].name;
  }
}

INSTANTIATE_TEST_SUITE_P(SmallModels, BackendsAgree,
                         ::testing::Combine(::testing::Values(2, 3), ::testing::Values(2, 4),
                                            ::testing::Values("tariff:+10", "tariff:0", "tariff:+100",
                                                              "endowment:0.5")));

TEST(BackendsAgree, ComplementarityModel) {
  Model m;
  ASSERT_TRUE(io::LoadModel(std::string(LCCGE_TEST_DATA_DIR) + "/models/shutdown_free_good.yaml", &m).ok());
  const Scenario& sc = m.scenarios().front();
  for (const char* method : {"ceres", "newton-lu"}) {
    const Solution x = SolveOrFail(m, sc, method);
    for (const auto& [name, value] : sc.expected) EXPECT_NEAR(Value(m, x, name), value, 1e-8) << method << " " << name;
  }
}

// Continuation (Solver::Options::continuation, docs/theory.md): on the 2x2 seed-46 model under tariffs +100
// points, Newton and Ceres both stall from the benchmark. "auto" reaches an equilibrium through intermediate
// tariffs; the path stepped by hand here (+50 from the benchmark, then +100 warm-started from it, plain
// newton-krylov) must give the same point, and Walras' law must hold there.
TEST(Continuation, MatchesAPathSteppedByHand) {
  auto build = [](double tariff_points, Model* m, Scenario* sc) {
    model::BenchmarkModelOptions o;
    o.regions = o.sectors = 2;
    o.seed = 46;
    ASSERT_TRUE(model::ParseShock("tariff:+" + std::to_string(tariff_points), &o.shock).ok());
    ASSERT_TRUE(model::BuildBenchmarkModel(o, m, sc).ok());
  };
  Model m;
  Scenario sc;
  build(100, &m, &sc);

  Solver::Options off;
  off.continuation = false;
  Solution stalled;
  Solver::Summary stalled_summary;
  ASSERT_TRUE(Solve(m, sc, off, &stalled, &stalled_summary).ok());
  EXPECT_FALSE(stalled_summary.converged()) << "this case no longer needs continuation";
  EXPECT_EQ(stalled_summary.continuation_steps, 0);

  Solution solution;
  Solver::Summary summary;
  ASSERT_TRUE(Solve(m, sc, Solver::Options(), &solution, &summary).ok());
  ASSERT_TRUE(summary.converged()) << summary.FullReport();
  EXPECT_GT(summary.continuation_steps, 0);
  EXPECT_NE(summary.method.find("continuation"), std::string::npos);
  EXPECT_LE(summary.walras_residual, 1e-9);

  Model half_model;
  Scenario half_scenario;
  build(50, &half_model, &half_scenario);
  Solver::Options newton;
  newton.method = "newton-krylov";
  const Solution half = SolveOrFail(half_model, half_scenario, "newton-krylov");
  newton.warm_start = half.values;  // the two models have the same variables in the same order
  Solution by_hand;
  Solver::Summary by_hand_summary;
  ASSERT_TRUE(Solve(m, sc, newton, &by_hand, &by_hand_summary).ok());
  ASSERT_TRUE(by_hand_summary.converged()) << by_hand_summary.BriefReport();
  ASSERT_EQ(by_hand.values.size(), solution.values.size());
  for (size_t v = 0; v < solution.values.size(); ++v)
    EXPECT_NEAR(solution.values[v], by_hand.values[v], 1e-7 * std::max(1.0, std::fabs(by_hand.values[v])))
        << m.variables()[v].name;
}

// A scenario whose parameters are the model's has no path to follow: continuation is not tried.
TEST(Continuation, NeedsParametersThatMove) {
  Model m;
  Scenario sc;
  model::BenchmarkModelOptions o;
  o.regions = o.sectors = 2;
  ASSERT_TRUE(model::BuildBenchmarkModel(o, &m, &sc).ok());
  Solver::Options options;
  options.max_iterations = 0;  // nothing converges unless the start is the equilibrium
  sc.start[m.variables()[0].name] = 2.0;
  Solution solution;
  Solver::Summary summary;
  ASSERT_TRUE(Solve(m, sc, options, &solution, &summary).ok());
  EXPECT_FALSE(summary.converged());
  EXPECT_EQ(summary.continuation_steps, 0);
  EXPECT_EQ(summary.method.find("continuation"), std::string::npos) << summary.method;
}

}  // namespace
}  // namespace lccge
