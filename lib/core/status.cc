#include "lccge/core/status.hpp"

namespace lccge {

std::string SourceLocation::ToString() const {
  if (line <= 0) return file;
  const std::string number = std::to_string(line);
  if (file.empty()) return std::string("line ").append(number);
  return std::string(file).append(":").append(number);
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

Status Diagnostics::FirstSince(size_t since, const std::string& place) const {
  if (problems_.size() <= since) return Status::Ok();
  const size_t count = problems_.size() - since;
  const Status& first = problems_[since];
  if (count == 1) return first;
  return Status(first.code(),
                first.cause() + " (and " + std::to_string(count - 1) + " more problem" + (count == 2 ? "" : "s") +
                    " in " + place + ": `lccge check` lists them)",
                first.where());
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
