// Results in the IAMC format, the convention of integrated assessment modelling that pyam and the IPCC scenario
// databases read: one row per (model, scenario, region, variable, unit), one column per year.
//
//   Model,Scenario,Region,Variable,Unit,2023,2024,...
//   lccge,Baseline,World,Emissions|CO2e|Battery Supply Chain,Mt CO2e/yr,102.6,...
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "lccge/core/status.hpp"

namespace lccge::scenario {

class IamcTable {
 public:
  // Sets one value (a later Set of the same key and year replaces it). Rows keep the order of their first Set.
  void Set(const std::string& model, const std::string& scenario, const std::string& region,
           const std::string& variable, const std::string& unit, int year, double value);
  // The value of a key and year, or NaN.
  double Get(const std::string& scenario, const std::string& region, const std::string& variable, int year) const;
  std::vector<int> Years() const;
  size_t num_rows() const { return rows_.size(); }
  // Wide CSV: Model,Scenario,Region,Variable,Unit,<years ascending>; a missing value is an empty field. Numbers are
  // written in the shortest form that reads back to the same double, so the same results give the same bytes.
  std::string ToCsv() const;
  // Writes ToCsv() atomically (a temporary file renamed over `path`).
  Status Write(const std::string& path) const;

 private:
  struct Row {
    std::string model, scenario, region, variable, unit;
    std::map<int, double> values;
  };
  std::vector<Row> rows_;
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, size_t> index_;
};

}  // namespace lccge::scenario
