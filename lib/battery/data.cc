#include "lccge/battery/data.hpp"

#include <cstdlib>
#include <filesystem>
#include <set>

#include "data/table.hpp"
#include "lccge/core/csv.hpp"
#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"

#ifndef LCCGE_INSTALL_DATADIR
#define LCCGE_INSTALL_DATADIR ""
#endif
#ifndef LCCGE_SOURCE_DATADIR
#define LCCGE_SOURCE_DATADIR ""
#endif

namespace lccge::battery {

namespace {

namespace fs = std::filesystem;

std::string Q(const std::string& s) { return "'" + s + "'"; }

// A table of the battery folder (its optional ones with `required` false).
bool LoadTable(const std::string& dir, const char* name, const std::vector<std::string>& columns, CsvTable* table,
               Diagnostics* diag, bool required = true) {
  return internal::LoadDataTable(dir, name, required, columns, table, diag, "the battery data folder");
}

const std::string& Field(const CsvTable& t, const CsvRow& row, const char* column) {
  return row.fields[static_cast<size_t>(t.Column(column))];
}

// Records the first row of `key`; a later one is "duplicate <what> (first on line N)" at its own row. Whether `row`
// is the first.
template <typename Key>
bool FirstRowOf(std::map<Key, int>* line_of, const Key& key, const std::string& what, const CsvTable& t,
                const CsvRow& row, Diagnostics* diag) {
  auto [it, inserted] = line_of->emplace(key, row.line);
  if (!inserted)
    diag->Add(
        Status::Invalid("duplicate " + what + " (first on line " + std::to_string(it->second) + ")", t.Where(row)));
  return inserted;
}

void ReadRegions(const CsvTable& t, BatteryData* d, Diagnostics* diag) {
  std::map<std::string, int> line_of;
  std::vector<RegionInfo> by_index(d->dataset.regions.size());
  for (const CsvRow& row : t.rows) {
    RegionInfo info{Field(t, row, "region"), Field(t, row, "name")};
    if (d->dataset.RegionIndex(info.code) < 0) {
      diag->Add(Status::Invalid("unknown region " + Q(info.code) + " (regions are those in sam.csv)", t.Where(row)));
      continue;
    }
    if (info.name.empty()) {
      diag->Add(Status::Invalid("empty name of region " + Q(info.code), t.Where(row)));
      continue;
    }
    if (!FirstRowOf(&line_of, info.code, "region " + Q(info.code), t, row, diag)) continue;
    by_index[static_cast<size_t>(d->dataset.RegionIndex(info.code))] = std::move(info);
  }
  for (size_t r = 0; r < by_index.size(); ++r) {
    if (by_index[r].code.empty()) {
      diag->Add(Status::Invalid("region " + Q(d->dataset.regions[r]) + " of sam.csv has no row (and no name)",
                                {t.file, 0, 0}));
      by_index[r] = {d->dataset.regions[r], d->dataset.regions[r]};
    }
  }
  d->regions = std::move(by_index);
}

void ReadSectors(const CsvTable& t, BatteryData* d, Diagnostics* diag) {
  std::map<std::string, int> line_of;
  std::vector<SectorInfo> by_index(d->dataset.sectors.size());
  for (const CsvRow& row : t.rows) {
    SectorInfo info{Field(t, row, "sector"), Field(t, row, "stage"), Field(t, row, "unit"),
                    Field(t, row, "description")};
    const int s = d->dataset.SectorIndex(info.name);
    if (s < 0) {
      diag->Add(Status::Invalid(
          "stage label for unknown sector " + Q(info.name) + " (not the sector of an account in accounts.csv)",
          t.Where(row)));
      continue;
    }
    if (!info.stage.empty() && StageIndex(info.stage) < 0) {
      diag->Add(Status::Invalid("unknown stage " + Q(info.stage) + " of sector " + Q(info.name) +
                                    " (expected Mining, Refining, Cathode, Cell, Recycling, or empty for a sector "
                                    "outside the chain)",
                                t.Where(row)));
      continue;
    }
    if (!FirstRowOf(&line_of, info.name, "sector " + Q(info.name), t, row, diag)) continue;
    if (!info.stage.empty()) {
      d->stages.by_sector[info.name] = info.stage;
      d->stages.where[info.name] = t.Where(row);
    }
    by_index[static_cast<size_t>(s)] = std::move(info);
  }
  for (size_t s = 0; s < by_index.size(); ++s) {
    if (by_index[s].name.empty()) {
      diag->Add(Status::Invalid(
          "sector " + Q(d->dataset.sectors[s].name) + " of accounts.csv has no row in sectors.csv", {t.file, 0, 0}));
      by_index[s].name = d->dataset.sectors[s].name;
    }
  }
  d->sectors = std::move(by_index);
}

void ReadPhysical(const CsvTable& t, BatteryData* d, Diagnostics* diag) {
  std::map<std::pair<std::string, std::string>, int> line_of;
  for (const CsvRow& row : t.rows) {
    const std::string& region = Field(t, row, "region");
    const std::string& sector = Field(t, row, "sector");
    bool ok = true;
    if (d->dataset.RegionIndex(region) < 0) {
      diag->Add(Status::Invalid("unknown region " + Q(region) + " (regions are those in sam.csv)", t.Where(row)));
      ok = false;
    }
    if (d->dataset.SectorIndex(sector) < 0) {
      diag->Add(Status::Invalid("unknown sector " + Q(sector), t.Where(row)));
      ok = false;
    }
    double value = 0;
    Status s = ParseNumber(t, row, t.Column("value"), &value);
    if (!s.ok()) {
      diag->Add(s);
      ok = false;
    } else if (value <= 0) {
      diag->Add(Status::Invalid(
          "physical output of " + Q(sector) + " in " + Q(region) + " must be positive (" + Field(t, row, "value") + ")",
          t.Where(row)));
      ok = false;
    }
    const std::string& unit = Field(t, row, "unit");
    if (ok && unit.empty()) {
      diag->Add(
          Status::Invalid("missing unit of the physical output of " + Q(sector) + " in " + Q(region), t.Where(row)));
      ok = false;
    }
    if (!ok) continue;
    if (!FirstRowOf(&line_of, std::make_pair(region, sector), "physical output of " + Q(sector) + " in " + Q(region), t,
                    row, diag))
      continue;
    d->physical[{region, sector}] = {value, unit};
  }
}

void ReadRecycling(const CsvTable& t, BatteryData* d, Diagnostics* diag) {
  std::map<std::string, int> line_of;
  for (const CsvRow& row : t.rows) {
    RecyclingInfo info;
    info.region = Field(t, row, "region");
    info.where = t.Where(row);
    bool ok = true;
    if (d->dataset.RegionIndex(info.region) < 0) {
      diag->Add(Status::Invalid("unknown region " + Q(info.region) + " (regions are those in sam.csv)", info.where));
      ok = false;
    }
    struct Column {
      const char* name;
      double* value;
    };
    for (const Column& c :
         {Column{"collection_rate", &info.collection_rate}, Column{"eol_contained_t", &info.eol_contained},
          Column{"other_feed_t", &info.other_feed}, Column{"recovery_rate", &info.recovery_rate}}) {
      Status s = ParseNumber(t, row, t.Column(c.name), c.value);
      if (!s.ok()) {
        diag->Add(s);
        ok = false;
      }
    }
    if (!ok) continue;
    if (info.collection_rate < 0 || info.collection_rate > 1) {
      diag->Add(Status::Invalid("collection rate of region " + Q(info.region) + " is " +
                                    Field(t, row, "collection_rate") +
                                    ", outside 0..1 (a share of end-of-life batteries)",
                                info.where));
      ok = false;
    }
    if (info.recovery_rate <= 0 || info.recovery_rate > 1) {
      diag->Add(Status::Invalid("recovery rate of region " + Q(info.region) + " is " + Field(t, row, "recovery_rate") +
                                    ", outside (0, 1] (a share of the contained metal)",
                                info.where));
      ok = false;
    }
    if (info.eol_contained < 0 || info.other_feed < 0) {
      diag->Add(
          Status::Invalid("negative tonnes of end-of-life or other feed in region " + Q(info.region), info.where));
      ok = false;
    }
    if (!ok) continue;
    if (!FirstRowOf(&line_of, info.region, "region " + Q(info.region), t, row, diag)) continue;
    d->recycling.push_back(info);
  }
}

void ReadChemistries(const CsvTable& t, BatteryData* d, Diagnostics* diag) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const CsvRow& row : t.rows) {
    const std::string& chemistry = Field(t, row, "chemistry");
    const std::string& good = Field(t, row, "good");
    const SectorInfo* info = d->FindSector(good);
    double value = 0;
    Status s = ParseNumber(t, row, t.Column("value"), &value);
    if (!s.ok()) {
      diag->Add(s);
      continue;
    }
    if (chemistry.empty() || info == nullptr || info->stage.empty()) {
      diag->Add(Status::Invalid(chemistry.empty() ? std::string("empty chemistry")
                                                  : "unknown chain good " + Q(good) + " in chemistry " + Q(chemistry),
                                t.Where(row)));
      continue;
    }
    if (value < 0 || Field(t, row, "unit") != "t/GWh") {
      diag->Add(Status::Invalid(
          "amount of " + Q(good) + " in chemistry " + Q(chemistry) + " must be a non-negative number in t/GWh",
          t.Where(row)));
      continue;
    }
    if (!seen.insert({chemistry, good}).second) {
      diag->Add(Status::Invalid("duplicate " + Q(good) + " in chemistry " + Q(chemistry), t.Where(row)));
      continue;
    }
    BillOfMaterials& b = d->chemistries[chemistry];
    b.name = chemistry;
    if (info->stage == "Cathode" && info->unit.find("contained") != std::string::npos) {
      b.chemicals[good] = value;
    } else if (info->stage == "Cathode") {
      b.cathode_sector = good;
      b.cathode_t_per_gwh = value;
    } else {
      b.cell_inputs[good] = value;
    }
  }
  const std::vector<std::string> cells = d->SectorsOfStage("Cell");
  for (auto& [name, b] : d->chemistries)
    if (!cells.empty()) b.cell_sector = cells.front();
}

void ReadParameters(const CsvTable& t, BatteryData* d, Diagnostics* diag) {
  std::map<std::string, int> line_of;
  for (const CsvRow& row : t.rows) {
    const std::string& name = Field(t, row, "parameter");
    double v = 0;
    Status s = ParseNumber(t, row, t.Column("value"), &v);
    if (!s.ok()) {
      diag->Add(s);
      continue;
    }
    if (!FirstRowOf(&line_of, name, "parameter " + Q(name), t, row, diag)) continue;
    d->parameters[name] = v;
  }
}

void ReadPaper(const CsvTable& t, BatteryData* d, Diagnostics* diag) {
  for (const CsvRow& row : t.rows) {
    ReferenceFigure f;
    f.scenario = Field(t, row, "scenario");
    f.region = Field(t, row, "region");
    f.source = t.Column("source") >= 0 ? Field(t, row, "source") : std::string();
    double year = 0;
    Status s = ParseNumber(t, row, t.Column("year"), &year);
    if (s.ok()) s = ParseNumber(t, row, t.Column("value"), &f.value);
    if (!s.ok()) {
      diag->Add(s);
      continue;
    }
    f.year = static_cast<int>(year);
    d->paper.push_back(f);
  }
}

// captive_power.csv, after emission_factors.csv: each row a part of the process + fuel factor of a chain activity
// the region has, in the factor's unit.
void ReadCaptivePower(const CsvTable& t, BatteryData* d, Diagnostics* diag) {
  std::map<std::pair<std::string, std::string>, int> line_of;
  for (const CsvRow& row : t.rows) {
    const std::string& region = Field(t, row, "region");
    const std::string& sector = Field(t, row, "sector");
    const int r = d->dataset.RegionIndex(region), s = d->dataset.SectorIndex(sector);
    if (r < 0) {
      diag->Add(Status::Invalid("unknown region " + Q(region) + " (regions are those in sam.csv)", t.Where(row)));
      continue;
    }
    if (s < 0 || d->sectors[static_cast<size_t>(s)].stage.empty()) {
      diag->Add(Status::Invalid(Q(sector) + " is not a sector of the chain (sectors.csv)", t.Where(row)));
      continue;
    }
    if (d->dataset.Output(r, s) <= 0) {
      diag->Add(Status::Invalid(Q(region) + " has no activity of " + Q(sector), t.Where(row)));
      continue;
    }
    double value = 0;
    Status st = ParseNumber(t, row, t.Column("value"), &value);
    if (!st.ok()) {
      diag->Add(st);
      continue;
    }
    lca::FactorValue f;
    st = d->factors.Evaluate(region, sector, 0, d->grid, &f);
    if (!st.ok()) continue;  // reported by the coverage checks
    const std::string unit = "kg CO2e/" + f.activity_unit;
    if (Field(t, row, "unit") != unit) {
      diag->Add(Status::Invalid("unit " + Q(Field(t, row, "unit")) + " of the captive power of " + Q(sector) + " in " +
                                    Q(region) + " must be the factor's " + Q(unit),
                                t.Where(row)));
      continue;
    }
    if (!(value >= 0) || value > f.process + f.fuel) {
      diag->Add(Status::Invalid("captive power of " + Q(sector) + " in " + Q(region) + " (" + Field(t, row, "value") +
                                    ") must be between 0 and its process + fuel factor (" +
                                    std::to_string(f.process + f.fuel) + ")",
                                t.Where(row)));
      continue;
    }
    if (!FirstRowOf(&line_of, std::make_pair(region, sector), "captive power of " + Q(sector) + " in " + Q(region), t,
                    row, diag))
      continue;
    d->captive_power[{region, sector}] = value;
  }
}

// The captive_power path (paths.csv) multiplies emissions: an index >= 0 wherever it is given.
void CheckCaptivePowerPaths(const BatteryData& d, Diagnostics* diag) {
  if (!d.paths.Has("captive_power")) return;
  std::vector<std::string> regions = d.dataset.regions;
  regions.push_back("*");
  std::set<const dynamics::Path*> seen;
  for (const std::string& region : regions) {
    const dynamics::Path* p = d.paths.Find("captive_power", region);
    if (p == nullptr || !seen.insert(p).second) continue;
    for (size_t i = 0; i < p->points().size(); ++i)
      if (!(p->points()[i].second >= 0))
        diag->Add(Status::Invalid(
            "captive_power of " + Q(region) + " in " + std::to_string(p->points()[i].first) + " must be an index >= 0",
            i < p->locations().size() ? p->locations()[i] : SourceLocation{d.dir + "/paths.csv", 0, 0}));
  }
}

// Cross-file checks: physical output, factors and recycling data for every activity that needs them; the scrap
// account. Run after every file was read.
void CheckCoverage(BatteryData* d, Diagnostics* diag) {
  const data::Dataset& ds = d->dataset;
  const std::string physical_file = d->dir + "/physical.csv", factor_file = d->dir + "/emission_factors.csv",
                    recycling_file = d->dir + "/recycling.csv";
  std::set<std::string> scrap_accounts;
  for (int r = 0; r < ds.num_regions(); ++r) {
    const std::string& region = ds.regions[static_cast<size_t>(r)];
    if (!d->grid.HasRegion(region))
      diag->Add(Status::Invalid("no grid intensity for region " + Q(region), {d->dir + "/grid_intensity.csv", 0, 0}));
    for (int s = 0; s < ds.num_sectors(); ++s) {
      const data::Sector& sec = ds.sectors[static_cast<size_t>(s)];
      if (sec.activity < 0 || ds.Output(r, s) <= 0) continue;
      const SectorInfo& info = d->sectors[static_cast<size_t>(s)];
      lca::FactorValue f;
      Status st = d->factors.Evaluate(region, sec.name, 0, d->grid, &f);
      if (!st.ok()) {
        diag->Add(Status::Invalid(st.cause() + " (activity of " + Q(sec.name) + " in " + Q(region) + ")",
                                  {factor_file, 0, 0}));
        continue;
      }
      if (info.stage.empty()) continue;
      auto it = d->physical.find({region, sec.name});
      if (it == d->physical.end()) {
        diag->Add(Status::Invalid("no physical output for the activity of " + Q(sec.name) + " in " + Q(region) +
                                      " (a chain sector needs one for its emission factor)",
                                  {physical_file, 0, 0}));
      } else if (f.activity_unit != it->second.second) {
        diag->Add(Status::Invalid("the emission factor of " + Q(sec.name) + " in " + Q(region) + " is per " +
                                      Q(f.activity_unit) + " but its physical output is in " + Q(it->second.second),
                                  f.where));
      }
      if (info.stage == "Recycling") {
        for (int k : ds.AccountsOf(data::AccountClass::kResource))
          if (ds.sam[static_cast<size_t>(r)](k, sec.activity) > 0)
            scrap_accounts.insert(ds.accounts[static_cast<size_t>(k)].name);
        if (d->FindRecycling(region) == nullptr)
          diag->Add(Status::Invalid("region " + Q(region) + " recycles but has no row", {recycling_file, 0, 0}));
      }
    }
  }
  if (scrap_accounts.size() > 1) {
    std::string names;
    for (const std::string& n : scrap_accounts) names += (names.empty() ? "" : ", ") + Q(n);
    diag->Add(Status::Invalid("the Recycling-stage sectors pay more than one resource account (" + names +
                                  "): the scrap endowment must be one account",
                              {d->dir + "/sam.csv", 0, 0}));
  } else if (scrap_accounts.size() == 1) {
    d->scrap_account = *scrap_accounts.begin();
  }
}

}  // namespace

int StageIndex(const std::string& stage) {
  for (size_t i = 0; i < kStages.size(); ++i)
    if (stage == kStages[i]) return static_cast<int>(i);
  return -1;
}

const std::string& BatteryData::RegionName(const std::string& code) const {
  static const std::string kNone;
  for (const RegionInfo& r : regions)
    if (r.code == code) return r.name;
  return kNone;
}

Status BatteryData::Parameter(const std::string& name, double* value) const {
  auto it = parameters.find(name);
  if (it == parameters.end())
    return Status::Invalid("missing parameter " + Q(name) + " in parameters.csv", {dir + "/parameters.csv", 0, 0});
  *value = it->second;
  return Status::Ok();
}

const SectorInfo* BatteryData::FindSector(const std::string& name) const {
  for (const SectorInfo& s : sectors)
    if (s.name == name) return &s;
  return nullptr;
}

const RecyclingInfo* BatteryData::FindRecycling(const std::string& region) const {
  for (const RecyclingInfo& r : recycling)
    if (r.region == region) return &r;
  return nullptr;
}

std::vector<std::string> BatteryData::ChainSectors() const {
  std::vector<std::string> out;
  for (const SectorInfo& s : sectors)
    if (!s.stage.empty()) out.push_back(s.name);
  return out;
}

std::vector<std::string> BatteryData::SectorsOfStage(const std::string& stage) const {
  std::vector<std::string> out;
  for (const SectorInfo& s : sectors)
    if (s.stage == stage) out.push_back(s.name);
  return out;
}

bool IsBatteryDataDirectory(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir + "/sectors.csv", ec) && fs::is_regular_file(dir + "/regions.csv", ec) &&
         fs::is_regular_file(dir + "/sam.csv", ec);
}

std::string DefaultDataDirectory() {
  std::error_code ec;
  auto usable = [&](const fs::path& p) { return IsBatteryDataDirectory(p.string()); };
  if (const char* env = std::getenv("LCCGE_DATA_DIR"); env != nullptr && *env != '\0') {
    const fs::path p = fs::path(env) / "battery";
    return usable(p) ? p.string() : std::string();
  }
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& p : {exe.parent_path().parent_path() / "share" / "lccge" / "battery",
                              exe.parent_path() / "share" / "lccge" / "battery"})
      if (usable(p)) return fs::weakly_canonical(p, ec).string();
  }
  for (const char* dir : {LCCGE_INSTALL_DATADIR, LCCGE_SOURCE_DATADIR}) {
    if (*dir == '\0') continue;
    const fs::path p = fs::path(dir) / "battery";
    if (usable(p)) return p.string();
  }
  return {};
}

Status LoadBatteryData(const std::string& dir, BatteryData* out, Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics* diag = diagnostics != nullptr ? diagnostics : &local;
  const size_t before = diag->problems().size();
  auto first = [&]() { return diag->problems().size() > before ? diag->problems()[before] : Status::Ok(); };
  BatteryData d;
  d.dir = dir;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diag->Add(Status::IoError("not a directory (a battery data folder is expected)", {dir, 0, 0}));
    return first();
  }
  data::ReadDataset(dir, &d.dataset, diag);
  if (d.dataset.num_accounts() == 0 || d.dataset.num_regions() == 0) return first();
  data::CheckDataset(d.dataset, data::CheckOptions(), diag);
  CsvTable t;
  if (LoadTable(dir, "regions.csv", {"region", "name"}, &t, diag)) ReadRegions(t, &d, diag);
  if (LoadTable(dir, "sectors.csv", {"sector", "stage", "unit", "description"}, &t, diag)) ReadSectors(t, &d, diag);
  if (LoadTable(dir, "physical.csv", {"region", "sector", "value", "unit"}, &t, diag)) ReadPhysical(t, &d, diag);
  if (LoadTable(dir, "recycling.csv", {"region", "collection_rate", "eol_contained_t", "other_feed_t", "recovery_rate"},
                &t, diag))
    ReadRecycling(t, &d, diag);
  if (LoadTable(dir, "chemistries.csv", {"chemistry", "good", "value", "unit"}, &t, diag, false))
    ReadChemistries(t, &d, diag);
  if (LoadTable(dir, "parameters.csv", {"parameter", "value"}, &t, diag, false)) ReadParameters(t, &d, diag);
  if (LoadTable(dir, "paper.csv", {"scenario", "region", "year", "value"}, &t, diag, false)) ReadPaper(t, &d, diag);
  if (fs::exists(dir + "/paths.csv")) {
    Status ps = dynamics::LoadPathTable(dir + "/paths.csv", &d.paths);
    if (!ps.ok()) diag->Add(ps);
    CheckCaptivePowerPaths(d, diag);
  }
  bool tables_ok = d.sectors.size() == d.dataset.sectors.size();
  Status s = lca::LoadGridIntensities(dir + "/grid_intensity.csv", &d.grid);
  if (!s.ok()) {
    diag->Add(s);
    tables_ok = false;
  } else {
    s = lca::LoadEmissionFactors(dir + "/emission_factors.csv", d.grid, &d.factors);
    if (!s.ok()) {
      diag->Add(s);
      tables_ok = false;
    }
  }
  if (tables_ok) {
    CheckCoverage(&d, diag);
    if (LoadTable(dir, "captive_power.csv", {"region", "sector", "value", "unit"}, &t, diag, false))
      ReadCaptivePower(t, &d, diag);
  }
  if (diag->problems().size() > before) return first();
  *out = std::move(d);
  return Status::Ok();
}

}  // namespace lccge::battery
