// Emission factors per region x sector (x optional year), split into process emissions and energy use:
//
//   factor(region, sector, year) = process + fuel + electricity_kwh x grid(region, year)
//
// so that moving an activity to another region changes its footprint through that region's grid. Read from a
// long-format CSV (one row per region, sector, kind; docs/lca.md):
//
//   region,sector,year,kind,value,unit,source     (year and source are optional columns)
//   CN,nickel_sulfate,,process,3.20,kg CO2e/kg,Istrate et al. 2024
//   CN,nickel_sulfate,,electricity,3.89,kWh/kg,Istrate et al. 2024
//   GLO,copper,,process,4.1,kg CO2e/kg,ICA 2023
//
// kind: "process" (kg CO2e per unit of activity: process and material emissions), "fuel" (kg CO2e per unit:
// combustion of fuels for heat and mechanical energy) or "electricity" (kWh per unit, multiplied by the grid).
// The unit's denominator is the unit of activity (kg, USD, MJ, ...); all kinds of one region x sector share it.
// Region "GLO" is an explicit default used for any region without its own rows; every other region must be one
// the grid-intensity table knows. A factor that is missing for a region, sector or year is an error, not a zero.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "lccge/core/csv.hpp"
#include "lccge/core/status.hpp"
#include "lccge/lca/grid_intensity.hpp"

namespace lccge::lca {

enum class FactorKind { kProcess, kFuel, kElectricity };

// Parses "process", "fuel" or "electricity".
bool ParseFactorKind(const std::string& text, FactorKind* kind);

// One factor as evaluated for a region and year; every part is per unit of activity.
struct FactorValue {
  double process = 0;          // kg CO2e
  double fuel = 0;             // kg CO2e
  double electricity_kwh = 0;  // kWh
  double grid = 0;             // kg CO2e/kWh of the region the factor was evaluated for
  std::string activity_unit;   // e.g. "kg", "USD"
  std::string region_used;     // the row region ("GLO" when the default applied)
  SourceLocation where;        // first row of the factor

  double electricity() const { return electricity_kwh * grid; }  // kg CO2e
  double total() const { return process + fuel + electricity(); }
};

class EmissionFactors {
 public:
  static constexpr const char* kGlobalRegion = "GLO";

  // Adds one part of a factor. `unit` is e.g. "kg CO2e/kg" (process, fuel) or "kWh/kg" (electricity);
  // year 0 = every year. Negative values, bad units and duplicates are errors located at `where`.
  Status Add(const std::string& region, const std::string& sector, int year, FactorKind kind, double value,
             const std::string& unit, SourceLocation where = {});

  bool HasSector(const std::string& sector) const;
  std::vector<std::string> Sectors() const;
  // Regions with explicit rows (GLO included when present).
  std::vector<std::string> Regions() const;

  // The factor of `sector` produced in `region` in `year` (0 = the rows without a year). Looks for the region's
  // rows, then GLO's; for the year, a year-specific row wins over the all-years row.
  Status Evaluate(const std::string& region, const std::string& sector, int year, const GridIntensities& grid,
                  FactorValue* value) const;

 private:
  struct Entry {
    double process = 0, fuel = 0, electricity_kwh = 0;
    bool has[3] = {false, false, false};
    std::string activity_unit;
    SourceLocation where;
  };
  // (sector, region, year) -> entry
  std::map<std::tuple<std::string, std::string, int>, Entry> entries_;
};

// Parses an emission-factor table. Regions other than GLO must be known to `grid`.
Status ParseEmissionFactors(const CsvTable& table, const GridIntensities& grid, EmissionFactors* factors);
Status LoadEmissionFactors(const std::string& path, const GridIntensities& grid, EmissionFactors* factors);

// Direct emissions of activities: level x factor(region, sector, year). The activity unit must match the
// factor's unit of activity (e.g. output in USD needs a factor in kg CO2e/USD).
struct Activity {
  std::string region;
  std::string sector;
  double level = 0;
  std::string unit;
};
struct DirectEmissions {
  std::vector<double> total;        // kg CO2e per activity
  std::vector<double> process;      // process part
  std::vector<double> fuel;         // fuel part
  std::vector<double> electricity;  // electricity part
  double sum = 0;
};
Status ComputeDirectEmissions(const std::vector<Activity>& activities, const EmissionFactors& factors,
                              const GridIntensities& grid, int year, DirectEmissions* emissions);

namespace internal {
// Splits "kg CO2e/kg" into a CO2e-mass scale to kg (1, 1e-3, 1e3) and the denominator; false if not of that form.
bool ParseEmissionUnit(const std::string& unit, double* scale_to_kg, std::string* per);
// Splits "kWh/kg" / "MWh/kg" into a scale to kWh and the denominator.
bool ParseEnergyUnit(const std::string& unit, double* scale_to_kwh, std::string* per);
// Splits "a/b" into trimmed "a" and "b"; false unless both are non-empty.
bool SplitRatioUnit(const std::string& unit, std::string* num, std::string* den);
}  // namespace internal

}  // namespace lccge::lca
