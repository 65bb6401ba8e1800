#include "lccge/model/benchmark_model.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "lccge/data/synth.hpp"
#include "lccge/model/multi_region.hpp"

namespace lccge::model {

namespace {

std::string Number(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.17g", v);
  return buffer;
}

// Parses a whole string as a finite number.
bool ParseNumber(const std::string& text, double* value) {
  if (text.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return false;
  *value = v;
  return true;
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Status ParseShock(const std::string& text, Shock* shock) {
  const Status invalid = Status::Invalid("invalid shock '" + text +
                                         "': expected none, tariff:X (tariffs set to X %), tariff:+X (X points added) "
                                         "or endowment:F (endowments times F > 0)");
  Shock s;
  s.text = text;
  if (text.empty() || text == "none") {
    s.text = "none";
    *shock = s;
    return Status::Ok();
  }
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return invalid;
  const std::string kind = text.substr(0, colon), arg = text.substr(colon + 1);
  double v = 0;
  if (!ParseNumber(arg, &v)) return invalid;
  if (kind == "tariff") {
    s.kind = (arg[0] == '+' || arg[0] == '-') ? Shock::Kind::kTariffAdd : Shock::Kind::kTariffSet;
    s.value = v / 100.0;
  } else if (kind == "endowment") {
    if (!(v > 0)) return invalid;
    s.kind = Shock::Kind::kEndowment;
    s.value = v;
  } else {
    return invalid;
  }
  *shock = s;
  return Status::Ok();
}

Status ScaleEndowments(const Model& in, const std::string& parameter,
                       const std::function<bool(const std::string& consumer, const std::string& commodity)>& select,
                       Model* out) {
  if (!in.finalized()) return Status::Invalid("ScaleEndowments needs a finalized model");
  if (in.ParameterIndex(parameter) >= 0 || in.VariableIndex(parameter) >= 0)
    return Status::Invalid("the model already has a name '" + parameter + "'");
  Model m(in.name());
  m.SetTitle(in.title());
  for (const auto& [name, value] : in.parameters()) m.AddParameter(name, value);
  m.AddParameter(parameter, 1.0);
  for (const VariableInfo& v : in.variables()) {
    switch (v.kind) {
      case VariableKind::kSector:
        m.AddSector(v.name);
        break;
      case VariableKind::kCommodity:
        m.AddCommodity(v.name);
        break;
      case VariableKind::kConsumer:
        m.AddConsumer(v.name);
        break;
      case VariableKind::kAuxiliary:
        m.AddAuxiliary(v.name);
        break;
    }
    // The finalized model holds the resolved bounds (defaults and the file's); state them all explicitly.
    m.SetLowerBound(v.name, v.lower);
    m.SetUpperBound(v.name, v.upper);
  }
  // Groups (the newton-krylov preconditioner's blocks) carry over.
  for (size_t v = 0; v < in.group_of_variable().size(); ++v) {
    const int g = in.group_of_variable()[v];
    if (g >= 0) m.SetVariableGroup(in.variables()[v].name, in.group_names()[static_cast<size_t>(g)]);
  }
  for (const Production& p : in.productions()) m.AddProduction(p);
  for (Demand d : in.demands()) {
    for (Endowment& e : d.endowments) {
      if (!select(d.consumer, e.commodity)) continue;
      const std::string q = e.quantity.is_constant() ? Number(e.quantity.constant_value()) : e.quantity.text();
      e.quantity = Expression::FromText(parameter + "*(" + q + ")");
    }
    m.AddDemand(std::move(d));
  }
  for (const AuxConstraint& a : in.aux_constraints()) m.AddAuxConstraint(a);
  for (const auto& [name, value] : in.start()) m.SetStart(name, value);
  for (const Scenario& s : in.scenarios()) m.AddScenario(s);
  m.SetBenchmarkCheck(in.benchmark_check());
  Status s = m.Finalize();
  if (!s.ok()) return Status::Internal("ScaleEndowments: the copied model does not finalize: " + s.ToString());
  *out = std::move(m);
  return Status::Ok();
}

Status ApplyShock(const Shock& shock, const Scenario& base, Model* model, Scenario* scenario) {
  // `base` may be one of *model's own scenarios: it is copied first and not read once the model is replaced.
  Scenario result = base;
  if (shock.kind != Shock::Kind::kNone) result.name = base.name + "+" + shock.text;
  switch (shock.kind) {
    case Shock::Kind::kNone:
      break;
    case Shock::Kind::kTariffSet:
    case Shock::Kind::kTariffAdd:
      if (model->ParameterIndex("tariff_scale") < 0 || model->ParameterIndex("tariff_add") < 0)
        return Status::Invalid("shock '" + shock.text + "' needs the parameters tariff_scale and tariff_add (model '" +
                               model->name() + "' has not both)");
      if (shock.kind == Shock::Kind::kTariffSet) result.parameters["tariff_scale"] = 0.0;
      result.parameters["tariff_add"] = shock.value;
      break;
    case Shock::Kind::kEndowment:
      if (model->ParameterIndex(kEndowmentScaleParameter) < 0) {
        Model scaled;
        Status s = ScaleEndowments(
            *model, kEndowmentScaleParameter,
            [&base](const std::string&, const std::string& commodity) { return base.fixed.count(commodity) == 0; },
            &scaled);
        if (!s.ok()) return s;
        *model = std::move(scaled);
      }
      result.parameters[kEndowmentScaleParameter] = shock.value;
      break;
  }
  *scenario = std::move(result);
  return Status::Ok();
}

bool BenchmarkModelOptions::IsValid(std::string* error) const {
  if (regions < 1 || sectors < 1) {
    if (error) *error = "regions and sectors must be at least 1";
    return false;
  }
  return true;
}

Status BuildBenchmarkModel(const BenchmarkModelOptions& options, Model* model, Scenario* scenario,
                           BenchmarkModelTimes* times) {
  std::string error;
  if (!options.IsValid(&error)) return Status::Invalid(error);
  BenchmarkModelTimes t;
  auto t0 = std::chrono::steady_clock::now();
  data::SynthOptions synth;
  synth.regions = options.regions;
  synth.sectors = options.sectors;
  synth.seed = options.seed;
  if (!synth.IsValid(&error)) return Status::Invalid(error);
  data::Dataset dataset;
  Status s = data::Synthesize(synth, &dataset);
  if (!s.ok()) return s;
  t.synth_seconds = SecondsSince(t0);

  t0 = std::chrono::steady_clock::now();
  Model built;
  MultiRegionOptions builder_options;
  builder_options.add_scenarios = false;  // only the benchmark is needed, made below
  s = BuildMultiRegionModel(dataset, builder_options, &built);
  if (!s.ok()) return s;
  t.builder_seconds = SecondsSince(t0);

  t0 = std::chrono::steady_clock::now();
  // The builder's "benchmark" scenario: the first region's PU is the numeraire (MultiRegionOptions defaults).
  Scenario base;
  base.name = "benchmark";
  base.fixed[Name("PU", dataset.regions.front())] = 1.0;
  s = ApplyShock(options.shock, base, &built, scenario);
  if (!s.ok()) return s;
  t.shock_seconds = SecondsSince(t0);
  *model = std::move(built);
  if (times != nullptr) *times = t;
  return Status::Ok();
}

}  // namespace lccge::model
