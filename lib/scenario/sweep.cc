#include "lccge/scenario/sweep.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "data/random.hpp"

namespace lccge::scenario {

namespace {

constexpr double kSqrt2 = 1.4142135623730951;

double NormalCdf(double z) { return 0.5 * std::erfc(-z / kSqrt2); }

// Inverse of the standard normal CDF: Wichura's algorithm AS241 (PPND16), accurate to about 1e-16.
// p kept inside the open interval (0, 1): a draw at u = 0 (which every sampler can give) is then about 8.2
// standard deviations out, not an infinity.
double OpenUnit(double p) {
  const double tail = 1.0 - std::nextafter(1.0, 0.0);  // 2^-53
  return std::clamp(p, tail, 1.0 - tail);
}

double NormalQuantile(double p) {
  if (p <= 0) return -std::numeric_limits<double>::infinity();
  if (p >= 1) return std::numeric_limits<double>::infinity();
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
                45921.953931549871457) *
                   r +
               13731.693765509461125) *
                  r +
              1971.5909503065514427) *
                 r +
             133.14166789178437745) *
                r +
            3.387132872796366608) /
           (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
                21213.794301586595867) *
                   r +
               5394.1960214247511077) *
                  r +
              687.1870074920579083) *
                 r +
             42.313330701600911252) *
                r +
            1.0);
  }
  double r = q < 0 ? p : 1 - p;
  r = std::sqrt(-std::log(r));
  double v;
  if (r <= 5) {
    r -= 1.6;
    v = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
             1.27045825245236838258) *
                r +
            3.64784832476320460504) *
               r +
           5.7694972214606914055) *
              r +
          4.6303378461565452959) *
             r +
         1.42343711074968357734) /
        (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
             0.14810397642748007459) *
                r +
            0.68976733498510000455) *
               r +
           1.6763848301838038494) *
              r +
          2.05319162663775882187) *
             r +
         1.0);
  } else {
    r -= 5;
    v = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
             0.026532189526576123093) *
                r +
            0.29656057182850489123) *
               r +
           1.7848265399172913358) *
              r +
          5.4637849111641143699) *
             r +
         6.6579046435011037772) /
        (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
             7.868691311456132591e-4) *
                r +
            0.0148753612908506148525) *
               r +
           0.13692988092273580531) *
              r +
          0.59983220655588793769) *
             r +
         1.0);
  }
  return q < 0 ? -v : v;
}

// Sobol' direction numbers (Joe and Kuo, new-joe-kuo-6.21201) for dimensions 2..16: degree s, coefficient a and
// initial m_1..m_s. Dimension 1 is the van der Corput sequence.
struct SobolPoly {
  int s, a;
  int m[8];
};
constexpr SobolPoly kSobol[kMaxSobolDimensions - 1] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
};

// Direction numbers v_k (scaled by 2^32) of dimension d (0-based), k = 1..32.
std::vector<std::uint32_t> SobolDirections(int d) {
  std::vector<std::uint32_t> v(33, 0);
  if (d == 0) {
    for (int k = 1; k <= 32; ++k) v[static_cast<size_t>(k)] = 1u << (32 - k);
    return v;
  }
  const SobolPoly& p = kSobol[d - 1];
  std::vector<std::uint32_t> m(33, 0);
  for (int k = 1; k <= p.s; ++k) m[static_cast<size_t>(k)] = static_cast<std::uint32_t>(p.m[k - 1]);
  for (int k = p.s + 1; k <= 32; ++k) {
    std::uint32_t mk = m[static_cast<size_t>(k - p.s)] ^ (m[static_cast<size_t>(k - p.s)] << p.s);
    for (int j = 1; j < p.s; ++j)
      if ((p.a >> (p.s - 1 - j)) & 1) mk ^= m[static_cast<size_t>(k - j)] << j;
    m[static_cast<size_t>(k)] = mk;
  }
  for (int k = 1; k <= 32; ++k) v[static_cast<size_t>(k)] = m[static_cast<size_t>(k)] << (32 - k);
  return v;
}

}  // namespace

const char* ToString(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::kUniform:
      return "uniform";
    case Distribution::Kind::kNormal:
      return "normal";
    case Distribution::Kind::kTriangular:
      return "triangular";
    case Distribution::Kind::kLogNormal:
      return "lognormal";
    case Distribution::Kind::kValues:
      return "values";
  }
  return "?";
}

const char* ToString(Sampler s) {
  switch (s) {
    case Sampler::kRandom:
      return "random";
    case Sampler::kLatinHypercube:
      return "latin-hypercube";
    case Sampler::kSobol:
      return "sobol";
    case Sampler::kGrid:
      return "grid";
  }
  return "?";
}

bool ParseSampler(const std::string& text, Sampler* s) {
  for (Sampler c : {Sampler::kRandom, Sampler::kLatinHypercube, Sampler::kSobol, Sampler::kGrid})
    if (text == ToString(c)) {
      *s = c;
      return true;
    }
  return false;
}

bool Distribution::IsValid(std::string* error) const {
  auto fail = [&](const std::string& why) {
    if (error) *error = why;
    return false;
  };
  auto finite = [](double x) { return std::isfinite(x); };
  if (!(lower < upper)) return fail("the lower bound must be below the upper bound");
  switch (kind) {
    case Kind::kUniform:
      if (!finite(a) || !finite(b) || !(a < b)) return fail("a uniform distribution needs min < max");
      break;
    case Kind::kNormal:
      if (!finite(a) || !finite(b) || !(b > 0)) return fail("a normal distribution needs a finite mean and sd > 0");
      if (NormalCdf((upper - a) / b) - NormalCdf((lower - a) / b) < 1e-12)
        return fail("the bounds leave no probability mass");
      break;
    case Kind::kTriangular:
      if (!finite(a) || !finite(b) || !finite(c) || !(a < b) || c < a || c > b)
        return fail("a triangular distribution needs min <= mode <= max and min < max");
      break;
    case Kind::kLogNormal:
      if (!finite(a) || !finite(b) || !(b > 0))
        return fail("a log-normal distribution needs a finite mu and sigma > 0");
      if (upper <= 0) return fail("a log-normal distribution's upper bound must be positive");
      break;
    case Kind::kValues:
      if (values.empty()) return fail("a list of values needs at least one value");
      for (double v : values)
        if (!finite(v)) return fail("every value must be a finite number");
      break;
  }
  // Quantile rises with u, so its ends bound every draw: a distribution too wide for double precision (min and max
  // of opposite signs near 1e308, a log-normal with mu + 8 sigma beyond log(1.8e308)) would draw infinities.
  if (const double first = Quantile(0.0), last = Quantile(1.0); !finite(first) || !finite(last)) {
    char range[64];
    std::snprintf(range, sizeof range, "%g to %g", first, last);
    return fail(std::string("its extreme draws overflow double precision (") + range +
                "); narrow it or give it bounds");
  }
  return true;
}

double Distribution::Quantile(double u) const {
  u = std::clamp(u, 0.0, std::nextafter(1.0, 0.0));
  switch (kind) {
    case Kind::kUniform:
      return std::clamp(a + u * (b - a), lower, upper);
    case Kind::kTriangular: {
      const double f = (c - a) / (b - a);
      const double x = u < f ? a + std::sqrt(u * (b - a) * (c - a)) : b - std::sqrt((1 - u) * (b - a) * (b - c));
      return std::clamp(x, lower, upper);
    }
    case Kind::kNormal: {
      const double lo = NormalCdf((lower - a) / b), hi = NormalCdf((upper - a) / b);
      return std::clamp(a + b * NormalQuantile(OpenUnit(lo + u * (hi - lo))), lower, upper);
    }
    case Kind::kLogNormal: {
      const double lo = lower > 0 ? NormalCdf((std::log(lower) - a) / b) : 0.0;
      const double hi = NormalCdf((std::log(upper) - a) / b);
      return std::clamp(std::exp(a + b * NormalQuantile(OpenUnit(lo + u * (hi - lo)))), lower, upper);
    }
    case Kind::kValues:
      return values[std::min(values.size() - 1, static_cast<size_t>(u * static_cast<double>(values.size())))];
  }
  return 0;
}

Status SamplePoints(Sampler sampler, int draws, int dimensions, std::uint64_t seed,
                    std::vector<std::vector<double>>* points) {
  if (draws < 1) return Status::Invalid("a sweep needs at least one draw");
  if (dimensions < 1) return Status::Invalid("a sweep needs at least one input");
  std::vector<std::vector<double>> out(static_cast<size_t>(draws),
                                       std::vector<double>(static_cast<size_t>(dimensions)));
  switch (sampler) {
    case Sampler::kRandom:
      for (int i = 0; i < draws; ++i) {
        // Each draw's numbers depend on the seed and the draw only.
        internal::Rng rng(internal::SplitMix64Finalize(seed) ^
                          internal::SplitMix64Finalize(0x5EEDull + static_cast<std::uint64_t>(i)));
        for (int k = 0; k < dimensions; ++k) out[static_cast<size_t>(i)][static_cast<size_t>(k)] = rng.Uniform();
      }
      break;
    case Sampler::kLatinHypercube: {
      internal::Rng rng(seed);
      for (int k = 0; k < dimensions; ++k) {
        std::vector<int> strata(static_cast<size_t>(draws));
        std::iota(strata.begin(), strata.end(), 0);
        for (int i = draws - 1; i > 0; --i) {  // Fisher-Yates with our own generator (portable)
          const int j = static_cast<int>(rng.Next() % static_cast<std::uint64_t>(i + 1));
          std::swap(strata[static_cast<size_t>(i)], strata[static_cast<size_t>(j)]);
        }
        for (int i = 0; i < draws; ++i)
          out[static_cast<size_t>(i)][static_cast<size_t>(k)] =
              (strata[static_cast<size_t>(i)] + rng.Uniform()) / static_cast<double>(draws);
      }
      break;
    }
    case Sampler::kSobol: {
      if (dimensions > kMaxSobolDimensions)
        return Status::Invalid("the Sobol' sampler supports up to " + std::to_string(kMaxSobolDimensions) +
                               " inputs, not " + std::to_string(dimensions));
      internal::Rng rng(seed);
      for (int k = 0; k < dimensions; ++k) {
        const std::vector<std::uint32_t> v = SobolDirections(k);
        // A digital shift from the seed (0 for seed 0: the plain sequence).
        const std::uint32_t shift = seed == 0 ? 0u : static_cast<std::uint32_t>(rng.Next() >> 32);
        std::uint32_t x = 0;
        for (int i = 0; i < draws; ++i) {
          // Gray-code order from index 1 (the origin is skipped): flip the direction of the lowest zero bit.
          const std::uint32_t index = static_cast<std::uint32_t>(i);
          int c = 1;
          while (index & (1u << (c - 1))) ++c;
          x ^= v[static_cast<size_t>(c)];
          out[static_cast<size_t>(i)][static_cast<size_t>(k)] = static_cast<double>(x ^ shift) * 0x1.0p-32;
        }
      }
      break;
    }
    case Sampler::kGrid:
      return Status::Invalid("the grid sampler takes its points from the inputs' values (GridPoints)");
  }
  *points = std::move(out);
  return Status::Ok();
}

std::vector<std::vector<double>> GridPoints(const std::vector<int>& counts) {
  size_t total = 1;
  for (int c : counts) total *= static_cast<size_t>(std::max(1, c));
  std::vector<std::vector<double>> out(total, std::vector<double>(counts.size()));
  for (size_t i = 0; i < total; ++i) {
    size_t rest = i;
    for (size_t k = counts.size(); k-- > 0;) {  // the last input varies fastest
      const size_t c = static_cast<size_t>(std::max(1, counts[k]));
      out[i][k] = (static_cast<double>(rest % c) + 0.5) / static_cast<double>(c);
      rest /= c;
    }
  }
  return out;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double pos = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(values.size() - 1, lo + 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

Status ComputeStatistics(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                         OutputStatistics* stats) {
  const size_t n = y.size();
  if (x.size() != n) return Status::Invalid("statistics: one row of inputs per output value is needed");
  OutputStatistics s;
  s.count = static_cast<int>(n);
  if (n == 0) {
    *stats = s;
    return Status::Ok();
  }
  const size_t k = x.front().size();
  s.mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  double var = 0;
  for (double v : y) var += (v - s.mean) * (v - s.mean);
  var = n > 1 ? var / static_cast<double>(n - 1) : 0.0;
  s.sd = std::sqrt(var);
  s.p5 = Percentile(y, 5);
  s.p50 = Percentile(y, 50);
  s.p95 = Percentile(y, 95);
  s.min = *std::min_element(y.begin(), y.end());
  s.max = *std::max_element(y.begin(), y.end());
  s.src.assign(k, 0.0);
  s.first_order.assign(k, 0.0);
  if (n < k + 2 || var <= 0) {
    *stats = s;
    return Status::Ok();
  }
  // Standardised regression: columns with no variation get coefficient 0.
  Eigen::MatrixXd a(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  Eigen::VectorXd b(static_cast<Eigen::Index>(n));
  std::vector<bool> varies(k, false);
  for (size_t j = 0; j < k; ++j) {
    double m = 0, v = 0;
    for (size_t i = 0; i < n; ++i) m += x[i][j];
    m /= static_cast<double>(n);
    for (size_t i = 0; i < n; ++i) v += (x[i][j] - m) * (x[i][j] - m);
    const double sdj = std::sqrt(v / static_cast<double>(n - 1));
    varies[j] = sdj > 0;
    for (size_t i = 0; i < n; ++i)
      a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = varies[j] ? (x[i][j] - m) / sdj : 0.0;
  }
  for (size_t i = 0; i < n; ++i) b(static_cast<Eigen::Index>(i)) = (y[i] - s.mean) / s.sd;
  const Eigen::VectorXd beta = a.completeOrthogonalDecomposition().solve(b);
  const Eigen::VectorXd fitted = a * beta;
  double ss_res = (b - fitted).squaredNorm(), ss_tot = b.squaredNorm();
  s.r_squared = ss_tot > 0 ? 1 - ss_res / ss_tot : 0;
  for (size_t j = 0; j < k; ++j) s.src[j] = varies[j] ? beta(static_cast<Eigen::Index>(j)) : 0.0;
  // First-order indices from equal-count bins of each input.
  const size_t bins = std::max<size_t>(2, static_cast<size_t>(std::floor(std::sqrt(static_cast<double>(n)))));
  std::vector<size_t> order(n);
  for (size_t j = 0; j < k; ++j) {
    if (!varies[j]) continue;
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t p, size_t q) { return x[p][j] < x[q][j]; });
    // One-way analysis of variance over the bins: the between-bin sum of squares less its expected noise,
    // (bins - 1) x the within-bin variance, estimates (n - 1) Var(E[y | x_j]) without the upward bias of the plain
    // bin-mean variance.
    double between = 0, within = 0;
    size_t used = 0;
    for (size_t bin = 0; bin < bins; ++bin) {
      const size_t from = bin * n / bins, to = (bin + 1) * n / bins;
      if (to <= from) continue;
      ++used;
      double m = 0;
      for (size_t i = from; i < to; ++i) m += y[order[i]];
      m /= static_cast<double>(to - from);
      between += static_cast<double>(to - from) * (m - s.mean) * (m - s.mean);
      for (size_t i = from; i < to; ++i) within += (y[order[i]] - m) * (y[order[i]] - m);
    }
    const double within_var = n > used ? within / static_cast<double>(n - used) : 0.0;
    const double corrected = between - static_cast<double>(used - 1) * within_var;
    s.first_order[j] = std::clamp(corrected / static_cast<double>(n - 1) / var, 0.0, 1.0);
  }
  *stats = s;
  return Status::Ok();
}

}  // namespace lccge::scenario
