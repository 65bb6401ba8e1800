// The general sweep machinery: distributions against their closed-form quantiles, samplers (determinism, Latin
// hypercube strata, the first Sobol' points of the Joe-Kuo sequence), and statistics against a hand calculation
// (standardised regression coefficients and first-order indices of a linear function of independent inputs).
#include "lccge/scenario/sweep.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace lccge::scenario {
namespace {

TEST(Distribution, QuantilesMatchTheirClosedForms) {
  Distribution u;
  u.a = 2;
  u.b = 8;
  EXPECT_DOUBLE_EQ(u.Quantile(0.25), 3.5);
  Distribution n;
  n.kind = Distribution::Kind::kNormal;
  n.a = 1;
  n.b = 0.5;
  EXPECT_NEAR(n.Quantile(0.5), 1.0, 1e-14);
  EXPECT_NEAR(n.Quantile(0.975), 1 + 0.5 * 1.959963984540054, 1e-12);
  n.lower = 1;  // truncated to the upper half: its median is the untruncated 75th percentile
  EXPECT_NEAR(n.Quantile(0.5), 1 + 0.5 * 0.6744897501960817, 1e-12);
  Distribution t;
  t.kind = Distribution::Kind::kTriangular;
  t.a = 0;
  t.c = 1;
  t.b = 2;
  EXPECT_NEAR(t.Quantile(0.5), 1.0, 1e-14);
  EXPECT_NEAR(t.Quantile(0.125), 0.5, 1e-14);  // F(x) = x^2 / 2 on [0, 1]
  Distribution l;
  l.kind = Distribution::Kind::kLogNormal;
  l.a = 0;
  l.b = 0.25;
  EXPECT_NEAR(l.Quantile(0.5), 1.0, 1e-14);
  Distribution v;
  v.kind = Distribution::Kind::kValues;
  v.values = {3, 5, 7};
  EXPECT_EQ(v.Quantile(0.0), 3);
  EXPECT_EQ(v.Quantile(0.5), 5);
  EXPECT_EQ(v.Quantile(0.99), 7);
  std::string why;
  Distribution bad;
  bad.a = 3;
  bad.b = 1;
  EXPECT_FALSE(bad.IsValid(&why));
  EXPECT_NE(why.find("min < max"), std::string::npos);
}

// Found by the sweep fuzz target (test/data/fuzz-regressions/sweep/): distributions valid on paper whose draws
// overflow to infinity, and a normal draw at u = 0 (which the samplers can give) that was -infinity.
TEST(Distribution, DrawsAreFiniteOrTheDistributionIsRejected) {
  Distribution n;
  n.kind = Distribution::Kind::kNormal;
  n.a = 2;
  n.b = 0.5;
  ASSERT_TRUE(n.IsValid(nullptr));
  // At u = 0 the draw is 2^-53 into the tail: 8.2 standard deviations (the quantile of 2^-53 is -8.21).
  EXPECT_NEAR(n.Quantile(0.0), 2 - 0.5 * 8.2095, 0.5 * 0.01);
  EXPECT_NEAR(n.Quantile(1.0), 2 + 0.5 * 8.2095, 0.5 * 0.01);
  struct Case {
    Distribution::Kind kind;
    double a, b, c;
  };
  const Case too_wide[] = {{Distribution::Kind::kUniform, -1e308, 1e308, 0},
                           {Distribution::Kind::kTriangular, -1e308, 1e308, 0},
                           {Distribution::Kind::kNormal, 0, 1e308, 0},
                           {Distribution::Kind::kLogNormal, 1000, 1, 0},
                           {Distribution::Kind::kLogNormal, 0, 1000, 0}};
  for (const Case& c : too_wide) {
    Distribution d;
    d.kind = c.kind;
    d.a = c.a;
    d.b = c.b;
    d.c = c.c;
    std::string why;
    EXPECT_FALSE(d.IsValid(&why)) << ToString(c.kind);
    EXPECT_NE(why.find("overflow"), std::string::npos) << why;
  }
  // Bounded, the same log-normal is fine: its draws stop at the bound.
  Distribution bounded;
  bounded.kind = Distribution::Kind::kLogNormal;
  bounded.a = 0;
  bounded.b = 1000;
  bounded.upper = 10;
  EXPECT_TRUE(bounded.IsValid(nullptr));
  EXPECT_NEAR(bounded.Quantile(1.0), 10, 1e-9);
  EXPECT_LE(bounded.Quantile(1.0), 10);
}

TEST(Samplers, AreDeterministicAndStratified) {
  std::vector<std::vector<double>> a, b;
  ASSERT_TRUE(SamplePoints(Sampler::kLatinHypercube, 50, 3, 7, &a).ok());
  ASSERT_TRUE(SamplePoints(Sampler::kLatinHypercube, 50, 3, 7, &b).ok());
  EXPECT_EQ(a, b);
  for (int k = 0; k < 3; ++k) {  // exactly one point in each of the 50 strata of every dimension
    std::set<int> strata;
    for (const auto& p : a) strata.insert(static_cast<int>(p[static_cast<size_t>(k)] * 50));
    EXPECT_EQ(strata.size(), 50u);
  }
  std::vector<std::vector<double>> r1, r2;
  ASSERT_TRUE(SamplePoints(Sampler::kRandom, 10, 2, 3, &r1).ok());
  ASSERT_TRUE(SamplePoints(Sampler::kRandom, 20, 2, 3, &r2).ok());
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(r1[i], r2[i]);  // a draw's point does not depend on the number of draws
}

// The unscrambled Sobol' sequence (Joe and Kuo direction numbers, Gray-code order) after the origin.
TEST(Samplers, SobolPointsAreTheJoeKuoSequence) {
  std::vector<std::vector<double>> p;
  ASSERT_TRUE(SamplePoints(Sampler::kSobol, 7, 3, 0, &p).ok());
  const double expected[7][3] = {{0.5, 0.5, 0.5},       {0.75, 0.25, 0.25},    {0.25, 0.75, 0.75},
                                 {0.375, 0.375, 0.625}, {0.875, 0.875, 0.125}, {0.625, 0.125, 0.875},
                                 {0.125, 0.625, 0.375}};
  for (int i = 0; i < 7; ++i)
    for (int k = 0; k < 3; ++k) EXPECT_DOUBLE_EQ(p[static_cast<size_t>(i)][static_cast<size_t>(k)], expected[i][k]);
  EXPECT_FALSE(SamplePoints(Sampler::kSobol, 4, kMaxSobolDimensions + 1, 0, &p).ok());
}

TEST(Samplers, GridTakesEveryCombination) {
  const auto g = GridPoints({2, 3});
  ASSERT_EQ(g.size(), 6u);
  Distribution a, b;
  a.kind = b.kind = Distribution::Kind::kValues;
  a.values = {1, 2};
  b.values = {10, 20, 30};
  std::set<std::pair<double, double>> seen;
  for (const auto& p : g) seen.insert({a.Quantile(p[0]), b.Quantile(p[1])});
  EXPECT_EQ(seen.size(), 6u);
}

// y = 3 x1 + x2 with x1, x2 independent uniform on [0, 1]: Var(y) = 10/12, SRC_1 = 3 sd(x1) / sd(y) = 3/sqrt(10),
// SRC_2 = 1/sqrt(10); the first-order indices are SRC^2 (0.9 and 0.1); an unused input gets about 0.
TEST(Statistics, RegressionAndFirstOrderIndicesOfALinearFunction) {
  std::vector<std::vector<double>> pts, x;
  ASSERT_TRUE(SamplePoints(Sampler::kLatinHypercube, 2000, 3, 11, &pts).ok());
  std::vector<double> y;
  for (const auto& p : pts) {
    x.push_back(p);
    y.push_back(3 * p[0] + p[1]);
  }
  OutputStatistics s;
  ASSERT_TRUE(ComputeStatistics(x, y, &s).ok());
  EXPECT_NEAR(s.mean, 2.0, 1e-3);
  EXPECT_NEAR(s.src[0], 3 / std::sqrt(10.0), 0.01);
  EXPECT_NEAR(s.src[1], 1 / std::sqrt(10.0), 0.01);
  EXPECT_NEAR(s.src[2], 0.0, 0.01);
  EXPECT_NEAR(s.r_squared, 1.0, 1e-9);
  EXPECT_NEAR(s.first_order[0], 0.9, 0.03);
  EXPECT_NEAR(s.first_order[1], 0.1, 0.03);
  EXPECT_LT(s.first_order[2], 0.03);
  EXPECT_NEAR(s.p50, Percentile(y, 50), 0);
  EXPECT_DOUBLE_EQ(Percentile({1, 2, 3, 4, 5}, 25), 2.0);
}

}  // namespace
}  // namespace lccge::scenario
