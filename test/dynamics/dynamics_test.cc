// The dynamics layer: paths (interpolation, defaults, errors with file and line), the cohort stock-flow against the
// closed form of an exponential lifetime and against the discrete cohort sum of the exact survival function, the
// recursive year loop (warm starts, the year that fails), and capital accumulation against its closed form.
#include "lccge/dynamics/dynamics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "lccge/io/model_file.hpp"

namespace lccge::dynamics {
namespace {

TEST(Paths, InterpolatesLinearlyAndStaysFlatOutside) {
  CsvTable t;
  ASSERT_TRUE(ParseCsv("variable,region,year,value,unit\n"
                       "demand,A,2023,100,GWh\n"
                       "demand,A,2030,450,GWh\n"
                       "demand,*,2023,10,GWh\n",
                       "p.csv", &t)
                  .ok());
  PathTable p;
  ASSERT_TRUE(ParsePathTable(t, &p).ok());
  double v = 0;
  ASSERT_TRUE(p.Value("demand", "A", 2026.5, &v).ok());
  EXPECT_DOUBLE_EQ(v, 100 + 3.5 / 7 * 350);
  ASSERT_TRUE(p.Value("demand", "A", 2060, &v).ok());
  EXPECT_DOUBLE_EQ(v, 450);
  ASSERT_TRUE(p.Value("demand", "A", 2000, &v).ok());
  EXPECT_DOUBLE_EQ(v, 100);
  ASSERT_TRUE(p.Value("demand", "B", 2040, &v).ok());  // the * rows
  EXPECT_DOUBLE_EQ(v, 10);
  EXPECT_EQ(p.Unit("demand"), "GWh");
  EXPECT_FALSE(p.Value("supply", "A", 2030, &v).ok());
}

TEST(Paths, ErrorsNameFileLineAndCause) {
  struct Case {
    const char* text;
    const char* cause;
  };
  for (const Case& c :
       {Case{"variable,region,year,value\nd,A,2023,1\nd,A,2023,2\n", "p.csv:3: d of A: duplicate year 2023"},
        Case{"variable,region,year,value\nd,A,20.5,1\n", "p.csv:2: column 'year': '20.5' is not a year"},
        Case{"variable,region,year,value\nd,A,2023,x\n", "p.csv:2: column 'value': 'x' is not a number"},
        Case{"variable,region,year,value,unit\nd,A,2023,1,GWh\nd,B,2023,1,t\n", "p.csv:3: unit 't' of d"},
        Case{"variable,region,value\nd,A,1\n", "missing column 'year'"}}) {
    CsvTable t;
    ASSERT_TRUE(ParseCsv(c.text, "p.csv", &t).ok());
    PathTable p;
    const Status s = ParsePathTable(t, &p);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.ToString().find(c.cause), std::string::npos) << s.ToString();
  }
}

// Exponential lifetime (Weibull shape 1, scale 10 years) and the same sales s at the start of every year: the stock
// after n years is s sum_{j=1..n} exp(-j/10) and the retirements are n s minus the stock (closed form).
TEST(StockFlow, MatchesTheClosedFormOfAnExponentialLifetime) {
  CohortStockFlow sf(Lifetime::Weibull(1.0, 10.0), {});
  const double s = 100;
  double retired_total = 0;
  for (int n = 1; n <= 40; ++n) {
    ASSERT_TRUE(sf.AddCohort(n - 1, s).ok());
    double retired = 0;
    ASSERT_TRUE(sf.AdvanceTo(n, &retired).ok());
    retired_total += retired;
    double closed = 0;
    for (int j = 1; j <= n; ++j) closed += s * std::exp(-j / 10.0);
    EXPECT_NEAR(sf.Stock(), closed, 1e-7 * closed) << "year " << n;
    EXPECT_NEAR(retired_total, n * s - closed, 1e-7 * n * s) << "year " << n;
    EXPECT_NEAR(sf.CumulativeRetired(), retired_total, 1e-9 * n * s);
  }
}

// A normal lifetime (mean 15, sd 4, as the bundled data) and growing sales: the integrated stock and each year's
// retirements equal the discrete cohort sum of the exact survival function, sales_c S(t - t_c).
TEST(StockFlow, MatchesTheCohortSumOfTheSurvivalFunction) {
  const Lifetime life = Lifetime::Normal(15, 4);
  CohortStockFlow sf(life, {});
  std::vector<double> sales;
  for (int y = 0; y < 50; ++y) {
    sales.push_back(10 * std::pow(1.08, y));
    ASSERT_TRUE(sf.AddCohort(y, sales.back()).ok());
    double retired = 0;
    ASSERT_TRUE(sf.AdvanceTo(y + 1, &retired).ok());
    double stock = 0, expected_retired = 0;
    for (int c = 0; c <= y; ++c) {
      stock += sales[static_cast<size_t>(c)] * life.Survival(y + 1 - c);
      expected_retired += sales[static_cast<size_t>(c)] * (life.Survival(y - c) - life.Survival(y + 1 - c));
    }
    EXPECT_NEAR(sf.Stock(), stock, 1e-8 * stock) << "year " << y;
    EXPECT_NEAR(retired, expected_retired, 1e-8 * std::max(1.0, stock)) << "year " << y;
  }
  // Survival against its definition: half of a cohort is gone at the mean (the truncation at 0 is negligible).
  EXPECT_NEAR(life.Survival(15), 0.5 / (1 - 0.5 * std::erfc(15 / 4.0 / std::sqrt(2.0))), 1e-12);
}

TEST(StockFlow, RejectsBadInput) {
  CohortStockFlow sf(Lifetime::Normal(15, 4), {});
  EXPECT_FALSE(sf.AddCohort(0, -1).ok());
  ASSERT_TRUE(sf.AddCohort(5, 1).ok());
  EXPECT_FALSE(sf.AddCohort(4, 1).ok());
  EXPECT_FALSE(sf.AdvanceTo(3).ok());
  CohortStockFlow bad(Lifetime::Weibull(0.5, 10), {});
  const Status s = bad.AddCohort(0, 1);
  EXPECT_NE(s.cause().find("Weibull shape must be a number >= 1"), std::string::npos) << s.ToString();
}

// K' = (1 - d) K + I applied n times: K_n = (1 - d)^n K_0 + I (1 - (1 - d)^n) / d.
TEST(Recursive, CapitalAccumulationMatchesItsClosedForm) {
  const double k0 = 3, inv = 0.4, d = 0.05;
  for (int n : {0, 1, 7, 37}) {
    const double closed = std::pow(1 - d, n) * k0 + inv * (1 - std::pow(1 - d, n)) / d;
    EXPECT_NEAR(AccumulateCapital(k0, inv, d, n), closed, 1e-12) << n;
  }
}

// TWOBYTWO (published solution in test/data) solved year after year while an endowment grows: every year converges
// from the last year's solution; a year made impossible stops the loop with its year and reason.
TEST(Recursive, SolvesEveryYearWarmStartedAndReportsTheYearThatFails) {
  Model m;
  ASSERT_TRUE(io::LoadModel(std::string(LCCGE_TEST_DATA_DIR) + "/models/twobytwo_ces.json", &m).ok());
  RecursiveOptions o;
  o.first_year = 2023;
  o.last_year = 2030;
  o.step = 2;
  EXPECT_EQ(o.Years(), (std::vector<int>{2023, 2025, 2027, 2029, 2030}));
  std::vector<int> years;
  std::vector<int> iterations;
  const Scenario base = m.scenarios().front();
  RecursiveSummary sum;
  Status s = RunRecursive(
      m, base, o,
      [&](int year, const YearSolution* previous, Scenario* sc) {
        EXPECT_EQ(previous == nullptr, year == 2023);
        *sc = base;
        return Status::Ok();
      },
      [&](const YearSolution& y, int next) {
        years.push_back(y.year);
        iterations.push_back(y.summary.iterations);
        EXPECT_GE(next, y.year);
        return Status::Ok();
      },
      &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(years, o.Years());
  EXPECT_EQ(sum.years_solved, 5);
  // Warm starts: the same scenario every year is solved at once after the first.
  for (size_t i = 1; i < iterations.size(); ++i) EXPECT_EQ(iterations[i], 0) << years[i];
  // A year with no iterations allowed and a start off the equilibrium cannot converge.
  o.solver.max_iterations = 0;
  o.solver.method = "newton-lu";
  o.warm_start = false;
  s = RunRecursive(
      m, base, o,
      [&](int year, const YearSolution*, Scenario* sc) {
        *sc = base;
        if (year == 2027) sc->start[m.variables().front().name] = 1.7;
        return Status::Ok();
      },
      [&](const YearSolution&, int) { return Status::Ok(); }, &sum);
  EXPECT_EQ(s.code(), StatusCode::kFailed);
  EXPECT_EQ(sum.failed_year, 2027);
  EXPECT_NE(s.cause().find("year 2027 did not converge"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace lccge::dynamics
