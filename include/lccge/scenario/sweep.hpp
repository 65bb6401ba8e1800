// Sensitivity and uncertainty sweeps, the general part: distributions of uncertain inputs, samplers of the unit
// cube (plain random, Latin hypercube, Sobol', full grid), and the statistics of a sweep's outputs (mean,
// percentiles, standardised regression coefficients, first-order sensitivity indices). Everything is deterministic
// from the seed and the draw's index, whatever the number of threads or processes that evaluate the draws.
// docs/sweeps.md.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"

namespace lccge::scenario {

struct Distribution {
  enum class Kind { kUniform, kNormal, kTriangular, kLogNormal, kValues };
  Kind kind = Kind::kUniform;
  // uniform: a = min, b = max; normal: a = mean, b = sd; triangular: a = min, c = mode, b = max;
  // log-normal: a = mu, b = sigma (of the logarithm).
  double a = 0, b = 1, c = 0;
  // Bounds: the distribution truncated to [lower, upper] (normal and log-normal; optional).
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  std::vector<double> values;  // kValues: a grid of values (the grid sampler takes every one, others pick one)
  bool IsValid(std::string* error) const;
  // The value at probability u in [0, 1) (inverse CDF of the truncated distribution; kValues: the
  // floor(u x count)-th value).
  double Quantile(double u) const;
};

const char* ToString(Distribution::Kind kind);  // "uniform", "normal", "triangular", "lognormal", "values"

enum class Sampler { kRandom, kLatinHypercube, kSobol, kGrid };
const char* ToString(Sampler s);  // "random", "latin-hypercube", "sobol", "grid"
bool ParseSampler(const std::string& text, Sampler* s);

// Largest number of dimensions the Sobol' sampler supports.
inline constexpr int kMaxSobolDimensions = 16;

// `draws` points of the unit cube [0, 1)^dimensions, row i for draw i: random (SplitMix64 from the seed and i),
// Latin hypercube (one point per stratum of every dimension, strata shuffled from the seed), Sobol' (Joe and Kuo
// direction numbers, skipping the origin, digitally shifted by the seed's random offsets), or nothing for the grid
// sampler (use GridPoints).
Status SamplePoints(Sampler sampler, int draws, int dimensions, std::uint64_t seed,
                    std::vector<std::vector<double>>* points);
// The full factorial of the dimensions' value counts: row i holds each dimension's value index as
// (index + 0.5) / count, so that Distribution::Quantile returns the index-th value.
std::vector<std::vector<double>> GridPoints(const std::vector<int>& counts);

// Statistics of one output over the successful draws: inputs[i][k] is input k of draw i, y[i] the output.
struct OutputStatistics {
  int count = 0;
  double mean = 0, sd = 0, p5 = 0, p50 = 0, p95 = 0, min = 0, max = 0;
  // Standardised regression coefficients of a linear regression of y on the inputs (both standardised); their
  // squares sum to the R^2 of the regression when the inputs are uncorrelated.
  std::vector<double> src;
  double r_squared = 0;
  // First-order sensitivity indices Var(E[y | x_k]) / Var(y), estimated from the sample by sorting x_k into
  // equal-count bins (about sqrt(count) of them) and a one-way analysis of variance (bias-corrected): no special
  // design needed, any sampler allows them.
  std::vector<double> first_order;
};
Status ComputeStatistics(const std::vector<std::vector<double>>& inputs, const std::vector<double>& y,
                         OutputStatistics* stats);

// The p-th percentile (0..100) of values by linear interpolation between order statistics (values need not be
// sorted).
double Percentile(std::vector<double> values, double p);

}  // namespace lccge::scenario
