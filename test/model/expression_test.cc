// Expression::Linear against the parser: the same value from its program and from parsing its text.
#include "lccge/model/expression.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace lccge {
namespace {

// Binds x (and tariff_scale) to symbol 0, y (and tariff_add) to symbol 1.
void BindInOrder(Expression& e) {
  std::vector<int> symbols;
  for (const std::string& name : e.names()) symbols.push_back(name == "x" || name == "tariff_scale" ? 0 : 1);
  e.Bind(symbols);
}

TEST(ExpressionLinear, ValueTextAndParsedTextAgree) {
  struct Case {
    double constant;
    std::vector<std::pair<double, std::string>> terms;
    double expected;  // at x = 2, y = 5 (by hand)
    std::string text;
  };
  const std::vector<Case> cases = {
      {0.0, {{0.1, "x"}, {1.0, "y"}}, 0.1 * 2 + 5, "0.1*x+y"},
      {0.0, {{0.0, "x"}, {1.0, "y"}}, 5, "y"},
      {1.5, {{-2.0, "x"}}, -4 + 1.5, "-2*x+1.5"},
      {-0.25, {{1.0, "x"}, {-1.0, "y"}}, 2 - 5 - 0.25, "x-y-0.25"},
      {0.0, {{3.0, "x"}, {4.0, "x"}}, 6 + 8, "3*x+4*x"},
  };
  const double symbols[] = {2.0, 5.0};
  for (const Case& c : cases) {
    // initializer_list needs literal pairs: build the call per arity.
    Expression e = c.terms.size() == 1 ? Expression::Linear(c.constant, {{c.terms[0].first, c.terms[0].second}})
                                       : Expression::Linear(c.constant, {{c.terms[0].first, c.terms[0].second},
                                                                         {c.terms[1].first, c.terms[1].second}});
    EXPECT_EQ(e.text(), c.text);
    BindInOrder(e);
    EXPECT_DOUBLE_EQ(e.Evaluate(symbols), c.expected) << c.text;
    Expression parsed;
    ASSERT_TRUE(Expression::Parse(e.text(), {}, &parsed).ok()) << e.text();
    EXPECT_EQ(parsed.names(), e.names());
    BindInOrder(parsed);
    EXPECT_EQ(parsed.Evaluate(symbols), e.Evaluate(symbols)) << c.text;
    double g1[2] = {}, g2[2] = {};
    e.EvaluateWithGradient(symbols, g1);
    parsed.EvaluateWithGradient(symbols, g2);
    for (size_t i = 0; i < e.names().size(); ++i) EXPECT_EQ(g1[i], g2[i]) << c.text;
  }
}

TEST(ExpressionLinear, NumbersReadBackExactly) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int k = 0; k < 200; ++k) {
    const double a = u(rng) * std::pow(10.0, static_cast<int>(rng() % 9) - 4);
    Expression e = Expression::Linear(0.0, {{a, "tariff_scale"}, {1.0, "tariff_add"}});
    Expression parsed;
    ASSERT_TRUE(Expression::Parse(e.text(), {}, &parsed).ok()) << e.text();
    BindInOrder(e);
    BindInOrder(parsed);
    const double symbols[] = {1.0, 0.0};  // tariff_scale = 1, tariff_add = 0: the value is a itself
    EXPECT_EQ(e.Evaluate(symbols), a);
    EXPECT_EQ(parsed.Evaluate(symbols), a) << e.text();
  }
}

TEST(ExpressionLinear, NoTermsIsAConstant) {
  const Expression e = Expression::Linear(2.5, {{0.0, "x"}});
  EXPECT_TRUE(e.is_constant());
  EXPECT_EQ(e.constant_value(), 2.5);
  EXPECT_TRUE(e.names().empty());
}

TEST(ExpressionRatio, ValueTextAndParsedTextAgree) {
  const double symbols[] = {2.0, 5.0};  // x = 2, y = 5
  struct Case {
    Expression e;
    double expected;  // by hand
    std::string text;
  };
  const std::vector<Case> cases = {
      // An output tax quoted on basic prices, t / (1 + t) with t = 0.25 x: 0.5 / 1.5.
      {Expression::Ratio(0.0, {{0.25, "x"}}, 1.0, {{0.25, "x"}}), 0.5 / 1.5, "(0.25*x)/(0.25*x+1)"},
      {Expression::Ratio(1.0, {{-1.0, "y"}}, 4.0, {}), (1.0 - 5.0) / 4.0, "(-y+1)/(4)"},
      {Expression::Ratio(0.0, {{1.0, "x"}}, -2.0, {{3.0, "y"}}), 2.0 / (-2.0 + 15.0), "(x)/(3*y-2)"},
      {Expression::Ratio(0.0, {}, 0.0, {{1.0, "y"}, {1.0, "x"}}), 0.0, "(0)/(y+x)"},
      // Where the numerator ends and the denominator begins, with signs and constants on both sides.
      {Expression::Ratio(-3.0, {{2.0, "x"}, {-0.5, "y"}}, 0.0, {{-1.0, "y"}, {7.0, "x"}}), (4.0 - 2.5 - 3.0) / 9.0,
       "(2*x-0.5*y-3)/(-y+7*x)"},
      {Expression::Ratio(2.0, {}, 1.0, {{-4.0, "x"}}), 2.0 / (1.0 - 8.0), "(2)/(-4*x+1)"},
  };
  for (Case c : cases) {
    EXPECT_EQ(c.e.text(), c.text);
    BindInOrder(c.e);
    EXPECT_DOUBLE_EQ(c.e.Evaluate(symbols), c.expected) << c.text;
    Expression parsed;
    ASSERT_TRUE(Expression::Parse(c.e.text(), {}, &parsed).ok()) << c.e.text();
    EXPECT_EQ(parsed.names(), c.e.names()) << c.text;
    BindInOrder(parsed);
    EXPECT_EQ(parsed.Evaluate(symbols), c.e.Evaluate(symbols)) << c.text;
    double g1[2] = {}, g2[2] = {};
    c.e.EvaluateWithGradient(symbols, g1);
    parsed.EvaluateWithGradient(symbols, g2);
    for (size_t i = 0; i < c.e.names().size(); ++i) EXPECT_DOUBLE_EQ(g1[i], g2[i]) << c.text;
  }
  // d/dx of 0.25x / (1 + 0.25x) at x = 2 is 0.25 / 1.5^2 (by hand).
  Expression tax = Expression::Ratio(0.0, {{0.25, "x"}}, 1.0, {{0.25, "x"}});
  BindInOrder(tax);
  double gradient[1] = {};
  tax.EvaluateWithGradient(symbols, gradient);
  EXPECT_DOUBLE_EQ(gradient[0], 0.25 / (1.5 * 1.5));
}

TEST(ExpressionRatio, ConstantsFold) {
  const Expression e = Expression::Ratio(3.0, {{0.0, "x"}}, 4.0, {});
  EXPECT_TRUE(e.is_constant());
  EXPECT_EQ(e.constant_value(), 0.75);
}

}  // namespace
}  // namespace lccge

namespace lccge {
namespace {

// A program longer than the operations a program holds in place (12) grows onto the heap and evaluates the same.
TEST(ExpressionParse, LongProgramsEvaluate) {
  Expression e;
  // 5 products and 4 sums of (x, number) pairs, then "- y": 21 operations.
  ASSERT_TRUE(Expression::Parse("x*1+x*2+x*3+x*4+x*5-y", {}, &e).ok());
  ASSERT_EQ(e.names(), (std::vector<std::string>{"x", "y"}));
  e.Bind({0, 1});
  const double symbols[] = {2.0, 7.0};
  EXPECT_EQ(e.Evaluate(symbols), 2.0 * 15.0 - 7.0);  // by hand: x (1+2+3+4+5) - y
  double gradient[2] = {};
  EXPECT_EQ(e.EvaluateWithGradient(symbols, gradient), 23.0);
  EXPECT_EQ(gradient[0], 15.0);
  EXPECT_EQ(gradient[1], -1.0);
  EXPECT_EQ(e.text(), "x*1+x*2+x*3+x*4+x*5-y");
}

TEST(ExpressionParse, DecimalNumbersInEveryForm) {
  const std::vector<std::pair<std::string, double>> cases = {
      {".5", 0.5}, {"2.", 2.0}, {"1e-3", 1e-3}, {"1E+3", 1e3}, {"-.25", -0.25}, {"3 * 2", 6.0}, {"2^-1", 0.5}};
  for (const auto& [text, value] : cases) {
    Expression e;
    ASSERT_TRUE(Expression::Parse(text, {}, &e).ok()) << text;
    EXPECT_TRUE(e.is_constant()) << text;
    EXPECT_EQ(e.constant_value(), value) << text;
  }
}

TEST(ExpressionParse, BadNumbersAreErrorsWithTheirPosition) {
  Expression e;
  Status s = Expression::Parse("1e400", {{"m.yaml"}, 3, 0}, &e);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("number out of range at position 1"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("m.yaml:3"), std::string::npos) << s.ToString();
  s = Expression::Parse("0x10", {}, &e);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.cause().find("unexpected 'x' at position 2"), std::string::npos) << s.cause();
  s = Expression::Parse("2.5e", {}, &e);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.cause().find("unexpected 'e' at position 4"), std::string::npos) << s.cause();
}

// Nesting is bounded (100,000 opening parentheses, or as many minus signs, overflowed the stack of the
// recursive-descent parser in the expression fuzz harness). 200 levels parse and evaluate; deeper texts are errors that
// say so.
TEST(ExpressionParse, DeepNestingIsAnErrorNotACrash) {
  const SourceLocation where{"m.yaml", 3, 1};
  Expression e;
  const std::string ok = std::string(199, '(') + "2" + std::string(199, ')');
  ASSERT_TRUE(Expression::Parse(ok, where, &e).ok());
  EXPECT_EQ(e.constant_value(), 2.0);
  ASSERT_TRUE(Expression::Parse(std::string(199, '-') + "2", where, &e).ok());
  EXPECT_EQ(e.constant_value(), -2.0);  // an odd number of minus signs
  for (const std::string& deep : {std::string(100000, '(') + "x" + std::string(100000, ')'),
                                  std::string(100000, '-') + "x", std::string(100000, '+') + "x", [] {
                                    std::string t = "x";
                                    for (int i = 0; i < 50000; ++i) t += "^x";
                                    return t;
                                  }()}) {
    const Status s = Expression::Parse(deep, where, &e);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.cause().find("expression nested more than 200 levels deep"), std::string::npos)
        << s.cause().substr(s.cause().size() - 80);
    EXPECT_EQ(s.where().line, 3);
  }
}

}  // namespace
}  // namespace lccge
