// Portable random numbers for the synthetic data generator: std::mt19937_64 is specified exactly by the standard,
// but std:: distributions are not (they differ across standard libraries), so the distributions are our own.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace lccge::internal {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  // Uniform on [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal by the Box-Muller transform (both values of a pair are used).
  double Normal() {
    if (have_spare_) {
      have_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 6.283185307179586476925 * u2;
    spare_ = radius * std::sin(angle);
    have_spare_ = true;
    return radius * std::cos(angle);
  }
  // exp(N(mu, sigma^2)).
  double LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool have_spare_ = false;
};

}  // namespace lccge::internal
