// Status of a library call (did the call work?), kept apart from the status of a model's solution
// (Solver::Summary says whether an equilibrium was found). No exception escapes lccge.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lccge {

// Where a piece of input came from: a file and a 1-based line (0 when unknown, e.g. built in C++).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return !file.empty() || line > 0; }
  // "file:line" / "file" / "line N" / "" depending on what is known.
  std::string ToString() const;
};

enum class StatusCode {
  kOk = 0,
  kInvalidInput,  // the user's model, data or options are wrong (CLI exit code 2)
  kIoError,       // a file could not be read or written (CLI exit code 2)
  kFailed,        // a computation ran but did not succeed, e.g. no convergence (CLI exit code 1)
  kInternal,      // a defect in lccge itself (CLI exit code 1)
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string cause, SourceLocation where = {}) {
    return Status(StatusCode::kInvalidInput, std::move(cause), std::move(where));
  }
  static Status IoError(std::string cause, SourceLocation where = {}) {
    return Status(StatusCode::kIoError, std::move(cause), std::move(where));
  }
  static Status Failed(std::string cause) { return Status(StatusCode::kFailed, std::move(cause), {}); }
  static Status Internal(std::string cause) { return Status(StatusCode::kInternal, std::move(cause), {}); }

  Status(StatusCode code, std::string cause, SourceLocation where)
      : code_(code), cause_(std::move(cause)), where_(std::move(where)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& cause() const { return cause_; }
  const SourceLocation& where() const { return where_; }
  // "file:line: cause" (or just "cause" when no location is known).
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string cause_;
  SourceLocation where_;
};

// Collects every problem found (for `lccge check`, which lists them all rather than stopping at the first), and
// warnings: what is accepted as it is but is probably not what was meant (a benchmark that is not an equilibrium,
// say). Warnings never make ok() false.
class Diagnostics {
 public:
  void Add(Status status) {
    if (!status.ok()) problems_.push_back(std::move(status));
  }
  void Add(const Diagnostics& other) {
    problems_.insert(problems_.end(), other.problems_.begin(), other.problems_.end());
    warnings_.insert(warnings_.end(), other.warnings_.begin(), other.warnings_.end());
  }
  // A warning is a Status that is not ok (its cause and location say what and where).
  void AddWarning(Status warning) {
    if (!warning.ok()) warnings_.push_back(std::move(warning));
  }
  bool ok() const { return problems_.empty(); }
  const std::vector<Status>& problems() const { return problems_; }
  const std::vector<Status>& warnings() const { return warnings_; }
  // The first problem, or Ok.
  Status First() const { return problems_.empty() ? Status::Ok() : problems_.front(); }
  // The first problem added after the first `since` ones, its cause followed by how many more there are in `place`
  // (e.g. "the data folder DIR") and that `lccge check` lists them; Ok when none was added.
  Status FirstSince(size_t since, const std::string& place) const;
  // One problem per line.
  std::string ToString() const;

 private:
  std::vector<Status> problems_;
  std::vector<Status> warnings_;
};

// Exit code of the command-line program for a status: 0 ok, 2 invalid input or I/O, 1 otherwise.
int ExitCodeFor(const Status& status);

}  // namespace lccge
