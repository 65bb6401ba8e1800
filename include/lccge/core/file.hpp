// Small file utilities shared by every layer: whole-file reads and atomic writes.
#pragma once

#include <string>
#include <string_view>

#include "lccge/core/status.hpp"

namespace lccge {

// Reads a whole file. On failure returns an IoError naming the file.
Status ReadFileToString(const std::string& path, std::string* contents);

// Writes `contents` to a temporary file beside `path` and renames it over `path`, so that readers never see a
// half-written file. Creates missing parent directories.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace lccge
