#include "lccge/data/dataset.hpp"

#include <limits>

namespace lccge::data {

namespace {
constexpr const char* kElasticityNames[kElasticityCount] = {"esub_top", "esub_int", "esub_va", "esub_dm",
                                                            "esub_mm",  "etrn",     "esub_fd"};
}  // namespace

const char* ToString(Elasticity e) { return kElasticityNames[static_cast<int>(e)]; }

bool ParseElasticity(const std::string& text, Elasticity* e) {
  for (int i = 0; i < kElasticityCount; ++i) {
    if (text == kElasticityNames[i]) {
      *e = static_cast<Elasticity>(i);
      return true;
    }
  }
  return false;
}

double DefaultElasticity(Elasticity e) {
  switch (e) {
    case Elasticity::kEsubTop:
      return 0.0;
    case Elasticity::kEsubInt:
      return 0.0;
    case Elasticity::kEsubVa:
      return 1.0;
    case Elasticity::kEsubDm:
      return 2.0;
    case Elasticity::kEsubMm:
      return 4.0;
    case Elasticity::kEtrn:
      return std::numeric_limits<double>::infinity();
    case Elasticity::kEsubFd:
      return 1.0;
  }
  return 0.0;
}

Status Dataset::Init(std::vector<std::string> region_names, std::vector<Account> account_list) {
  regions = std::move(region_names);
  accounts = std::move(account_list);
  first_account_of_size_ = 0;  // until the scheme is checked below
  region_index_ = internal::NameIndex();
  account_index_ = internal::NameIndex();
  sector_index_ = internal::NameIndex();
  sectors.clear();
  sectors.reserve(accounts.size() / 2);  // at most one per commodity account, and each sector has an activity too
  for (size_t i = 0; i < regions.size(); ++i) {
    if (regions[i].empty()) return Status::Invalid("empty region name");
    if (region_index_.Insert(regions[i], static_cast<int>(i), RegionName()) >= 0)
      return Status::Invalid("duplicate region '" + regions[i] + "'");
  }
  for (size_t i = 0; i < accounts.size(); ++i) {
    const Account& a = accounts[i];
    if (a.name.empty()) return Status::Invalid("empty account name");
    if (account_index_.Insert(a.name, static_cast<int>(i), AccountName()) >= 0)
      return Status::Invalid("duplicate account '" + a.name + "'");
    if (a.account_class == AccountClass::kCommodity) {
      if (a.sector.empty()) return Status::Invalid("commodity account '" + a.name + "' names no sector");
      if (sector_index_.Insert(a.sector, static_cast<int>(sectors.size()), SectorName()) >= 0)
        return Status::Invalid("sector '" + a.sector + "' has two commodity accounts");
      sectors.push_back({a.sector, -1, static_cast<int>(i)});
    }
  }
  for (size_t i = 0; i < accounts.size(); ++i) {
    const Account& a = accounts[i];
    if (a.account_class != AccountClass::kActivity) continue;
    if (a.sector.empty()) return Status::Invalid("activity account '" + a.name + "' names no sector");
    const int sector = SectorIndex(a.sector);
    if (sector < 0)
      return Status::Invalid("activity account '" + a.name + "': sector '" + a.sector + "' has no commodity account");
    Sector& s = sectors[static_cast<size_t>(sector)];
    if (s.activity >= 0) return Status::Invalid("sector '" + a.sector + "' has two activity accounts");
    s.activity = static_cast<int>(i);
  }
  first_account_.fill(-1);
  for (size_t i = accounts.size(); i-- > 0;)
    first_account_[static_cast<size_t>(accounts[i].account_class)] = static_cast<int>(i);
  first_account_of_size_ = accounts.size();
  const int nr = num_regions(), na = num_accounts(), ns = num_sectors();
  // Sized and zeroed in place (assign from a zero matrix would allocate a temporary and copy it).
  auto zeros = [](std::vector<Eigen::MatrixXd>& tables, int count, int size) {
    tables.resize(static_cast<size_t>(count));
    for (Eigen::MatrixXd& m : tables) m.setZero(size, size);
  };
  zeros(sam, nr, na);
  zeros(trade, ns, nr);
  zeros(margins, ns, nr);
  zeros(tariffs, ns, nr);
  tariffs_given = false;
  for (int e = 0; e < kElasticityCount; ++e)
    elasticities[static_cast<size_t>(e)] =
        Eigen::MatrixXd::Constant(nr, ns, DefaultElasticity(static_cast<Elasticity>(e)));
  tax_rates.clear();
  origin = DataOrigin();
  return Status::Ok();
}

int Dataset::RegionIndex(const std::string& name) const { return region_index_.Find(name, RegionName()); }
int Dataset::AccountIndex(const std::string& name) const { return account_index_.Find(name, AccountName()); }
int Dataset::SectorIndex(const std::string& name) const { return sector_index_.Find(name, SectorName()); }

std::vector<const InputNest*> Dataset::InputNestsOf(int r, int s) const {
  std::vector<const InputNest*> own, every;
  for (const InputNest& n : input_nests) {
    if (n.sector != s) continue;
    if (n.region == r) own.push_back(&n);
    if (n.region < 0) every.push_back(&n);
  }
  return own.empty() ? every : own;
}

int Dataset::FirstAccount(AccountClass c) const {
  if (first_account_of_size_ == accounts.size() && !accounts.empty()) return first_account_[static_cast<size_t>(c)];
  for (int i = 0; i < num_accounts(); ++i)
    if (accounts[static_cast<size_t>(i)].account_class == c) return i;
  return -1;
}

std::vector<int> Dataset::AccountsOf(AccountClass c) const {
  std::vector<int> out;
  for (int i = 0; i < num_accounts(); ++i)
    if (accounts[static_cast<size_t>(i)].account_class == c) out.push_back(i);
  return out;
}

Status Dataset::SetSam(const std::string& region, const std::string& row, const std::string& column, double value) {
  const int r = RegionIndex(region), i = AccountIndex(row), j = AccountIndex(column);
  if (r < 0) return Status::Invalid("unknown region '" + region + "'");
  if (i < 0) return Status::Invalid("unknown account '" + row + "'");
  if (j < 0) return Status::Invalid("unknown account '" + column + "'");
  sam[static_cast<size_t>(r)](i, j) = value;
  return Status::Ok();
}

Status Dataset::SetTrade(const std::string& sector, const std::string& exporter, const std::string& importer,
                         double fob_value, double margin) {
  const int s = SectorIndex(sector), e = RegionIndex(exporter), m = RegionIndex(importer);
  if (s < 0) return Status::Invalid("unknown good '" + sector + "'");
  if (e < 0) return Status::Invalid("unknown region '" + exporter + "'");
  if (m < 0) return Status::Invalid("unknown region '" + importer + "'");
  trade[static_cast<size_t>(s)](e, m) = fob_value;
  margins[static_cast<size_t>(s)](e, m) = margin;
  return Status::Ok();
}

Status Dataset::SetTariff(const std::string& sector, const std::string& exporter, const std::string& importer,
                          double rate) {
  const int s = SectorIndex(sector), e = RegionIndex(exporter), m = RegionIndex(importer);
  if (s < 0) return Status::Invalid("unknown good '" + sector + "'");
  if (e < 0) return Status::Invalid("unknown region '" + exporter + "'");
  if (m < 0) return Status::Invalid("unknown region '" + importer + "'");
  tariffs[static_cast<size_t>(s)](e, m) = rate;
  tariffs_given = true;
  return Status::Ok();
}

Status Dataset::SetElasticity(Elasticity e, const std::string& region, const std::string& sector, double value) {
  const int r = region == "*" ? -1 : RegionIndex(region);
  const int s = sector == "*" ? -1 : SectorIndex(sector);
  if (region != "*" && r < 0) return Status::Invalid("unknown region '" + region + "'");
  if (sector != "*" && s < 0) return Status::Invalid("unknown sector '" + sector + "'");
  Eigen::MatrixXd& m = elasticities[static_cast<size_t>(e)];
  for (int i = 0; i < num_regions(); ++i) {
    if (r >= 0 && i != r) continue;
    for (int j = 0; j < num_sectors(); ++j) {
      if (s >= 0 && j != s) continue;
      m(i, j) = value;
    }
  }
  return Status::Ok();
}

namespace {
double Cell(const Dataset& d, int r, int row, int col) {
  return row < 0 || col < 0 ? 0.0 : d.sam[static_cast<size_t>(r)](row, col);
}
}  // namespace

double Dataset::Output(int r, int s) const {
  const Sector& sec = sectors[static_cast<size_t>(s)];
  return Cell(*this, r, sec.activity, sec.commodity);
}
double Dataset::Exports(int r, int s) const {
  return Cell(*this, r, sectors[static_cast<size_t>(s)].commodity, FirstAccount(AccountClass::kWorld));
}
double Dataset::MarginSupply(int r, int s) const {
  return Cell(*this, r, sectors[static_cast<size_t>(s)].commodity, FirstAccount(AccountClass::kMargins));
}
double Dataset::DomesticSales(int r, int s) const { return Output(r, s) - Exports(r, s) - MarginSupply(r, s); }
double Dataset::Imports(int r, int s) const {
  return Cell(*this, r, FirstAccount(AccountClass::kWorld), sectors[static_cast<size_t>(s)].commodity);
}
double Dataset::TariffRevenue(int r, int s) const {
  return Cell(*this, r, FirstAccount(AccountClass::kImportTariff), sectors[static_cast<size_t>(s)].commodity);
}
double Dataset::ArmingtonSupply(int r, int s) const {
  return DomesticSales(r, s) + Imports(r, s) + TariffRevenue(r, s);
}
double Dataset::IntermediateUse(int r, int good, int sector) const {
  return Cell(*this, r, sectors[static_cast<size_t>(good)].commodity, sectors[static_cast<size_t>(sector)].activity);
}
double Dataset::ProductionTax(int r, int s) const {
  return Cell(*this, r, FirstAccount(AccountClass::kProductionTax), sectors[static_cast<size_t>(s)].activity);
}
double Dataset::ProductionTaxRate(int r, int s) const {
  const double base = Output(r, s) - ProductionTax(r, s);
  return base == 0.0 ? 0.0 : ProductionTax(r, s) / base;
}

}  // namespace lccge::data
