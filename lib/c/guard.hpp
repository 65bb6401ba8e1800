// The error handling every entry point of the C API shares (lccge_c.cc, lccge_c_run.cc): Guard clears the thread's
// last error, turns an lccge::Status into a status code and a message, and catches every exception, so that nothing
// but a status code leaves the library. Read and Entry are the common shapes of an entry point's body.
#pragma once

#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "lccge/c/lccge.h"
#include "lccge/core/status.hpp"
#include "lccge/solve/solver.hpp"

// The handles of lccge.h, defined where they are used.
struct lccge_options {
  lccge::Solver::Options options;
};

namespace lccge::internal::c_api {

// The message of the thread's last failed call (one variable for the whole library: inline).
inline thread_local std::string last_error;

// An error of the C layer itself: a status code and its message.
struct CError {
  int code;
  std::string message;
};

// Records the message of a failed call, "function: message" (or just the message when function is null). Never
// throws: with no memory left for it, the message stays empty.
inline int Fail(int code, const char* function, std::string_view message) noexcept {
  try {
    last_error.clear();
    if (function != nullptr) last_error.append(function).append(": ");
    last_error.append(message);
  } catch (...) {
    last_error.clear();
  }
  return code;
}

inline int CodeOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return LCCGE_OK;
    case StatusCode::kInvalidInput:
      return LCCGE_ERROR_INVALID_INPUT;
    case StatusCode::kIoError:
      return LCCGE_ERROR_IO;
    case StatusCode::kFailed:
      return LCCGE_ERROR_FAILED;
    case StatusCode::kInternal:
      return LCCGE_ERROR_INTERNAL;
  }
  return LCCGE_ERROR_INTERNAL;
}

// Runs `body` (which returns a Status, or throws CError for an error of the C layer) with the error handling every
// entry point needs.
template <typename Body>
int Guard(const char* function, Body&& body) noexcept {
  try {
    last_error.clear();
    const Status status = body();
    if (status.ok()) return LCCGE_OK;
    return Fail(CodeOf(status.code()), nullptr, status.ToString());
  } catch (const CError& e) {
    return Fail(e.code, function, e.message);
  } catch (const std::bad_alloc&) {
    return Fail(LCCGE_ERROR_INTERNAL, function, "out of memory");
  } catch (const std::exception& e) {
    return Fail(LCCGE_ERROR_INTERNAL, function, e.what());
  } catch (...) {
    return Fail(LCCGE_ERROR_INTERNAL, function, "internal error (an unknown exception)");
  }
}

// Throws LCCGE_ERROR_NULL unless `pointer` is set; `what` names the argument.
template <typename T>
void Require(const T* pointer, const char* what) {
  if (pointer == nullptr) throw CError{LCCGE_ERROR_NULL, std::string(what) + " is NULL"};
}

inline void RequireIndex(size_t index, size_t count, const char* what) {
  if (index >= count) {
    throw CError{LCCGE_ERROR_RANGE, std::string(what) + " index " + std::to_string(index) + " is past the end (" +
                                        std::to_string(count) + (count == 1 ? " entry)" : " entries)")};
  }
}

inline void RequireCapacity(size_t capacity, size_t count) {
  if (capacity < count) {
    throw CError{LCCGE_ERROR_RANGE,
                 "the arrays hold " + std::to_string(capacity) + " elements, " + std::to_string(count) + " are needed"};
  }
}

[[noreturn]] inline void NotFound(const char* what, const std::string& name) {
  throw CError{LCCGE_ERROR_NOT_FOUND, std::string("no ") + what + " named '" + name + "'"};
}

// Applies `change` to a copy of the options and keeps it if it is valid: an invalid value changes nothing.
template <typename Change>
Status SetOption(lccge_options* handle, Change&& change) {
  Require(handle, "options");
  Solver::Options changed = handle->options;
  change(&changed);
  std::string why;
  if (!changed.IsValid(&why)) return Status::Invalid("invalid solver option: " + why);
  handle->options = std::move(changed);
  return Status::Ok();
}

// The name of a handle type in messages ("model is NULL"). Every handle's overload is declared here, before Read.
inline const char* HandleName(const lccge_model*) { return "model"; }
inline const char* HandleName(const lccge_options*) { return "options"; }
inline const char* HandleName(const lccge_result*) { return "result"; }
inline const char* HandleName(const lccge_run_options*) { return "run options"; }
inline const char* HandleName(const lccge_table*) { return "table"; }

// Reads one field of a handle into `out`: what most entry points do.
template <typename Handle, typename T, typename Get>
int Read(const char* function, const Handle* handle, T* out, Get&& get) {
  return Guard(function, [&] {
    Require(handle, HandleName(handle));
    Require(out, "the output pointer");
    *out = get(*handle);
    return Status::Ok();
  });
}

// Entry `index` of `table`, or LCCGE_ERROR_RANGE naming `what`.
template <typename Table>
const auto& Entry(const Table& table, size_t index, const char* what) {
  RequireIndex(index, table.size(), what);
  return table[index];
}

}  // namespace lccge::internal::c_api
