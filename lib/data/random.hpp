// Portable random numbers for the synthetic data generator. The engine is SplitMix64 (Steele, Lea and Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014; it passes BigCrush): a 64-bit counter and a mixing
// function, exactly the same everywhere, with no seeding cost (std::mt19937_64 spends about 2 us filling and
// twisting its 312 words, a tenth of building a 2x2 model). std:: distributions differ across standard libraries,
// so the distributions are our own too.
#pragma once

#include <cmath>
#include <cstdint>

#include "lccge/core/bit_mix.hpp"

namespace lccge::internal {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  // The next 64 random bits.
  std::uint64_t Next() { return SplitMix64Finalize(state_ += 0x9E3779B97F4A7C15ull); }
  // Uniform on [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
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
  std::uint64_t state_;
  double spare_ = 0;
  bool have_spare_ = false;
};

}  // namespace lccge::internal
