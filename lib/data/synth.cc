#include "lccge/data/synth.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "data/random.hpp"

namespace lccge::data {

namespace {

std::string Padded(const char* prefix, int i, int count) {
  int width = 2;
  for (int n = count; n >= 100; n /= 10) ++width;
  std::string num = std::to_string(i + 1);
  return prefix + std::string(static_cast<size_t>(std::max(0, width - static_cast<int>(num.size()))), '0') + num;
}

// Rounds to 1/`per_unit` (e.g. 100: two decimals) and gives the double nearest the decimal.
double Round(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

}  // namespace

bool SynthOptions::IsValid(std::string* error) const {
  std::string e;
  if (regions < 1 || regions > 10000)
    e = "regions must be between 1 and 10000";
  else if (sectors < 1 || sectors > 2000)
    e = "sectors must be between 1 and 2000";
  else if (!(zero_link_share >= 0 && zero_link_share <= 0.95))
    e = "zero_link_share must be between 0 and 0.95";
  else if (!(mean_tariff >= 0 && mean_tariff <= 1))
    e = "mean_tariff must be between 0 and 1";
  if (!e.empty() && error) *error = e;
  return e.empty();
}

Status Synthesize(const SynthOptions& opt, Dataset* out) {
  std::string why;
  if (!opt.IsValid(&why)) return Status::Invalid("invalid synthetic data options: " + why);
  internal::Rng rng(opt.seed);
  const int R = opt.regions, S = opt.sectors;
  const bool margins = opt.margins && S >= 2 && R >= 2;
  const int trn = margins ? S - 1 : -1;  // the sector that supplies international transport
  // Sector types: the first ~60 % are goods (traded, tariffed, carried with margins), the rest services; the first
  // ~10 % of the goods (at least one) use a sector-specific natural resource.
  const int goods = std::max(1, static_cast<int>(std::lround(0.6 * S)));
  const int primary = std::max(1, static_cast<int>(std::lround(0.1 * S)));
  auto is_good = [&](int j) { return j < goods && j != trn; };

  // ---- names and the account scheme ----
  std::vector<std::string> region_names, sector_names;
  region_names.reserve(static_cast<size_t>(R));
  sector_names.reserve(static_cast<size_t>(S));
  for (int r = 0; r < R; ++r) region_names.push_back(Padded("r", r, R));
  for (int j = 0; j < S; ++j) sector_names.push_back(j == trn ? std::string("trn") : Padded("s", j, S));
  std::vector<Account> accounts;
  accounts.reserve(2 * static_cast<size_t>(S) + 10);  // activities, commodities and at most 10 others
  for (int j = 0; j < S; ++j)
    accounts.push_back(
        {"a_" + sector_names[static_cast<size_t>(j)], AccountClass::kActivity, sector_names[static_cast<size_t>(j)]});
  for (int j = 0; j < S; ++j)
    accounts.push_back(
        {"c_" + sector_names[static_cast<size_t>(j)], AccountClass::kCommodity, sector_names[static_cast<size_t>(j)]});
  const int A = S, C = S;  // offsets: activity j = j, commodity j = C + j
  auto add = [&](const char* name, AccountClass c) {
    accounts.push_back({name, c, ""});
    return static_cast<int>(accounts.size()) - 1;
  };
  const int lab = add("lab", AccountClass::kLabour);
  const int cap = add("cap", AccountClass::kCapital);
  const int res = add("res", AccountClass::kResource);
  const int ptax = add("ptax", AccountClass::kProductionTax);
  const int tariff = add("tariff", AccountClass::kImportTariff);
  const int hh = add("hh", AccountClass::kHousehold);
  const int gov = opt.government ? add("gov", AccountClass::kGovernment) : -1;
  const int inv = add("inv", AccountClass::kInvestment);
  const int world = add("world", AccountClass::kWorld);
  const int trans = margins ? add("trans", AccountClass::kMargins) : -1;
  (void)A;
  Dataset& d = *out;
  Status s = d.Init(std::move(region_names), std::move(accounts));
  if (!s.ok()) return s;

  // ---- regions: sizes (lognormal) and locations (unit square), one row per region ----
  Eigen::MatrixX3d region(R, 3);  // size, x, y
  for (int r = 0; r < R; ++r) {
    region(r, 0) = 1000.0 * rng.LogNormal(0.0, 1.2);
    region(r, 1) = rng.Uniform();
    region(r, 2) = rng.Uniform();
  }
  auto size = [&](int r) { return region(r, 0); };
  auto dist = [&](int a, int b) { return std::hypot(region(a, 1) - region(b, 1), region(a, 2) - region(b, 2)) + 0.05; };

  // ---- gross output by region and sector: skewed sector weights, regional variation ----
  std::vector<double> sector_weight(static_cast<size_t>(S));
  for (int j = 0; j < S; ++j) sector_weight[static_cast<size_t>(j)] = rng.LogNormal(0.0, 1.0);
  Eigen::MatrixXd Y(R, S);
  for (int r = 0; r < R; ++r) {
    double total = 0;
    for (int j = 0; j < S; ++j) total += (Y(r, j) = sector_weight[static_cast<size_t>(j)] * rng.LogNormal(0.0, 0.5));
    Y.row(r) *= 2.0 * size(r) / total;  // gross output about twice value added
  }

  // ---- free-trade pairs and tariffs ----
  Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic> fta =
      Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(R, R, false);
  for (int a = 0; a < R; ++a)
    for (int b = a + 1; b < R; ++b) fta(a, b) = fta(b, a) = rng.Bernoulli(0.3);

  // ---- exports, bilateral trade, margins, tariffs ----
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(R, S);
  std::vector<double> w(static_cast<size_t>(R));
  // The gravity term of each pair of regions, the same for every sector (computed once, not R x R x S times).
  Eigen::MatrixXd gravity(R, R);
  for (int r = 0; r < R; ++r)
    for (int m = 0; m < R; ++m) gravity(r, m) = std::pow(size(m), 0.8) * std::exp(-dist(r, m) / 0.3);
  for (int j = 0; j < S; ++j) {
    Eigen::MatrixXd& T = d.trade[static_cast<size_t>(j)];
    Eigen::MatrixXd& M = d.margins[static_cast<size_t>(j)];
    Eigen::MatrixXd& tau = d.tariffs[static_cast<size_t>(j)];
    const bool good = is_good(j);
    for (int r = 0; r < R && R > 1; ++r) {
      const double share = good ? rng.Uniform(0.05, 0.4) : rng.Uniform(0.0, 0.1);
      X(r, j) = share * Y(r, j);
      double total = 0, best_weight = 0;
      int best = -1;
      for (int m = 0; m < R; ++m) {
        double& wm = w[static_cast<size_t>(m)];
        wm = 0;
        if (m == r) continue;
        wm = gravity(r, m) * rng.LogNormal(0.0, 0.5);
        if (best < 0 || wm > best_weight) {
          best = m;
          best_weight = wm;
        }
        if (rng.Bernoulli(opt.zero_link_share)) wm = -wm;  // dropped below unless it is the best link
      }
      for (int m = 0; m < R; ++m) {
        double& wm = w[static_cast<size_t>(m)];
        if (m == best) wm = std::abs(wm);
        if (wm < 0) wm = 0;
        total += wm;
      }
      for (int m = 0; m < R; ++m) {
        if (w[static_cast<size_t>(m)] == 0) continue;
        T(r, m) = X(r, j) * w[static_cast<size_t>(m)] / total;
        if (good) {
          if (margins) M(r, m) = T(r, m) * (0.02 + 0.06 * std::min(1.0, dist(r, m)) * rng.Uniform(0.5, 1.5));
          if (!fta(r, m) && opt.mean_tariff > 0)
            tau(r, m) = std::min(0.5, Round(opt.mean_tariff * rng.LogNormal(-0.32, 0.8), 1e4));
        }
      }
      X(r, j) = T.row(r).sum();  // exactly what trade.csv sums to
    }
  }
  d.tariffs_given = true;

  // ---- margin supply: the world's margins, shared by regions in proportion to their transport output ----
  Eigen::VectorXd vst = Eigen::VectorXd::Zero(R);
  if (margins) {
    double total_margins = 0;
    for (int j = 0; j < S; ++j) total_margins += d.margins[static_cast<size_t>(j)].sum();
    const double transport = Y.col(trn).sum();
    for (int r = 0; r < R; ++r) {
      vst(r) = total_margins * Y(r, trn) / transport;
      // Keep domestic sales of transport at least 20 % of its output.
      if (X(r, trn) + vst(r) > 0.8 * Y(r, trn)) Y(r, trn) = (X(r, trn) + vst(r)) / 0.8;
    }
  }

  // ---- parameters by sector (shared across regions, GTAP style) ----
  Eigen::MatrixX3d shares(S, 3);  // by sector: value added, resource (of factors), labour (of the rest)
  for (int j = 0; j < S; ++j) {
    shares(j, 0) = rng.Uniform(0.3, 0.65);
    shares(j, 1) = (j < primary && j != trn) ? rng.Uniform(0.1, 0.4) : 0.0;
    shares(j, 2) = rng.Uniform(0.4, 0.7);
  }
  for (int j = 0; j < S; ++j) {
    const double va = Round(rng.Uniform(0.2, 1.5), 100);
    const double dm = is_good(j) ? Round(rng.Uniform(1.5, 4.5), 100) : Round(rng.Uniform(1.0, 2.0), 100);
    d.elasticities[static_cast<int>(Elasticity::kEsubVa)].col(j).setConstant(va);
    d.elasticities[static_cast<int>(Elasticity::kEsubDm)].col(j).setConstant(dm);
    d.elasticities[static_cast<int>(Elasticity::kEsubMm)].col(j).setConstant(2 * dm);
    if (opt.cet)
      d.elasticities[static_cast<int>(Elasticity::kEtrn)].col(j).setConstant(Round(rng.Uniform(2.0, 5.0), 100));
  }
  for (int r = 0; r < R; ++r)
    d.elasticities[static_cast<int>(Elasticity::kEsubFd)].row(r).setConstant(Round(rng.Uniform(0.6, 1.2), 100));

  // ---- each region's SAM ----
  d.tax_rates.reserve(static_cast<size_t>(R) * static_cast<size_t>(S));
  Eigen::MatrixXd coef(S, S);
  Eigen::VectorXd imports(S), revenue(S), armington(S);
  for (int r = 0; r < R; ++r) {
    Eigen::MatrixXd& sam = d.sam[static_cast<size_t>(r)];
    // Imports (cif) and tariff revenue by good.
    imports.setZero();
    revenue.setZero();
    for (int j = 0; j < S; ++j) {
      const Eigen::MatrixXd& T = d.trade[static_cast<size_t>(j)];
      const Eigen::MatrixXd& M = d.margins[static_cast<size_t>(j)];
      const Eigen::MatrixXd& tau = d.tariffs[static_cast<size_t>(j)];
      for (int e = 0; e < R; ++e) {
        const double cif = T(e, r) + M(e, r);
        imports(j) += cif;
        revenue(j) += tau(e, r) * cif;
      }
    }
    // Armington supply = domestic sales + imports + tariffs.
    for (int j = 0; j < S; ++j) armington(j) = Y(r, j) - X(r, j) - (j == trn ? vst(r) : 0.0) + imports(j) + revenue(j);
    // Input-output coefficients: sparse, own input heavier, each column sums to 1 - value added share.
    for (int j = 0; j < S; ++j) {
      double total = 0;
      for (int i = 0; i < S; ++i) {
        const bool zero = i != j && rng.Bernoulli(0.3);
        const double v = rng.LogNormal(0.0, 1.0) * (i == j ? 3.0 : 1.0);
        coef(i, j) = zero ? 0.0 : v;
        total += coef(i, j);
      }
      coef.col(j) *= (1.0 - shares(j, 0)) / total;
    }
    for (int i = 0; i < S; ++i) {
      double use = 0;
      for (int j = 0; j < S; ++j) use += (sam(C + i, j) = coef(i, j) * Y(r, j));
      // Leave at least 20-60 % of the Armington supply to final demand: scaling a row down only raises value added.
      const double cap_share = rng.Uniform(0.4, 0.8);
      if (use > cap_share * armington(i)) sam.row(C + i).head(S) *= cap_share * armington(i) / use;
    }
    // Output, value added, production tax, factors.
    for (int j = 0; j < S; ++j) {
      sam(j, C + j) = Y(r, j);
      const double va = Y(r, j) - sam.col(j).head(C + S).sum();
      const double rate = rng.Bernoulli(0.1) ? 0.0 : Round(rng.Uniform(-0.02, 0.12), 1e4);
      const double tax = Y(r, j) * rate / (1.0 + rate);
      const double factors = va - tax;
      const double resource = factors * shares(j, 1);
      const double labour = (factors - resource) * shares(j, 2);
      sam(ptax, j) = tax;
      if (rate != 0.0) d.tax_rates.push_back({r, j, rate, {}});
      sam(res, j) = resource;
      sam(lab, j) = labour;
      sam(cap, j) = factors - resource - labour;
    }
    // Trade cells.
    for (int j = 0; j < S; ++j) {
      sam(world, C + j) = imports(j);
      sam(tariff, C + j) = revenue(j);
      sam(C + j, world) = X(r, j);
    }
    if (margins) {
      sam(C + trn, trans) = vst(r);
      sam(trans, world) = vst(r);
    }
    // Final demand: the rest of the Armington supply, split into investment, government and private use.
    double consumption = 0, government = 0, investment = 0;
    for (int i = 0; i < S; ++i) {
      const double fd = armington(i) - sam.row(C + i).head(S).sum();
      const double phi = i < primary ? rng.Uniform(0.0, 0.05) : rng.Uniform(0.0, 0.35);
      const double gamma = gov < 0 ? 0.0 : (is_good(i) ? rng.Uniform(0.0, 0.05) : rng.Uniform(0.1, 0.5));
      const double inv_i = fd * phi, gov_i = fd * gamma;
      sam(C + i, inv) = inv_i;
      if (gov >= 0) sam(C + i, gov) = gov_i;
      sam(C + i, hh) = fd - inv_i - gov_i;
      investment += inv_i;
      government += gov_i;
      consumption += sam(C + i, hh);
    }
    // Incomes, the government budget, savings.
    sam(hh, lab) = sam.row(lab).sum();
    sam(hh, cap) = sam.row(cap).sum();
    sam(hh, res) = sam.row(res).sum();
    sam(hh, ptax) = sam.row(ptax).sum();
    sam(hh, tariff) = sam.row(tariff).sum();
    const double income = sam.row(hh).sum();
    if (gov >= 0) sam(gov, hh) = government;
    sam(inv, hh) = income - consumption - government;
    sam(inv, world) = sam.row(world).sum() - X.row(r).sum() - vst(r);  // foreign savings: the current-account deficit
    (void)investment;
  }
  // An unused resource account (no primary sector) would be an empty account: it balances, so keep it.
  return Status::Ok();
}

}  // namespace lccge::data
