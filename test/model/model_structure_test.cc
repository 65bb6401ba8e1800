// Model building and Finalize: variable groups, trees without nests and trees listed in depth-first order (the
// compiler's fast paths), checked against what the general path and the documented rules give.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lccge/model/model.hpp"
#include "model/compiled_model.hpp"

namespace lccge {
namespace {

// One sector X making PX from labour PL; the household HH owns the labour and buys PX. The labour input sits in
// nest `input_nest` ("" is the top; the block declares no nests).
Model SmallModel(const std::string& input_nest = "") {
  Model m("small");
  m.AddSector("X");
  m.AddCommodity("PX");
  m.AddCommodity("PL");
  m.AddConsumer("HH");
  Production p;
  p.sector = "X";
  p.input_elasticity = 1.0;
  p.inputs.push_back({"PL", 10.0, 1.0, {}, input_nest, {"model.yaml", 12, 5}});
  p.outputs.push_back({"PX", 10.0, 1.0, {}, "top", {}});  // "top" names the top nest as "" does
  m.AddProduction(p);
  Demand d;
  d.consumer = "HH";
  d.final_demands.push_back({"PX", 10.0, 1.0, {}, "", {}});
  d.endowments.push_back({"PL", 10.0, {}});
  m.AddDemand(d);
  return m;
}

TEST(ModelGroups, ResolvedWhetherSetBeforeOrAfterTheVariableIsDeclared) {
  Model m = SmallModel();
  m.SetVariableGroup("X", "east");
  m.SetVariableGroup("LATE", "west");  // not declared yet
  m.SetVariableGroup("PX", "east");
  m.AddAuxiliary("LATE");
  AuxConstraint a;
  a.aux = "LATE";
  a.expr = Expression::FromText("LATE - 1");
  m.AddAuxConstraint(a);
  ASSERT_TRUE(m.Finalize().ok());
  ASSERT_EQ(m.group_names(), (std::vector<std::string>{"east", "west"}));  // in order of first use
  const auto group_of = [&](const std::string& v) {
    return m.group_of_variable()[static_cast<size_t>(m.VariableIndex(v))];
  };
  EXPECT_EQ(group_of("X"), 0);
  EXPECT_EQ(group_of("PX"), 0);
  EXPECT_EQ(group_of("LATE"), 1);
  EXPECT_EQ(group_of("PL"), -1);
  EXPECT_EQ(group_of("HH"), -1);
}

TEST(ModelGroups, ErrorsNameTheVariableAndBothGroups) {
  Model unknown = SmallModel();
  unknown.SetVariableGroup("NOPE", "g");
  Status s = unknown.Finalize();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.cause().find("group 'g' names unknown variable 'NOPE'"), std::string::npos) << s.cause();

  Model twice = SmallModel();
  twice.SetVariableGroup("X", "a");
  twice.SetVariableGroup("X", "b");
  s = twice.Finalize();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.cause().find("variable 'X' is in two groups, 'a' and 'b'"), std::string::npos) << s.cause();

  Model unnamed = SmallModel();
  unnamed.SetVariableGroup("PL", "");
  s = unnamed.Finalize();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.cause().find("empty group name for variable 'PL'"), std::string::npos) << s.cause();
}

TEST(ModelTrees, TreeWithoutNestsHasEveryFlowUnderTopInOrder) {
  Model m = SmallModel();
  ASSERT_TRUE(m.Finalize().ok());
  const internal::CompiledTree& outputs = m.compiled().productions.front().outputs;
  ASSERT_EQ(outputs.nests.size(), 1u);
  EXPECT_EQ(outputs.nests[0].name, "top");
  EXPECT_EQ(outputs.nests[0].parent, -1);
  EXPECT_EQ(outputs.nests[0].first_leaf, 0);
  EXPECT_EQ(outputs.nests[0].end_leaf, 1);
  ASSERT_EQ(outputs.leaves.size(), 1u);
  EXPECT_EQ(outputs.leaves[0].commodity, m.VariableIndex("PX"));
  EXPECT_EQ(outputs.leaves[0].parent, 0);
  EXPECT_EQ(outputs.leaves[0].flow, 0);
}

TEST(ModelTrees, FlowNamingAMissingNestInATreeWithoutNestsIsAnError) {
  Model m = SmallModel("va");
  const Status s = m.Finalize();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.cause().find("input of 'PL' names unknown nest 'va'"), std::string::npos) << s.cause();
  EXPECT_NE(s.ToString().find("model.yaml:12"), std::string::npos) << s.ToString();
}

// Sector X makes PX from P1..P5 in the input tree top{P1, a{P2, b{P3}, c{P4}}, d{P5}} (and an empty nest `e` under
// the top if `empty_nest`). `nest_order` and `flow_order` list the nests and the flows by their positions in the
// depth-first order a, b, c, d and P1..P5; only the order they are given in changes.
Model NestedModel(const std::vector<int>& nest_order, const std::vector<int>& flow_order, bool empty_nest = false) {
  Model m("nested");
  m.AddSector("X");
  m.AddCommodity("PX");
  m.AddConsumer("HH");
  const std::vector<Nest> nests = {
      {"a", "top", 0.5, {}}, {"b", "a", 2.0, {}}, {"c", "a", 0.0, {}}, {"d", "top", 3.0, {}}};
  const std::vector<std::string> nest_of_flow = {"", "a", "b", "c", "d"};
  Production p;
  p.sector = "X";
  p.input_elasticity = 1.0;
  for (int i : nest_order) p.input_nests.push_back(nests[static_cast<size_t>(i)]);
  if (empty_nest) p.input_nests.push_back({"e", "top", 1.0, {"model.yaml", 30, 3}});
  double total = 0;
  for (int i : flow_order) {
    const std::string commodity = "P" + std::to_string(i + 1);
    m.AddCommodity(commodity);
    p.inputs.push_back({commodity, 1.0 + i, 1.0, {}, nest_of_flow[static_cast<size_t>(i)], {}});
    total += 1.0 + i;
  }
  p.outputs.push_back({"PX", total, 1.0, {}, "", {}});
  m.AddProduction(p);
  Demand d;
  d.consumer = "HH";
  d.final_demands.push_back({"PX", total, 1.0, {}, "", {}});
  for (int i = 0; i < 5; ++i) d.endowments.push_back({"P" + std::to_string(i + 1), 1.0 + i, {}});
  m.AddDemand(d);
  return m;
}

// The compiled input tree of NestedModel, flows named by commodity (the flow indices follow the order given).
std::string TreeText(const Model& m) {
  const internal::CompiledTree& t = m.compiled().productions.front().inputs;
  std::string out;
  for (const internal::CompiledNest& n : t.nests)
    out += n.name + "(" + std::to_string(n.parent) + ")[" + std::to_string(n.first_leaf) + "," +
           std::to_string(n.end_leaf) + ")e" + std::to_string(n.elasticity.constant_value()) + " ";
  for (const internal::CompiledLeaf& l : t.leaves)
    out += m.variables()[static_cast<size_t>(l.commodity)].name + "<" + std::to_string(l.parent) + " ";
  return out;
}

TEST(ModelTrees, TreeListedDepthFirstCompilesAsInAnyOtherOrder) {
  // Worked out by hand: nests in depth-first order, each subtree's leaves contiguous.
  const std::string expected =
      "top(-1)[0,5)e1.000000 a(0)[1,4)e0.500000 b(1)[2,3)e2.000000 c(1)[3,4)e0.000000 d(0)[4,5)e3.000000 "
      "P1<0 P2<1 P3<2 P4<3 P5<4 ";
  Model listed = NestedModel({0, 1, 2, 3}, {0, 1, 2, 3, 4});  // the order it is stored in
  ASSERT_TRUE(listed.Finalize().ok());
  EXPECT_EQ(TreeText(listed), expected);
  Model child_first = NestedModel({1, 0, 2, 3}, {0, 1, 2, 3, 4});  // b before its parent a
  ASSERT_TRUE(child_first.Finalize().ok());
  EXPECT_EQ(TreeText(child_first), expected);
  Model shuffled = NestedModel({0, 1, 2, 3}, {4, 2, 0, 3, 1});  // flows not grouped by nest
  ASSERT_TRUE(shuffled.Finalize().ok());
  EXPECT_EQ(TreeText(shuffled), expected);
  // The leaves still name the flows they came from.
  const internal::CompiledTree& t = shuffled.compiled().productions.front().inputs;
  for (const internal::CompiledLeaf& l : t.leaves)
    EXPECT_EQ(shuffled.productions().front().inputs[static_cast<size_t>(l.flow)].commodity,
              shuffled.variables()[static_cast<size_t>(l.commodity)].name);
  // d listed before a: the top's children are a and d in that order, so d's subtree comes first.
  Model d_first = NestedModel({3, 0, 1, 2}, {0, 4, 1, 2, 3});
  ASSERT_TRUE(d_first.Finalize().ok());
  EXPECT_EQ(TreeText(d_first),
            "top(-1)[0,5)e1.000000 d(0)[1,2)e3.000000 a(0)[2,5)e0.500000 b(2)[3,4)e2.000000 c(2)[4,5)e0.000000 "
            "P1<0 P5<1 P2<2 P3<3 P4<4 ");
}

TEST(ModelTrees, EmptyNestIsAnErrorInEitherOrder) {
  for (const auto& flow_order : {std::vector<int>{0, 1, 2, 3, 4}, std::vector<int>{4, 3, 2, 1, 0}}) {
    Model m = NestedModel({0, 1, 2, 3}, flow_order, /*empty_nest=*/true);
    const Status s = m.Finalize();
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.cause().find("input nest 'e' is empty (no flows under it)"), std::string::npos) << s.cause();
    EXPECT_NE(s.ToString().find("model.yaml:30"), std::string::npos) << s.ToString();
  }
}

// Tax rates, endowments and aux constraints may name variables, but a constant is known at Finalize: an infinite one
// is an error (it was accepted, and a saved model then failed to load: its ".inf" is no number to the reader).
TEST(ModelConstants, InfiniteConstantsAreErrorsWhereVariablesMayAppearToo) {
  Model m = SmallModel();
  Production p = m.productions()[0];
  Model taxed("taxed");
  taxed.AddSector("X");
  taxed.AddCommodity("PX");
  taxed.AddCommodity("PL");
  taxed.AddConsumer("HH");
  p.inputs[0].taxes.push_back({"HH", Expression::FromText("1/0"), {"model.yaml", 13, 7}});
  taxed.AddProduction(p);
  Demand d = m.demands()[0];
  d.endowments.push_back({"PL", Expression::FromText("-1/0"), {"model.yaml", 20, 7}});
  taxed.AddDemand(d);
  Diagnostics diagnostics;
  ASSERT_FALSE(taxed.Finalize(&diagnostics).ok());
  ASSERT_EQ(diagnostics.problems().size(), 2u) << diagnostics.ToString();
  EXPECT_EQ(diagnostics.problems()[0].ToString(),
            "model.yaml:13: sector 'X' tax rate on 'PL' '1/0' is not a finite number");
  EXPECT_EQ(diagnostics.problems()[1].ToString(),
            "model.yaml:20: consumer 'HH' endowment of 'PL' '-1/0' is not a finite number");
}

}  // namespace
}  // namespace lccge
