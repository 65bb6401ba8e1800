// The data layer (lccge.check, lccge.build, lccge.synth) and the emission accounts of an equilibrium
// (lccge.emissions, lccge.EmissionAccounts).
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"
#include "lccge/data/synth.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/lca/equilibrium.hpp"
#include "lccge/model/multi_region.hpp"

namespace lccge::python {
namespace {

py::list Check(const py::object& path_object) {
  const std::string path = PathOf(path_object);
  Diagnostics diagnostics;
  {
    py::gil_scoped_release release;
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      data::CheckDataDirectory(path, &diagnostics);
    } else {
      Model model;
      io::LoadModel(path, &model, &diagnostics);
    }
  }
  py::list problems;
  for (const Status& p : diagnostics.problems()) problems.append(py::cast(p));
  return problems;
}

Model Build(const py::object& data_dir, const py::object& out, const std::string& numeraire_region,
            bool explicit_import_composite) {
  const std::string dir = PathOf(data_dir);
  model::MultiRegionOptions options;
  options.numeraire_region = numeraire_region;
  options.explicit_import_composite = explicit_import_composite;
  if (std::string why; !options.IsValid(&why)) ThrowInvalid("invalid build option: " + why);
  Model model;
  Diagnostics diagnostics;
  Status s;
  {
    py::gil_scoped_release release;
    s = model::BuildMultiRegionModelFromDirectory(dir, options, &model, &diagnostics);
  }
  ThrowIfError(s, &diagnostics);
  if (!out.is_none()) ThrowIfError(io::SaveModel(model, PathOf(out)));
  return model;
}

std::string Synth(const py::object& out_dir, int regions, int sectors, std::uint64_t seed, bool government,
                  bool margins, bool cet, double zero_link_share, double mean_tariff) {
  const std::string out = PathOf(out_dir);
  data::SynthOptions options;
  options.regions = regions;
  options.sectors = sectors;
  options.seed = seed;
  options.government = government;
  options.margins = margins;
  options.cet = cet;
  options.zero_link_share = zero_link_share;
  options.mean_tariff = mean_tariff;
  if (std::string why; !options.IsValid(&why)) ThrowInvalid("invalid synth option: " + why);
  Status s;
  {
    py::gil_scoped_release release;
    data::Dataset dataset;
    s = data::Synthesize(options, &dataset);
    if (s.ok()) s = data::WriteDataset(dataset, out);
  }
  ThrowIfError(s);
  return out;
}

// NaN (not finite) as None, as in the command line's JSON.
py::object Number(double value) { return std::isfinite(value) ? py::object(py::float_(value)) : py::none(); }

lca::EquilibriumAccounts Emissions(const Model& model, const Result& result, const py::object& factors_file,
                                   const py::object& grid_file, const py::object& stages_file, int year,
                                   const std::string& value_unit) {
  if (!model.finalized()) ThrowInvalid("model '" + model.name() + "' is not finalized: solve it first");
  if (result.values.size() != model.variables().size()) {
    ThrowInvalid("the result has " + std::to_string(result.values.size()) + " values, model '" + model.name() + "' " +
                 std::to_string(model.variables().size()) + " variables: a result of another model?");
  }
  const std::string factors_path = PathOf(factors_file), grid_path = PathOf(grid_file);
  const std::string stages_path = stages_file.is_none() ? std::string() : PathOf(stages_file);
  lca::MultiRegionAccountsOptions options;
  options.year = year;
  options.value_unit = value_unit;
  lca::EquilibriumAccounts accounts;
  Status s;
  {
    py::gil_scoped_release release;
    lca::GridIntensities grid;
    lca::EmissionFactors factors;
    s = lca::LoadGridIntensities(grid_path, &grid);
    if (s.ok()) s = lca::LoadEmissionFactors(factors_path, grid, &factors);
    if (s.ok() && !stages_path.empty()) s = lca::LoadStageLabels(stages_path, &options.stages);
    if (s.ok()) {
      s = lca::ComputeMultiRegionAccounts(model, result.scenario, result.values, factors, grid, options, &accounts);
    }
  }
  ThrowIfError(s);
  return accounts;
}

py::list Activities(const lca::EquilibriumAccounts& a) {
  py::list rows;
  for (const lca::ActivityAccount& x : a.activities) {
    py::dict row;
    row["activity"] = x.sector;
    row["region"] = x.industry.region;
    row["sector"] = x.industry.sector;
    row["level"] = x.level;
    row["output_value"] = x.output_value;
    row["intermediate"] = x.intermediate;
    row["factor_payments"] = x.factor_payments;
    row["taxes"] = x.taxes;
    row["value_added"] = x.value_added;
    row["direct"] = x.direct;
    row["direct_process"] = x.direct_parts.process;
    row["direct_fuel"] = x.direct_parts.fuel;
    row["direct_electricity"] = x.direct_parts.electricity;
    row["direct_intensity"] = x.direct_intensity;
    row["embodied_intensity"] = x.embodied_intensity;
    rows.append(row);
  }
  return rows;
}

py::list FinalDemand(const lca::EquilibriumAccounts& a) {
  py::list rows;
  for (const lca::FinalDemandAccount& f : a.final_demand) {
    py::dict row;
    row["consumer"] = f.consumer;
    row["region"] = f.region;
    row["value"] = f.value;
    row["embodied"] = f.embodied;
    row["intensity"] = f.intensity;
    row["by_origin"] = f.by_origin;
    rows.append(row);
  }
  return rows;
}

py::list Stages(const lca::EquilibriumAccounts& a) {
  py::list rows;
  if (!a.has_stages) return rows;
  for (const lca::StageShare& s : a.stages.stages) {
    py::dict row;
    row["stage"] = s.stage;
    row["value_added"] = s.value_added;
    row["emissions"] = s.emissions;
    row["value_share"] = s.value_share;
    row["emission_share"] = s.emission_share;
    row["ratio"] = Number(s.ratio);
    rows.append(row);
  }
  return rows;
}

}  // namespace

void BindDataLca(py::module_& m) {
  m.def("check", &Check, py::arg("path"),
        "check(path) -> list of lccge.Problem\n\n"
        "Validates a model file or a data folder and returns every problem found (empty: clean), each with its "
        "file, line and cause, as `lccge check PATH` lists them.");
  m.def("build", &Build, py::arg("data_dir"), py::arg("out") = py::none(), py::arg("numeraire_region") = "",
        py::arg("explicit_import_composite") = false,
        "build(data_dir, out=None, numeraire_region='', explicit_import_composite=False) -> lccge.Model\n\n"
        "Calibrates the standard multi-region (GTAP-style) model from a data folder (docs/multi-region.md) and, "
        "when `out` is given, writes it as a model file. numeraire_region: the region whose PU is the numeraire "
        "('' = the first). Raises lccge.InputError with the first problem in the data (its `problems` attribute "
        "lists them all).");
  m.def("synth", &Synth, py::arg("out_dir"), py::arg("regions") = 3, py::arg("sectors") = 4, py::arg("seed") = 1,
        py::arg("government") = true, py::arg("margins") = true, py::arg("cet") = false,
        py::arg("zero_link_share") = 0.3, py::arg("mean_tariff") = 0.05,
        "synth(out_dir, regions=3, sectors=4, seed=1, government=True, margins=True, cet=False, "
        "zero_link_share=0.3, mean_tariff=0.05) -> str\n\n"
        "Writes a synthetic, balanced multi-region data folder of any size (docs/data.md, \"Synthetic data\"); the "
        "same seed writes the same data. Returns out_dir.");

  py::class_<lca::EquilibriumAccounts>(
      m, "EmissionAccounts",
      "Life-cycle emission accounts of an equilibrium (docs/lca.md): direct emissions of each activity, emissions "
      "embodied in each consumer's final demand by the region where they occur, and the value-emission "
      "decomposition by stage. Emissions in kg CO2e. The row lists convert to pandas with pandas.DataFrame(rows).")
      .def_readonly("total_direct", &lca::EquilibriumAccounts::total_direct, "Total direct emissions.")
      .def_readonly("total_embodied", &lca::EquilibriumAccounts::total_embodied,
                    "Emissions embodied in all final demand (equal to total_direct: conservation).")
      .def_readonly("conservation_gap", &lca::EquilibriumAccounts::conservation_gap,
                    "|total_embodied - total_direct| / total_direct.")
      .def_readonly("max_market_imbalance", &lca::EquilibriumAccounts::max_market_imbalance,
                    "Largest relative value imbalance of a produced commodity's market.")
      .def_property_readonly("activities", &Activities,
                             "One dict per activity: activity, region, sector, level, output_value, intermediate, "
                             "factor_payments, taxes, value_added, direct (and its process, fuel and electricity "
                             "parts), direct_intensity, embodied_intensity (per unit of output value).")
      .def_property_readonly("final_demand", &FinalDemand,
                             "One dict per final-demand column: consumer, region, value, embodied, intensity, "
                             "by_origin (region where the emissions occur -> kg CO2e).")
      .def_property_readonly("stages", &Stages,
                             "One dict per stage (when stage labels were given): stage, value_added, emissions, "
                             "value_share, emission_share, ratio.")
      .def("__repr__", [](const lca::EquilibriumAccounts& a) {
        return "<lccge.EmissionAccounts: " + std::to_string(a.activities.size()) + " activities, " +
               std::to_string(a.total_direct) + " kg CO2e direct>";
      });

  m.def("emissions", &Emissions, py::arg("model"), py::arg("result"), py::arg("factors"), py::arg("grid"),
        py::arg("stages") = py::none(), py::arg("year") = 0, py::arg("value_unit") = "USD",
        "emissions(model, result, factors, grid, stages=None, year=0, value_unit='USD') -> "
        "lccge.EmissionAccounts\n\n"
        "The emission accounts of the standard multi-region model (lccge.build, or Model.load of a data folder) at "
        "a solution `result` of it: emission factors by region and sector and grid intensities by region from CSV "
        "files (docs/lca.md), optional stage labels for the value-emission decomposition; `year` selects rows of "
        "the tables (0: those without a year), `value_unit` is the unit of value of the data. As `lccge emissions`.");
}

}  // namespace lccge::python
