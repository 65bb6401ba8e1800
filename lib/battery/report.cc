#include "lccge/battery/report.hpp"

#include <cstdio>

namespace lccge::battery {

namespace {

constexpr const char* kChain = "Battery Supply Chain";

void AppendRegion(const RegionAccounts& ra, const std::string& scenario, int year, scenario::IamcTable* t) {
  const std::string region = ra.name;
  auto set = [&](const std::string& variable, const std::string& unit, double v) {
    t->Set(kIamcModel, scenario, region, variable, unit, year, v);
  };
  const std::string va = std::string("Value Added|") + kChain, em = std::string("Emissions|CO2e|") + kChain;
  set(va, "billion USD_2023/yr", ra.total.value_added / 1e3);
  for (size_t s = 0; s < kStages.size(); ++s)
    set(va + "|" + kStages[s], "billion USD_2023/yr", ra.stages[s].value_added / 1e3);
  set(em, "Mt CO2e/yr", ra.total.emissions / 1e9);
  for (size_t s = 0; s < kStages.size(); ++s) set(em + "|" + kStages[s], "Mt CO2e/yr", ra.stages[s].emissions / 1e9);
  set(std::string("Emissions Intensity|") + kChain, "kg CO2e/USD_2023", ra.Intensity());
  set(std::string("Emissions Intensity|") + kChain + "|Production-based", "kg CO2e/USD_2023", ra.ProductionIntensity());
  if (ra.cells_gwh > 0)
    set(std::string("Emissions Intensity|") + kChain + "|per kWh", "kg CO2e/kWh",
        ra.total.emissions / (ra.cells_gwh * 1e6));
  set("Production|Battery Cells", "GWh/yr", ra.cells_gwh);
}

}  // namespace

void AppendIamcRows(const BatteryAccounts& a, const std::string& scenario, int year, scenario::IamcTable* t) {
  AppendRegion(a.world, scenario, year, t);
  t->Set(kIamcModel, scenario, "World", std::string("Secondary Material Share|") + kChain, "%", year,
         100 * a.secondary_share);
  for (const RegionAccounts& ra : a.regions) AppendRegion(ra, scenario, year, t);
}

std::string FormatStageShares(const BatteryAccounts& a) {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof(buf), "  %-22s %9s %9s", "region", "VA bn$", "Mt CO2e");
  out += buf;
  for (const char* s : kStages) {
    std::snprintf(buf, sizeof(buf), " %13s", s);
    out += buf;
  }
  out += "\n  " + std::string(22 + 20 + 14 * kStages.size(), '-') + "\n";
  std::snprintf(buf, sizeof(buf), "  %-22s %9s %9s", "", "", "");
  out += buf;
  for (size_t s = 0; s < kStages.size(); ++s) out += "   value/emis.";
  out += "\n";
  auto line = [&](const RegionAccounts& ra) {
    std::snprintf(buf, sizeof(buf), "  %-22s %9.2f %9.2f", ra.name.c_str(), ra.total.value_added / 1e3,
                  ra.total.emissions / 1e9);
    out += buf;
    for (size_t s = 0; s < kStages.size(); ++s) {
      std::snprintf(buf, sizeof(buf), " %6.1f/%5.1f%%", 100 * ra.ValueShare(s), 100 * ra.EmissionShare(s));
      out += buf;
    }
    out += "\n";
  };
  line(a.world);
  for (const RegionAccounts& ra : a.regions)
    if (ra.total.value_added > 0 || ra.total.emissions > 0) line(ra);
  return out;
}

}  // namespace lccge::battery
