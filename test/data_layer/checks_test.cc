// Every data check has a small broken file under test/data/sam/<case>/, laid over a valid base dataset
// (test/data/sam/tiny or examples/sam2x3); the expected messages are the ones quoted in docs/data.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"

namespace lccge::data {
namespace {

namespace fs = std::filesystem;

const std::string kSam = std::string(LCCGE_TEST_DATA_DIR) + "/sam";
const std::string kExample = std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3";

// Copies `base` to a fresh temporary directory and replaces its files with those of test/data/sam/<overlay>.
std::string Overlay(const std::string& base, const std::string& overlay) {
  const fs::path dir = fs::temp_directory_path() / ("lccge_data_" + overlay + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(base)) fs::copy_file(e.path(), dir / e.path().filename());
  for (const auto& e : fs::directory_iterator(kSam + "/" + overlay))
    fs::copy_file(e.path(), dir / e.path().filename(), fs::copy_options::overwrite_existing);
  return dir.string();
}

// Runs CheckDataDirectory on the overlaid dataset; returns every problem, one per line, with paths made relative.
std::string Problems(const std::string& base, const std::string& overlay, size_t* count = nullptr) {
  const std::string dir = Overlay(base, overlay);
  Diagnostics diag;
  const Status s = CheckDataDirectory(dir, &diag);
  EXPECT_FALSE(s.ok()) << overlay;
  EXPECT_EQ(ExitCodeFor(s), 2);
  if (count) *count = diag.problems().size();
  std::string text = diag.ToString();
  for (size_t p; (p = text.find(dir + "/")) != std::string::npos;) text.erase(p, dir.size() + 1);
  fs::remove_all(dir);
  return text;
}

const std::string kTiny = kSam + "/tiny";

TEST(DataChecks, TinyBaseIsClean) {
  Diagnostics diag;
  EXPECT_TRUE(CheckDataDirectory(kTiny, &diag).ok()) << diag.ToString();
}

TEST(DataChecks, UnknownAccount) {
  const std::string p = Problems(kTiny, "unknown_account");
  EXPECT_NE(p.find("sam.csv:3: unknown account 'labr' in column 'row' (not in accounts.csv)"), std::string::npos) << p;
}

TEST(DataChecks, DuplicateEntry) {
  const std::string p = Problems(kTiny, "duplicate_entry");
  EXPECT_NE(p.find("sam.csv:5: duplicate entry for region 'p', row 'lab', column 'a_x' (first on line 2)"),
            std::string::npos)
      << p;
}

TEST(DataChecks, NotANumberAndNaN) {
  const std::string p = Problems(kTiny, "not_a_number");
  EXPECT_NE(p.find("sam.csv:2: column 'value': 'ten' is not a number"), std::string::npos) << p;
  EXPECT_NE(p.find("sam.csv:3: column 'value': 'nan' is not a finite number"), std::string::npos) << p;
  // The SAM could not be read completely: no consequential imbalance is reported.
  EXPECT_EQ(p.find("row total"), std::string::npos) << p;
}

TEST(DataChecks, Imbalance) {
  size_t n = 0;
  const std::string p = Problems(kTiny, "imbalance", &n);
  EXPECT_NE(p.find("sam.csv: region 'p', account 'c_x': row total (receipts) 13 != column total (payments) 12, "
                   "difference 1 (relative 0.07692307692, tolerance 1e-06)"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("sam.csv: region 'p', account 'hh': row total (receipts) 10 != column total (payments) 11"),
            std::string::npos)
      << p;
  EXPECT_EQ(n, 2u) << p;  // every unbalanced account, not only the first
}

TEST(DataChecks, NegativeFlow) {
  const std::string p = Problems(kTiny, "negative");
  EXPECT_NE(p.find("sam.csv:2: region 'p', row 'lab', column 'a_x': negative factor payment (-10) is not allowed"),
            std::string::npos)
      << p;
}

TEST(DataChecks, CellNotAllowedByTheScheme) {
  const std::string p = Problems(kTiny, "not_allowed");
  EXPECT_NE(p.find("sam.csv:22: region 'p', row 'lab', column 'hh': a household account cannot pay a labour account "
                   "under the account scheme (value 0.5)"),
            std::string::npos)
      << p;
}

TEST(DataChecks, ActivitySellsOnlyItsOwnGood) {
  const std::string p = Problems(kExample, "wrong_output");
  EXPECT_NE(
      p.find(
          "sam.csv:80: region 'north', row 'a_agr', column 'c_man': activity 'a_agr' of sector 'agr' can only sell to "
          "the commodity of its own sector (value 1)"),
      std::string::npos)
      << p;
}

TEST(DataChecks, UnknownNamesAndNegativeTrade) {
  const std::string p = Problems(kTiny, "unknown_trade_names");
  EXPECT_NE(p.find("trade.csv:2: unknown good 'y' (not the sector of a commodity account)"), std::string::npos) << p;
  EXPECT_NE(p.find("trade.csv:3: unknown importer region 'z' (regions are those in sam.csv)"), std::string::npos) << p;
  EXPECT_NE(p.find("trade.csv:4: good 'x' from 'q' to 'p': negative trade value (-2) is not allowed"),
            std::string::npos)
      << p;
}

TEST(DataChecks, DuplicateTrade) {
  const std::string p = Problems(kTiny, "duplicate_trade");
  EXPECT_NE(p.find("trade.csv:4: duplicate entry for good 'x' from 'p' to 'q' (first on line 2)"), std::string::npos)
      << p;
}

TEST(DataChecks, TradeDisagreesWithSam) {
  const std::string p = Problems(kTiny, "trade_mismatch");
  EXPECT_NE(p.find("sam.csv:7: region 'p', good 'x': exports in sam.csv (3) != exports in trade.csv summed over "
                   "importers (2.5)"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("sam.csv:13: region 'q', good 'x': imports in sam.csv (3) != cif imports in trade.csv "
                   "(value + margin) summed over exporters (2.5)"),
            std::string::npos)
      << p;
}

TEST(DataChecks, MarginsDisagree) {
  const std::string p = Problems(kExample, "margin_mismatch");
  EXPECT_NE(p.find("trade.csv: transport margins in trade.csv (5) != margin services supplied in sam.csv (margins "
                   "accounts summed over regions: 4)"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("region 'south', good 'man': imports in sam.csv (20) != cif imports"), std::string::npos) << p;
}

TEST(DataChecks, TariffRevenueDisagrees) {
  const std::string p = Problems(kTiny, "tariff_mismatch");
  EXPECT_NE(p.find("sam.csv:14: region 'q', good 'x': tariff revenue in sam.csv (0.3) != tariff rates in tariffs.csv "
                   "times cif imports (0.6)"),
            std::string::npos)
      << p;
}

TEST(DataChecks, TariffRateBelowMinusOne) {
  const std::string p = Problems(kTiny, "tariff_rate");
  EXPECT_NE(p.find("tariffs.csv:2: good 'x' from 'p' to 'q': tariff rate (-1.5) must be a number greater than -1"),
            std::string::npos)
      << p;
}

TEST(DataChecks, ProductionTaxRateDisagrees) {
  const std::string p = Problems(kExample, "tax_mismatch");
  EXPECT_NE(p.find("taxes.csv:3: region 'north', sector 'man': production tax rate 0.06 in taxes.csv != the rate "
                   "implied by sam.csv (tax / (output - tax) = 0.05)"),
            std::string::npos)
      << p;
}

TEST(DataChecks, AccountScheme) {
  const std::string p = Problems(kTiny, "accounts_broken");
  EXPECT_NE(p.find("accounts.csv:4: account 'lab': unknown class 'labor' (expected activity, commodity, labour"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("accounts.csv:6: activity account 'a_y': sector 'y' has no commodity account"), std::string::npos)
      << p;
  EXPECT_NE(p.find("accounts.csv: the account scheme needs exactly one household account, found 2 ('hh', 'hh2')"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("accounts.csv:12: duplicate account 'world' (first declared on line 11)"), std::string::npos) << p;
  EXPECT_NE(p.find("accounts.csv:13: commodity account 'c_z' needs a sector in column 'sector'"), std::string::npos)
      << p;
  EXPECT_NE(p.find("accounts.csv:14: sector 'x' has two commodity accounts (the other on line 3)"), std::string::npos)
      << p;
}

TEST(DataChecks, MarginSigns) {
  const std::string p = Problems(kTiny, "margin_signs");
  EXPECT_NE(p.find("trade.csv:2: good 'x' from 'p' to 'q': negative transport margin (-0.1) is not allowed"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("trade.csv:3: good 'x' from 'q' to 'p': a transport margin (0.5) on a link without trade"),
            std::string::npos)
      << p;
}

TEST(DataChecks, DuplicateTariff) {
  const std::string p = Problems(kTiny, "duplicate_tariff");
  EXPECT_NE(p.find("tariffs.csv:3: duplicate tariff for good 'x' from 'p' to 'q' (first on line 2)"), std::string::npos)
      << p;
}

TEST(DataChecks, TaxesFile) {
  const std::string p = Problems(kExample, "taxes_broken");
  EXPECT_NE(p.find("taxes.csv:3: unknown tax 'vat' (expected production)"), std::string::npos) << p;
  EXPECT_NE(p.find("taxes.csv:4: duplicate entry for tax production, region 'north', sector 'man' (first on line 2)"),
            std::string::npos)
      << p;
}

TEST(DataChecks, DuplicateAccountInMemory) {
  Dataset d;
  const Status s = d.Init({"p"}, {{"hh", AccountClass::kHousehold, ""}, {"hh", AccountClass::kWorld, ""}});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.cause(), "duplicate account 'hh'");
}

TEST(DataChecks, Elasticities) {
  const std::string p = Problems(kTiny, "elasticities_broken");
  EXPECT_NE(p.find("elasticities.csv:3: unknown parameter 'esub_xx' (expected esub_top, esub_int, esub_va, esub_dm, "
                   "esub_mm, etrn or esub_fd)"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("elasticities.csv:4: elasticity esub_va is negative (-0.5)"), std::string::npos) << p;
  EXPECT_NE(p.find("elasticities.csv:5: duplicate entry for esub_dm, region '*', sector '*' (first on line 2)"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("elasticities.csv:6: esub_fd is a regional parameter: its sector must be '*'"), std::string::npos)
      << p;
  EXPECT_NE(p.find("elasticities.csv:7: unknown region 'r' (regions are those in sam.csv)"), std::string::npos) << p;
}

TEST(DataChecks, MissingFileAndColumn) {
  Diagnostics diag;
  const Status s = CheckDataDirectory(kSam + "/missing_sam", &diag);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(diag.ToString().find("missing_sam/sam.csv: missing file sam.csv in the data directory"), std::string::npos)
      << diag.ToString();
  const std::string p = Problems(kTiny, "missing_column");
  EXPECT_NE(p.find("trade.csv:1: missing column 'importer' in the header"), std::string::npos) << p;
}

TEST(DataChecks, InMemoryProblems) {
  Dataset d;
  Diagnostics read;
  ASSERT_TRUE(ReadDataset(kTiny, &d, &read).ok());
  const int p = d.RegionIndex("p"), x = d.SectorIndex("x");
  const int c = d.sectors[x].commodity, world = d.FirstAccount(AccountClass::kWorld);
  d.sam[p](c, world) = 12;  // exports above output 10
  d.sam[p](c, d.FirstAccount(AccountClass::kHousehold)) = std::nan("");
  d.elasticities[static_cast<int>(Elasticity::kEsubVa)](p, x) = -1;
  Diagnostics diag;
  CheckDataset(d, CheckOptions(), &diag);
  const std::string text = diag.ToString();
  EXPECT_NE(text.find("region 'p', good 'x': exports (12) plus margin supply (0) exceed output (10), so domestic sales "
                      "would be negative"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("region 'p', row 'c_x', column 'hh': value is not a finite number"), std::string::npos) << text;
  EXPECT_NE(text.find("elasticity esub_va for region 'p', sector 'x' is negative or not a number (-1)"),
            std::string::npos)
      << text;
}

TEST(DataChecks, ToleranceIsRelative) {
  Dataset d;
  Diagnostics read;
  ASSERT_TRUE(ReadDataset(kTiny, &d, &read).ok());
  const int p = d.RegionIndex("p");
  const int c = d.sectors[0].commodity, hh = d.FirstAccount(AccountClass::kHousehold);
  const int inv = d.FirstAccount(AccountClass::kInvestment);
  d.sam[p](c, hh) += 5e-7;  // moves c_x by a relative 4e-8 and inv by 5e-7: within 1e-6
  d.sam[p](inv, hh) -= 5e-7;
  Diagnostics diag;
  CheckDataset(d, CheckOptions(), &diag);
  EXPECT_TRUE(diag.ok()) << diag.ToString();
  CheckOptions strict;
  strict.relative_tolerance = 1e-9;
  CheckDataset(d, strict, &diag);
  EXPECT_FALSE(diag.ok());
}

}  // namespace
}  // namespace lccge::data
