// Regional electricity grid intensities (kg CO2e per kWh), optionally by year. Read from a long-format CSV:
//
//   region,year,value,unit            (the year column is optional; a blank year applies to every year)
//   CN,2022,585.8,g CO2e/kWh
//   US,,0.386,kg CO2e/kWh
//
// Units accepted: "kg CO2e/kWh", "g CO2e/kWh", "t CO2e/MWh" (all converted to kg CO2e/kWh).
// Errors (file, line, cause): missing column, missing unit, unknown unit, negative value, duplicate row.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lccge/core/csv.hpp"
#include "lccge/core/status.hpp"

namespace lccge::lca {

class GridIntensities {
 public:
  // Year 0 means "every year" (used when no year-specific value exists).
  Status Set(const std::string& region, int year, double kg_co2e_per_kwh, SourceLocation where = {});

  bool HasRegion(const std::string& region) const { return values_.count(region) > 0; }
  // Multiplies every value of `region` (all years) by `factor` >= 0, e.g. 0.5 for a grid decarbonised by half.
  Status Scale(const std::string& region, double factor);
  std::vector<std::string> Regions() const;

  // The intensity of `region` in `year` (0: the value without a year). A year-specific value wins over the
  // all-years value. An unknown region or a year without a value is an error (never a silent zero).
  Status Get(const std::string& region, int year, double* kg_co2e_per_kwh) const;

 private:
  std::map<std::string, std::map<int, double>> values_;
};

// Parses a grid-intensity table (already read with ReadCsv/ParseCsv).
Status ParseGridIntensities(const CsvTable& table, GridIntensities* grid);
// Reads and parses a grid-intensity CSV file.
Status LoadGridIntensities(const std::string& path, GridIntensities* grid);

}  // namespace lccge::lca
