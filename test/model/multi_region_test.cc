// The standard multi-region model calibrated from data: calibrated shares against the hand derivation of
// examples/sam2x3/README.md, benchmark replication on synthetic data of several sizes, and a tariff-removal
// counterfactual that satisfies Walras' law and every region's budget (current account).
#include "lccge/model/multi_region.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "lccge/data/io.hpp"
#include "lccge/data/synth.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/model/flows.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge {
namespace {

Model BuildExample() {
  data::Dataset d;
  Diagnostics diag;
  const Status s = data::ReadDataset(std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3", &d, &diag);
  EXPECT_TRUE(s.ok()) << diag.ToString();
  Model m;
  EXPECT_TRUE(model::BuildMultiRegionModel(d, model::MultiRegionOptions(), &m).ok());
  return m;
}

const Production& Block(const Model& m, const std::string& sector) {
  for (const Production& p : m.productions())
    if (p.sector == sector) return p;
  ADD_FAILURE() << "no block " << sector;
  return m.productions().front();
}

// Benchmark value (quantity x reference price) of the inputs of a block by nest, and by commodity.
std::map<std::string, double> NestValues(const Production& p) {
  std::map<std::string, double> v;
  for (const Flow& f : p.inputs)
    v[f.nest.empty() ? "top" : f.nest] += f.quantity.constant_value() * f.reference_price.constant_value();
  return v;
}
double InputValue(const Production& p, const std::string& commodity, const std::string& nest = "") {
  double v = 0;
  for (const Flow& f : p.inputs)
    if (f.commodity == commodity && (nest.empty() || f.nest == nest))
      v += f.quantity.constant_value() * f.reference_price.constant_value();
  return v;
}

TEST(MultiRegion, CalibratedSharesMatchTheHandDerivation) {
  Model m = BuildExample();
  // north man value added (Cobb-Douglas): labour 25/40, capital 15/40.
  const Production& man = Block(m, "Y_north_man");
  const double va = NestValues(man)["va"];
  EXPECT_NEAR(InputValue(man, "PF_north_lab") / va, 25.0 / 40.0, 1e-12);
  EXPECT_NEAR(InputValue(man, "PF_north_cap") / va, 15.0 / 40.0, 1e-12);
  // Its 5 % production tax on basic prices: the producer keeps 100 of 105, i.e. 1 - 5/105 per unit of output.
  ASSERT_EQ(man.outputs.size(), 1u);
  EXPECT_NEAR(man.outputs[0].reference_price.constant_value(), 1.0 - 5.0 / 105.0, 1e-12);
  EXPECT_NEAR(man.outputs[0].quantity.constant_value(), 105.0, 1e-12);
  // north Armington agr: domestic 50/61, imports (tariff-inclusive) 11/61.
  const Production& a_agr = Block(m, "A_north_agr");
  double total = 0;
  for (const auto& [nest, value] : NestValues(a_agr)) total += value;
  EXPECT_NEAR(total, 61.0, 1e-12);
  EXPECT_NEAR(InputValue(a_agr, "PY_north_agr") / total, 50.0 / 61.0, 1e-12);
  EXPECT_NEAR((total - InputValue(a_agr, "PY_north_agr")) / total, 11.0 / 61.0, 1e-12);
  // south man: domestic 46/67, imports 21/67, only from north (cif 20, tariff-inclusive 21).
  const Production& a_man = Block(m, "A_south_man");
  double south_total = 0;
  for (const auto& [nest, value] : NestValues(a_man)) south_total += value;
  EXPECT_NEAR(InputValue(a_man, "PY_south_man") / south_total, 46.0 / 67.0, 1e-12);
  EXPECT_NEAR(NestValues(a_man)["from_north"], 21.0, 1e-12);
  // north household demand shares: agr 36/140, man 20/140, ser 84/140.
  const Production& w = Block(m, "W_north");
  const double consumption = NestValues(w)["consumption"];
  EXPECT_NEAR(InputValue(w, "PA_north_agr", "consumption") / consumption, 36.0 / 140.0, 1e-12);
  EXPECT_NEAR(InputValue(w, "PA_north_man", "consumption") / consumption, 20.0 / 140.0, 1e-12);
  EXPECT_NEAR(InputValue(w, "PA_north_ser", "consumption") / consumption, 84.0 / 140.0, 1e-12);
}

TEST(MultiRegion, WrittenModelFileLoadsAndReplicates) {
  Model m = BuildExample();
  const std::string text = io::ModelToYaml(m);
  Model back;
  const Status s = io::ParseModel(text, "built.yaml", &back);
  ASSERT_TRUE(s.ok()) << s.ToString();
  Solution sol;
  Solver::Summary sum;
  ASSERT_TRUE(Solve(back, *back.FindScenario("benchmark"), Solver::Options(), &sol, &sum).ok());
  EXPECT_TRUE(sum.converged());
  EXPECT_EQ(sum.iterations, 0);
}

Model Synthetic(int regions, int sectors, data::Dataset* dataset, bool cet = false) {
  data::SynthOptions o;
  o.regions = regions;
  o.sectors = sectors;
  o.seed = 11;
  o.cet = cet;
  EXPECT_TRUE(data::Synthesize(o, dataset).ok());
  Model m;
  const Status s = model::BuildMultiRegionModel(*dataset, model::MultiRegionOptions(), &m);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return m;
}

// The benchmark replicates at iteration zero, with and without CET, and Finalize's benchmark checks agree: no warning
// (docs/model-format.md, "Benchmark checks"; taxes, tariffs and margins included).
TEST(MultiRegion, SyntheticBenchmarksReplicateAtIterationZero) {
  for (const auto& [n, cet] : {std::pair{2, false}, std::pair{10, false}, std::pair{30, false}, std::pair{4, true}}) {
    SCOPED_TRACE(std::to_string(n) + (cet ? " with CET" : ""));
    data::Dataset d;
    Model m = Synthetic(n, n, &d, cet);
    EXPECT_FALSE(m.benchmark_check());  // the builder skips the checks; here they run
    m.SetBenchmarkCheck(true);
    ASSERT_TRUE(m.Finalize().ok());
    EXPECT_TRUE(m.warnings().empty()) << m.warnings().front().ToString();
    Solution sol;
    Solver::Summary sum;
    ASSERT_TRUE(Solve(m, *m.FindScenario("benchmark"), Solver::Options(), &sol, &sum).ok());
    EXPECT_TRUE(sum.converged());
    EXPECT_EQ(sum.iterations, 0);
    EXPECT_LT(sum.max_residual, 1e-10);
  }
}

// Current account of region r at the solution: exports (its goods bought by other regions' Armington activities
// and by global transport) minus imports (foreign goods and transport bought by its Armington activities), at
// market prices before tariffs, must equal minus its foreign savings valued at the numeraire.
TEST(MultiRegion, TariffRemovalSatisfiesWalrasAndEveryRegionsBudget) {
  for (const char* method : {"ceres", "newton-lu", "newton-krylov"}) {
    SCOPED_TRACE(method);
    data::Dataset d;
    Model m = Synthetic(6, 5, &d);
    const Scenario& sc = *m.FindScenario("tariff_removal");
    Solver::Options o;
    o.method = method;
    Solution sol;
    Solver::Summary sum;
    ASSERT_TRUE(Solve(m, sc, o, &sol, &sum).ok());
    ASSERT_TRUE(sum.converged()) << sum.FullReport();
    EXPECT_GE(sum.walras_residual, 0.0);
    EXPECT_LT(sum.walras_residual, 1e-8);
    EquilibriumFlows flows;
    ASSERT_TRUE(ComputeEquilibriumFlows(m, sc, sol.values, &flows).ok());
    // Region of each variable built by the model.
    std::map<int, int> region_of;
    for (int r = 0; r < d.num_regions(); ++r) {
      for (const char* prefix : {"A", "PY", "PD", "PE"})
        for (const auto& s : d.sectors) {
          const int v = m.VariableIndex(model::Name(prefix, d.regions[static_cast<size_t>(r)], s.name));
          if (v >= 0) region_of[v] = r;
        }
    }
    const int T = m.VariableIndex("T"), PT = m.VariableIndex("PT");
    std::vector<double> exports(static_cast<size_t>(d.num_regions()), 0.0), imports = exports;
    for (const auto& f : flows.production) {
      if (f.is_output) continue;
      const double value = f.quantity * sol.values[static_cast<size_t>(f.commodity)];
      const bool buyer_is_armington =
          region_of.count(f.sector) && m.variables()[static_cast<size_t>(f.sector)].name[0] == 'A';
      if (f.sector == T && region_of.count(f.commodity)) exports[static_cast<size_t>(region_of[f.commodity])] += value;
      if (!buyer_is_armington) continue;
      const int buyer = region_of[f.sector];
      if (f.commodity == PT) {
        imports[static_cast<size_t>(buyer)] += value;
      } else if (region_of.count(f.commodity) && region_of[f.commodity] != buyer) {
        exports[static_cast<size_t>(region_of[f.commodity])] += value;
        imports[static_cast<size_t>(buyer)] += value;
      }
    }
    const int hh = d.FirstAccount(data::AccountClass::kHousehold);
    (void)hh;
    const int inv = d.FirstAccount(data::AccountClass::kInvestment), world = d.FirstAccount(data::AccountClass::kWorld);
    const double numeraire = sol.values[static_cast<size_t>(m.VariableIndex(model::Name("PU", d.regions[0])))];
    for (int r = 0; r < d.num_regions(); ++r) {
      const double foreign_savings = d.sam[static_cast<size_t>(r)](inv, world);
      EXPECT_NEAR(exports[static_cast<size_t>(r)] - imports[static_cast<size_t>(r)], -foreign_savings * numeraire,
                  1e-7 * (1.0 + imports[static_cast<size_t>(r)]))
          << d.regions[static_cast<size_t>(r)];
    }
  }
}

// The import composite as its own activity (M_r_g, PM_r_g) is the same equilibrium as the import nest inside
// A_r_g: every variable the two formulations share agrees at the solution of the tariff shock, and PM equals the
// composite's unit cost (zero profit of M).
TEST(MultiRegion, ExplicitImportCompositeGivesTheSameEquilibrium) {
  data::Dataset d;
  data::SynthOptions so;
  so.regions = 5;
  so.sectors = 4;
  so.seed = 3;
  ASSERT_TRUE(data::Synthesize(so, &d).ok());
  Model nested, explicit_composite;
  model::MultiRegionOptions o;
  ASSERT_TRUE(model::BuildMultiRegionModel(d, o, &nested).ok());
  o.explicit_import_composite = true;
  ASSERT_TRUE(model::BuildMultiRegionModel(d, o, &explicit_composite).ok());
  EXPECT_GT(explicit_composite.num_variables(), nested.num_variables());
  Solver::Options so_lu;
  so_lu.method = "newton-lu";
  Solution a, b;
  Solver::Summary sa, sb;
  ASSERT_TRUE(Solve(nested, *nested.FindScenario("tariff_10"), so_lu, &a, &sa).ok());
  ASSERT_TRUE(Solve(explicit_composite, *explicit_composite.FindScenario("tariff_10"), so_lu, &b, &sb).ok());
  ASSERT_TRUE(sa.converged() && sb.converged());
  EXPECT_GT(sa.iterations, 0);
  int compared = 0;
  for (int v = 0; v < nested.num_variables(); ++v) {
    const std::string& name = nested.variables()[static_cast<size_t>(v)].name;
    const int w = explicit_composite.VariableIndex(name);
    ASSERT_GE(w, 0) << name;
    const double x = a.values[static_cast<size_t>(v)], y = b.values[static_cast<size_t>(w)];
    EXPECT_NEAR(x, y, 1e-8 * std::max(1.0, std::fabs(x))) << name;
    ++compared;
  }
  EXPECT_EQ(compared, nested.num_variables());
}

// The builder puts every regional variable in its region's group (the newton-krylov preconditioner's blocks);
// only global transport is left out. Groups survive the model file.
TEST(MultiRegion, RegionalVariablesAreGroupedByRegion) {
  data::Dataset d;
  Model m = Synthetic(4, 3, &d);
  ASSERT_EQ(m.group_names().size(), 4u);
  for (int v = 0; v < m.num_variables(); ++v) {
    const std::string& name = m.variables()[static_cast<size_t>(v)].name;
    const int g = m.group_of_variable()[static_cast<size_t>(v)];
    if (name == "T" || name == "PT") {
      EXPECT_EQ(g, -1) << name;
      continue;
    }
    ASSERT_GE(g, 0) << name;
    const std::string& region = m.group_names()[static_cast<size_t>(g)];
    EXPECT_NE(name.find("_" + region), std::string::npos) << name << " in " << region;
  }
  Model back;
  ASSERT_TRUE(io::ParseModel(io::ModelToYaml(m), "grouped.yaml", &back).ok());
  EXPECT_EQ(back.group_names(), m.group_names());
  for (int v = 0; v < m.num_variables(); ++v) {
    const std::string& name = m.variables()[static_cast<size_t>(v)].name;
    EXPECT_EQ(back.group_of_variable()[static_cast<size_t>(back.VariableIndex(name))],
              m.group_of_variable()[static_cast<size_t>(v)])
        << name;
  }
}

}  // namespace
}  // namespace lccge
