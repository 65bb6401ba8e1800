// A small CSV reader that keeps line numbers, for long-format tables (data, emission factors).
// RFC 4180 quoting ("a,b" and "" inside quotes); '#' at the start of a line makes it a comment; blank lines skipped.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"

namespace lccge {

struct CsvRow {
  int line = 0;                     // 1-based line number in the file
  std::vector<std::string> fields;  // trimmed of surrounding spaces
};

struct CsvTable {
  std::string file;
  std::vector<std::string> header;
  std::vector<CsvRow> rows;

  // Index of a header column, or -1.
  int Column(const std::string& name) const;
  // Location of a row, for error messages.
  SourceLocation Where(const CsvRow& row) const { return {file, row.line, 0}; }
};

// Parses CSV text; `file` is used in error messages only. The first non-comment line is the header.
// Every row must have as many fields as the header.
Status ParseCsv(const std::string& text, const std::string& file, CsvTable* table);

// Reads and parses a CSV file.
Status ReadCsv(const std::string& path, CsvTable* table);

// Checks that the table has all `required` columns; the error names the file and the missing column.
Status RequireColumns(const CsvTable& table, const std::vector<std::string>& required);

// Parses a finite number from a field; the error names the file, line, column name and the text.
Status ParseNumber(const CsvTable& table, const CsvRow& row, int column, double* value);

}  // namespace lccge
