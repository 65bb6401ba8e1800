// BuildMultiRegionModelFromDirectory, and io::LoadModelOrData on top of it: a model from a file or a data folder.
#include <filesystem>

#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/model/multi_region.hpp"

namespace lccge {

namespace model {

Status BuildMultiRegionModelFromDirectory(const std::string& dir, const MultiRegionOptions& options, Model* model,
                                          Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics* problems = diagnostics != nullptr ? diagnostics : &local;
  const size_t before = problems->problems().size();
  data::Dataset dataset;
  data::ReadDataset(dir, &dataset, problems);
  // Without a scheme or regions, no further check makes sense (as data::CheckDataDirectory).
  if (dataset.num_accounts() > 0 && dataset.num_regions() > 0) {
    data::CheckDataset(dataset, data::CheckOptions(), problems);
  }
  if (Status s = problems->FirstSince(before, "the data folder " + dir); !s.ok()) return s;
  return BuildMultiRegionModel(dataset, options, model);
}

}  // namespace model

Status io::LoadModelOrData(const std::string& path, Model* model, Diagnostics* diagnostics) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) return LoadModel(path, model, diagnostics);
  return model::BuildMultiRegionModelFromDirectory(path, model::MultiRegionOptions(), model, diagnostics);
}

}  // namespace lccge
