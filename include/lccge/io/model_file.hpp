// Model files (format v1, docs/model-format.md): YAML, or JSON (which is YAML). Errors name file, line and cause.
#pragma once

#include <string>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"

namespace lccge::io {

// Loads and finalizes a model; every problem is added to `diagnostics` (if given), the first is returned.
Status LoadModel(const std::string& path, Model* model, Diagnostics* diagnostics = nullptr);
// The same from text; `file` names the source in messages.
Status ParseModel(const std::string& text, const std::string& file, Model* model, Diagnostics* diagnostics = nullptr);
// A model file, or, when `path` is a folder, the standard multi-region model of its data built in memory with the
// default options (model::BuildMultiRegionModelFromDirectory): what `lccge solve PATH` solves.
Status LoadModelOrData(const std::string& path, Model* model, Diagnostics* diagnostics = nullptr);

// Writes a model (as built in C++ or by a builder) as a YAML model file, atomically.
Status SaveModel(const Model& model, const std::string& path);
std::string ModelToYaml(const Model& model);

}  // namespace lccge::io
