#include "lccge/lca/emission_factors.hpp"

#include <cmath>
#include <set>

#include "lca/util.hpp"

namespace lccge::lca {

namespace internal {

bool SplitRatioUnit(const std::string& unit, std::string* num, std::string* den) {
  const size_t slash = unit.find('/');
  if (slash == std::string::npos || unit.find('/', slash + 1) != std::string::npos) return false;
  *num = Trim(unit.substr(0, slash));
  *den = Trim(unit.substr(slash + 1));
  return !num->empty() && !den->empty();
}

bool ParseEmissionUnit(const std::string& unit, double* scale_to_kg, std::string* per) {
  std::string num;
  if (!SplitRatioUnit(unit, &num, per)) return false;
  // "kg CO2e", "kg CO2-eq", "kg CO2eq"
  const size_t space = num.find(' ');
  if (space == std::string::npos) return false;
  const std::string mass = num.substr(0, space);
  const std::string gas = Lower(Trim(num.substr(space + 1)));
  if (gas != "co2e" && gas != "co2-eq" && gas != "co2eq" && gas != "co2-e") return false;
  if (mass == "kg")
    *scale_to_kg = 1.0;
  else if (mass == "g")
    *scale_to_kg = 1e-3;
  else if (mass == "t")
    *scale_to_kg = 1e3;
  else
    return false;
  return true;
}

bool ParseEnergyUnit(const std::string& unit, double* scale_to_kwh, std::string* per) {
  std::string num;
  if (!SplitRatioUnit(unit, &num, per)) return false;
  if (num == "kWh")
    *scale_to_kwh = 1.0;
  else if (num == "MWh")
    *scale_to_kwh = 1e3;
  else if (num == "Wh")
    *scale_to_kwh = 1e-3;
  else
    return false;
  return true;
}

}  // namespace internal

bool ParseFactorKind(const std::string& text, FactorKind* kind) {
  const std::string t = internal::Lower(internal::Trim(text));
  if (t == "process")
    *kind = FactorKind::kProcess;
  else if (t == "fuel")
    *kind = FactorKind::kFuel;
  else if (t == "electricity")
    *kind = FactorKind::kElectricity;
  else
    return false;
  return true;
}

Status EmissionFactors::Add(const std::string& region, const std::string& sector, int year, FactorKind kind,
                            double value, const std::string& unit, SourceLocation where) {
  if (region.empty()) return Status::Invalid("empty region", where);
  if (sector.empty()) return Status::Invalid("empty sector", where);
  const std::string what = sector + " in " + region;
  if (unit.empty()) return Status::Invalid("missing unit for " + what, where);
  if (!std::isfinite(value) || value < 0) {
    return Status::Invalid("negative factor for " + what + " (" + internal::FormatNumber(value) + ")", where);
  }
  double scale = 0;
  std::string per;
  if (kind == FactorKind::kElectricity) {
    if (!internal::ParseEnergyUnit(unit, &scale, &per)) {
      return Status::Invalid("unit '" + unit + "' of the electricity use of " + what +
                                 " is not energy per unit of activity (e.g. 'kWh/kg')",
                             where);
    }
  } else if (!internal::ParseEmissionUnit(unit, &scale, &per)) {
    return Status::Invalid("unit '" + unit + "' of " + what +
                               " is not a CO2e mass per unit of activity (e.g. 'kg CO2e/kg', 'kg CO2e/USD')",
                           where);
  }
  Entry& e = entries_[{sector, region, year}];
  const int k = static_cast<int>(kind);
  if (e.has[k]) {
    return Status::Invalid("duplicate factor for " + what + (year ? " in " + std::to_string(year) : "") +
                               " (first at " + e.where.ToString() + ")",
                           where);
  }
  if (!e.activity_unit.empty() && e.activity_unit != per) {
    return Status::Invalid("unit '" + unit + "' of " + what + " is per " + per + " but its other rows are per " +
                               e.activity_unit + " (" + e.where.ToString() + ")",
                           where);
  }
  if (e.activity_unit.empty()) {
    e.activity_unit = per;
    e.where = where;
  }
  const double v = value * scale;
  if (!std::isfinite(v)) {
    return Status::Invalid("factor for " + what + " (" + internal::FormatNumber(value) + " " + unit +
                               ") is too large once converted to kg or kWh",
                           where);
  }
  e.has[k] = true;
  switch (kind) {
    case FactorKind::kProcess:
      e.process = v;
      break;
    case FactorKind::kFuel:
      e.fuel = v;
      break;
    case FactorKind::kElectricity:
      e.electricity_kwh = v;
      break;
  }
  return Status::Ok();
}

bool EmissionFactors::HasSector(const std::string& sector) const {
  auto it = entries_.lower_bound({sector, "", -1});
  return it != entries_.end() && std::get<0>(it->first) == sector;
}

std::vector<std::string> EmissionFactors::Sectors() const {
  std::vector<std::string> out;
  for (const auto& [key, e] : entries_)
    if (out.empty() || out.back() != std::get<0>(key)) out.push_back(std::get<0>(key));
  return out;
}

std::vector<std::string> EmissionFactors::Regions() const {
  std::set<std::string> s;
  for (const auto& [key, e] : entries_) s.insert(std::get<1>(key));
  return {s.begin(), s.end()};
}

Status EmissionFactors::Evaluate(const std::string& region, const std::string& sector, int year,
                                 const GridIntensities& grid, FactorValue* value) const {
  if (!HasSector(sector)) return Status::Invalid("no emission factor for sector '" + sector + "'");
  const Entry* found = nullptr;
  std::string used;
  for (const std::string& r : {region, std::string(kGlobalRegion)}) {
    auto it = entries_.find({sector, r, year});
    if (it == entries_.end() && year != 0) it = entries_.find({sector, r, 0});
    if (it != entries_.end()) {
      found = &it->second;
      used = r;
      break;
    }
  }
  if (!found) {
    return Status::Invalid("no emission factor for sector '" + sector + "' in region " + region +
                           (year ? " in " + std::to_string(year) : std::string()) + " and no " + kGlobalRegion +
                           " default");
  }
  FactorValue v;
  v.process = found->process;
  v.fuel = found->fuel;
  v.electricity_kwh = found->electricity_kwh;
  v.activity_unit = found->activity_unit;
  v.region_used = used;
  v.where = found->where;
  if (v.electricity_kwh > 0) {
    Status s = grid.Get(region, year, &v.grid);
    if (!s.ok()) {
      return Status::Invalid("emission factor for '" + sector + "' uses electricity but " + s.cause(), found->where);
    }
  } else {
    double g = 0;
    if (grid.Get(region, year, &g).ok()) v.grid = g;
  }
  *value = v;
  return Status::Ok();
}

Status ParseEmissionFactors(const CsvTable& table, const GridIntensities& grid, EmissionFactors* factors) {
  Status s = RequireColumns(table, {"region", "sector", "kind", "value", "unit"});
  if (!s.ok()) return s;
  const int c_region = table.Column("region"), c_sector = table.Column("sector"), c_kind = table.Column("kind");
  const int c_value = table.Column("value"), c_unit = table.Column("unit"), c_year = table.Column("year");
  for (const CsvRow& row : table.rows) {
    const std::string& region = row.fields[c_region];
    const std::string& sector = row.fields[c_sector];
    if (region.empty()) return Status::Invalid("empty region", table.Where(row));
    if (sector.empty()) return Status::Invalid("empty sector", table.Where(row));
    if (region != EmissionFactors::kGlobalRegion && !grid.HasRegion(region)) {
      return Status::Invalid("unknown region '" + region + "' (not in the grid-intensity table; use " +
                                 EmissionFactors::kGlobalRegion + " for a global default)",
                             table.Where(row));
    }
    FactorKind kind;
    if (!ParseFactorKind(row.fields[c_kind], &kind)) {
      return Status::Invalid("unknown kind '" + row.fields[c_kind] + "' (expected process, fuel or electricity)",
                             table.Where(row));
    }
    int year = 0;
    if (c_year >= 0) {
      s = internal::ParseYear(table, row, c_year, &year);
      if (!s.ok()) return s;
    }
    if (row.fields[c_unit].empty()) {
      return Status::Invalid("missing unit for " + sector + " in " + region, table.Where(row));
    }
    double v = 0;
    s = ParseNumber(table, row, c_value, &v);
    if (!s.ok()) return s;
    s = factors->Add(region, sector, year, kind, v, row.fields[c_unit], table.Where(row));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status LoadEmissionFactors(const std::string& path, const GridIntensities& grid, EmissionFactors* factors) {
  CsvTable table;
  Status s = ReadCsv(path, &table);
  if (!s.ok()) return s;
  return ParseEmissionFactors(table, grid, factors);
}

Status ComputeDirectEmissions(const std::vector<Activity>& activities, const EmissionFactors& factors,
                              const GridIntensities& grid, int year, DirectEmissions* out) {
  DirectEmissions d;
  for (const Activity& a : activities) {
    if (!std::isfinite(a.level) || a.level < 0) {
      return Status::Invalid("activity " + a.sector + " in " + a.region + " has a negative level");
    }
    FactorValue f;
    Status s = factors.Evaluate(a.region, a.sector, year, grid, &f);
    if (!s.ok()) return s;
    if (a.unit != f.activity_unit) {
      return Status::Invalid("activity " + a.sector + " in " + a.region + " is measured in '" + a.unit +
                                 "' but its emission factor is per '" + f.activity_unit + "'",
                             f.where);
    }
    d.process.push_back(a.level * f.process);
    d.fuel.push_back(a.level * f.fuel);
    d.electricity.push_back(a.level * f.electricity());
    d.total.push_back(a.level * f.total());
    d.sum += d.total.back();
  }
  *out = std::move(d);
  return Status::Ok();
}

}  // namespace lccge::lca
