// Model building and Finalize: variable groups and trees without nests (the compiler's fast path), checked against
// what the general path and the documented rules give.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace lccge
