#include "solve/reformulation.hpp"

#include <cmath>
#include <limits>

namespace lccge::internal {

namespace {

// phi_mu(a, b) = a + b - sqrt(a^2 + b^2 + 2 mu) and its partial derivatives. At a = b = 0 with mu = 0 the
// function is not differentiable; we take the element (1 - 1/sqrt(2), 1 - 1/sqrt(2)) of its generalized Jacobian.
inline double Fb(double a, double b, double mu, double* da, double* db) {
  const double r = std::sqrt(a * a + b * b + 2.0 * mu);
  if (r == 0.0) {
    *da = *db = 1.0 - 1.0 / std::sqrt(2.0);
    return 0.0;
  }
  *da = 1.0 - a / r;
  *db = 1.0 - b / r;
  // a + b - r loses precision when a, b > 0 are large and nearly cancel; this form does not.
  if (a > 0 && b > 0) return (2.0 * a * b - 2.0 * mu) / (a + b + r);
  return a + b - r;
}

}  // namespace

double Reformulation::MaxAbs(const double* v, int n) {
  double m = 0;
  for (int i = 0; i < n; ++i) m = std::max(m, std::fabs(v[i]));
  return m;
}

bool Reformulation::Evaluate(const double* x, double* phi, mcp::SparseMatrix* jacobian) {
  const auto t0 = Clock::now();
  ++evaluations_;
  const bool ok = system_->Evaluate(x, F_.data(), jacobian);
  const auto& lo = system_->lower();
  const auto& up = system_->upper();
  const auto& scale = system_->row_scale();
  for (int i = 0; i < n_; ++i) {
    const size_t k = static_cast<size_t>(i);
    const double b = F_[k] / scale[k];
    const bool has_lo = std::isfinite(lo[k]), has_up = std::isfinite(up[k]);
    double value, d_x, d_b;
    if (!has_lo && !has_up) {
      value = b;
      d_x = 0;
      d_b = 1;
    } else if (has_lo && !has_up) {
      double fa, fb;
      value = Fb(x[i] - lo[k], b, mu_, &fa, &fb);
      d_x = fa;
      d_b = fb;
    } else if (!has_lo && has_up) {
      // -phi(u - x, -b)
      double pc, pd;
      value = -Fb(up[k] - x[i], -b, mu_, &pc, &pd);
      d_x = pc;
      d_b = pd;
    } else {
      // phi(x - l, -phi(u - x, -b)) (Billups)
      double pc, pd, fa, fb;
      const double inner = Fb(up[k] - x[i], -b, mu_, &pc, &pd);
      value = Fb(x[i] - lo[k], -inner, mu_, &fa, &fb);
      d_x = fa + fb * pc;
      d_b = fb * pd;
    }
    phi[i] = value;
    da_[k] = d_x;
    db_[k] = d_b / scale[k];
  }
  if (jacobian != nullptr) {
    int* outer = jacobian->outerIndexPtr();
    int* inner = jacobian->innerIndexPtr();
    double* values = jacobian->valuePtr();
    for (int r = 0; r < n_; ++r) {
      for (int p = outer[r]; p < outer[r + 1]; ++p) {
        values[p] *= db_[static_cast<size_t>(r)];
        if (inner[p] == r) values[p] += da_[static_cast<size_t>(r)];
      }
    }
  }
  evaluation_seconds_ += SecondsSince(t0);
  if (!ok) return false;
  for (int i = 0; i < n_; ++i)
    if (!std::isfinite(phi[i])) return false;
  return true;
}

}  // namespace lccge::internal
