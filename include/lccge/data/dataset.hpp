// A multi-region dataset for the standard GTAP-style model: one SAM per region (all regions share one account
// scheme), bilateral trade (fob values and transport margins), bilateral tariff rates, elasticities and
// production tax rates. Read it from a data directory (lccge/data/io.hpp), fill it in memory (Init + Set*), or
// generate it (lccge/data/synth.hpp). docs/data.md describes the scheme, the files and the identities.
#pragma once

#include <Eigen/Core>
#include <array>
#include <string>
#include <vector>

#include "lccge/core/name_index.hpp"
#include "lccge/core/status.hpp"
#include "lccge/data/account.hpp"

namespace lccge::data {

// A sector and the good it produces share one name: `activity` and `commodity` are account indices
// (activity is -1 for a good that is only imported).
struct Sector {
  std::string name;
  int activity = -1;
  int commodity = -1;
};

enum class Elasticity {
  kEsubTop,  // top nest: value added vs the intermediate bundle (per region, sector); default 0
  kEsubInt,  // among intermediate inputs (per region, sector); default 0
  kEsubVa,   // among primary factors in value added (per region, sector); default 1
  kEsubDm,   // Armington: domestic vs the import composite (per region, good); default 2
  kEsubMm,   // Armington: among import sources (per region, good); default 4
  kEtrn,     // CET between domestic sales and exports (per region, sector); default +inf = no CET nest
  kEsubFd,   // final demand of the regional household among goods (per region; sector "*"); default 1
};
inline constexpr int kElasticityCount = 7;

// "esub_top", "esub_int", "esub_va", "esub_dm", "esub_mm", "etrn", "esub_fd".
const char* ToString(Elasticity e);
bool ParseElasticity(const std::string& text, Elasticity* e);
double DefaultElasticity(Elasticity e);

// A production tax rate as given in taxes.csv; the SAM is the source of the revenue, the rate is cross-checked.
struct TaxRate {
  int region = -1;
  int sector = -1;
  double rate = 0;  // ad valorem on output at basic prices: tax = rate * (output at market prices - tax)
  SourceLocation where;
};

// A sub-nest of a sector's intermediate bundle (nests.csv): the goods listed in `goods` and the nests naming this
// one as their parent are combined under `elasticity`; `parent` is "int" (the bundle of every intermediate input,
// esub_int) or another nest of the same region and sector. Goods not in any nest stay directly in "int".
// E.g. a cathode maker's "materials" nest (elasticity 3) over secondary material and a "primary" nest (elasticity
// 0) of battery-grade chemicals. docs/data.md, "Files".
struct InputNest {
  int region = -1;  // -1: every region without nests of its own for this sector
  int sector = -1;  // the using sector
  std::string name;
  std::string parent = "int";
  double elasticity = 0;
  std::vector<int> goods;  // sector (= good) indices
  SourceLocation where;
};

// Where entries came from when the dataset was read from files (line 0 = not from a file).
struct DataOrigin {
  std::string dir;
  std::vector<Eigen::MatrixXi> sam_line;     // [region](row, column)
  std::vector<Eigen::MatrixXi> trade_line;   // [sector](exporter, importer)
  std::vector<Eigen::MatrixXi> tariff_line;  // [sector](exporter, importer)
  // False when rows of the file could not be read (they were skipped): checks of identities that depend on the
  // file (balances, trade agreement, tariff revenue) are then skipped rather than reporting consequential errors.
  bool sam_complete = true, trade_complete = true, tariffs_complete = true;
  std::string File(const char* name) const { return dir.empty() ? std::string(name) : dir + "/" + name; }
};

struct Dataset {
  // ---- the data ----
  std::vector<std::string> regions;
  std::vector<Account> accounts;         // one scheme for every region
  std::vector<Sector> sectors;           // derived from `accounts` by Init, in order of the commodity accounts
  std::vector<Eigen::MatrixXd> sam;      // [region](row, column): payment from the column account to the row account
  std::vector<Eigen::MatrixXd> trade;    // [sector](exporter, importer): exports at fob prices
  std::vector<Eigen::MatrixXd> margins;  // [sector](exporter, importer): transport margin, cif - fob
  std::vector<Eigen::MatrixXd> tariffs;  // [sector](exporter, importer): ad valorem rate on the cif value
  bool tariffs_given = false;  // false: Init filled zeros; ReadDataset then derives uniform rates from the SAM
  std::array<Eigen::MatrixXd, kElasticityCount> elasticities;  // [Elasticity](region, sector)
  std::vector<TaxRate> tax_rates;      // optional cross-check of the SAM's production taxes (taxes.csv)
  std::vector<InputNest> input_nests;  // optional sub-nests of the intermediate bundle (nests.csv)
  DataOrigin origin;

  // ---- building in memory ----
  // Sets the regions and the account scheme, derives `sectors`, and sizes every table with zeros (elasticities
  // with their defaults). Errors: duplicate names, an activity or commodity without a sector, an activity whose
  // sector has no commodity account, two activities or two commodities for one sector.
  Status Init(std::vector<std::string> region_names, std::vector<Account> account_list);
  Status SetSam(const std::string& region, const std::string& row, const std::string& column, double value);
  Status SetTrade(const std::string& sector, const std::string& exporter, const std::string& importer, double fob_value,
                  double margin = 0.0);
  Status SetTariff(const std::string& sector, const std::string& exporter, const std::string& importer, double rate);
  // `sector` may be "*" (every sector); `region` may be "*" (every region).
  Status SetElasticity(Elasticity e, const std::string& region, const std::string& sector, double value);

  // ---- lookups (-1 when unknown) ----
  int RegionIndex(const std::string& name) const;
  int AccountIndex(const std::string& name) const;
  int SectorIndex(const std::string& name) const;
  // The first account of a class, or -1 (household, investment and world exist exactly once in a valid scheme).
  int FirstAccount(AccountClass c) const;
  std::vector<int> AccountsOf(AccountClass c) const;
  int num_regions() const { return static_cast<int>(regions.size()); }
  int num_accounts() const { return static_cast<int>(accounts.size()); }
  int num_sectors() const { return static_cast<int>(sectors.size()); }

  // ---- benchmark quantities (region r, sector/good s; zero where the account does not exist) ----
  double Output(int r, int s) const;           // gross output at market prices: SAM(activity, commodity)
  double Exports(int r, int s) const;          // fob: SAM(commodity, world)
  double MarginSupply(int r, int s) const;     // SAM(commodity, margins)
  double DomesticSales(int r, int s) const;    // Output - Exports - MarginSupply
  double Imports(int r, int s) const;          // cif: SAM(world, commodity)
  double TariffRevenue(int r, int s) const;    // SAM(import_tariff, commodity)
  double ArmingtonSupply(int r, int s) const;  // DomesticSales + Imports + TariffRevenue = intermediate + final use
  double IntermediateUse(int r, int good, int sector) const;  // SAM(commodity good, activity sector)
  double ProductionTax(int r, int s) const;                   // SAM(production_tax, activity)
  double ProductionTaxRate(int r, int s) const;  // ProductionTax / (Output - ProductionTax); 0 when no output
  double ElasticityOf(data::Elasticity e, int r, int s) const { return elasticities[static_cast<int>(e)](r, s); }
  // The sub-nests of sector s's intermediate bundle in region r: the region's own entries for s if it has any,
  // else the entries for every region (region -1). Pointers into input_nests, in file order.
  std::vector<const InputNest*> InputNestsOf(int r, int s) const;
  double RowTotal(int r, int account) const { return sam[r].row(account).sum(); }
  double ColumnTotal(int r, int account) const { return sam[r].col(account).sum(); }

 private:
  // The names the indexes point at.
  auto RegionName() const {
    return [this](int i) -> const std::string& { return regions[static_cast<size_t>(i)]; };
  }
  auto AccountName() const {
    return [this](int i) -> const std::string& { return accounts[static_cast<size_t>(i)].name; };
  }
  auto SectorName() const {
    return [this](int i) -> const std::string& { return sectors[static_cast<size_t>(i)].name; };
  }
  internal::NameIndex region_index_, account_index_, sector_index_;
  // The first account of each class (-1: none), as Init found it: the benchmark quantities below ask for the world
  // and margins accounts on every call. Valid while `accounts` keeps the size it had then (else FirstAccount scans).
  std::array<int, kAccountClassCount> first_account_{};
  size_t first_account_of_size_ = 0;
};

}  // namespace lccge::data
