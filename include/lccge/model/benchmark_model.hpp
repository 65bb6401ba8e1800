// Benchmark models and shocks, shared by `lccge bench` and the programs in benchmarks/: a synthetic
// multi-region model of any size (data::Synthesize + BuildMultiRegionModel) under a shock given as text
// ("tariff:10", "tariff:+100", "endowment:0.5"). docs/benchmarks.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"

namespace lccge::model {

// A shock applied to a scenario:
//   "none"           no change;
//   "tariff:X"       every bilateral tariff set to X % (tariff_scale = 0, tariff_add = X/100); "tariff:0" removes
//                    all tariffs (the builder's "tariff_removal" scenario);
//   "tariff:+X"      X percentage points added to every bilateral tariff (tariff_add = X/100); "tariff:+10" is the
//                    builder's "tariff_10" scenario ("tariff:-X" subtracts);
//   "endowment:F"    every endowment of a commodity whose price the scenario does not fix scaled by F > 0 through a
//                    parameter `endowment_scale` (in the multi-region model: labour, capital and resources; the
//                    foreign savings, held in the numeraire, stay).
struct Shock {
  enum class Kind { kNone, kTariffSet, kTariffAdd, kEndowment };
  Kind kind = Kind::kNone;
  double value = 0.0;
  std::string text = "none";
};

// Parses a shock; an invalid text gives an Invalid status naming the accepted forms.
Status ParseShock(const std::string& text, Shock* shock);

// The name of the parameter that scales endowments (see ScaleEndowments).
inline constexpr const char* kEndowmentScaleParameter = "endowment_scale";

// Applies `shock` to `base` (a scenario of `*model`), giving `*scenario` (named "<base>+<shock text>"). Tariff shocks
// need the parameters tariff_scale and tariff_add (the multi-region model has them). An endowment shock on a model
// without the parameter `endowment_scale` replaces `*model` by ScaleEndowments(*model) selecting the commodities
// not fixed by `base`.
Status ApplyShock(const Shock& shock, const Scenario& base, Model* model, Scenario* scenario);

// A copy of the finalized model `in` in which every endowment quantity q for which `select(consumer, commodity)`
// holds becomes `parameter * (q)`, with `parameter` added at value 1 (so every scenario of `in` has the same
// solution). Calibration is unchanged: only the endowments move when a scenario sets the parameter.
Status ScaleEndowments(const Model& in, const std::string& parameter,
                       const std::function<bool(const std::string& consumer, const std::string& commodity)>& select,
                       Model* out);

struct BenchmarkModelOptions {
  int regions = 3;
  int sectors = 4;
  std::uint64_t seed = 1;
  Shock shock;
  bool IsValid(std::string* error) const;
};

struct BenchmarkModelTimes {
  double synth_seconds = 0;    // data::Synthesize
  double builder_seconds = 0;  // BuildMultiRegionModel (calibration, Finalize)
  double shock_seconds = 0;    // ApplyShock (a model copy for endowment shocks)
  double total() const { return synth_seconds + builder_seconds + shock_seconds; }
};

// The synthetic multi-region model with options.regions x options.sectors (data::SynthOptions defaults otherwise,
// options.seed) and its "benchmark" scenario with the shock applied.
Status BuildBenchmarkModel(const BenchmarkModelOptions& options, Model* model, Scenario* scenario,
                           BenchmarkModelTimes* times = nullptr);

}  // namespace lccge::model
