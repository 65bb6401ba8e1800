// Exogenous paths: values of named variables by region and year, read from a long-format CSV
//
//   variable,region,year,value,unit,source        (unit and source optional; other columns ignored)
//   battery_demand,CHN,2023,690,GWh,MIIT and IEA GEVO 2024
//   battery_demand,CHN,2030,2500,GWh,IEA GEVO 2024 STEPS
//   grid_intensity,*,2060,150,g CO2e/kWh,assumption
//
// Between given years a value is interpolated linearly; before the first and after the last it stays flat. Region
// "*" applies to every region without rows of its own for the variable. A variable asked for a region it does not
// cover is an error, never a silent zero. Errors name the file, the line and the cause.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lccge/core/csv.hpp"
#include "lccge/core/status.hpp"

namespace lccge::dynamics {

// A path: (year, value) points, sorted by year. Linear in between, flat outside.
class Path {
 public:
  Status Add(int year, double value, SourceLocation where = {});
  bool empty() const { return points_.empty(); }
  double At(double year) const;
  const std::vector<std::pair<int, double>>& points() const { return points_; }
  const std::vector<SourceLocation>& locations() const { return where_; }  // of points(), in the same order

 private:
  std::vector<std::pair<int, double>> points_;
  std::vector<SourceLocation> where_;
};

class PathTable {
 public:
  Status Add(const std::string& variable, const std::string& region, int year, double value, const std::string& unit,
             SourceLocation where = {});
  bool Has(const std::string& variable) const { return paths_.count(variable) > 0; }
  // The path of `variable` for `region` (its own rows, else the "*" rows), or null.
  const Path* Find(const std::string& variable, const std::string& region) const;
  // The value of `variable` for `region` in `year`; an unknown variable or region is an error.
  Status Value(const std::string& variable, const std::string& region, double year, double* value) const;
  // The unit given for a variable ("" when none).
  std::string Unit(const std::string& variable) const;
  std::vector<std::string> Variables() const;

 private:
  std::map<std::string, std::map<std::string, Path>> paths_;  // variable -> region -> path
  std::map<std::string, std::pair<std::string, SourceLocation>> unit_;
};

Status ParsePathTable(const CsvTable& table, PathTable* paths);
Status LoadPathTable(const std::string& path, PathTable* paths);

}  // namespace lccge::dynamics
