#include "lccge/battery/sweep.hpp"

#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "core/yaml_reader.hpp"
#include "lccge/core/file.hpp"

namespace lccge::battery {

namespace {

namespace fs = std::filesystem;
using Reader = ::lccge::internal::YamlReader;

std::string Q(const std::string& s) { return "'" + s + "'"; }

Status ParseDistribution(const Reader& rd, const YAML::Node& n, const std::string& what, scenario::Distribution* d) {
  LCCGE_RETURN_IF_ERROR(rd.RequireMap(n, what));
  if (const YAML::Node values = n["values"]) {
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(n, {"values"}, what));
    LCCGE_RETURN_IF_ERROR(rd.RequireSequence(values, "'values' in " + what));
    d->kind = scenario::Distribution::Kind::kValues;
    for (const YAML::Node& v : values) {
      double x = 0;
      LCCGE_RETURN_IF_ERROR(rd.Number(v, "a value in " + what, &x));
      d->values.push_back(x);
    }
  } else {
    std::string type;
    LCCGE_RETURN_IF_ERROR(rd.String(n, "type", what, &type));
    struct Kind {
      const char* name;
      scenario::Distribution::Kind kind;
      std::vector<const char*> keys;
    };
    const Kind kinds[] = {{"uniform", scenario::Distribution::Kind::kUniform, {"min", "max"}},
                          {"normal", scenario::Distribution::Kind::kNormal, {"mean", "sd"}},
                          {"triangular", scenario::Distribution::Kind::kTriangular, {"min", "mode", "max"}},
                          {"lognormal", scenario::Distribution::Kind::kLogNormal, {"mu", "sigma"}}};
    const Kind* k = nullptr;
    for (const Kind& c : kinds)
      if (type == c.name) k = &c;
    if (k == nullptr)
      return rd.Error(n["type"], "unknown distribution '" + type +
                                     "' (expected uniform, normal, triangular, lognormal, or values: [...])");
    std::set<std::string> allowed = {"type", "lower", "upper"};
    for (const char* key : k->keys) allowed.insert(key);
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(n, allowed, what));
    d->kind = k->kind;
    std::vector<double> got;
    for (const char* key : k->keys) {
      double x = 0;
      LCCGE_RETURN_IF_ERROR(rd.Number(n, key, what, &x));
      got.push_back(x);
    }
    if (type == "triangular") {
      d->a = got[0];
      d->c = got[1];
      d->b = got[2];
    } else {
      d->a = got[0];
      d->b = got[1];
    }
    LCCGE_RETURN_IF_ERROR(rd.Number(n, "lower", what, &d->lower, false));
    LCCGE_RETURN_IF_ERROR(rd.Number(n, "upper", what, &d->upper, false));
  }
  std::string why;
  if (!d->IsValid(&why)) return rd.Error(n, what + ": " + why);
  return Status::Ok();
}

Status ParseTarget(const Reader& rd, const YAML::Node& n, const BatteryData& data, const SweepSpec& spec,
                   const std::string& what, SweepTarget* t) {
  LCCGE_RETURN_IF_ERROR(rd.RequireMap(n, what));
  LCCGE_RETURN_IF_ERROR(rd.CheckKeys(
      n, {"elasticity", "sector", "region", "nest", "emission_factors", "grid", "battery_demand", "lever", "parameter"},
      what));
  int kinds = 0;
  for (const char* k : {"elasticity", "nest", "emission_factors", "grid", "battery_demand", "lever", "parameter"})
    kinds += n[k] ? 1 : 0;
  if (kinds != 1)
    return rd.Error(n, what +
                           " needs exactly one of elasticity, nest, emission_factors, grid, battery_demand, lever, "
                           "parameter");
  auto text = [&](const char* key, std::string* out) -> Status {
    const YAML::Node v = n[key];
    if (!v.IsScalar() || v.Scalar().empty()) return rd.Error(v, std::string("'") + key + "' must be a text");
    *out = v.Scalar();
    return Status::Ok();
  };
  const data::Dataset& d = data.dataset;
  if (n["elasticity"]) {
    t->kind = SweepTarget::Kind::kElasticity;
    LCCGE_RETURN_IF_ERROR(text("elasticity", &t->name));
    data::Elasticity e;
    if (!data::ParseElasticity(t->name, &e)) return rd.Error(n["elasticity"], "unknown elasticity " + Q(t->name));
    t->sector = "*";
    t->region = "*";
    if (n["sector"]) LCCGE_RETURN_IF_ERROR(text("sector", &t->sector));
    if (n["region"]) LCCGE_RETURN_IF_ERROR(text("region", &t->region));
    if (t->sector != "*" && d.SectorIndex(t->sector) < 0)
      return rd.Error(n["sector"], "unknown sector " + Q(t->sector));
    if (t->region != "*" && d.RegionIndex(t->region) < 0)
      return rd.Error(n["region"], "unknown region " + Q(t->region));
  } else if (n["sector"] || n["region"]) {
    return rd.Error(n, "'sector' and 'region' go with 'elasticity' only");
  } else if (n["nest"]) {
    t->kind = SweepTarget::Kind::kNest;
    LCCGE_RETURN_IF_ERROR(text("nest", &t->name));
    bool found = false;
    for (const data::InputNest& nest : d.input_nests) found = found || nest.name == t->name;
    if (!found) return rd.Error(n["nest"], "no nest named " + Q(t->name) + " in nests.csv");
  } else if (n["emission_factors"]) {
    t->kind = SweepTarget::Kind::kEmissionFactors;
    LCCGE_RETURN_IF_ERROR(text("emission_factors", &t->name));
    const SectorInfo* s = data.FindSector(t->name);
    if (t->name != "*" && StageIndex(t->name) < 0 && (s == nullptr || s->stage.empty()))
      return rd.Error(n["emission_factors"], "unknown stage or chain sector " + Q(t->name));
  } else if (n["grid"]) {
    t->kind = SweepTarget::Kind::kGrid;
    LCCGE_RETURN_IF_ERROR(text("grid", &t->name));
    if (t->name != "*" && d.RegionIndex(t->name) < 0) return rd.Error(n["grid"], "unknown region " + Q(t->name));
  } else if (n["battery_demand"]) {
    t->kind = SweepTarget::Kind::kBatteryDemand;
    LCCGE_RETURN_IF_ERROR(text("battery_demand", &t->name));
    if (t->name != "growth") return rd.Error(n["battery_demand"], "battery_demand's target is 'growth'");
  } else if (n["lever"]) {
    t->kind = SweepTarget::Kind::kLever;
    LCCGE_RETURN_IF_ERROR(text("lever", &t->name));
    bool known = false;
    for (const std::string& l : LeverNames()) known = known || l == t->name;
    if (!known) return rd.Error(n["lever"], "unknown lever " + Q(t->name));
    bool used = false;
    for (const ScenarioSpec& sc : spec.scenarios) used = used || sc.levers.count(t->name) > 0;
    if (!used) return rd.Error(n["lever"], "lever " + Q(t->name) + " is not set by any of the sweep's scenarios");
  } else {
    t->kind = SweepTarget::Kind::kParameter;
    LCCGE_RETURN_IF_ERROR(text("parameter", &t->name));
    if (data.parameters.count(t->name) == 0)
      return rd.Error(n["parameter"], "unknown parameter " + Q(t->name) + " (not in parameters.csv)");
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> SweepSpec::OutputNames() const {
  std::vector<std::string> out;
  for (const ScenarioSpec& sc : scenarios)
    for (const std::string& r : regions) out.push_back(sc.name + "|" + r);
  return out;
}

Status LoadSweepFile(const std::string& path, const BatteryData& data, SweepSpec* out) {
  std::string text;
  LCCGE_RETURN_IF_ERROR(ReadFileToString(path, &text));
  YAML::Node root;
  LCCGE_RETURN_IF_ERROR(internal::ParseYamlDocument(text, path, &root));
  if (!root || root.IsNull()) return Status::Invalid("empty sweep file", {path, 0, 0});
  Reader rd(path);
  SweepSpec spec;
  spec.file = path;
  try {
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(root, "a sweep file"));
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(
        root,
        {"name", "description", "scenarios", "draws", "sampler", "seed", "years", "solver", "inputs", "source", "note"},
        "a sweep file"));
    LCCGE_RETURN_IF_ERROR(rd.String(root, "name", "a sweep file", &spec.name));
    // Scenarios: bundled names or files relative to the sweep file.
    const YAML::Node scs = root["scenarios"];
    if (!scs) return rd.Error(root, "missing 'scenarios' in a sweep file (e.g. [combined])");
    LCCGE_RETURN_IF_ERROR(rd.RequireSequence(scs, "'scenarios'"));
    if (scs.size() == 0) return rd.Error(scs, "'scenarios' is empty");
    const std::string bundled = data.dir + "/scenarios/";
    for (const YAML::Node& n : scs) {
      if (!n.IsScalar() || n.Scalar().empty()) return rd.Error(n, "a scenario must be a name or a file");
      std::string file = n.Scalar();
      if (fs::exists(bundled + file + ".yaml")) {
        file = bundled + file + ".yaml";
      } else if (!fs::path(file).is_absolute()) {
        file = (fs::path(path).parent_path() / file).string();
      }
      if (!fs::exists(file))
        return rd.Error(n, "unknown scenario " + Q(n.Scalar()) + " (a bundled name, e.g. combined, or a file)");
      ScenarioSpec sc;
      LCCGE_RETURN_IF_ERROR(LoadScenarioFile(file, data, &sc));
      if (sc.name == "Baseline") continue;  // it always runs
      for (const ScenarioSpec& other : spec.scenarios)
        if (other.name == sc.name) return rd.Error(n, "scenario " + Q(sc.name) + " named twice");
      spec.scenarios.push_back(std::move(sc));
    }
    if (spec.scenarios.empty()) return rd.Error(scs, "'scenarios' names no scenario other than Baseline");
    LCCGE_RETURN_IF_ERROR(LoadScenarioFile(BundledScenarioFiles(data.dir).front(), data, &spec.baseline));
    std::string sampler = "latin-hypercube";
    LCCGE_RETURN_IF_ERROR(rd.String(root, "sampler", "a sweep file", &sampler, false));
    if (!scenario::ParseSampler(sampler, &spec.sampler))
      return rd.Error(root["sampler"],
                      "unknown sampler " + Q(sampler) + " (expected random, latin-hypercube, sobol or grid)");
    double seed = 0;
    LCCGE_RETURN_IF_ERROR(rd.Number(root, "seed", "a sweep file", &seed, false));
    if (seed < 0 || seed != std::floor(seed) || seed > 9007199254740992.0)
      return rd.Error(root["seed"], "the seed must be a whole number >= 0");
    spec.seed = static_cast<std::uint64_t>(seed);
    if (const YAML::Node years = root["years"]) {
      LCCGE_RETURN_IF_ERROR(rd.RequireMap(years, "'years'"));
      LCCGE_RETURN_IF_ERROR(rd.CheckKeys(years, {"last", "step"}, "'years'"));
      double last = spec.last_year, step = spec.step;
      LCCGE_RETURN_IF_ERROR(rd.Number(years, "last", "'years'", &last, false));
      LCCGE_RETURN_IF_ERROR(rd.Number(years, "step", "'years'", &step, false));
      if (last != std::floor(last) || last < 2024 || last > 2100)
        return rd.Error(years["last"] ? years["last"] : years, "the last year must lie in 2024..2100");
      if (step != std::floor(step) || step < 1 || step > 20)
        return rd.Error(years["step"] ? years["step"] : years, "the step must be a whole number of years in 1..20");
      spec.last_year = static_cast<int>(last);
      spec.step = static_cast<int>(step);
    }
    if (const YAML::Node solver = root["solver"]) {
      LCCGE_RETURN_IF_ERROR(rd.RequireMap(solver, "'solver'"));
      LCCGE_RETURN_IF_ERROR(rd.CheckKeys(solver, {"max_iterations", "tolerance"}, "'solver'"));
      double it = 0, tol = 0;
      LCCGE_RETURN_IF_ERROR(rd.Number(solver, "max_iterations", "'solver'", &it, false));
      LCCGE_RETURN_IF_ERROR(rd.Number(solver, "tolerance", "'solver'", &tol, false));
      if (it < 0 || it != std::floor(it) || it > 100000)
        return rd.Error(solver["max_iterations"], "max_iterations must be a whole number >= 0");
      if (tol < 0 || tol >= 1) return rd.Error(solver["tolerance"], "the tolerance must lie in [0, 1)");
      spec.max_iterations = static_cast<int>(it);
      spec.tolerance = tol;
    }
    const YAML::Node inputs = root["inputs"];
    if (!inputs) return rd.Error(root, "missing 'inputs' in a sweep file");
    LCCGE_RETURN_IF_ERROR(rd.RequireSequence(inputs, "'inputs'"));
    if (inputs.size() == 0) return rd.Error(inputs, "'inputs' is empty");
    std::set<std::string> names;
    for (const YAML::Node& n : inputs) {
      SweepInput in;
      in.where = rd.Where(n);
      LCCGE_RETURN_IF_ERROR(rd.RequireMap(n, "an input"));
      LCCGE_RETURN_IF_ERROR(rd.CheckKeys(n, {"name", "target", "distribution", "source", "note"}, "an input"));
      LCCGE_RETURN_IF_ERROR(rd.String(n, "name", "an input", &in.name));
      if (!names.insert(in.name).second) return rd.Error(n["name"], "duplicate input " + Q(in.name));
      if (!n["target"]) return rd.Error(n, "missing 'target' in input " + Q(in.name));
      LCCGE_RETURN_IF_ERROR(ParseTarget(rd, n["target"], data, spec, "the target of input " + Q(in.name), &in.target));
      if (!n["distribution"]) return rd.Error(n, "missing 'distribution' in input " + Q(in.name));
      LCCGE_RETURN_IF_ERROR(
          ParseDistribution(rd, n["distribution"], "the distribution of input " + Q(in.name), &in.distribution));
      if (spec.sampler == scenario::Sampler::kGrid && in.distribution.kind != scenario::Distribution::Kind::kValues)
        return rd.Error(n["distribution"], "the grid sampler needs 'values: [...]' for input " + Q(in.name));
      spec.inputs.push_back(std::move(in));
    }
    if (spec.sampler == scenario::Sampler::kSobol &&
        static_cast<int>(spec.inputs.size()) > scenario::kMaxSobolDimensions)
      return rd.Error(inputs,
                      "the Sobol' sampler supports up to " + std::to_string(scenario::kMaxSobolDimensions) + " inputs");
    if (spec.sampler == scenario::Sampler::kGrid) {
      if (root["draws"]) return rd.Error(root["draws"], "the grid sampler takes every combination: remove 'draws'");
      double total = 1;
      for (const SweepInput& in : spec.inputs) total *= static_cast<double>(in.distribution.values.size());
      if (total > 1e6) return rd.Error(inputs, "the grid has more than a million combinations");
      spec.draws = static_cast<int>(total);
    } else {
      double draws = 0;
      LCCGE_RETURN_IF_ERROR(rd.Number(root, "draws", "a sweep file", &draws));
      if (draws != std::floor(draws) || draws < 1 || draws > 1e6)
        return rd.Error(root["draws"], "'draws' must be a whole number in 1..1000000");
      spec.draws = static_cast<int>(draws);
    }
  } catch (const YAML::Exception& e) {
    return Status::Invalid("malformed sweep file: " + e.msg,
                           {path, e.mark.line >= 0 ? e.mark.line + 1 : 0, e.mark.column + 1});
  }
  spec.regions.push_back("World");
  for (const RegionInfo& r : data.regions) spec.regions.push_back(r.name);
  *out = std::move(spec);
  return Status::Ok();
}

Status SweepDraws(const SweepSpec& spec, std::vector<std::vector<double>>* values) {
  std::vector<std::vector<double>> points;
  if (spec.sampler == scenario::Sampler::kGrid) {
    std::vector<int> counts;
    for (const SweepInput& in : spec.inputs) counts.push_back(static_cast<int>(in.distribution.values.size()));
    points = scenario::GridPoints(counts);
  } else {
    LCCGE_RETURN_IF_ERROR(
        scenario::SamplePoints(spec.sampler, spec.draws, static_cast<int>(spec.inputs.size()), spec.seed, &points));
  }
  for (auto& row : points)
    for (size_t k = 0; k < row.size(); ++k) row[k] = spec.inputs[k].distribution.Quantile(row[k]);
  *values = std::move(points);
  return Status::Ok();
}

}  // namespace lccge::battery
