// The benchmark checks of Model::Finalize (docs/model-format.md, "Benchmark checks"): blocks that cannot be
// calibrated are errors naming the block's line; a benchmark that is not an equilibrium gives warnings with the
// numbers worked out by hand below; the published models load as before.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "lccge/core/file.hpp"
#include "lccge/io/model_file.hpp"
#include "replace_once.hpp"

namespace lccge {
namespace {

// X makes 100 PX from 40 PL and kx*scale = 60 PK; HH owns 40 PL and 60 PK and buys 100 PX. Every account balances:
// X costs 100 and earns 100, HH's income 100 buys 100, each market clears. Line numbers are those of the text.
const char* const kBalanced = R"(parameters: {kx: 60, scale: 1}
sectors: [X]
commodities: [PX, PL, PK]
consumers: [HH]
productions:
  - sector: X
    s: 1
    outputs: [{commodity: PX, quantity: 100}]
    inputs: [{commodity: PL, quantity: 40}, {commodity: PK, quantity: "kx*scale"}]
demands:
  - consumer: HH
    final_demands: [{commodity: PX, quantity: 100}]
    endowments: [{commodity: PL, quantity: 40}, {commodity: PK, quantity: 60}]
)";

std::string Replace(const std::string& text, const std::string& from, const std::string& to) {
  return testing::ReplaceOnce(text, from, to);
}

struct Loaded {
  Status status;
  Diagnostics diagnostics;
  Model model;
};

Loaded Load(const std::string& text) {
  Loaded l;
  l.status = io::ParseModel(text, "m.yaml", &l.model, &l.diagnostics);
  return l;
}

// "line: cause" of each warning, for messages on failure.
std::string Listed(const std::vector<Status>& list) {
  std::string out;
  for (const Status& s : list) out += s.ToString() + "\n";
  return out;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(BenchmarkCheck, BalancedModelHasNoProblemOrWarning) {
  const Loaded l = Load(kBalanced);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_TRUE(l.diagnostics.warnings().empty()) << Listed(l.diagnostics.warnings());
  EXPECT_TRUE(l.model.warnings().empty());
}

TEST(BenchmarkCheck, ZeroInputsWithOutputsIsAnErrorAtTheBlock) {
  // PL's 40 becomes 0 and PK's quantity kx*scale is 0 at the model's parameter values (a scenario that sets
  // scale = 1 does not make the benchmark calibrated).
  std::string text = Replace(kBalanced, "scale: 1}", "scale: 0}");
  text = Replace(text, "{commodity: PL, quantity: 40}, {commodity: PK", "{commodity: PL, quantity: 0}, {commodity: PK");
  text += "scenarios:\n  - {name: on, parameters: {scale: 1}}\n";
  const Loaded l = Load(text);
  ASSERT_FALSE(l.status.ok());
  EXPECT_EQ(l.status.where().file, "m.yaml");
  EXPECT_EQ(l.status.where().line, 6);
  EXPECT_TRUE(Contains(l.status.cause(), "sector 'X': every input has benchmark quantity 0 but the outputs do not"))
      << l.status.cause();
  EXPECT_TRUE(Contains(l.status.cause(), "(worth 100 at benchmark prices)")) << l.status.cause();
  EXPECT_EQ(l.diagnostics.problems().size(), 1u) << l.diagnostics.ToString();
  // The markets the block unbalances are not reported again as warnings.
  EXPECT_TRUE(l.diagnostics.warnings().empty()) << Listed(l.diagnostics.warnings());
}

TEST(BenchmarkCheck, TheWorthOfOutputsIsNetOfOutputTaxes) {
  std::string text = Replace(kBalanced, "{commodity: PX, quantity: 100}]\n    inputs",
                             "{commodity: PX, quantity: 100, taxes: [{agent: HH, rate: 0.25}]}]\n    inputs");
  text = Replace(text, "inputs: [{commodity: PL, quantity: 40}, {commodity: PK, quantity: \"kx*scale\"}]",
                 "inputs: [{commodity: PL, quantity: 0}]");
  const Loaded l = Load(text);
  ASSERT_FALSE(l.status.ok());
  EXPECT_TRUE(Contains(l.status.cause(), "(worth 75 at benchmark prices)")) << l.status.cause();  // 100 x (1 - 0.25)
}

TEST(BenchmarkCheck, ZeroOutputsWithInputsIsAnErrorAtTheBlock) {
  const Loaded l = Load(
      Replace(kBalanced, "{commodity: PX, quantity: 100}]\n    inputs", "{commodity: PX, quantity: 0}]\n    inputs"));
  ASSERT_FALSE(l.status.ok());
  EXPECT_EQ(l.status.where().line, 6);
  EXPECT_TRUE(Contains(l.status.cause(), "sector 'X': every output has benchmark quantity 0 but the inputs do not"))
      << l.status.cause();
  EXPECT_TRUE(Contains(l.status.cause(), "(costing 100 at benchmark prices)")) << l.status.cause();  // 40 + 60
}

TEST(BenchmarkCheck, ConsumerWithIncomeAndNoDemandIsAnErrorAtTheBlock) {
  const Loaded l = Load(Replace(kBalanced, "final_demands: [{commodity: PX, quantity: 100}]",
                                "final_demands: [{commodity: PX, quantity: 0}]"));
  ASSERT_FALSE(l.status.ok());
  EXPECT_EQ(l.status.where().line, 11);
  EXPECT_TRUE(Contains(l.status.cause(),
                       "consumer 'HH': every final demand has benchmark quantity 0 but its benchmark income is 100"))
      << l.status.cause();
}

TEST(BenchmarkCheck, SectorOutOfZeroProfitWarnsWithCostAndRevenue) {
  // X now makes 110 PX for 100 of inputs; PX's market has 110 supplied and 100 demanded.
  const Loaded l = Load(
      Replace(kBalanced, "{commodity: PX, quantity: 100}]\n    inputs", "{commodity: PX, quantity: 110}]\n    inputs"));
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  const std::vector<Status>& w = l.diagnostics.warnings();
  ASSERT_EQ(w.size(), 2u) << Listed(w);
  EXPECT_EQ(w[0].where().line, 6);
  EXPECT_TRUE(Contains(w[0].cause(),
                       "sector 'X' is not in zero profit at the benchmark: its inputs cost 100 and "
                       "its outputs earn 110"))
      << w[0].cause();
  EXPECT_EQ(w[1].where().line, 3);  // the commodities list
  EXPECT_TRUE(Contains(w[1].cause(), "market 'PX' does not clear at the benchmark: supply 110")) << w[1].cause();
  EXPECT_TRUE(Contains(w[1].cause(), "demand 100")) << w[1].cause();
  // The model keeps its warnings for those who did not pass diagnostics (lccge solve).
  ASSERT_EQ(l.model.warnings().size(), 2u);
  EXPECT_EQ(l.model.warnings()[0].cause(), w[0].cause());
}

TEST(BenchmarkCheck, ConsumerSpendingOtherThanItsIncomeWarnsOnly) {
  // HH's final demand is worth 80 against an income of 100; scaled to the income it still takes the 100 PX made, so
  // no market is out of balance.
  const Loaded l = Load(Replace(kBalanced, "final_demands: [{commodity: PX, quantity: 100}]",
                                "final_demands: [{commodity: PX, quantity: 80}]"));
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  const std::vector<Status>& w = l.diagnostics.warnings();
  ASSERT_EQ(w.size(), 1u) << Listed(w);
  EXPECT_EQ(w[0].where().line, 11);
  EXPECT_TRUE(Contains(w[0].cause(), "consumer 'HH' spends 80 at the benchmark but its benchmark income is 100"))
      << w[0].cause();
}

TEST(BenchmarkCheck, MarketsThatDoNotClearWarnWithSupplyAndDemand) {
  // HH owns 50 PL and 50 PK (income 100, spent on 100 PX) while X uses 40 and 60: PL has 10 too many, PK 10 too few.
  const Loaded l = Load(Replace(kBalanced, "endowments: [{commodity: PL, quantity: 40}, {commodity: PK, quantity: 60}]",
                                "endowments: [{commodity: PL, quantity: 50}, {commodity: PK, quantity: 50}]"));
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  const std::vector<Status>& w = l.diagnostics.warnings();
  ASSERT_EQ(w.size(), 2u) << Listed(w);
  EXPECT_TRUE(Contains(w[0].cause(), "market 'PL' does not clear at the benchmark: supply 50")) << w[0].cause();
  EXPECT_TRUE(Contains(w[0].cause(), "demand 40")) << w[0].cause();
  EXPECT_TRUE(Contains(w[1].cause(), "market 'PK' does not clear at the benchmark: supply 50")) << w[1].cause();
  EXPECT_TRUE(Contains(w[1].cause(), "demand 60")) << w[1].cause();
}

TEST(BenchmarkCheck, NestWithNothingInItWarnsAtTheNest) {
  // A third input PE sits alone in nest va with quantity e0 = 0 (HH owns e0 of it): va has no value shares.
  std::string text = Replace(kBalanced, "parameters: {kx: 60, scale: 1}", "parameters: {kx: 60, scale: 1, e0: 0}");
  text = Replace(text, "commodities: [PX, PL, PK]", "commodities: [PX, PL, PK, PE]");
  text = Replace(text, "    s: 1\n", "    s: 1\n    nests:\n      va: {parent: top, elasticity: 0.5}\n");
  text = Replace(text, "quantity: \"kx*scale\"}]", "quantity: \"kx*scale\"}, {commodity: PE, quantity: e0, nest: va}]");
  text =
      Replace(text, "{commodity: PK, quantity: 60}]", "{commodity: PK, quantity: 60}, {commodity: PE, quantity: e0}]");
  const Loaded l = Load(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  const std::vector<Status>& w = l.diagnostics.warnings();
  ASSERT_EQ(w.size(), 1u) << Listed(w);
  EXPECT_EQ(w[0].where().line, 9);  // the nest's line
  EXPECT_TRUE(Contains(w[0].cause(), "sector 'X': input nest 'va' has benchmark quantity 0 in every flow under it"))
      << w[0].cause();
}

TEST(BenchmarkCheck, BlockWithNoFlowsAtAllWarnsThatItIsInactive) {
  // Z's flows are z0 = 0 at the benchmark (a technology a scenario may switch on).
  std::string text = Replace(kBalanced, "parameters: {kx: 60, scale: 1}", "parameters: {kx: 60, scale: 1, z0: 0}");
  text = Replace(text, "sectors: [X]", "sectors: [X, Z]");
  text = Replace(text, "demands:\n", R"(  - sector: Z
    outputs: [{commodity: PX, quantity: z0}]
    inputs: [{commodity: PL, quantity: z0}]
demands:
)");
  const Loaded l = Load(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  const std::vector<Status>& w = l.diagnostics.warnings();
  ASSERT_EQ(w.size(), 1u) << Listed(w);
  EXPECT_EQ(w[0].where().line, 10);
  EXPECT_TRUE(Contains(w[0].cause(), "sector 'Z' has benchmark quantity 0 in every input and output")) << w[0].cause();
}

std::string ModelPath(const std::string& name) { return std::string(LCCGE_TEST_DATA_DIR) + "/models/" + name; }

// Tax rates that name auxiliary variables take the variables' start values: aux_endogenous_tax.yaml balances at
// TAU = 0.25 (its start). Without that start TAU is 0: the government has no income for the 10 it buys, and C's
// inputs cost 40 + 60 = 100 against 110 of output.
TEST(BenchmarkCheck, AuxiliaryVariablesTakeTheirStartValues) {
  Model m;
  Diagnostics d;
  ASSERT_TRUE(io::LoadModel(ModelPath("aux_endogenous_tax.yaml"), &m, &d).ok());
  EXPECT_TRUE(d.warnings().empty()) << Listed(d.warnings());
  std::string text;
  ASSERT_TRUE(ReadFileToString(ModelPath("aux_endogenous_tax.yaml"), &text).ok());
  const Loaded l = Load(Replace(text, "start: {TAU: 0.25}\n", ""));
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  const std::string all = Listed(l.diagnostics.warnings());
  EXPECT_TRUE(Contains(all,
                       "sector 'C' is not in zero profit at the benchmark: its inputs cost 100 and its outputs "
                       "earn 110"))
      << all;
  EXPECT_TRUE(Contains(all, "consumer 'GOV' spends 10 at the benchmark but its benchmark income is 0")) << all;
}

// The published models and the engine's test models load as before; only the ones whose data are not a benchmark
// (by design) warn: shutdown_free_good's Z loses money, its RA spends 100 of 130 and three markets do not clear;
// MPSGE.jl's TWOBYTWO variants with taxes give RA 164 and 154 of income for final demands worth 150.
TEST(BenchmarkCheck, BundledModelsLoadWithTheExpectedWarnings) {
  const std::map<std::string, size_t> expected = {
      {"aux_endogenous_tax.yaml", 0},
      {"benchmark_theta.json", 0},
      {"jpmge.json", 0},
      {"mge123.json", 0},
      {"mge123_nested.json", 0},
      {"nested_three_levels.yaml", 0},
      {"shutdown_free_good.yaml", 5},
      {"simple_demand_nest.json", 0},
      {"simple_demand_nest_nested.json", 0},
      {"taxes_two_agents.yaml", 0},
      {"twobytwo_ces.json", 0},
      {"twobytwo_cobb_douglas.json", 0},
      {"twobytwo_price_demand.json", 0},
      {"twobytwo_price_inputs.json", 1},
      {"twobytwo_price_outputs.json", 1},
  };
  for (const auto& [name, count] : expected) {
    SCOPED_TRACE(name);
    Model m;
    Diagnostics d;
    const Status s = io::LoadModel(ModelPath(name), &m, &d);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(d.warnings().size(), count) << Listed(d.warnings());
  }
  Model m;
  Diagnostics d;
  ASSERT_TRUE(io::LoadModel(ModelPath("twobytwo_price_inputs.json"), &m, &d).ok());
  ASSERT_EQ(d.warnings().size(), 1u);
  EXPECT_TRUE(Contains(d.warnings()[0].cause(),
                       "consumer 'RA' spends 150 at the benchmark but its benchmark income "
                       "is 164"))  // 74 + 80 of endowments, 50 x 0.2 of labour tax
      << d.warnings()[0].cause();
}

}  // namespace
}  // namespace lccge
