#include "lccge/dynamics/paths.hpp"

#include <algorithm>
#include <cmath>

namespace lccge::dynamics {

Status Path::Add(int year, double value, SourceLocation where) {
  if (!std::isfinite(value)) return Status::Invalid("value is not a finite number", where);
  auto it = std::lower_bound(points_.begin(), points_.end(), year,
                             [](const std::pair<int, double>& p, int y) { return p.first < y; });
  if (it != points_.end() && it->first == year) {
    const SourceLocation& first = where_[static_cast<size_t>(it - points_.begin())];
    return Status::Invalid("duplicate year " + std::to_string(year) +
                               (first.known() ? " (first at " + first.ToString() + ")" : std::string()),
                           where);
  }
  const auto pos = it - points_.begin();
  points_.insert(it, {year, value});
  where_.insert(where_.begin() + pos, where);
  return Status::Ok();
}

double Path::At(double year) const {
  if (points_.empty()) return 0.0;
  if (year <= points_.front().first) return points_.front().second;
  if (year >= points_.back().first) return points_.back().second;
  auto hi = std::upper_bound(points_.begin(), points_.end(), year,
                             [](double y, const std::pair<int, double>& p) { return y < p.first; });
  auto lo = hi - 1;
  const double w = (year - lo->first) / static_cast<double>(hi->first - lo->first);
  return lo->second + w * (hi->second - lo->second);
}

Status PathTable::Add(const std::string& variable, const std::string& region, int year, double value,
                      const std::string& unit, SourceLocation where) {
  if (variable.empty()) return Status::Invalid("empty variable", where);
  if (region.empty()) return Status::Invalid("empty region of " + variable + " (use * for every region)", where);
  auto [it, inserted] = unit_.emplace(variable, std::make_pair(unit, where));
  if (!inserted && !unit.empty() && !it->second.first.empty() && it->second.first != unit)
    return Status::Invalid("unit '" + unit + "' of " + variable + " differs from '" + it->second.first + "' (" +
                               it->second.second.ToString() + ")",
                           where);
  if (it->second.first.empty()) it->second = {unit, where};
  Status s = paths_[variable][region].Add(year, value, where);
  if (!s.ok()) return Status::Invalid(variable + " of " + region + ": " + s.cause(), where);
  return Status::Ok();
}

const Path* PathTable::Find(const std::string& variable, const std::string& region) const {
  auto v = paths_.find(variable);
  if (v == paths_.end()) return nullptr;
  auto r = v->second.find(region);
  if (r == v->second.end()) r = v->second.find("*");
  return r == v->second.end() ? nullptr : &r->second;
}

Status PathTable::Value(const std::string& variable, const std::string& region, double year, double* value) const {
  if (!Has(variable)) return Status::Invalid("no path for " + variable);
  const Path* p = Find(variable, region);
  if (p == nullptr) return Status::Invalid("no path for " + variable + " in region " + region + " (and no * rows)");
  *value = p->At(year);
  return Status::Ok();
}

std::string PathTable::Unit(const std::string& variable) const {
  auto it = unit_.find(variable);
  return it == unit_.end() ? std::string() : it->second.first;
}

std::vector<std::string> PathTable::Variables() const {
  std::vector<std::string> out;
  for (const auto& [v, by_region] : paths_) out.push_back(v);
  return out;
}

Status ParsePathTable(const CsvTable& table, PathTable* out) {
  Status s = RequireColumns(table, {"variable", "region", "year", "value"});
  if (!s.ok()) return s;
  const int c_var = table.Column("variable"), c_region = table.Column("region"), c_year = table.Column("year"),
            c_value = table.Column("value"), c_unit = table.Column("unit");
  PathTable paths;
  for (const CsvRow& row : table.rows) {
    double year = 0, value = 0;
    s = ParseNumber(table, row, c_year, &year);
    if (!s.ok()) return s;
    if (year != std::floor(year) || year < 1900 || year > 2200)
      return Status::Invalid("column 'year': '" + row.fields[static_cast<size_t>(c_year)] + "' is not a year",
                             table.Where(row));
    s = ParseNumber(table, row, c_value, &value);
    if (!s.ok()) return s;
    const std::string unit = c_unit >= 0 ? row.fields[static_cast<size_t>(c_unit)] : std::string();
    s = paths.Add(row.fields[static_cast<size_t>(c_var)], row.fields[static_cast<size_t>(c_region)],
                  static_cast<int>(year), value, unit, table.Where(row));
    if (!s.ok()) return s;
  }
  *out = std::move(paths);
  return Status::Ok();
}

Status LoadPathTable(const std::string& path, PathTable* paths) {
  CsvTable table;
  Status s = ReadCsv(path, &table);
  if (!s.ok()) return s;
  return ParsePathTable(table, paths);
}

}  // namespace lccge::dynamics
