// The synthetic data's random numbers against published values: SplitMix64's first outputs for seed 1234567 and the
// counts of floor(5 u) over 100000 uniforms for seed 987654321, both from Rosetta Code's "Pseudo-random
// numbers/Splitmix64" task; and the normal transform's first two moments.
#include "data/random.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace lccge::internal {
namespace {

TEST(Rng, SplitMix64PublishedSequence) {
  Rng rng(1234567);
  const std::array<std::uint64_t, 5> expected = {6457827717110365317ull, 3203168211198807973ull, 9817491932198370423ull,
                                                 4593380528125082431ull, 16408922859458223821ull};
  for (std::uint64_t value : expected) EXPECT_EQ(rng.Next(), value);
}

TEST(Rng, UniformCountsMatchPublishedOnes) {
  // Rosetta Code divides the 64 bits by 2^64; Uniform keeps the top 53, which gives the same floor(5 u).
  Rng rng(987654321);
  std::array<int, 5> counts{};
  for (int i = 0; i < 100000; ++i) ++counts[static_cast<size_t>(std::floor(rng.Uniform() * 5))];
  EXPECT_EQ(counts, (std::array<int, 5>{20027, 19892, 20073, 19978, 20030}));
}

TEST(Rng, NormalHasUnitVarianceAndZeroMean) {
  Rng rng(42);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.Normal();
    sum += x;
    sum_sq += x * x;
  }
  // Standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance; five of each.
  EXPECT_NEAR(sum / n, 0.0, 0.011);
  EXPECT_NEAR(sum_sq / n - (sum / n) * (sum / n), 1.0, 0.016);
}

}  // namespace
}  // namespace lccge::internal
