#include "lccge/data/io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>

#include "data/table.hpp"
#include "lccge/core/csv.hpp"
#include "lccge/core/file.hpp"

namespace lccge {

namespace internal {

bool LoadDataTable(const std::string& dir, const char* name, bool required, const std::vector<std::string>& columns,
                   CsvTable* table, Diagnostics* diag, const char* folder) {
  const std::string path = dir + "/" + name;
  if (!std::filesystem::exists(path)) {
    if (required) diag->Add(Status::Invalid("missing file " + std::string(name) + " in " + folder, {path, 0, 0}));
    return false;
  }
  Status s = ReadCsv(path, table);
  if (s.ok()) s = RequireColumns(*table, columns);
  if (!s.ok()) {
    diag->Add(s);
    return false;
  }
  return true;
}

}  // namespace internal

namespace data {

using internal::LoadDataTable;

namespace {

namespace fs = std::filesystem;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

bool IsWildcard(const std::string& s) { return s.empty() || s == "*"; }

const std::string& Field(const CsvTable& /*t*/, const CsvRow& row, int col) {
  return row.fields[static_cast<size_t>(col)];
}

// Key of a bilateral table entry.
using LinkKey = std::tuple<int, int, int>;

struct LinkColumns {
  int good, exporter, importer;
};

// Parses the good/exporter/importer fields of a bilateral row; adds problems for unknown names.
bool ParseLink(const Dataset& d, const CsvTable& t, const CsvRow& row, const LinkColumns& c, int* s, int* e, int* m,
               Diagnostics* diag) {
  bool ok = true;
  const std::string good = Field(t, row, c.good), exp = Field(t, row, c.exporter), imp = Field(t, row, c.importer);
  *s = d.SectorIndex(good);
  *e = d.RegionIndex(exp);
  *m = d.RegionIndex(imp);
  if (*s < 0) {
    diag->Add(
        Status::Invalid("unknown good " + Quote(good) + " (not the sector of a commodity account)", t.Where(row)));
    ok = false;
  }
  if (*e < 0) {
    diag->Add(
        Status::Invalid("unknown exporter region " + Quote(exp) + " (regions are those in sam.csv)", t.Where(row)));
    ok = false;
  }
  if (*m < 0) {
    diag->Add(
        Status::Invalid("unknown importer region " + Quote(imp) + " (regions are those in sam.csv)", t.Where(row)));
    ok = false;
  }
  return ok;
}

void ReadAccounts(const CsvTable& t, std::vector<Account>* accounts, Diagnostics* diag) {
  const int c_account = t.Column("account"), c_class = t.Column("class"), c_sector = t.Column("sector");
  std::unordered_map<std::string, int> line_of, commodity_line, activity_line;
  std::vector<std::pair<Account, SourceLocation>> read;
  for (const CsvRow& row : t.rows) {
    Account a;
    a.name = Field(t, row, c_account);
    const std::string cls = Field(t, row, c_class);
    a.sector = Field(t, row, c_sector);
    if (a.name.empty()) {
      diag->Add(Status::Invalid("empty account name", t.Where(row)));
      continue;
    }
    if (!ParseAccountClass(cls, &a.account_class)) {
      diag->Add(Status::Invalid("account " + Quote(a.name) + ": unknown class " + Quote(cls) +
                                    " (expected activity, commodity, labour, capital, resource, production_tax, "
                                    "import_tariff, household, government, investment, world or margins)",
                                t.Where(row)));
      continue;
    }
    auto [it, inserted] = line_of.emplace(a.name, row.line);
    if (!inserted) {
      diag->Add(Status::Invalid(
          "duplicate account " + Quote(a.name) + " (first declared on line " + std::to_string(it->second) + ")",
          t.Where(row)));
      continue;
    }
    const bool needs_sector = a.account_class == AccountClass::kActivity || a.account_class == AccountClass::kCommodity;
    if (!needs_sector) {
      a.sector.clear();
    } else if (a.sector.empty()) {
      diag->Add(Status::Invalid(
          std::string(ToString(a.account_class)) + " account " + Quote(a.name) + " needs a sector in column 'sector'",
          t.Where(row)));
      continue;
    } else {
      auto& seen = a.account_class == AccountClass::kCommodity ? commodity_line : activity_line;
      auto [it2, inserted2] = seen.emplace(a.sector, row.line);
      if (!inserted2) {
        diag->Add(Status::Invalid("sector " + Quote(a.sector) + " has two " + ToString(a.account_class) +
                                      " accounts (the other on line " + std::to_string(it2->second) + ")",
                                  t.Where(row)));
        continue;
      }
    }
    read.emplace_back(std::move(a), t.Where(row));
  }
  for (auto& [a, where] : read) {
    if (a.account_class == AccountClass::kActivity && commodity_line.count(a.sector) == 0) {
      diag->Add(Status::Invalid(
          "activity account " + Quote(a.name) + ": sector " + Quote(a.sector) + " has no commodity account", where));
      continue;
    }
    accounts->push_back(std::move(a));
  }
}

void ReadSam(const CsvTable& t, Dataset* d, Diagnostics* diag, bool* clean) {
  const int c_region = t.Column("region"), c_row = t.Column("row"), c_col = t.Column("column"),
            c_value = t.Column("value");
  for (const CsvRow& row : t.rows) {
    const int r = d->RegionIndex(Field(t, row, c_region));
    if (r < 0) continue;  // empty region name, reported when regions were collected
    const std::string rn = Field(t, row, c_row), cn = Field(t, row, c_col);
    const int i = d->AccountIndex(rn), j = d->AccountIndex(cn);
    bool ok = true;
    if (i < 0) {
      diag->Add(
          Status::Invalid("unknown account " + Quote(rn) + " in column 'row' (not in accounts.csv)", t.Where(row)));
      ok = false;
    }
    if (j < 0) {
      diag->Add(
          Status::Invalid("unknown account " + Quote(cn) + " in column 'column' (not in accounts.csv)", t.Where(row)));
      ok = false;
    }
    double v = 0;
    Status s = ParseNumber(t, row, c_value, &v);
    if (!s.ok()) {
      diag->Add(s);
      ok = false;
    }
    if (!ok) {
      *clean = false;
      continue;
    }
    int& line = d->origin.sam_line[static_cast<size_t>(r)](i, j);
    if (line != 0) {
      diag->Add(Status::Invalid("duplicate entry for region " + Quote(d->regions[static_cast<size_t>(r)]) + ", row " +
                                    Quote(rn) + ", column " + Quote(cn) + " (first on line " + std::to_string(line) +
                                    ")",
                                t.Where(row)));
      *clean = false;
      continue;
    }
    line = row.line;
    d->sam[static_cast<size_t>(r)](i, j) = v;
  }
}

// Records the line of a bilateral link's first entry; a second entry for the same link is reported as a duplicate.
bool FirstEntryOfLink(const Dataset& d, const CsvTable& t, const CsvRow& row, const char* what, int s, int e, int m,
                      int* first_line, Diagnostics* diag) {
  if (*first_line != 0) {
    diag->Add(Status::Invalid(
        std::string("duplicate ") + what + " for good " + Quote(d.sectors[static_cast<size_t>(s)].name) + " from " +
            Quote(d.regions[static_cast<size_t>(e)]) + " to " + Quote(d.regions[static_cast<size_t>(m)]) +
            " (first on line " + std::to_string(*first_line) + ")",
        t.Where(row)));
    return false;
  }
  *first_line = row.line;
  return true;
}

void ReadTrade(const CsvTable& t, Dataset* d, Diagnostics* diag, bool* clean) {
  const LinkColumns c{t.Column("good"), t.Column("exporter"), t.Column("importer")};
  const int c_value = t.Column("value"), c_margin = t.Column("margin");
  for (const CsvRow& row : t.rows) {
    int s, e, m;
    bool ok = ParseLink(*d, t, row, c, &s, &e, &m, diag);
    double v = 0, margin = 0;
    Status st = ParseNumber(t, row, c_value, &v);
    if (!st.ok()) {
      diag->Add(st);
      ok = false;
    }
    if (c_margin >= 0 && !Field(t, row, c_margin).empty()) {
      st = ParseNumber(t, row, c_margin, &margin);
      if (!st.ok()) {
        diag->Add(st);
        ok = false;
      }
    }
    if (!ok) {
      *clean = false;
      continue;
    }
    if (!FirstEntryOfLink(*d, t, row, "entry", s, e, m, &d->origin.trade_line[static_cast<size_t>(s)](e, m), diag)) {
      *clean = false;
      continue;
    }
    d->trade[static_cast<size_t>(s)](e, m) = v;
    d->margins[static_cast<size_t>(s)](e, m) = margin;
  }
}

void ReadTariffs(const CsvTable& t, Dataset* d, Diagnostics* diag, bool* clean) {
  const LinkColumns c{t.Column("good"), t.Column("exporter"), t.Column("importer")};
  const int c_rate = t.Column("rate");
  d->tariffs_given = true;
  for (const CsvRow& row : t.rows) {
    int s, e, m;
    bool ok = ParseLink(*d, t, row, c, &s, &e, &m, diag);
    double v = 0;
    Status st = ParseNumber(t, row, c_rate, &v);
    if (!st.ok()) {
      diag->Add(st);
      ok = false;
    }
    if (!ok) {
      *clean = false;
      continue;
    }
    if (!FirstEntryOfLink(*d, t, row, "tariff", s, e, m, &d->origin.tariff_line[static_cast<size_t>(s)](e, m), diag)) {
      *clean = false;
      continue;
    }
    d->tariffs[static_cast<size_t>(s)](e, m) = v;
  }
}

void ReadElasticities(const CsvTable& t, Dataset* d, Diagnostics* diag) {
  const int c_param = t.Column("parameter"), c_region = t.Column("region"), c_sector = t.Column("sector"),
            c_value = t.Column("value");
  struct Entry {
    Elasticity e;
    int r, s;  // -1 = every
    double v;
  };
  std::vector<Entry> entries;
  std::map<std::tuple<int, int, int>, int> seen;
  for (const CsvRow& row : t.rows) {
    const std::string pn = Field(t, row, c_param), rn = Field(t, row, c_region), sn = Field(t, row, c_sector);
    Entry en{};
    bool ok = true;
    if (!ParseElasticity(pn, &en.e)) {
      diag->Add(Status::Invalid("unknown parameter " + Quote(pn) +
                                    " (expected esub_top, esub_int, esub_va, esub_dm, esub_mm, etrn or esub_fd)",
                                t.Where(row)));
      ok = false;
    }
    en.r = IsWildcard(rn) ? -1 : d->RegionIndex(rn);
    en.s = IsWildcard(sn) ? -1 : d->SectorIndex(sn);
    if (!IsWildcard(rn) && en.r < 0) {
      diag->Add(Status::Invalid("unknown region " + Quote(rn) + " (regions are those in sam.csv)", t.Where(row)));
      ok = false;
    }
    if (!IsWildcard(sn) && en.s < 0) {
      diag->Add(Status::Invalid("unknown sector " + Quote(sn), t.Where(row)));
      ok = false;
    }
    if (ok && en.e == Elasticity::kEsubFd && en.s >= 0) {
      diag->Add(Status::Invalid("esub_fd is a regional parameter: its sector must be '*'", t.Where(row)));
      ok = false;
    }
    Status st = ParseNumber(t, row, c_value, &en.v);
    if (!st.ok()) {
      diag->Add(st);
      ok = false;
    } else if (en.v < 0) {
      diag->Add(Status::Invalid("elasticity " + pn + " is negative (" + Field(t, row, c_value) + ")", t.Where(row)));
      ok = false;
    }
    if (!ok) continue;
    auto [it, inserted] = seen.emplace(std::make_tuple(static_cast<int>(en.e), en.r, en.s), row.line);
    if (!inserted) {
      diag->Add(Status::Invalid("duplicate entry for " + pn + ", region " + Quote(IsWildcard(rn) ? "*" : rn) +
                                    ", sector " + Quote(IsWildcard(sn) ? "*" : sn) + " (first on line " +
                                    std::to_string(it->second) + ")",
                                t.Where(row)));
      continue;
    }
    entries.push_back(en);
  }
  // Most specific wins: (*,*) then (*,s) then (r,*) then (r,s).
  for (int pass = 0; pass < 4; ++pass) {
    for (const Entry& en : entries) {
      const int level = (en.r >= 0 ? 2 : 0) + (en.s >= 0 ? 1 : 0);
      if (level != pass) continue;
      Eigen::MatrixXd& m = d->elasticities[static_cast<size_t>(en.e)];
      for (int r = 0; r < d->num_regions(); ++r) {
        if (en.r >= 0 && r != en.r) continue;
        for (int s = 0; s < d->num_sectors(); ++s) {
          if (en.s >= 0 && s != en.s) continue;
          m(r, s) = en.v;
        }
      }
    }
  }
}

void ReadTaxes(const CsvTable& t, Dataset* d, Diagnostics* diag) {
  const int c_tax = t.Column("tax"), c_region = t.Column("region"), c_sector = t.Column("sector"),
            c_value = t.Column("value");
  std::map<std::pair<int, int>, int> seen;
  for (const CsvRow& row : t.rows) {
    const std::string tn = Field(t, row, c_tax), rn = Field(t, row, c_region), sn = Field(t, row, c_sector);
    TaxRate tr;
    tr.where = t.Where(row);
    bool ok = true;
    if (tn != "production") {
      diag->Add(Status::Invalid("unknown tax " + Quote(tn) + " (expected production)", t.Where(row)));
      ok = false;
    }
    tr.region = d->RegionIndex(rn);
    tr.sector = d->SectorIndex(sn);
    if (tr.region < 0) {
      diag->Add(Status::Invalid("unknown region " + Quote(rn) + " (regions are those in sam.csv)", t.Where(row)));
      ok = false;
    }
    if (tr.sector < 0) {
      diag->Add(Status::Invalid("unknown sector " + Quote(sn), t.Where(row)));
      ok = false;
    }
    Status st = ParseNumber(t, row, c_value, &tr.rate);
    if (!st.ok()) {
      diag->Add(st);
      ok = false;
    }
    if (!ok) continue;
    auto [it, inserted] = seen.emplace(std::make_pair(tr.region, tr.sector), row.line);
    if (!inserted) {
      diag->Add(Status::Invalid("duplicate entry for tax " + tn + ", region " + Quote(rn) + ", sector " + Quote(sn) +
                                    " (first on line " + std::to_string(it->second) + ")",
                                t.Where(row)));
      continue;
    }
    d->tax_rates.push_back(tr);
  }
}

// nests.csv: region,sector,nest,parent,elasticity,goods (goods separated by spaces). Checks every row and then each
// (region, sector) group as a whole: parents must exist, no cycles, no empty nest, a good in at most one nest.
void ReadNests(const CsvTable& t, Dataset* d, Diagnostics* diag) {
  const int c_region = t.Column("region"), c_sector = t.Column("sector"), c_nest = t.Column("nest"),
            c_parent = t.Column("parent"), c_elasticity = t.Column("elasticity"), c_goods = t.Column("goods");
  std::vector<InputNest> read;
  std::map<std::tuple<int, int, std::string>, int> line_of;  // (region, sector, nest) -> line
  for (const CsvRow& row : t.rows) {
    const std::string rn = Field(t, row, c_region), sn = Field(t, row, c_sector);
    InputNest n;
    n.where = t.Where(row);
    n.name = Field(t, row, c_nest);
    n.parent = Field(t, row, c_parent);
    bool ok = true;
    n.region = IsWildcard(rn) ? -1 : d->RegionIndex(rn);
    if (!IsWildcard(rn) && n.region < 0) {
      diag->Add(Status::Invalid("unknown region " + Quote(rn) + " (regions are those in sam.csv)", n.where));
      ok = false;
    }
    n.sector = d->SectorIndex(sn);
    if (n.sector < 0) {
      diag->Add(Status::Invalid("unknown sector " + Quote(sn) + " (nests belong to one using sector)", n.where));
      ok = false;
    } else if (d->sectors[static_cast<size_t>(n.sector)].activity < 0) {
      diag->Add(Status::Invalid("sector " + Quote(sn) + " has no activity account: it uses no inputs", n.where));
      ok = false;
    }
    if (n.name.empty() || n.name == "int" || n.name == "va" || n.name == "top") {
      diag->Add(Status::Invalid(n.name.empty() ? std::string("empty nest name")
                                               : "nest name " + Quote(n.name) +
                                                     " is reserved (int, va and top are "
                                                     "the builder's own nests)",
                                n.where));
      ok = false;
    }
    if (n.parent.empty()) {
      diag->Add(Status::Invalid("empty parent of nest " + Quote(n.name) + " (int or another nest)", n.where));
      ok = false;
    }
    Status st = ParseNumber(t, row, c_elasticity, &n.elasticity);
    if (!st.ok()) {
      diag->Add(st);
      ok = false;
    } else if (n.elasticity < 0) {
      diag->Add(Status::Invalid(
          "elasticity of nest " + Quote(n.name) + " is negative (" + Field(t, row, c_elasticity) + ")", n.where));
      ok = false;
    }
    std::string goods = Field(t, row, c_goods);
    for (char& ch : goods)
      if (ch == ';' || ch == '\t') ch = ' ';
    size_t pos = 0;
    while (pos < goods.size()) {
      const size_t end = std::min(goods.find(' ', pos), goods.size());
      const std::string g = goods.substr(pos, end - pos);
      pos = end + 1;
      if (g.empty()) continue;
      const int gi = d->SectorIndex(g);
      if (gi < 0) {
        diag->Add(Status::Invalid("unknown good " + Quote(g) + " in nest " + Quote(n.name), n.where));
        ok = false;
      } else if (std::find(n.goods.begin(), n.goods.end(), gi) != n.goods.end()) {
        diag->Add(Status::Invalid("good " + Quote(g) + " listed twice in nest " + Quote(n.name), n.where));
        ok = false;
      } else {
        n.goods.push_back(gi);
      }
    }
    if (!ok) continue;
    auto [it, inserted] = line_of.emplace(std::make_tuple(n.region, n.sector, n.name), row.line);
    if (!inserted) {
      diag->Add(Status::Invalid("duplicate nest " + Quote(n.name) + " for region " + Quote(IsWildcard(rn) ? "*" : rn) +
                                    ", sector " + Quote(sn) + " (first on line " + std::to_string(it->second) + ")",
                                n.where));
      continue;
    }
    read.push_back(std::move(n));
  }
  // Each (region, sector) group: parents known, no cycle, no empty nest, each good in one nest.
  std::map<std::pair<int, int>, std::vector<size_t>> groups;
  for (size_t i = 0; i < read.size(); ++i) groups[{read[i].region, read[i].sector}].push_back(i);
  std::vector<bool> keep(read.size(), true);
  for (const auto& [key, members] : groups) {
    std::map<std::string, size_t> by_name;
    for (size_t i : members) by_name[read[i].name] = i;
    std::map<int, std::string> nest_of_good;
    for (size_t i : members) {
      const InputNest& n = read[i];
      if (n.parent != "int" && by_name.count(n.parent) == 0) {
        diag->Add(Status::Invalid("parent " + Quote(n.parent) + " of nest " + Quote(n.name) +
                                      " is neither int nor a nest of the same region and sector",
                                  n.where));
        keep[i] = false;
      }
      for (int g : n.goods) {
        auto [it, inserted] = nest_of_good.emplace(g, n.name);
        if (!inserted) {
          diag->Add(Status::Invalid("good " + Quote(d->sectors[static_cast<size_t>(g)].name) + " is in nests " +
                                        Quote(it->second) + " and " + Quote(n.name) + " (a good sits in one nest)",
                                    n.where));
          keep[i] = false;
        }
      }
      bool has_child = false;
      for (size_t j : members) has_child = has_child || read[j].parent == n.name;
      if (n.goods.empty() && !has_child) {
        diag->Add(Status::Invalid("nest " + Quote(n.name) + " has no goods and no sub-nests", n.where));
        keep[i] = false;
      }
      // Follow the parents up to int; more steps than nests means a cycle.
      std::string p = n.parent;
      for (size_t steps = 0; p != "int" && by_name.count(p) != 0; ++steps) {
        if (steps > members.size()) {
          diag->Add(Status::Invalid("nest " + Quote(n.name) + " is its own ancestor (a cycle of parents)", n.where));
          keep[i] = false;
          break;
        }
        p = read[by_name[p]].parent;
      }
    }
  }
  for (size_t i = 0; i < read.size(); ++i)
    if (keep[i]) d->input_nests.push_back(std::move(read[i]));
}

void AppendNumber(std::string* out, double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, res.ptr);
}

// A field as the CSV reader reads it back: quoted when it holds a separator, a quote or a line break, starts or ends
// with what the reader trims from unquoted fields (space, tab, CR, LF), or starts with '#' (which would make the
// line a comment).
void AppendField(std::string* out, const std::string& s) {
  auto trimmed = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  if (s.find_first_of(",\"\n") == std::string::npos &&
      (s.empty() || (!trimmed(s.front()) && !trimmed(s.back()) && s.front() != '#'))) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char ch : s) {
    if (ch == '"') out->push_back('"');
    out->push_back(ch);
  }
  out->push_back('"');
}

}  // namespace

Status ReadDataset(const std::string& dir, Dataset* d, Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics* diag = diagnostics != nullptr ? diagnostics : &local;
  const size_t before = diag->problems().size();
  *d = Dataset();
  if (!fs::is_directory(dir)) {
    Status s = Status::IoError("not a directory", {dir, 0, 0});
    diag->Add(s);
    return s;
  }
  CsvTable accounts_table, sam_table;
  const bool have_accounts =
      LoadDataTable(dir, "accounts.csv", true, {"account", "class", "sector"}, &accounts_table, diag);
  const bool have_sam = LoadDataTable(dir, "sam.csv", true, {"region", "row", "column", "value"}, &sam_table, diag);
  // Without the scheme or the regions every other file would only report consequential unknown names.
  if (!have_accounts || !have_sam) return diag->problems()[before];
  std::vector<Account> accounts;
  ReadAccounts(accounts_table, &accounts, diag);
  std::vector<std::string> regions;
  bool regions_clean = true;
  {
    std::unordered_map<std::string, int> seen;
    const int c_region = sam_table.Column("region");
    for (const CsvRow& row : sam_table.rows) {
      const std::string& rn = row.fields[static_cast<size_t>(c_region)];
      if (rn.empty()) {
        diag->Add(Status::Invalid("empty region name", sam_table.Where(row)));
        regions_clean = false;
        continue;
      }
      if (seen.emplace(rn, 1).second) regions.push_back(rn);
    }
  }
  Status init = d->Init(regions, accounts);
  if (!init.ok()) {  // cannot happen after ReadAccounts' checks, but never leave the dataset half-built
    diag->Add(Status::Invalid(init.cause(), {dir + "/accounts.csv", 0, 0}));
    return diag->problems()[before];
  }
  d->origin.dir = dir;
  const int nr = d->num_regions(), na = d->num_accounts(), ns = d->num_sectors();
  d->origin.sam_line.assign(static_cast<size_t>(nr), Eigen::MatrixXi::Zero(na, na));
  d->origin.trade_line.assign(static_cast<size_t>(ns), Eigen::MatrixXi::Zero(nr, nr));
  d->origin.tariff_line.assign(static_cast<size_t>(ns), Eigen::MatrixXi::Zero(nr, nr));
  bool& sam_clean = d->origin.sam_complete;
  bool& trade_clean = d->origin.trade_complete;
  bool& tariffs_clean = d->origin.tariffs_complete;
  ReadSam(sam_table, d, diag, &sam_clean);
  if (!regions_clean) sam_clean = false;
  CsvTable t;
  if (LoadDataTable(dir, "trade.csv", false, {"good", "exporter", "importer", "value"}, &t, diag)) {
    ReadTrade(t, d, diag, &trade_clean);
  } else if (fs::exists(dir + "/trade.csv")) {
    trade_clean = false;
  }
  if (LoadDataTable(dir, "tariffs.csv", false, {"good", "exporter", "importer", "rate"}, &t, diag)) {
    ReadTariffs(t, d, diag, &tariffs_clean);
  } else if (fs::exists(dir + "/tariffs.csv")) {
    tariffs_clean = false;
    d->tariffs_given = true;  // do not derive rates from a file that is present but broken
  }
  if (LoadDataTable(dir, "elasticities.csv", false, {"parameter", "region", "sector", "value"}, &t, diag))
    ReadElasticities(t, d, diag);
  if (LoadDataTable(dir, "taxes.csv", false, {"tax", "region", "sector", "value"}, &t, diag)) ReadTaxes(t, d, diag);
  if (LoadDataTable(dir, "nests.csv", false, {"region", "sector", "nest", "parent", "elasticity", "goods"}, &t, diag))
    ReadNests(t, d, diag);
  if (!d->tariffs_given) {
    // A uniform rate over sources: the importer's tariff revenue over its cif imports of the good.
    for (int r = 0; r < nr; ++r)
      for (int s = 0; s < ns; ++s) {
        const double imports = d->Imports(r, s), revenue = d->TariffRevenue(r, s);
        if (imports > 0 && revenue != 0) d->tariffs[static_cast<size_t>(s)].col(r).setConstant(revenue / imports);
      }
  }
  return diag->problems().size() > before ? diag->problems()[before] : Status::Ok();
}

Status WriteDataset(const Dataset& d, const std::string& dir) {
  const int nr = d.num_regions(), na = d.num_accounts(), ns = d.num_sectors();
  if (static_cast<int>(d.sam.size()) != nr || static_cast<int>(d.trade.size()) != ns)
    return Status::Invalid("dataset tables do not match its regions and accounts (call Init first)");
  std::string out;
  out = "account,class,sector\n";
  for (const Account& a : d.accounts) {
    AppendField(&out, a.name);
    out += ',';
    out += ToString(a.account_class);
    out += ',';
    AppendField(&out, a.sector);
    out += '\n';
  }
  Status s = WriteFileAtomically(dir + "/accounts.csv", out);
  if (!s.ok()) return s;

  out = "region,row,column,value\n";
  for (int r = 0; r < nr; ++r) {
    const Eigen::MatrixXd& m = d.sam[static_cast<size_t>(r)];
    // sam.csv is where the regions are declared: a region whose SAM is all zero keeps one (zero) cell.
    const bool empty = na > 0 && (m.array() == 0.0).all();
    for (int j = 0; j < na; ++j)
      for (int i = 0; i < na; ++i) {
        if (m(i, j) == 0.0 && !(empty && i == 0 && j == 0)) continue;
        AppendField(&out, d.regions[static_cast<size_t>(r)]);
        out += ',';
        AppendField(&out, d.accounts[static_cast<size_t>(i)].name);
        out += ',';
        AppendField(&out, d.accounts[static_cast<size_t>(j)].name);
        out += ',';
        AppendNumber(&out, m(i, j));
        out += '\n';
      }
  }
  s = WriteFileAtomically(dir + "/sam.csv", out);
  if (!s.ok()) return s;

  auto bilateral = [&](const char* header, bool tariffs) {
    std::string text = header;
    for (int g = 0; g < ns; ++g)
      for (int e = 0; e < nr; ++e)
        for (int m = 0; m < nr; ++m) {
          const double v = tariffs ? d.tariffs[static_cast<size_t>(g)](e, m) : d.trade[static_cast<size_t>(g)](e, m);
          const double mg = tariffs ? 0.0 : d.margins[static_cast<size_t>(g)](e, m);
          if (v == 0.0 && mg == 0.0) continue;
          AppendField(&text, d.sectors[static_cast<size_t>(g)].name);
          text += ',';
          AppendField(&text, d.regions[static_cast<size_t>(e)]);
          text += ',';
          AppendField(&text, d.regions[static_cast<size_t>(m)]);
          text += ',';
          AppendNumber(&text, v);
          if (!tariffs) {
            text += ',';
            AppendNumber(&text, mg);
          }
          text += '\n';
        }
    return text;
  };
  s = WriteFileAtomically(dir + "/trade.csv", bilateral("good,exporter,importer,value,margin\n", false));
  if (!s.ok()) return s;
  s = WriteFileAtomically(dir + "/tariffs.csv", bilateral("good,exporter,importer,rate\n", true));
  if (!s.ok()) return s;

  out = "parameter,region,sector,value\n";
  for (int e = 0; e < kElasticityCount; ++e) {
    const Eigen::MatrixXd& m = d.elasticities[static_cast<size_t>(e)];
    if (m.size() == 0) continue;
    const char* name = ToString(static_cast<Elasticity>(e));
    auto line = [&](const std::string& region, const std::string& sector, double v) {
      if (std::isinf(v)) return;  // etrn: absent means no CET nest
      out += name;
      out += ',';
      AppendField(&out, region);
      out += ',';
      AppendField(&out, sector);
      out += ',';
      AppendNumber(&out, v);
      out += '\n';
    };
    if ((m.array() == m(0, 0)).all()) {
      line("*", "*", m(0, 0));
      continue;
    }
    bool by_sector = true;  // every region has the same value for each sector
    for (int g = 0; g < ns && by_sector; ++g) by_sector = (m.col(g).array() == m(0, g)).all();
    if (by_sector) {
      for (int g = 0; g < ns; ++g) line("*", d.sectors[static_cast<size_t>(g)].name, m(0, g));
      continue;
    }
    for (int r = 0; r < nr; ++r) {
      if ((m.row(r).array() == m(r, 0)).all()) {
        line(d.regions[static_cast<size_t>(r)], "*", m(r, 0));
        continue;
      }
      for (int g = 0; g < ns; ++g)
        line(d.regions[static_cast<size_t>(r)], d.sectors[static_cast<size_t>(g)].name, m(r, g));
    }
  }
  s = WriteFileAtomically(dir + "/elasticities.csv", out);
  if (!s.ok()) return s;

  out = "tax,region,sector,value\n";
  for (const TaxRate& t : d.tax_rates) {
    out += "production,";
    AppendField(&out, d.regions[static_cast<size_t>(t.region)]);
    out += ',';
    AppendField(&out, d.sectors[static_cast<size_t>(t.sector)].name);
    out += ',';
    AppendNumber(&out, t.rate);
    out += '\n';
  }
  s = WriteFileAtomically(dir + "/taxes.csv", out);
  if (!s.ok()) return s;
  if (d.input_nests.empty()) {  // no stale nests.csv from an earlier dataset in the same folder
    std::error_code ec;
    fs::remove(dir + "/nests.csv", ec);
    return Status::Ok();
  }

  out = "region,sector,nest,parent,elasticity,goods\n";
  for (const InputNest& n : d.input_nests) {
    AppendField(&out, n.region < 0 ? std::string("*") : d.regions[static_cast<size_t>(n.region)]);
    out += ',';
    AppendField(&out, d.sectors[static_cast<size_t>(n.sector)].name);
    out += ',';
    AppendField(&out, n.name);
    out += ',';
    AppendField(&out, n.parent);
    out += ',';
    AppendNumber(&out, n.elasticity);
    out += ',';
    std::string goods;
    for (int g : n.goods) goods += (goods.empty() ? "" : " ") + d.sectors[static_cast<size_t>(g)].name;
    AppendField(&out, goods);
    out += '\n';
  }
  return WriteFileAtomically(dir + "/nests.csv", out);
}

}  // namespace data

}  // namespace lccge
