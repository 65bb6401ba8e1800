#include "lca/util.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace lccge::lca::internal {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string Lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string FormatNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

Status ParseYear(const CsvTable& table, const CsvRow& row, int column, int* year) {
  const std::string& text = row.fields.at(static_cast<size_t>(column));
  if (text.empty()) {
    *year = 0;
    return Status::Ok();
  }
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0' || errno == ERANGE || v < 1 || v > 9999) {
    return Status::Invalid("column 'year': '" + text + "' is not a year", table.Where(row));
  }
  *year = static_cast<int>(v);
  return Status::Ok();
}

}  // namespace lccge::lca::internal
