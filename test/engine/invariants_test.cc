// Invariants on every test model: analytic Jacobian = finite differences, Walras' law (as an identity and at
// solutions), homogeneity of degree zero in prices and incomes.
#include <gtest/gtest.h>

#include <cmath>

#include "lccge/mcp/system.hpp"
#include "test_models.hpp"

namespace lccge {
namespace {

using testing::AllModels;
using testing::LoadOrDie;

// A point away from the benchmark: start values times factors in [0.7, 1.3].
std::vector<double> Perturbed(mcp::System& sys, int salt) {
  std::vector<double> values = sys.StartValues();
  for (size_t v = 0; v < values.size(); ++v) {
    if (sys.unknown_of_variable()[v] < 0) continue;
    const double f = 1.0 + 0.3 * std::sin(1.7 * static_cast<double>(v) + salt);
    values[v] = values[v] == 0.0 ? 0.1 * f : values[v] * f;
  }
  return values;
}

TEST(Jacobian, MatchesCentralDifferencesOnEveryModel) {
  for (const char* file : AllModels()) {
    Model m = LoadOrDie(file);
    for (const Scenario& sc : m.scenarios()) {
      SCOPED_TRACE(std::string(file) + " / " + sc.name);
      std::unique_ptr<mcp::System> sys;
      ASSERT_TRUE(mcp::System::Create(m, sc, &sys).ok());
      const int n = sys->num_unknowns();
      for (int salt = 0; salt < 3; ++salt) {
        std::vector<double> values = salt == 0 ? sys->StartValues() : Perturbed(*sys, salt);
        std::vector<double> x(static_cast<size_t>(n)), F(static_cast<size_t>(n)), Fp(F), Fm(F);
        sys->Restrict(values, x.data());
        mcp::SparseMatrix J;
        ASSERT_TRUE(sys->Evaluate(x.data(), F.data(), &J));
        const Eigen::MatrixXd dense = Eigen::MatrixXd(J);
        for (int c = 0; c < n; ++c) {
          const double h = 1e-6 * std::max(1.0, std::fabs(x[static_cast<size_t>(c)]));
          std::vector<double> xp = x, xm = x;
          xp[static_cast<size_t>(c)] += h;
          xm[static_cast<size_t>(c)] -= h;
          ASSERT_TRUE(sys->Evaluate(xp.data(), Fp.data(), nullptr));
          ASSERT_TRUE(sys->Evaluate(xm.data(), Fm.data(), nullptr));
          for (int r = 0; r < n; ++r) {
            const double fd = (Fp[static_cast<size_t>(r)] - Fm[static_cast<size_t>(r)]) / (2 * h);
            EXPECT_NEAR(dense(r, c), fd, 1e-5 * (1.0 + std::fabs(fd))) << "row " << r << " col " << c;
          }
        }
        EXPECT_EQ(sys->pattern_misses(), 0);
      }
    }
  }
}

// sum_c P_c F_c + sum_j Y_j F_j + sum_h F_h = 0 at any point (docs/theory.md, "Walras' law").
TEST(WalrasLaw, HoldsAsAnIdentity) {
  for (const char* file : AllModels()) {
    Model m = LoadOrDie(file);
    SCOPED_TRACE(file);
    std::unique_ptr<mcp::System> sys;
    ASSERT_TRUE(mcp::System::Create(m, m.scenarios().front(), &sys).ok());
    for (int salt = 1; salt < 4; ++salt) {
      std::vector<double> values = Perturbed(*sys, salt), all;
      ASSERT_TRUE(sys->EvaluateAllConditions(values, &all));
      double sum = 0, size = 0;
      for (size_t v = 0; v < values.size(); ++v) {
        const VariableKind k = m.variables()[v].kind;
        double term = 0;
        if (k == VariableKind::kCommodity || k == VariableKind::kSector) term = values[v] * all[v];
        if (k == VariableKind::kConsumer) term = all[v];
        sum += term;
        size += std::fabs(term) + (k == VariableKind::kConsumer ? std::fabs(values[v]) : 0.0);
      }
      EXPECT_NEAR(sum, 0.0, 1e-12 * std::max(1.0, size));
    }
  }
}

// At every solution the condition dropped for the numeraire holds too.
TEST(WalrasLaw, DroppedConditionHoldsAtSolutions) {
  for (const char* file : AllModels()) {
    Model m = LoadOrDie(file);
    for (const Scenario& sc : m.scenarios()) {
      if (sc.fixed.size() != 1) continue;
      SCOPED_TRACE(std::string(file) + " / " + sc.name);
      Solution sol;
      Solver::Summary sum;
      ASSERT_TRUE(Solve(m, sc, Solver::Options(), &sol, &sum).ok());
      ASSERT_TRUE(sum.converged()) << sum.FullReport();
      EXPECT_GE(sum.walras_residual, 0.0);
      EXPECT_LT(sum.walras_residual, 1e-8);
    }
  }
}

// Doubling the numeraire doubles prices and incomes and leaves quantities unchanged.
TEST(Homogeneity, ScalingTheNumeraireScalesPricesAndIncomes) {
  for (const char* file : AllModels()) {
    Model m = LoadOrDie(file);
    for (const Scenario& sc : m.scenarios()) {
      if (sc.fixed.size() != 1) continue;
      const int numeraire = m.VariableIndex(sc.fixed.begin()->first);
      if (m.variables()[static_cast<size_t>(numeraire)].kind != VariableKind::kCommodity) continue;
      SCOPED_TRACE(std::string(file) + " / " + sc.name);
      Scenario doubled = sc;
      doubled.fixed.begin()->second *= 2.0;
      Solution a, b;
      Solver::Summary sa, sb;
      ASSERT_TRUE(Solve(m, sc, Solver::Options(), &a, &sa).ok());
      ASSERT_TRUE(Solve(m, doubled, Solver::Options(), &b, &sb).ok());
      ASSERT_TRUE(sa.converged() && sb.converged());
      for (size_t v = 0; v < a.values.size(); ++v) {
        const VariableKind k = m.variables()[v].kind;
        const double factor = (k == VariableKind::kCommodity || k == VariableKind::kConsumer) ? 2.0 : 1.0;
        EXPECT_NEAR(b.values[v], factor * a.values[v], 1e-7 * std::max(1.0, std::fabs(factor * a.values[v])))
            << m.variables()[v].name;
      }
    }
  }
}

}  // namespace
}  // namespace lccge
