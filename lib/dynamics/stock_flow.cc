// The cohort stock-flow model's integration with Boost.Odeint (the only translation unit that instantiates it).
#include "lccge/dynamics/stock_flow.hpp"

#include <Eigen/Core>
#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>
#include <cmath>
#include <limits>

namespace lccge::dynamics {

namespace {

constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kInvSqrt2Pi = 0.3989422804014327;

// Upper tail of the standard normal, 1 - Phi(z), without cancellation.
double UpperTail(double z) { return 0.5 * std::erfc(z / kSqrt2); }

}  // namespace

Lifetime Lifetime::Weibull(double shape, double scale) {
  Lifetime l;
  l.kind = Kind::kWeibull;
  l.shape = shape;
  l.scale = scale;
  return l;
}

Lifetime Lifetime::Normal(double mean, double sd) {
  Lifetime l;
  l.kind = Kind::kNormal;
  l.mean = mean;
  l.sd = sd;
  return l;
}

bool Lifetime::IsValid(std::string* error) const {
  auto fail = [&](const char* why) {
    if (error) *error = why;
    return false;
  };
  if (kind == Kind::kWeibull) {
    if (!(shape >= 1) || !std::isfinite(shape)) return fail("Weibull shape must be a number >= 1");
    if (!(scale > 0) || !std::isfinite(scale)) return fail("Weibull scale must be a positive number of years");
  } else {
    if (!(mean > 0) || !std::isfinite(mean)) return fail("mean lifetime must be a positive number of years");
    if (!(sd > 0) || !std::isfinite(sd)) return fail("standard deviation of the lifetime must be positive");
  }
  return true;
}

double Lifetime::Survival(double age) const {
  if (age <= 0) return 1.0;
  if (kind == Kind::kWeibull) return std::exp(-std::pow(age / scale, shape));
  return UpperTail((age - mean) / sd) / UpperTail(-mean / sd);
}

double Lifetime::Hazard(double age) const {
  if (age < 0) return 0.0;
  if (kind == Kind::kWeibull) return shape / scale * std::pow(age / scale, shape - 1);
  const double z = (age - mean) / sd;
  const double tail = UpperTail(z);
  // Far in the tail the ratio tends to z / sd (Mills ratio); use it where the tail underflows.
  if (tail < 1e-300) return z / sd;
  return kInvSqrt2Pi * std::exp(-0.5 * z * z) / (sd * tail);
}

bool CohortStockFlow::Options::IsValid(std::string* error) const {
  if (!(absolute_tolerance > 0) || !(relative_tolerance > 0)) {
    if (error) *error = "integrator tolerances must be positive";
    return false;
  }
  return true;
}

Status CohortStockFlow::AddCohort(double t, double amount) {
  std::string why;
  if (!lifetime_.IsValid(&why)) return Status::Invalid("stock-flow lifetime: " + why);
  if (!std::isfinite(amount) || amount < 0) return Status::Invalid("cohort sales must be a number >= 0");
  if (!std::isfinite(t)) return Status::Invalid("cohort entry time must be finite");
  if (started_ && t < time_)
    return Status::Invalid("cohort entry time " + std::to_string(t) + " is before the current time " +
                           std::to_string(time_));
  if (!started_) {
    started_ = true;
    time_ = t;
  } else if (t > time_) {
    Status s = AdvanceTo(t);
    if (!s.ok()) return s;
  }
  cohorts_.push_back({t, amount, amount});
  return Status::Ok();
}

Status CohortStockFlow::AdvanceTo(double t, double* retired) {
  std::string why;
  if (!options_.IsValid(&why)) return Status::Invalid("stock-flow options: " + why);
  if (!started_) {
    time_ = t;
    started_ = true;
  }
  if (t < time_) return Status::Invalid("cannot integrate backwards in time");
  const double before = retired_;
  if (t > time_ && !cohorts_.empty()) {
    namespace odeint = boost::numeric::odeint;
    using State = Eigen::VectorXd;
    const size_t n = cohorts_.size();
    State x(static_cast<Eigen::Index>(n + 1));
    double scale = 0;
    for (size_t c = 0; c < n; ++c) {
      x[static_cast<Eigen::Index>(c)] = cohorts_[c].in_use;
      scale = std::max(scale, cohorts_[c].sales);
    }
    x[static_cast<Eigen::Index>(n)] = 0;  // retirements over this interval
    const Lifetime& life = lifetime_;
    const std::vector<Cohort>& cohorts = cohorts_;
    auto system = [&](const State& s, State& ds, double time) {
      double total = 0;
      for (size_t c = 0; c < n; ++c) {
        const double flow = life.Hazard(time - cohorts[c].entry) * s[static_cast<Eigen::Index>(c)];
        ds[static_cast<Eigen::Index>(c)] = -flow;
        total += flow;
      }
      ds[static_cast<Eigen::Index>(n)] = total;
    };
    using Stepper = odeint::runge_kutta_dopri5<State, double, State, double, odeint::vector_space_algebra>;
    auto stepper = odeint::make_controlled<Stepper>(options_.absolute_tolerance * std::max(1.0, scale),
                                                    options_.relative_tolerance);
    try {
      odeint::integrate_adaptive(stepper, system, x, time_, t, std::min(0.1, t - time_));
    } catch (const std::exception& e) {  // odeint reports step-size underflow by throwing
      return Status::Failed(std::string("stock-flow integration failed: ") + e.what());
    }
    for (size_t c = 0; c < n; ++c) cohorts_[c].in_use = std::max(0.0, x[static_cast<Eigen::Index>(c)]);
    retired_ += x[static_cast<Eigen::Index>(n)];
  }
  time_ = t;
  if (retired != nullptr) *retired = retired_ - before;
  return Status::Ok();
}

double CohortStockFlow::Stock() const {
  double s = 0;
  for (const Cohort& c : cohorts_) s += c.in_use;
  return s;
}

}  // namespace lccge::dynamics
