#include "lccge/data/check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lccge/data/io.hpp"

namespace lccge::data {

namespace {

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.10g", v);
  return buf;
}

std::string Q(const std::string& s) { return "'" + s + "'"; }

struct Checker {
  const Dataset& d;
  const CheckOptions& opt;
  Diagnostics* diag;

  std::string File(const char* name) const { return d.origin.dir.empty() ? std::string() : d.origin.File(name); }
  SourceLocation At(const char* name, int line = 0) const { return {File(name), line, 0}; }
  SourceLocation SamAt(int r, int i, int j) const {
    const int line =
        d.origin.sam_line.size() > static_cast<size_t>(r) ? d.origin.sam_line[static_cast<size_t>(r)](i, j) : 0;
    return At("sam.csv", line);
  }
  SourceLocation LinkAt(const std::vector<Eigen::MatrixXi>& lines, const char* file, int s, int e, int m) const {
    const int line = lines.size() > static_cast<size_t>(s) ? lines[static_cast<size_t>(s)](e, m) : 0;
    return At(file, line);
  }
  const std::string& Region(int r) const { return d.regions[static_cast<size_t>(r)]; }
  const Account& Acc(int i) const { return d.accounts[static_cast<size_t>(i)]; }
  const std::string& SectorName(int s) const { return d.sectors[static_cast<size_t>(s)].name; }
  void Add(std::string cause, SourceLocation where) { diag->Add(Status::Invalid(std::move(cause), std::move(where))); }

  bool Shapes() {
    const int nr = d.num_regions(), na = d.num_accounts(), ns = d.num_sectors();
    bool ok = static_cast<int>(d.sam.size()) == nr && static_cast<int>(d.trade.size()) == ns &&
              static_cast<int>(d.margins.size()) == ns && static_cast<int>(d.tariffs.size()) == ns;
    for (const auto& m : d.sam) ok = ok && m.rows() == na && m.cols() == na;
    for (const auto* v : {&d.trade, &d.margins, &d.tariffs})
      for (const auto& m : *v) ok = ok && m.rows() == nr && m.cols() == nr;
    for (const auto& m : d.elasticities) ok = ok && m.rows() == nr && m.cols() == ns;
    if (!ok) Add("the dataset's tables do not match its regions, accounts and sectors (call Dataset::Init)", {});
    return ok;
  }

  void Scheme() {
    const SourceLocation where = At("accounts.csv");
    auto names = [&](AccountClass c) {
      std::string out;
      for (int i : d.AccountsOf(c)) out += (out.empty() ? "" : ", ") + Q(Acc(i).name);
      return out;
    };
    for (AccountClass c : {AccountClass::kHousehold, AccountClass::kInvestment, AccountClass::kWorld}) {
      const size_t n = d.AccountsOf(c).size();
      if (n != 1)
        Add("the account scheme needs exactly one " + std::string(ToString(c)) + " account, found " +
                std::to_string(n) + (n ? " (" + names(c) + ")" : ""),
            where);
    }
    for (AccountClass c : {AccountClass::kGovernment, AccountClass::kProductionTax, AccountClass::kImportTariff,
                           AccountClass::kMargins}) {
      const size_t n = d.AccountsOf(c).size();
      if (n > 1)
        Add("the account scheme allows at most one " + std::string(ToString(c)) + " account, found " +
                std::to_string(n) + " (" + names(c) + ")",
            where);
    }
    if (d.sectors.empty()) Add("the account scheme has no commodity account", where);
    if (d.regions.empty()) Add("the dataset has no region", At("sam.csv"));
  }

  void Cells(int r) {
    const Eigen::MatrixXd& m = d.sam[static_cast<size_t>(r)];
    const int na = d.num_accounts();
    for (int j = 0; j < na; ++j) {
      for (int i = 0; i < na; ++i) {
        const double v = m(i, j);
        if (v == 0.0) continue;
        const std::string cell = "region " + Q(Region(r)) + ", row " + Q(Acc(i).name) + ", column " + Q(Acc(j).name);
        if (!std::isfinite(v)) {
          Add(cell + ": value is not a finite number", SamAt(r, i, j));
          continue;
        }
        const CellRole role = RoleOf(Acc(i).account_class, Acc(j).account_class);
        if (role == CellRole::kNotAllowed) {
          Add(cell + ": a " + ToString(Acc(j).account_class) + " account cannot pay a " +
                  ToString(Acc(i).account_class) + " account under the account scheme (value " + Num(v) + ")",
              SamAt(r, i, j));
          continue;
        }
        if (role == CellRole::kOutput && Acc(i).sector != Acc(j).sector) {
          Add(cell + ": activity " + Q(Acc(i).name) + " of sector " + Q(Acc(i).sector) +
                  " can only sell to the commodity of its own sector (value " + Num(v) + ")",
              SamAt(r, i, j));
          continue;
        }
        if (v < 0 && !AllowsNegative(role)) {
          Add(cell + ": negative " + std::string(ToString(role)) + " (" + Num(v) + ") is not allowed", SamAt(r, i, j));
        }
      }
    }
  }

  void Balances(int r) {
    const Eigen::MatrixXd& m = d.sam[static_cast<size_t>(r)];
    for (int i = 0; i < d.num_accounts() && m.allFinite(); ++i) {
      const double row = m.row(i).sum(), col = m.col(i).sum();
      if (TotalsAgree(row, col, opt)) continue;
      const double rel = std::abs(row - col) / std::max(std::abs(row), std::abs(col));
      Add("region " + Q(Region(r)) + ", account " + Q(Acc(i).name) + ": row total (receipts) " + Num(row) +
              " != column total (payments) " + Num(col) + ", difference " + Num(row - col) + " (relative " + Num(rel) +
              ", tolerance " + Num(opt.relative_tolerance) + ")",
          At("sam.csv"));
    }
    for (int s = 0; s < d.num_sectors(); ++s) {
      const double out = d.Output(r, s), x = d.Exports(r, s), vst = d.MarginSupply(r, s);
      if (out - x - vst < 0 && !TotalsAgree(out, x + vst, opt)) {
        Add("region " + Q(Region(r)) + ", good " + Q(SectorName(s)) + ": exports (" + Num(x) +
                ") plus margin supply (" + Num(vst) + ") exceed output (" + Num(out) +
                "), so domestic sales would be negative",
            At("sam.csv"));
      }
    }
  }

  void TradeSigns() {
    const int nr = d.num_regions();
    for (int s = 0; s < d.num_sectors(); ++s)
      for (int e = 0; e < nr; ++e)
        for (int mm = 0; mm < nr; ++mm) {
          const std::string link = "good " + Q(SectorName(s)) + " from " + Q(Region(e)) + " to " + Q(Region(mm));
          const double v = d.trade[static_cast<size_t>(s)](e, mm), mg = d.margins[static_cast<size_t>(s)](e, mm);
          const double rate = d.tariffs[static_cast<size_t>(s)](e, mm);
          const SourceLocation where = LinkAt(d.origin.trade_line, "trade.csv", s, e, mm);
          if (!std::isfinite(v) || !std::isfinite(mg)) {
            Add(link + ": trade value or margin is not a finite number", where);
          } else {
            if (v < 0) Add(link + ": negative trade value (" + Num(v) + ") is not allowed", where);
            if (mg < 0) Add(link + ": negative transport margin (" + Num(mg) + ") is not allowed", where);
            if (mg > 0 && v == 0) Add(link + ": a transport margin (" + Num(mg) + ") on a link without trade", where);
          }
          if (!std::isfinite(rate) || rate <= -1) {
            Add(link + ": tariff rate (" + Num(rate) + ") must be a number greater than -1",
                LinkAt(d.origin.tariff_line, "tariffs.csv", s, e, mm));
          }
        }
  }

  void TradeAgreement() {
    const int nr = d.num_regions();
    const int world = d.FirstAccount(AccountClass::kWorld);
    double margins_total = 0, margin_supply_total = 0;
    for (int s = 0; s < d.num_sectors(); ++s) {
      const Eigen::MatrixXd& t = d.trade[static_cast<size_t>(s)];
      const Eigen::MatrixXd& mg = d.margins[static_cast<size_t>(s)];
      margins_total += mg.sum();
      const int c = d.sectors[static_cast<size_t>(s)].commodity;
      for (int r = 0; r < nr; ++r) {
        const double x_sam = d.Exports(r, s), x_trade = t.row(r).sum();
        if (!TotalsAgree(x_sam, x_trade, opt)) {
          Add("region " + Q(Region(r)) + ", good " + Q(SectorName(s)) + ": exports in sam.csv (" + Num(x_sam) +
                  ") != exports in trade.csv summed over importers (" + Num(x_trade) + ")",
              world >= 0 ? SamAt(r, c, world) : At("sam.csv"));
        }
        const double m_sam = d.Imports(r, s), m_trade = t.col(r).sum() + mg.col(r).sum();
        if (!TotalsAgree(m_sam, m_trade, opt)) {
          Add("region " + Q(Region(r)) + ", good " + Q(SectorName(s)) + ": imports in sam.csv (" + Num(m_sam) +
                  ") != cif imports in trade.csv (value + margin) summed over exporters (" + Num(m_trade) + ")",
              world >= 0 ? SamAt(r, world, c) : At("sam.csv"));
        }
      }
    }
    const int margins_account = d.FirstAccount(AccountClass::kMargins);
    for (int r = 0; r < nr; ++r)
      if (margins_account >= 0) margin_supply_total += d.sam[static_cast<size_t>(r)].col(margins_account).sum();
    if (!TotalsAgree(margins_total, margin_supply_total, opt)) {
      Add("transport margins in trade.csv (" + Num(margins_total) +
              ") != margin services supplied in sam.csv (margins accounts summed over regions: " +
              Num(margin_supply_total) + ")",
          At("trade.csv"));
    }
  }

  void Tariffs() {
    const int nr = d.num_regions();
    const int tariff = d.FirstAccount(AccountClass::kImportTariff);
    for (int s = 0; s < d.num_sectors(); ++s) {
      const Eigen::MatrixXd& t = d.trade[static_cast<size_t>(s)];
      const Eigen::MatrixXd& mg = d.margins[static_cast<size_t>(s)];
      const Eigen::MatrixXd& rate = d.tariffs[static_cast<size_t>(s)];
      const int c = d.sectors[static_cast<size_t>(s)].commodity;
      for (int r = 0; r < nr; ++r) {
        const double revenue = d.TariffRevenue(r, s);
        const double implied = (rate.col(r).array() * (t.col(r) + mg.col(r)).array()).sum();
        if (!TotalsAgree(revenue, implied, opt)) {
          Add("region " + Q(Region(r)) + ", good " + Q(SectorName(s)) + ": tariff revenue in sam.csv (" + Num(revenue) +
                  ") != tariff rates in tariffs.csv times cif imports (" + Num(implied) + ")",
              tariff >= 0 ? SamAt(r, tariff, c) : At("sam.csv"));
        }
      }
    }
  }

  void Taxes() {
    for (const TaxRate& tr : d.tax_rates) {
      if (tr.region < 0 || tr.sector < 0 || tr.region >= d.num_regions() || tr.sector >= d.num_sectors()) {
        Add("a production tax rate names no valid region or sector", tr.where);
        continue;
      }
      const double implied = d.ProductionTaxRate(tr.region, tr.sector);
      const double base = d.Output(tr.region, tr.sector) - d.ProductionTax(tr.region, tr.sector);
      // Compare revenues so that the tolerance is relative to the flows, not to the rate.
      if (!TotalsAgree(tr.rate * base, implied * base, opt) || !std::isfinite(tr.rate)) {
        Add("region " + Q(Region(tr.region)) + ", sector " + Q(SectorName(tr.sector)) + ": production tax rate " +
                Num(tr.rate) + " in taxes.csv != the rate implied by sam.csv (tax / (output - tax) = " + Num(implied) +
                ")",
            tr.where);
      }
    }
  }

  // Sub-nests of intermediate bundles built in memory (the reader checks its own rows in more detail).
  void Nests() {
    for (const InputNest& n : d.input_nests) {
      const SourceLocation where = n.where.known() ? n.where : At("nests.csv");
      const bool sector_ok = n.sector >= 0 && n.sector < d.num_sectors();
      if (!sector_ok || n.region >= d.num_regions() || n.region < -1) {
        Add("nest " + Q(n.name) + ": region or sector index out of range", where);
        continue;
      }
      if (!(n.elasticity >= 0) || std::isinf(n.elasticity))
        Add("elasticity of nest " + Q(n.name) + " is negative or not a number (" + Num(n.elasticity) + ")", where);
      for (int g : n.goods)
        if (g < 0 || g >= d.num_sectors()) Add("nest " + Q(n.name) + ": good index out of range", where);
      if (n.parent != "int") {
        bool found = false;
        for (const InputNest& m : d.input_nests)
          found = found || (m.region == n.region && m.sector == n.sector && m.name == n.parent);
        if (!found) Add("parent " + Q(n.parent) + " of nest " + Q(n.name) + " is neither int nor a nest", where);
      }
    }
  }

  void Elasticities() {
    for (int e = 0; e < kElasticityCount; ++e) {
      const Eigen::MatrixXd& m = d.elasticities[static_cast<size_t>(e)];
      const bool is_etrn = static_cast<Elasticity>(e) == Elasticity::kEtrn;
      for (int r = 0; r < m.rows(); ++r)
        for (int s = 0; s < m.cols(); ++s) {
          const double v = m(r, s);
          if (std::isnan(v) || v < 0 || (std::isinf(v) && !is_etrn)) {
            Add("elasticity " + std::string(ToString(static_cast<Elasticity>(e))) + " for region " + Q(Region(r)) +
                    ", sector " + Q(SectorName(s)) + " is negative or not a number (" + Num(v) + ")",
                At("elasticities.csv"));
          }
        }
    }
  }
};

}  // namespace

bool CheckOptions::IsValid(std::string* error) const {
  if (!(relative_tolerance >= 0) || !(absolute_tolerance >= 0)) {
    if (error) *error = "tolerances must be non-negative numbers";
    return false;
  }
  return true;
}

bool TotalsAgree(double a, double b, const CheckOptions& o) {
  return std::abs(a - b) <= o.relative_tolerance * std::max(std::abs(a), std::abs(b)) + o.absolute_tolerance;
}

void CheckDataset(const Dataset& dataset, const CheckOptions& options, Diagnostics* diagnostics) {
  std::string why;
  if (!options.IsValid(&why)) {
    diagnostics->Add(Status::Invalid("invalid check options: " + why));
    return;
  }
  Checker c{dataset, options, diagnostics};
  if (!c.Shapes()) return;
  c.Scheme();
  const bool sam = dataset.origin.sam_complete, trade = dataset.origin.trade_complete;
  for (int r = 0; r < dataset.num_regions(); ++r) {
    c.Cells(r);
    if (sam) c.Balances(r);
  }
  c.TradeSigns();
  if (sam && trade) c.TradeAgreement();
  if (sam && trade && dataset.origin.tariffs_complete) c.Tariffs();
  if (sam) c.Taxes();
  c.Elasticities();
  c.Nests();
}

Status CheckDataDirectory(const std::string& dir, Diagnostics* diagnostics, const CheckOptions& options) {
  Diagnostics local;
  Diagnostics* diag = diagnostics != nullptr ? diagnostics : &local;
  const size_t before = diag->problems().size();
  Dataset d;
  Status s = ReadDataset(dir, &d, diag);
  // Without a scheme or regions, no further check makes sense.
  if (d.num_accounts() > 0 && d.num_regions() > 0) CheckDataset(d, options, diag);
  const size_t n = diag->problems().size() - before;
  if (n == 0) return Status::Ok();
  return Status::Invalid(std::to_string(n) + (n == 1 ? " problem" : " problems") + " in the data directory",
                         {dir, 0, 0});
}

}  // namespace lccge::data
