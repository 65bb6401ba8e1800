// A stock-flow model of durable goods by cohort (vintage), integrated with Boost.Odeint: sales enter the in-use
// stock as a cohort at the start of their year; each cohort retires by a lifetime distribution,
//
//   dN_c/dt = -h(t - t_c) N_c,        dR/dt = sum_c h(t - t_c) N_c,
//
// with h the hazard rate of the lifetime distribution and R the cumulative retirements. The exact solution of a
// cohort is N_c(t) = N_c(t_c) S(t - t_c) with S the survival function: tests compare the integration with it and with a
// discrete cohort sum. One state per cohort (not one-year age bins: those were measured 2.7 % off on the stock and
// 3.5 % on end-of-life flows over 40 years). docs/dynamics.md.
#pragma once

#include <string>
#include <vector>

#include "lccge/core/status.hpp"

namespace lccge::dynamics {

struct Lifetime {
  enum class Kind { kWeibull, kNormal };
  Kind kind = Kind::kNormal;
  // Weibull: S(a) = exp(-(a / scale)^shape); shape >= 1 (a finite hazard at age 0).
  double shape = 2.0, scale = 15.0;
  // Normal, truncated at age 0: mean and standard deviation in years.
  double mean = 15.0, sd = 4.0;

  static Lifetime Weibull(double shape, double scale);
  static Lifetime Normal(double mean, double sd);
  bool IsValid(std::string* error) const;
  double Survival(double age) const;  // share of a cohort still in use at `age` (years)
  double Hazard(double age) const;    // retirement rate at `age` (per year)
};

class CohortStockFlow {
 public:
  struct Options {
    double absolute_tolerance = 1e-10;  // of the integrator (per unit of the largest cohort)
    double relative_tolerance = 1e-10;
    bool IsValid(std::string* error) const;
  };
  CohortStockFlow() = default;
  CohortStockFlow(Lifetime lifetime, Options options) : lifetime_(lifetime), options_(options) {}

  // Sales of a cohort entering the stock at time `t` (>= the current time; e.g. the start of a year), >= 0.
  Status AddCohort(double t, double amount);
  // Integrates from the current time to `t` (>= it). `retired` (optional) receives the retirements in between.
  Status AdvanceTo(double t, double* retired = nullptr);

  double time() const { return time_; }
  double Stock() const;
  double CumulativeRetired() const { return retired_; }
  // Each cohort: entry time, sales and the amount still in use.
  struct Cohort {
    double entry = 0, sales = 0, in_use = 0;
  };
  const std::vector<Cohort>& cohorts() const { return cohorts_; }
  const Lifetime& lifetime() const { return lifetime_; }

 private:
  Lifetime lifetime_;
  Options options_;
  std::vector<Cohort> cohorts_;
  double time_ = 0;
  bool started_ = false;
  double retired_ = 0;
};

}  // namespace lccge::dynamics
