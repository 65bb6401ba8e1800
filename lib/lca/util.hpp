// Small helpers shared by the lca sources (not installed).
#pragma once

#include <string>

#include "lccge/core/csv.hpp"
#include "lccge/core/status.hpp"

namespace lccge::lca::internal {

std::string Trim(const std::string& s);
std::string Lower(const std::string& s);
// Shortest round-trip-ish formatting for messages ("0.42", "1e-09").
std::string FormatNumber(double v);
// Parses an optional integer year column: blank -> 0.
Status ParseYear(const CsvTable& table, const CsvRow& row, int column, int* year);

}  // namespace lccge::lca::internal
