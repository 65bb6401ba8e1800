#include "lccge/lca/grid_intensity.hpp"

#include <cmath>
#include <cstdlib>

#include "lca/util.hpp"
#include "lccge/lca/emission_factors.hpp"

namespace lccge::lca {

Status GridIntensities::Scale(const std::string& region, double factor) {
  auto it = values_.find(region);
  if (it == values_.end()) return Status::Invalid("no grid intensity for region " + region);
  if (!std::isfinite(factor) || factor < 0)
    return Status::Invalid("grid scale of " + region + " must be a number >= 0 (" + internal::FormatNumber(factor) +
                           ")");
  for (auto& [year, value] : it->second) value *= factor;
  return Status::Ok();
}

Status GridIntensities::Set(const std::string& region, int year, double value, SourceLocation where) {
  if (region.empty()) return Status::Invalid("empty region", where);
  if (!std::isfinite(value)) {
    return Status::Invalid("grid intensity of " + region + " is not a finite number in kg CO2e/kWh (" +
                               internal::FormatNumber(value) + ")",
                           where);
  }
  if (value < 0) {
    return Status::Invalid("grid intensity of " + region + " is negative (" + internal::FormatNumber(value) + ")",
                           where);
  }
  auto& by_year = values_[region];
  if (by_year.count(year)) {
    return Status::Invalid("duplicate grid intensity for region " + region +
                               (year ? " in year " + std::to_string(year) : std::string(" (all years)")),
                           where);
  }
  by_year[year] = value;
  return Status::Ok();
}

std::vector<std::string> GridIntensities::Regions() const {
  std::vector<std::string> out;
  for (const auto& [r, v] : values_) out.push_back(r);
  return out;
}

Status GridIntensities::Get(const std::string& region, int year, double* value) const {
  auto it = values_.find(region);
  if (it == values_.end()) return Status::Invalid("no grid intensity for region " + region);
  auto y = it->second.find(year);
  if (y == it->second.end()) y = it->second.find(0);
  if (y == it->second.end()) {
    return Status::Invalid("no grid intensity for region " + region +
                           (year ? " in year " + std::to_string(year) : std::string(" without a year")));
  }
  *value = y->second;
  return Status::Ok();
}

Status ParseGridIntensities(const CsvTable& table, GridIntensities* grid) {
  Status s = RequireColumns(table, {"region", "value", "unit"});
  if (!s.ok()) return s;
  const int c_region = table.Column("region"), c_value = table.Column("value"), c_unit = table.Column("unit");
  const int c_year = table.Column("year");
  for (const CsvRow& row : table.rows) {
    const std::string& region = row.fields[c_region];
    if (region.empty()) return Status::Invalid("empty region", table.Where(row));
    int year = 0;
    if (c_year >= 0) {
      s = internal::ParseYear(table, row, c_year, &year);
      if (!s.ok()) return s;
    }
    const std::string& unit = row.fields[c_unit];
    if (unit.empty()) return Status::Invalid("missing unit for the grid intensity of " + region, table.Where(row));
    double scale = 0;
    std::string per;
    if (!internal::ParseEmissionUnit(unit, &scale, &per) || (per != "kWh" && per != "MWh")) {
      return Status::Invalid("unit '" + unit + "' of the grid intensity of " + region +
                                 " is not a CO2e mass per kWh or MWh (e.g. 'kg CO2e/kWh', 'g CO2e/kWh')",
                             table.Where(row));
    }
    if (per == "MWh") scale /= 1000.0;
    double v = 0;
    s = ParseNumber(table, row, c_value, &v);
    if (!s.ok()) return s;
    s = grid->Set(region, year, v * scale, table.Where(row));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status LoadGridIntensities(const std::string& path, GridIntensities* grid) {
  CsvTable table;
  Status s = ReadCsv(path, &table);
  if (!s.ok()) return s;
  return ParseGridIntensities(table, grid);
}

}  // namespace lccge::lca
