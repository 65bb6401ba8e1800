// Internal: reading one CSV table of a data folder (the data layer's files, and a battery folder's own files).
#pragma once

#include <string>
#include <vector>

#include "lccge/core/csv.hpp"
#include "lccge/core/status.hpp"

namespace lccge::internal {

// Reads `name` from `dir` into `table` and checks that it has `columns`. False when the table cannot be used: a
// missing file adds the problem "missing file NAME in FOLDER" when `required` (and none otherwise); an unreadable
// file or a missing column adds its problem.
bool LoadDataTable(const std::string& dir, const char* name, bool required, const std::vector<std::string>& columns,
                   CsvTable* table, Diagnostics* diag, const char* folder = "the data directory");

}  // namespace lccge::internal
