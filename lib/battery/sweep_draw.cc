// One draw of a sweep: the data and scenarios with the draw's inputs applied, solved to the last year. Apart from the
// sweep file's reader (sweep.cc), which the fuzz build compiles without the solver.
#include <limits>

#include "lccge/battery/model.hpp"
#include "lccge/battery/sweep.hpp"

namespace lccge::battery {

Status EvaluateDraw(const BatteryData& base, const SweepSpec& spec, int draw, const std::vector<double>& inputs,
                    DrawResult* result) {
  if (inputs.size() != spec.inputs.size()) return Status::Invalid("a draw needs one value per input");
  DrawResult r;
  r.draw = draw;
  r.inputs = inputs;
  BatteryData data = base;
  DynamicOptions options;
  options.last_year = spec.last_year;
  options.step = spec.step;
  if (spec.max_iterations > 0) options.solver.max_iterations = spec.max_iterations;
  if (spec.tolerance > 0) options.solver.tolerance = spec.tolerance;
  std::vector<ScenarioSpec> scenarios = spec.scenarios;
  data::Dataset& d = data.dataset;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const SweepTarget& t = spec.inputs[k].target;
    const double v = inputs[k];
    switch (t.kind) {
      case SweepTarget::Kind::kElasticity: {
        data::Elasticity e;
        data::ParseElasticity(t.name, &e);
        Eigen::MatrixXd& m = d.elasticities[static_cast<size_t>(e)];
        for (int rr = 0; rr < d.num_regions(); ++rr)
          for (int s = 0; s < d.num_sectors(); ++s)
            if ((t.region == "*" || d.regions[static_cast<size_t>(rr)] == t.region) &&
                (t.sector == "*" || d.sectors[static_cast<size_t>(s)].name == t.sector))
              m(rr, s) = v;
        break;
      }
      case SweepTarget::Kind::kNest:
        for (data::InputNest& n : d.input_nests)
          if (n.name == t.name) n.elasticity = v;
        break;
      case SweepTarget::Kind::kEmissionFactors:
        for (const SectorInfo& s : data.sectors)
          if (!s.stage.empty() && (t.name == "*" || t.name == s.stage || t.name == s.name))
            options.factor_scale[s.name] = v;
        break;
      case SweepTarget::Kind::kGrid:
        options.grid_scale[t.name] = v;
        break;
      case SweepTarget::Kind::kBatteryDemand:
        options.demand_growth_scale = v;
        break;
      case SweepTarget::Kind::kLever:
        for (ScenarioSpec& sc : scenarios) ScaleLever(&sc, t.name, v);
        break;
      case SweepTarget::Kind::kParameter:
        data.parameters[t.name] = v;
        break;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.outputs.assign(spec.scenarios.size() * spec.regions.size(), nan);
  BatteryModel model;
  Status s = BuildBatteryModel(data, {}, &model);
  std::vector<ScenarioResult> runs;
  if (s.ok()) {
    runs.resize(scenarios.size() + 1);
    s = RunScenario(data, model, spec.baseline, options, nullptr, &runs[0]);
    for (size_t i = 0; s.ok() && i < scenarios.size(); ++i)
      s = RunScenario(data, model, scenarios[i], options, nullptr, &runs[i + 1]);
  }
  if (!s.ok()) {
    // Invalid input is the caller's error; anything else (no convergence) is this draw's failure.
    if (s.code() == StatusCode::kInvalidInput || s.code() == StatusCode::kIoError) return s;
    r.ok = false;
    r.message = s.cause();
    *result = std::move(r);
    return Status::Ok();
  }
  r.ok = true;
  for (size_t i = 0; i < scenarios.size(); ++i)
    for (size_t j = 0; j < spec.regions.size(); ++j)
      r.outputs[i * spec.regions.size() + j] =
          IntensityChangePercent(runs[i + 1], runs[0], spec.regions[j], spec.last_year);
  for (const YearRecord& y : runs[0].years) r.years.push_back(y.year);
  for (const ScenarioResult& run : runs) {
    std::vector<double> path;
    for (const YearRecord& y : run.years) path.push_back(y.accounts.world.Intensity());
    r.world_intensity.push_back(std::move(path));
  }
  *result = std::move(r);
  return Status::Ok();
}

}  // namespace lccge::battery
