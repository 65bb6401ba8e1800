#include "lccge/core/csv.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "lccge/core/file.hpp"

namespace lccge {
namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

}  // namespace

int CsvTable::Column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

Status ParseCsv(const std::string& text, const std::string& file, CsvTable* table) {
  table->file = file;
  table->header.clear();
  table->rows.clear();
  size_t pos = 0;
  int line = 0;
  bool have_header = false;
  while (pos < text.size()) {
    ++line;
    const int start_line = line;
    // A comment line ('#' first, after blanks) is skipped whole, quotes and all.
    {
      size_t first = pos;
      while (first < text.size() && (text[first] == ' ' || text[first] == '\t')) ++first;
      if (first < text.size() && text[first] == '#') {
        const size_t end = text.find('\n', first);
        pos = end == std::string::npos ? text.size() : end + 1;
        continue;
      }
    }
    // Read one record (may span lines inside quotes).
    std::vector<std::string> fields;
    std::string field;
    bool in_quotes = false, was_quoted = false;
    bool record_done = false;
    const size_t record_start = pos;
    while (pos < text.size() && !record_done) {
      const char ch = text[pos++];
      if (in_quotes) {
        if (ch == '"') {
          if (pos < text.size() && text[pos] == '"') {
            field += '"';
            ++pos;
          } else {
            in_quotes = false;
          }
        } else {
          if (ch == '\n') ++line;
          field += ch;
        }
      } else if (ch == '"') {
        if (!Trim(field).empty()) {
          return Status::Invalid("quote in the middle of an unquoted field", {file, line, 0});
        }
        field.clear();
        in_quotes = true;
        was_quoted = true;
      } else if (ch == ',') {
        fields.push_back(was_quoted ? field : Trim(field));
        field.clear();
        was_quoted = false;
      } else if (ch == '\n') {
        record_done = true;
      } else if (was_quoted) {
        if (ch != ' ' && ch != '\t' && ch != '\r') {
          return Status::Invalid("text after a closing quote", {file, line, 0});
        }
      } else {
        field += ch;
      }
    }
    if (in_quotes) return Status::Invalid("unterminated quoted field", {file, start_line, 0});
    fields.push_back(was_quoted ? field : Trim(field));
    // Skip blank lines and comments.
    const std::string raw = Trim(text.substr(record_start, pos - record_start));
    if (raw.empty() || raw[0] == '#') continue;
    if (!have_header) {
      table->header = fields;
      have_header = true;
      continue;
    }
    if (fields.size() != table->header.size()) {
      return Status::Invalid("expected " + std::to_string(table->header.size()) + " fields as in the header, found " +
                                 std::to_string(fields.size()),
                             {file, start_line, 0});
    }
    table->rows.push_back({start_line, std::move(fields)});
  }
  if (!have_header) return Status::Invalid("empty table: no header line", {file, 0, 0});
  return Status::Ok();
}

Status ReadCsv(const std::string& path, CsvTable* table) {
  std::string text;
  Status s = ReadFileToString(path, &text);
  if (!s.ok()) return s;
  return ParseCsv(text, path, table);
}

Status RequireColumns(const CsvTable& table, const std::vector<std::string>& required) {
  for (const std::string& name : required) {
    if (table.Column(name) < 0) {
      return Status::Invalid("missing column '" + name + "' in the header", {table.file, 1, 0});
    }
  }
  return Status::Ok();
}

Status ParseNumber(const CsvTable& table, const CsvRow& row, int column, double* value) {
  const std::string& text = row.fields.at(static_cast<size_t>(column));
  const std::string& name = table.header.at(static_cast<size_t>(column));
  if (text.empty()) return Status::Invalid("column '" + name + "' is empty, expected a number", table.Where(row));
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  // ERANGE: too large, or too small to be anything but zero; a subnormal number is a number (strtod flags it too).
  const bool out_of_range = errno == ERANGE && (v == 0.0 || !std::isfinite(v));
  if (end == text.c_str() || *end != '\0' || out_of_range) {
    return Status::Invalid("column '" + name + "': '" + text + "' is not a number", table.Where(row));
  }
  if (!std::isfinite(v)) {
    return Status::Invalid("column '" + name + "': '" + text + "' is not a finite number", table.Where(row));
  }
  *value = v;
  return Status::Ok();
}

}  // namespace lccge
