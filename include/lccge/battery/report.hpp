// Reporting the battery chain's accounts: IAMC rows (lccge/scenario/iamc.hpp) and readable tables.
//
// Variables (regions "World" and every region by name; stages Mining, Refining, Cathode, Cell, Recycling):
//   Value Added|Battery Supply Chain[|<Stage>]                 billion USD_2023/yr (at the solution's prices)
//   Emissions|CO2e|Battery Supply Chain[|<Stage>]              Mt CO2e/yr
//   Emissions Intensity|Battery Supply Chain                   kg CO2e/USD_2023 (per unit of real chain output)
//   Emissions Intensity|Battery Supply Chain|per kWh           kg CO2e/kWh (chain emissions per kWh of cells made)
//   Production|Battery Cells                                   GWh/yr
//   Secondary Material Share|Battery Supply Chain              % (World only)
#pragma once

#include <string>

#include "lccge/battery/accounts.hpp"
#include "lccge/scenario/iamc.hpp"

namespace lccge::battery {

inline constexpr const char* kIamcModel = "lccge";

// Adds the rows of one scenario and year.
void AppendIamcRows(const BatteryAccounts& accounts, const std::string& scenario, int year, scenario::IamcTable* table);

// A readable table of value-added and emission shares by stage, World and each region.
std::string FormatStageShares(const BatteryAccounts& accounts);

}  // namespace lccge::battery
