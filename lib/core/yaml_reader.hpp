// Internal: typed reads out of yaml-cpp nodes, every problem a Status naming the file, the line and the column
// (footprint inventories, battery scenario files). Include only from lib/ (yaml-cpp is a private dependency).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <set>
#include <string>

#include "core/utf8.hpp"
#include "lccge/core/status.hpp"

// Returns the status of `expr` from the calling function when it is not ok.
#ifndef LCCGE_RETURN_IF_ERROR
#define LCCGE_RETURN_IF_ERROR(expr) \
  do {                              \
    ::lccge::Status _s = (expr);    \
    if (!_s.ok()) return _s;        \
  } while (0)
#endif

namespace lccge::internal {

// Checks `text` (UTF-8, no raw control characters: CheckYamlText) and parses it into `root`; a syntax error names
// the file, the line and the column.
inline Status ParseYamlDocument(const std::string& text, const std::string& file, YAML::Node* root) {
  if (Status checked = CheckYamlText(text, file); !checked.ok()) return checked;
  try {
    *root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::Invalid("malformed YAML: " + e.msg,
                           {file, e.mark.line >= 0 ? e.mark.line + 1 : 0, e.mark.column + 1});
  }
  return Status::Ok();
}

// Reads typed values out of yaml-cpp nodes, turning every problem into a Status that names the file and line.
class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  SourceLocation Where(const YAML::Node& node) const {
    const YAML::Mark m = node.Mark();
    if (m.line < 0) return {file_, 0, 0};
    return {file_, m.line + 1, m.column + 1};
  }

  Status Error(const YAML::Node& node, const std::string& cause) const { return Status::Invalid(cause, Where(node)); }

  Status RequireMap(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) return Error(node, what + " must be a mapping (key: value)");
    return Status::Ok();
  }
  Status RequireSequence(const YAML::Node& node, const std::string& what) const {
    if (!node.IsSequence()) return Error(node, what + " must be a list");
    return Status::Ok();
  }

  // Every key of `node` must be in `allowed`.
  Status CheckKeys(const YAML::Node& node, const std::set<std::string>& allowed, const std::string& what) const {
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (!allowed.count(key)) {
        std::string list;
        for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
        return Error(it->first, "unknown key '" + key + "' in " + what + " (expected one of: " + list + ")");
      }
    }
    return Status::Ok();
  }

  Status String(const YAML::Node& parent, const std::string& key, const std::string& what, std::string* out,
                bool required = true) const {
    const YAML::Node n = parent[key];
    if (!n) return required ? Error(parent, "missing '" + key + "' in " + what) : Status::Ok();
    if (!n.IsScalar() || n.Scalar().empty()) return Error(n, "'" + key + "' in " + what + " must be a non-empty text");
    *out = n.Scalar();
    return Status::Ok();
  }

  Status Number(const YAML::Node& n, const std::string& what, double* out) const {
    if (!n.IsScalar()) return Error(n, what + " must be a number");
    try {
      *out = n.as<double>();
    } catch (const YAML::Exception&) {
      return Error(n, what + ": '" + n.Scalar() + "' is not a number");
    }
    if (!std::isfinite(*out)) return Error(n, what + ": '" + n.Scalar() + "' is not a finite number");
    return Status::Ok();
  }

  Status Number(const YAML::Node& parent, const std::string& key, const std::string& what, double* out,
                bool required = true) const {
    const YAML::Node n = parent[key];
    if (!n) return required ? Error(parent, "missing '" + key + "' in " + what) : Status::Ok();
    return Number(n, "'" + key + "' in " + what, out);
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

}  // namespace lccge::internal
