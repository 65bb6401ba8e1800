#include "lccge/scenario/iamc.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "lccge/core/file.hpp"

namespace lccge::scenario {

namespace {

void AppendField(std::string* out, const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

void IamcTable::Set(const std::string& model, const std::string& scenario, const std::string& region,
                    const std::string& variable, const std::string& unit, int year, double value) {
  auto key = std::make_tuple(model, scenario, region, variable, unit);
  auto [it, inserted] = index_.emplace(key, rows_.size());
  if (inserted) rows_.push_back({model, scenario, region, variable, unit, {}});
  rows_[it->second].values[year] = value;
}

double IamcTable::Get(const std::string& scenario, const std::string& region, const std::string& variable,
                      int year) const {
  for (const Row& row : rows_) {
    if (row.scenario != scenario || row.region != region || row.variable != variable) continue;
    auto it = row.values.find(year);
    if (it != row.values.end()) return it->second;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> IamcTable::Years() const {
  std::set<int> years;
  for (const Row& row : rows_)
    for (const auto& [year, value] : row.values) years.insert(year);
  return {years.begin(), years.end()};
}

std::string IamcTable::ToCsv() const {
  const std::vector<int> years = Years();
  std::string out = "Model,Scenario,Region,Variable,Unit";
  for (int y : years) {
    out += ',';
    out += std::to_string(y);
  }
  out += '\n';
  char buf[64];
  for (const Row& row : rows_) {
    for (const std::string* f : {&row.model, &row.scenario, &row.region, &row.variable, &row.unit}) {
      if (f != &row.model) out += ',';
      AppendField(&out, *f);
    }
    for (int y : years) {
      out += ',';
      auto it = row.values.find(y);
      if (it == row.values.end() || !std::isfinite(it->second)) continue;
      const double v = it->second == 0 ? 0.0 : it->second;  // no "-0"
      auto res = std::to_chars(buf, buf + sizeof(buf), v);
      out.append(buf, res.ptr);
    }
    out += '\n';
  }
  return out;
}

Status IamcTable::Write(const std::string& path) const { return WriteFileAtomically(path, ToCsv()); }

}  // namespace lccge::scenario
