#include "lccge/core/status.hpp"

namespace lccge {

std::string SourceLocation::ToString() const {
  std::string out = file;
  if (line > 0) {
    if (out.empty()) out = "line " + std::to_string(line);
    else out += ":" + std::to_string(line);
  }
  return out;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  const std::string where = where_.ToString();
  return where.empty() ? cause_ : where + ": " + cause_;
}

std::string Diagnostics::ToString() const {
  std::string out;
  for (const Status& s : problems_) {
    out += s.ToString();
    out += '\n';
  }
  return out;
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidInput:
    case StatusCode::kIoError:
      return 2;
    case StatusCode::kFailed:
    case StatusCode::kInternal:
      return 1;
  }
  return 1;
}

}  // namespace lccge
