#include "harness.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <system_error>

#include "lccge/battery/data.hpp"
#include "lccge/battery/scenario.hpp"
#include "lccge/battery/sweep.hpp"
#include "lccge/core/csv.hpp"
#include "lccge/core/file.hpp"
#include "lccge/data/check.hpp"
#include "lccge/data/io.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/lca/emission_factors.hpp"
#include "lccge/lca/footprint.hpp"
#include "lccge/lca/grid_intensity.hpp"
#include "lccge/model/expression.hpp"

namespace lccge::fuzz {

namespace {

namespace fs = std::filesystem;

bool SameNumber(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

std::string Number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

// Collects the first difference between two things that should be equal, with the path to it.
class Differ {
 public:
  bool ok() const { return first_.empty(); }
  const std::string& first() const { return first_; }
  void Fail(const std::string& path, const std::string& a, const std::string& b) {
    if (first_.empty()) first_ = path + ": '" + a + "' became '" + b + "'";
  }
  void Text(const std::string& path, const std::string& a, const std::string& b) {
    if (a != b) Fail(path, a, b);
  }
  void Num(const std::string& path, double a, double b) {
    if (!SameNumber(a, b)) Fail(path, Number(a), Number(b));
  }
  void Size(const std::string& path, size_t a, size_t b) {
    if (a != b) Fail(path + " count", std::to_string(a), std::to_string(b));
  }
  void Expr(const std::string& path, const Expression& a, const Expression& b) {
    if (a.is_constant() != b.is_constant()) return Fail(path, a.text(), b.text());
    if (a.is_constant())
      Num(path, a.constant_value(), b.constant_value());
    else
      Text(path, a.text(), b.text());
  }
  void NumberMap(const std::string& path, const std::map<std::string, double>& a,
                 const std::map<std::string, double>& b) {
    Size(path, a.size(), b.size());
    for (auto i = a.begin(), j = b.begin(); ok() && i != a.end() && j != b.end(); ++i, ++j) {
      Text(path + " name", i->first, j->first);
      Num(path + " '" + i->first + "'", i->second, j->second);
    }
  }

 private:
  std::string first_;
};

// ---- models ----

bool IsTopNest(const std::string& name) { return name.empty() || name == "top"; }

void CompareNests(Differ& d, const std::string& path, const std::vector<Nest>& a, const std::vector<Nest>& b) {
  d.Size(path, a.size(), b.size());
  for (size_t i = 0; d.ok() && i < a.size() && i < b.size(); ++i) {
    const std::string at = path + " " + std::to_string(i);
    d.Text(at + " name", a[i].name, b[i].name);
    if (IsTopNest(a[i].parent) != IsTopNest(b[i].parent) || (!IsTopNest(a[i].parent) && a[i].parent != b[i].parent))
      d.Fail(at + " parent", a[i].parent, b[i].parent);
    d.Expr(at + " elasticity", a[i].elasticity, b[i].elasticity);
  }
}

void CompareFlows(Differ& d, const std::string& path, const std::vector<Flow>& a, const std::vector<Flow>& b) {
  d.Size(path, a.size(), b.size());
  for (size_t i = 0; d.ok() && i < a.size() && i < b.size(); ++i) {
    const std::string at = path + " " + std::to_string(i);
    d.Text(at + " commodity", a[i].commodity, b[i].commodity);
    d.Expr(at + " quantity", a[i].quantity, b[i].quantity);
    d.Expr(at + " reference price", a[i].reference_price, b[i].reference_price);
    if (IsTopNest(a[i].nest) != IsTopNest(b[i].nest) || (!IsTopNest(a[i].nest) && a[i].nest != b[i].nest))
      d.Fail(at + " nest", a[i].nest, b[i].nest);
    d.Size(at + " taxes", a[i].taxes.size(), b[i].taxes.size());
    for (size_t t = 0; d.ok() && t < a[i].taxes.size() && t < b[i].taxes.size(); ++t) {
      d.Text(at + " tax agent", a[i].taxes[t].agent, b[i].taxes[t].agent);
      d.Expr(at + " tax rate", a[i].taxes[t].rate, b[i].taxes[t].rate);
    }
  }
}

// Everything a model file can say, compared between the model read and the model read from its writing.
std::string CompareModels(const Model& a, const Model& b) {
  Differ d;
  d.Text("name", a.name(), b.name());
  d.Text("title", a.title(), b.title());
  d.Size("parameters", a.parameters().size(), b.parameters().size());
  for (size_t i = 0; d.ok() && i < a.parameters().size() && i < b.parameters().size(); ++i) {
    d.Text("parameter name", a.parameters()[i].first, b.parameters()[i].first);
    d.Num("parameter '" + a.parameters()[i].first + "'", a.parameters()[i].second, b.parameters()[i].second);
  }
  d.Size("variables", a.variables().size(), b.variables().size());
  for (size_t i = 0; d.ok() && i < a.variables().size() && i < b.variables().size(); ++i) {
    const VariableInfo &x = a.variables()[i], &y = b.variables()[i];
    d.Text("variable name", x.name, y.name);
    d.Num("kind of '" + x.name + "'", static_cast<int>(x.kind), static_cast<int>(y.kind));
    d.Num("lower bound of '" + x.name + "'", x.lower, y.lower);
    d.Num("upper bound of '" + x.name + "'", x.upper, y.upper);
  }
  d.Size("productions", a.productions().size(), b.productions().size());
  for (size_t i = 0; d.ok() && i < a.productions().size() && i < b.productions().size(); ++i) {
    const Production &x = a.productions()[i], &y = b.productions()[i];
    const std::string at = "production " + std::to_string(i);
    d.Text(at + " sector", x.sector, y.sector);
    d.Expr(at + " s", x.input_elasticity, y.input_elasticity);
    d.Expr(at + " t", x.output_elasticity, y.output_elasticity);
    CompareNests(d, at + " input nest", x.input_nests, y.input_nests);
    CompareNests(d, at + " output nest", x.output_nests, y.output_nests);
    CompareFlows(d, at + " input", x.inputs, y.inputs);
    CompareFlows(d, at + " output", x.outputs, y.outputs);
  }
  d.Size("demands", a.demands().size(), b.demands().size());
  for (size_t i = 0; d.ok() && i < a.demands().size() && i < b.demands().size(); ++i) {
    const Demand &x = a.demands()[i], &y = b.demands()[i];
    const std::string at = "demand " + std::to_string(i);
    d.Text(at + " consumer", x.consumer, y.consumer);
    d.Expr(at + " elasticity", x.elasticity, y.elasticity);
    CompareNests(d, at + " nest", x.nests, y.nests);
    CompareFlows(d, at + " final demand", x.final_demands, y.final_demands);
    d.Size(at + " endowments", x.endowments.size(), y.endowments.size());
    for (size_t e = 0; d.ok() && e < x.endowments.size() && e < y.endowments.size(); ++e) {
      d.Text(at + " endowment commodity", x.endowments[e].commodity, y.endowments[e].commodity);
      d.Expr(at + " endowment quantity", x.endowments[e].quantity, y.endowments[e].quantity);
    }
  }
  d.Size("aux constraints", a.aux_constraints().size(), b.aux_constraints().size());
  for (size_t i = 0; d.ok() && i < a.aux_constraints().size() && i < b.aux_constraints().size(); ++i) {
    const AuxConstraint &x = a.aux_constraints()[i], &y = b.aux_constraints()[i];
    d.Text("aux constraint variable", x.aux, y.aux);
    d.Expr("aux constraint of '" + x.aux + "'", x.expr, y.expr);
    d.Num("aux constraint type of '" + x.aux + "'", static_cast<int>(x.type), static_cast<int>(y.type));
  }
  d.NumberMap("start", a.start(), b.start());
  d.Size("groups", a.group_names().size(), b.group_names().size());
  for (size_t i = 0; d.ok() && i < a.group_names().size() && i < b.group_names().size(); ++i)
    d.Text("group name", a.group_names()[i], b.group_names()[i]);
  for (size_t v = 0; d.ok() && v < a.group_of_variable().size() && v < b.group_of_variable().size(); ++v)
    d.Num("group of '" + a.variables()[v].name + "'", a.group_of_variable()[v], b.group_of_variable()[v]);
  d.Size("scenarios", a.scenarios().size(), b.scenarios().size());
  for (size_t i = 0; d.ok() && i < a.scenarios().size() && i < b.scenarios().size(); ++i) {
    const Scenario &x = a.scenarios()[i], &y = b.scenarios()[i];
    const std::string at = "scenario '" + x.name + "'";
    d.Text("scenario name", x.name, y.name);
    d.NumberMap(at + " parameters", x.parameters, y.parameters);
    d.NumberMap(at + " fixed", x.fixed, y.fixed);
    d.NumberMap(at + " start", x.start, y.start);
    d.NumberMap(at + " expected", x.expected, y.expected);
  }
  return d.first();
}

// ---- files ----

// A folder of this process's own for inputs that are files, emptied before each use and removed at exit.
class ScratchDir {
 public:
  ScratchDir() {
    std::error_code ec;
    const fs::path shm("/dev/shm");  // memory: thousands of runs a second write files here
    base_ =
        (fs::is_directory(shm, ec) ? shm : fs::temp_directory_path()) / ("lccge-fuzz-" + std::to_string(::getpid()));
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  // An empty folder called `name` below the scratch folder.
  std::string Fresh(const std::string& name) {
    std::error_code ec;
    const fs::path dir = base_ / name;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    return dir.string();
  }

 private:
  fs::path base_;
};

ScratchDir& Scratch() {
  static ScratchDir dir;
  return dir;
}

// Writes the non-empty parts as the named files of `dir` (an empty part: no file).
void WriteParts(const std::string& dir, const std::vector<std::string_view>& parts,
                std::span<const char* const> names) {
  for (size_t i = 0; i < parts.size() && i < names.size(); ++i)
    if (!parts[i].empty()) (void)WriteFileAtomically(dir + "/" + names[i], parts[i]);
}

// ---- data folders ----

void CompareMatrices(Differ& d, const std::string& path, const std::vector<Eigen::MatrixXd>& a,
                     const std::vector<Eigen::MatrixXd>& b) {
  d.Size(path, a.size(), b.size());
  for (size_t m = 0; d.ok() && m < a.size() && m < b.size(); ++m) {
    if (a[m].rows() != b[m].rows() || a[m].cols() != b[m].cols()) {
      d.Fail(path + " " + std::to_string(m) + " size", std::to_string(a[m].rows()), std::to_string(b[m].rows()));
      return;
    }
    for (Eigen::Index i = 0; d.ok() && i < a[m].rows(); ++i)
      for (Eigen::Index j = 0; d.ok() && j < a[m].cols(); ++j)
        d.Num(path + " " + std::to_string(m) + " (" + std::to_string(i) + ", " + std::to_string(j) + ")", a[m](i, j),
              b[m](i, j));
  }
}

std::string CompareDatasets(const data::Dataset& a, const data::Dataset& b) {
  Differ d;
  d.Size("regions", a.regions.size(), b.regions.size());
  for (size_t i = 0; d.ok() && i < a.regions.size() && i < b.regions.size(); ++i)
    d.Text("region", a.regions[i], b.regions[i]);
  d.Size("accounts", a.accounts.size(), b.accounts.size());
  for (size_t i = 0; d.ok() && i < a.accounts.size() && i < b.accounts.size(); ++i) {
    d.Text("account", a.accounts[i].name, b.accounts[i].name);
    d.Text("class of account '" + a.accounts[i].name + "'", data::ToString(a.accounts[i].account_class),
           data::ToString(b.accounts[i].account_class));
    d.Text("sector of account '" + a.accounts[i].name + "'", a.accounts[i].sector, b.accounts[i].sector);
  }
  CompareMatrices(d, "sam", a.sam, b.sam);
  CompareMatrices(d, "trade", a.trade, b.trade);
  CompareMatrices(d, "margins", a.margins, b.margins);
  CompareMatrices(d, "tariffs", a.tariffs, b.tariffs);
  CompareMatrices(d, "elasticities", std::vector<Eigen::MatrixXd>(a.elasticities.begin(), a.elasticities.end()),
                  std::vector<Eigen::MatrixXd>(b.elasticities.begin(), b.elasticities.end()));
  d.Size("tax rates", a.tax_rates.size(), b.tax_rates.size());
  for (size_t i = 0; d.ok() && i < a.tax_rates.size() && i < b.tax_rates.size(); ++i) {
    d.Num("tax rate region", a.tax_rates[i].region, b.tax_rates[i].region);
    d.Num("tax rate sector", a.tax_rates[i].sector, b.tax_rates[i].sector);
    d.Num("tax rate", a.tax_rates[i].rate, b.tax_rates[i].rate);
  }
  d.Size("input nests", a.input_nests.size(), b.input_nests.size());
  for (size_t i = 0; d.ok() && i < a.input_nests.size() && i < b.input_nests.size(); ++i) {
    const data::InputNest &x = a.input_nests[i], &y = b.input_nests[i];
    d.Num("input nest region", x.region, y.region);
    d.Num("input nest sector", x.sector, y.sector);
    d.Text("input nest name", x.name, y.name);
    d.Text("input nest parent", x.parent, y.parent);
    d.Num("input nest elasticity", x.elasticity, y.elasticity);
    d.Size("input nest goods", x.goods.size(), y.goods.size());
    for (size_t g = 0; d.ok() && g < x.goods.size() && g < y.goods.size(); ++g)
      d.Num("input nest good", x.goods[g], y.goods[g]);
  }
  return d.first();
}

constexpr const char* kDataFiles[] = {"accounts.csv",     "sam.csv",   "trade.csv", "tariffs.csv",
                                      "elasticities.csv", "taxes.csv", "nests.csv"};
constexpr const char* kLcaFiles[] = {"grid.csv", "factors.csv"};
constexpr const char* kFootprintFiles[] = {"inventory.yaml", "grid.csv", "factors.csv"};

// ---- battery scenario and sweep files ----

// The bundled battery data folder, loaded once (LCCGE_FUZZ_BATTERY_DATA: set by fuzz/CMakeLists.txt).
const battery::BatteryData* BatteryData(std::string* error) {
  static battery::BatteryData data;
  static const Status loaded = battery::LoadBatteryData(LCCGE_FUZZ_BATTERY_DATA, &data);
  if (!loaded.ok()) {
    *error = "the bundled battery data do not load: " + loaded.ToString();
    return nullptr;
  }
  return &data;
}

// Files that name a device or a kernel table would have the reader read forever (/dev/zero) or wait (/dev/stdin),
// as any program does that is given such a path: not a fault of the parser.
bool NamesADevice(std::string_view input) {
  for (const char* device : {"/dev", "/proc", "/sys"})
    if (input.find(device) != std::string_view::npos) return true;
  return false;
}

void Quoted(YAML::Emitter& out, const std::string& text) { out << YAML::DoubleQuoted << text; }

// A scenario written back as a scenario file (its includes already merged into its levers).
std::string ScenarioToYaml(const battery::ScenarioSpec& spec) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value;
  Quoted(out, spec.name);
  if (!spec.description.empty()) {
    out << YAML::Key << "description" << YAML::Value;
    Quoted(out, spec.description);
  }
  out << YAML::Key << "levers" << YAML::Value << YAML::BeginMap;
  for (const auto& [lever, entries] : spec.levers) {
    out << YAML::Key << lever << YAML::Value << YAML::BeginSeq;
    for (const battery::LeverEntry& e : entries) {
      out << YAML::BeginMap;
      auto text = [&](const char* key, const std::string& value) {
        out << YAML::Key << key << YAML::Value;
        Quoted(out, value);
      };
      if (lever == "tariffs") {
        text("goods", e.goods);
        text("exporter", e.exporter);
        text("importer", e.importer);
      } else if (lever == "technology_convergence") {
        text("sectors", e.sectors);
      } else {
        text("region", e.region);
      }
      if (!e.source.empty()) text("source", e.source);
      out << YAML::Key << "choice" << YAML::Value << e.choice;
      out << YAML::Key << "calibrated" << YAML::Value << e.calibrated;
      out << YAML::Key << "path" << YAML::Value << YAML::BeginMap;
      for (const auto& [year, value] : e.path.points()) out << YAML::Key << year << YAML::Value << Number(value);
      out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap << YAML::EndMap;
  return out.c_str();
}

void ComparePaths(Differ& d, const std::string& path, const dynamics::Path& a, const dynamics::Path& b) {
  d.Size(path + " points", a.points().size(), b.points().size());
  for (size_t i = 0; d.ok() && i < a.points().size() && i < b.points().size(); ++i) {
    d.Num(path + " year", a.points()[i].first, b.points()[i].first);
    d.Num(path + " value", a.points()[i].second, b.points()[i].second);
  }
}

void CompareScenarios(Differ& d, const std::string& path, const battery::ScenarioSpec& a,
                      const battery::ScenarioSpec& b) {
  d.Text(path + " name", a.name, b.name);
  d.Text(path + " description", a.description, b.description);
  d.Size(path + " levers", a.levers.size(), b.levers.size());
  for (auto x = a.levers.begin(), y = b.levers.begin(); d.ok() && x != a.levers.end() && y != b.levers.end();
       ++x, ++y) {
    const std::string at = path + " lever " + x->first;
    d.Text(at, x->first, y->first);
    d.Size(at + " entries", x->second.size(), y->second.size());
    for (size_t i = 0; d.ok() && i < x->second.size() && i < y->second.size(); ++i) {
      const battery::LeverEntry &e = x->second[i], &f = y->second[i];
      const std::string entry = at + " entry " + std::to_string(i);
      d.Text(entry + " region", e.region, f.region);
      d.Text(entry + " goods", e.goods, f.goods);
      d.Text(entry + " exporter", e.exporter, f.exporter);
      d.Text(entry + " importer", e.importer, f.importer);
      d.Text(entry + " sectors", e.sectors, f.sectors);
      d.Text(entry + " source", e.source, f.source);
      d.Num(entry + " choice", e.choice, f.choice);
      d.Num(entry + " calibrated", e.calibrated, f.calibrated);
      ComparePaths(d, entry + " path", e.path, f.path);
    }
  }
}

// What an accepted scenario promises: known levers, each entry's path non-empty, its years rising within the
// horizon and its values finite.
std::string CheckScenario(const battery::ScenarioSpec& spec, int base_year) {
  for (const auto& [lever, entries] : spec.levers) {
    bool known = false;
    for (const std::string& name : battery::LeverNames()) known = known || name == lever;
    if (!known) return "an unknown lever '" + lever + "' was accepted";
    for (const battery::LeverEntry& e : entries) {
      if (e.path.empty()) return "lever '" + lever + "' has an entry with an empty path";
      int previous = base_year - 1;
      for (const auto& [year, value] : e.path.points()) {
        if (year <= previous || year > 2100) return "lever '" + lever + "': year " + std::to_string(year);
        if (!std::isfinite(value)) return "lever '" + lever + "': value " + Number(value);
        previous = year;
      }
    }
  }
  return "";
}

constexpr const char* kScenarioFiles[] = {"scenario.yaml", "included.yaml"};
constexpr const char* kSweepFiles[] = {"sweep.yaml", "scenario.yaml"};

// A sweep written back as a sweep file: its scenarios by their files' paths.
std::string SweepToYaml(const battery::SweepSpec& spec) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value;
  Quoted(out, spec.name);
  out << YAML::Key << "scenarios" << YAML::Value << YAML::BeginSeq;
  for (const battery::ScenarioSpec& sc : spec.scenarios) Quoted(out, sc.file);
  out << YAML::EndSeq;
  if (spec.sampler != scenario::Sampler::kGrid) out << YAML::Key << "draws" << YAML::Value << spec.draws;
  out << YAML::Key << "sampler" << YAML::Value << scenario::ToString(spec.sampler);
  out << YAML::Key << "seed" << YAML::Value << spec.seed;
  out << YAML::Key << "years" << YAML::Value << YAML::BeginMap << YAML::Key << "last" << YAML::Value << spec.last_year
      << YAML::Key << "step" << YAML::Value << spec.step << YAML::EndMap;
  out << YAML::Key << "solver" << YAML::Value << YAML::BeginMap << YAML::Key << "max_iterations" << YAML::Value
      << spec.max_iterations << YAML::Key << "tolerance" << YAML::Value << Number(spec.tolerance) << YAML::EndMap;
  out << YAML::Key << "inputs" << YAML::Value << YAML::BeginSeq;
  for (const battery::SweepInput& in : spec.inputs) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value;
    Quoted(out, in.name);
    out << YAML::Key << "target" << YAML::Value << YAML::BeginMap;
    using Kind = battery::SweepTarget::Kind;
    const battery::SweepTarget& t = in.target;
    const char* key = t.kind == Kind::kElasticity        ? "elasticity"
                      : t.kind == Kind::kNest            ? "nest"
                      : t.kind == Kind::kEmissionFactors ? "emission_factors"
                      : t.kind == Kind::kGrid            ? "grid"
                      : t.kind == Kind::kBatteryDemand   ? "battery_demand"
                      : t.kind == Kind::kLever           ? "lever"
                                                         : "parameter";
    out << YAML::Key << key << YAML::Value;
    Quoted(out, t.name);
    if (t.kind == Kind::kElasticity) {
      out << YAML::Key << "sector" << YAML::Value;
      Quoted(out, t.sector);
      out << YAML::Key << "region" << YAML::Value;
      Quoted(out, t.region);
    }
    out << YAML::EndMap << YAML::Key << "distribution" << YAML::Value << YAML::BeginMap;
    const scenario::Distribution& dist = in.distribution;
    using DKind = scenario::Distribution::Kind;
    auto number = [&](const char* k, double v) { out << YAML::Key << k << YAML::Value << Number(v); };
    if (dist.kind == DKind::kValues) {
      out << YAML::Key << "values" << YAML::Value << YAML::BeginSeq;
      for (const double v : dist.values) out << Number(v);
      out << YAML::EndSeq;
    } else {
      out << YAML::Key << "type" << YAML::Value << scenario::ToString(dist.kind);
      if (dist.kind == DKind::kUniform) {
        number("min", dist.a);
        number("max", dist.b);
      } else if (dist.kind == DKind::kNormal) {
        number("mean", dist.a);
        number("sd", dist.b);
      } else if (dist.kind == DKind::kTriangular) {
        number("min", dist.a);
        number("mode", dist.c);
        number("max", dist.b);
      } else {
        number("mu", dist.a);
        number("sigma", dist.b);
      }
      if (std::isfinite(dist.lower)) number("lower", dist.lower);
      if (std::isfinite(dist.upper)) number("upper", dist.upper);
    }
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return out.c_str();
}

std::string CompareSweeps(const battery::SweepSpec& a, const battery::SweepSpec& b) {
  Differ d;
  d.Text("name", a.name, b.name);
  d.Size("scenarios", a.scenarios.size(), b.scenarios.size());
  for (size_t i = 0; d.ok() && i < a.scenarios.size() && i < b.scenarios.size(); ++i)
    CompareScenarios(d, "scenario " + std::to_string(i), a.scenarios[i], b.scenarios[i]);
  d.Num("draws", a.draws, b.draws);
  d.Text("sampler", scenario::ToString(a.sampler), scenario::ToString(b.sampler));
  d.Num("seed", static_cast<double>(a.seed), static_cast<double>(b.seed));
  d.Num("last year", a.last_year, b.last_year);
  d.Num("step", a.step, b.step);
  d.Num("max_iterations", a.max_iterations, b.max_iterations);
  d.Num("tolerance", a.tolerance, b.tolerance);
  d.Size("inputs", a.inputs.size(), b.inputs.size());
  for (size_t i = 0; d.ok() && i < a.inputs.size() && i < b.inputs.size(); ++i) {
    const battery::SweepInput &x = a.inputs[i], &y = b.inputs[i];
    const std::string at = "input " + x.name;
    d.Text(at + " name", x.name, y.name);
    d.Num(at + " target kind", static_cast<int>(x.target.kind), static_cast<int>(y.target.kind));
    d.Text(at + " target", x.target.name, y.target.name);
    d.Text(at + " target sector", x.target.sector, y.target.sector);
    d.Text(at + " target region", x.target.region, y.target.region);
    const scenario::Distribution &p = x.distribution, &q = y.distribution;
    d.Text(at + " distribution", scenario::ToString(p.kind), scenario::ToString(q.kind));
    d.Num(at + " a", p.a, q.a);
    d.Num(at + " b", p.b, q.b);
    if (p.kind == scenario::Distribution::Kind::kTriangular) d.Num(at + " mode", p.c, q.c);
    d.Num(at + " lower", p.lower, q.lower);
    d.Num(at + " upper", p.upper, q.upper);
    d.Size(at + " values", p.values.size(), q.values.size());
    for (size_t k = 0; d.ok() && k < p.values.size() && k < q.values.size(); ++k)
      d.Num(at + " value", p.values[k], q.values[k]);
  }
  d.Size("regions", a.regions.size(), b.regions.size());
  return d.first();
}

// What the draws of an accepted sweep promise: one row per draw, one value per input, each finite and inside its
// distribution's support and bounds; the same twice.
std::string CheckDraws(const battery::SweepSpec& spec) {
  std::vector<std::vector<double>> draws, again;
  if (const Status s = battery::SweepDraws(spec, &draws); !s.ok()) return "SweepDraws fails: " + s.ToString();
  if (static_cast<int>(draws.size()) != spec.draws)
    return std::to_string(draws.size()) + " draws for 'draws: " + std::to_string(spec.draws) + "'";
  using DKind = scenario::Distribution::Kind;
  for (const std::vector<double>& row : draws) {
    if (row.size() != spec.inputs.size()) return "a draw with " + std::to_string(row.size()) + " values";
    for (size_t k = 0; k < row.size(); ++k) {
      const scenario::Distribution& dist = spec.inputs[k].distribution;
      const double v = row[k];
      bool inside = std::isfinite(v) && v >= dist.lower && v <= dist.upper;
      if (dist.kind == DKind::kUniform || dist.kind == DKind::kTriangular)
        inside = inside && v >= dist.a && v <= dist.b;
      if (dist.kind == DKind::kLogNormal) inside = inside && v >= 0;
      if (dist.kind == DKind::kValues) {
        bool listed = false;
        for (const double x : dist.values) listed = listed || x == v;
        inside = inside && listed;
      }
      if (!inside)
        return "input '" + spec.inputs[k].name + "' (" + scenario::ToString(dist.kind) + ") drew " + Number(v);
    }
  }
  if (const Status s = battery::SweepDraws(spec, &again); !s.ok() || again != draws)
    return "the draws are not the same twice";
  return "";
}

// The battery data folder's own files (the data-layer files have data_folder, the LCA tables lca_tables). The
// input's first byte picks one, the rest is its text (empty: the file is removed); the other files stay as bundled.
constexpr const char* kBatteryFiles[] = {"regions.csv",   "sectors.csv",     "physical.csv",
                                         "recycling.csv", "chemistries.csv", "parameters.csv",
                                         "paper.csv",     "paths.csv",       "captive_power.csv"};

// A copy of the bundled folder in the scratch folder, made once, and the bundled text of the files above.
struct BatteryCopy {
  std::string dir;
  std::map<std::string, std::string> bundled;
  std::string error;
};

const BatteryCopy& BatteryFolder() {
  static const BatteryCopy copy = [] {
    BatteryCopy c;
    c.dir = Scratch().Fresh("battery-data");
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(LCCGE_FUZZ_BATTERY_DATA, ec))
      if (e.is_regular_file()) fs::copy_file(e.path(), c.dir + "/" + e.path().filename().string(), ec);
    for (const char* name : kBatteryFiles) {
      std::string text;
      if (ReadFileToString(c.dir + "/" + name, &text).ok()) c.bundled[name] = text;
    }
    if (ec) c.error = "cannot copy the bundled battery data: " + ec.message();
    return c;
  }();
  return copy;
}

// What loaded battery data promise: one region and one sector record per dataset entry, known stages, recycling
// data of every region inside their ranges, finite physical quantities, parameters, bills of materials and paths.
std::string CheckBatteryData(const battery::BatteryData& d) {
  if (d.regions.size() != d.dataset.regions.size()) return "regions.csv and sam.csv disagree on the regions";
  for (size_t i = 0; i < d.regions.size(); ++i)
    if (d.regions[i].code != d.dataset.regions[i] || d.regions[i].name.empty())
      return "region " + std::to_string(i) + " is '" + d.regions[i].code + "' named '" + d.regions[i].name + "'";
  if (d.sectors.size() != d.dataset.sectors.size()) return "sectors.csv and accounts.csv disagree on the sectors";
  for (const battery::SectorInfo& s : d.sectors)
    if (!s.stage.empty() && battery::StageIndex(s.stage) < 0) return "sector '" + s.name + "' has stage " + s.stage;
  if (d.recycling.size() != d.regions.size()) return "recycling data for " + std::to_string(d.recycling.size());
  for (const battery::RecyclingInfo& r : d.recycling) {
    const bool ok = r.collection_rate >= 0 && r.collection_rate <= 1 && r.recovery_rate > 0 && r.recovery_rate <= 1 &&
                    std::isfinite(r.eol_contained) && r.eol_contained >= 0 && std::isfinite(r.other_feed) &&
                    r.other_feed >= 0;
    if (!ok) return "the recycling data of '" + r.region + "' are out of range";
  }
  for (const auto& [key, value] : d.physical)
    if (!std::isfinite(value.first) || value.first < 0)
      return "physical output of " + key.second + " in " + key.first + " is " + Number(value.first);
  for (const auto& [name, value] : d.parameters)
    if (!std::isfinite(value)) return "parameter " + name + " is " + Number(value);
  for (const auto& [name, bill] : d.chemistries) {
    for (const auto& [good, t] : bill.chemicals)
      if (!std::isfinite(t) || t < 0) return "chemistry " + name + ": " + good + " " + Number(t);
    for (const auto& [good, t] : bill.cell_inputs)
      if (!std::isfinite(t) || t < 0) return "chemistry " + name + ": " + good + " " + Number(t);
    if (!std::isfinite(bill.cathode_t_per_gwh) || bill.cathode_t_per_gwh < 0) return "chemistry " + name + ": cathode";
  }
  std::vector<std::string> codes = {"*"};
  for (const battery::RegionInfo& r : d.regions) codes.push_back(r.code);
  for (const std::string& variable : d.paths.Variables())
    for (const std::string& code : codes)
      if (const dynamics::Path* path = d.paths.Find(variable, code))
        for (const auto& [year, value] : path->points())
          if (!std::isfinite(value)) return "path " + variable + " of " + code + " in " + std::to_string(year);
  return "";
}

}  // namespace

std::vector<std::string_view> SplitParts(std::string_view input, size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const size_t at = input.find(kPartSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + kPartSeparator.size());
  }
  parts.push_back(input);
  return parts;
}

std::string FuzzModel(std::string_view input) {
  Model model;
  Diagnostics diagnostics;
  const Status status = io::ParseModel(std::string(input), "fuzz.yaml", &model, &diagnostics);
  if (status.ok() != diagnostics.ok()) return "the status and the diagnostics disagree: " + status.ToString();
  if (!status.ok()) return "";
  const std::string yaml = io::ModelToYaml(model);
  Model again;
  const Status reread = io::ParseModel(yaml, "written.yaml", &again);
  if (!reread.ok()) return "the written model is rejected: " + reread.ToString() + "\n" + yaml;
  if (std::string diff = CompareModels(model, again); !diff.empty())
    return "the written model differs: " + diff + "\n" + yaml;
  if (io::ModelToYaml(again) != yaml) return "writing the model read back gives other text\n" + yaml;
  return "";
}

std::string FuzzExpression(std::string_view input) {
  const std::string text(input);
  Expression e;
  if (!Expression::Parse(text, {"fuzz", 1, 1}, &e).ok()) return "";
  Expression again;
  const Status reread = Expression::Parse(e.text(), {"text", 1, 1}, &again);
  if (!reread.ok()) return "text() '" + e.text() + "' is rejected: " + reread.ToString();
  Differ d;
  d.Expr("expression", e, again);
  d.Size("names", e.names().size(), again.names().size());
  if (!d.ok()) return d.first();
  // Evaluate both at one point: names bound to symbols 0, 1, ... with values 0.5, 1.5, ...
  const size_t n = e.names().size();
  std::vector<int> symbols(n);
  std::vector<double> values(n), gradient(n), gradient_again(n);
  for (size_t i = 0; i < n; ++i) {
    symbols[i] = static_cast<int>(i);
    values[i] = 0.5 + static_cast<double>(i);
  }
  e.Bind(symbols);
  again.Bind(symbols);
  const double value = e.Evaluate(values.data());
  d.Num("value of the re-parsed text", value, again.Evaluate(values.data()));
  d.Num("value with gradient", value, e.EvaluateWithGradient(values.data(), gradient.data()));
  again.EvaluateWithGradient(values.data(), gradient_again.data());
  for (size_t i = 0; i < n; ++i) d.Num("gradient of the re-parsed text", gradient[i], gradient_again[i]);
  return d.ok() ? "" : "'" + text + "': " + d.first();
}

std::string FuzzDataFolder(std::string_view input) {
  const std::string dir = Scratch().Fresh("data");
  WriteParts(dir, SplitParts(input, std::size(kDataFiles)), kDataFiles);
  Diagnostics checked;
  const Status check = data::CheckDataDirectory(dir, &checked);
  if (check.ok() != checked.ok()) return "CheckDataDirectory's status and diagnostics disagree: " + check.ToString();
  data::Dataset dataset;
  Diagnostics problems;
  const Status read = data::ReadDataset(dir, &dataset, &problems);
  if (read.ok() != problems.ok()) return "ReadDataset's status and diagnostics disagree: " + read.ToString();
  if (!read.ok()) return "";
  const std::string written = Scratch().Fresh("written");
  if (const Status s = data::WriteDataset(dataset, written); !s.ok()) return "WriteDataset fails: " + s.ToString();
  data::Dataset again;
  if (const Status s = data::ReadDataset(written, &again, nullptr); !s.ok())
    return "the written dataset is rejected: " + s.ToString();
  if (std::string diff = CompareDatasets(dataset, again); !diff.empty()) return "the written dataset differs: " + diff;
  return "";
}

std::string FuzzLcaTables(std::string_view input) {
  const std::vector<std::string_view> parts = SplitParts(input, std::size(kLcaFiles));
  CsvTable table;
  lca::GridIntensities grid;
  if (!ParseCsv(std::string(parts[0]), kLcaFiles[0], &table).ok() || !lca::ParseGridIntensities(table, &grid).ok())
    return "";
  for (const std::string& region : grid.Regions()) {
    double value = 0;
    if (grid.Get(region, 0, &value).ok() && !(std::isfinite(value) && value >= 0))
      return "grid intensity of '" + region + "' is " + Number(value);
  }
  if (parts.size() < 2) return "";
  lca::EmissionFactors factors;
  if (!ParseCsv(std::string(parts[1]), kLcaFiles[1], &table).ok() ||
      !lca::ParseEmissionFactors(table, grid, &factors).ok())
    return "";
  std::vector<std::string> regions = factors.Regions();
  for (const std::string& r : grid.Regions()) regions.push_back(r);
  for (const std::string& sector : factors.Sectors()) {
    for (const std::string& region : regions) {
      lca::FactorValue f;
      if (!factors.Evaluate(region, sector, 0, grid, &f).ok()) continue;
      for (const double part : {f.process, f.fuel, f.electricity_kwh, f.grid})
        if (!(std::isfinite(part) && part >= 0))
          return "a part of the factor of '" + sector + "' in '" + region + "' is " + Number(part);
    }
  }
  return "";
}

std::string FuzzFootprint(std::string_view input) {
  const std::vector<std::string_view> parts = SplitParts(input, std::size(kFootprintFiles));
  // The inventory names the files it reads; a name of a device (/dev/zero, /dev/stdin) would have the reader read
  // forever or wait, as any program does that is given such a path: not a fault of the parser.
  for (const char* device : {"/dev", "/proc", "/sys"})
    if (parts[0].find(device) != std::string_view::npos) return "";
  const std::string dir = Scratch().Fresh("footprint");
  WriteParts(dir, parts, kFootprintFiles);
  lca::FootprintInventory inventory;
  if (!lca::LoadFootprintInventory(dir + "/" + kFootprintFiles[0], &inventory).ok()) return "";
  lca::FootprintResult result;
  if (lca::ComputeFootprint(inventory, &result).ok()) (void)lca::FormatFootprintReport(result);
  return "";
}

namespace {

// The frame the scenario and sweep harnesses share: the parts written to a fresh folder and the first read against
// the bundled battery data; an accepted input checked, written back, read again and compared.
template <typename Spec>
std::string RoundTripBatteryFile(std::string_view input, const std::string& name, std::span<const char* const> files,
                                 Status (*load)(const std::string&, const battery::BatteryData&, Spec*),
                                 const std::function<std::string(const Spec&)>& check,
                                 const std::function<std::string(const Spec&)>& write,
                                 const std::function<std::string(const Spec&, const Spec&)>& compare) {
  if (NamesADevice(input)) return "";
  std::string error;
  const battery::BatteryData* data = BatteryData(&error);
  if (data == nullptr) return error;
  const std::string dir = Scratch().Fresh(name);
  WriteParts(dir, SplitParts(input, files.size()), files);
  Spec spec;
  if (!load(dir + "/" + files[0], *data, &spec).ok()) return "";
  if (std::string broken = check(spec); !broken.empty()) return broken;
  const std::string yaml = write(spec);
  const std::string written = Scratch().Fresh(name + "-written") + "/" + files[0];
  if (const Status s = WriteFileAtomically(written, yaml); !s.ok()) return "cannot write: " + s.ToString();
  Spec again;
  if (const Status s = load(written, *data, &again); !s.ok())
    return "the written " + name + " is rejected: " + s.ToString() + "\n" + yaml;
  if (std::string diff = compare(spec, again); !diff.empty())
    return "the written " + name + " differs: " + diff + "\n" + yaml;
  return "";
}

Status LoadScenario(const std::string& path, const battery::BatteryData& data, battery::ScenarioSpec* spec) {
  return battery::LoadScenarioFile(path, data, spec);
}

}  // namespace

std::string FuzzScenario(std::string_view input) {
  return RoundTripBatteryFile<battery::ScenarioSpec>(
      input, "scenario", kScenarioFiles, LoadScenario,
      [](const battery::ScenarioSpec& spec) { return CheckScenario(spec, 2023); }, ScenarioToYaml,
      [](const battery::ScenarioSpec& a, const battery::ScenarioSpec& b) {
        Differ d;
        CompareScenarios(d, "scenario", a, b);
        return d.first();
      });
}

std::string FuzzSweep(std::string_view input) {
  return RoundTripBatteryFile<battery::SweepSpec>(
      input, "sweep", kSweepFiles, battery::LoadSweepFile,
      [](const battery::SweepSpec& spec) -> std::string {
        // The draws are computed (and checked) for sweeps up to 100,000 values; a larger one is a user's to ask
        // for and would only spend the fuzzer's memory.
        if (static_cast<double>(spec.draws) * static_cast<double>(spec.inputs.size()) > 1e5) return "";
        return CheckDraws(spec);
      },
      SweepToYaml, CompareSweeps);
}

std::string FuzzBatteryData(std::string_view input) {
  if (input.empty()) return "";
  const BatteryCopy& folder = BatteryFolder();
  if (!folder.error.empty()) return folder.error;
  const std::string name = kBatteryFiles[static_cast<unsigned char>(input[0]) % std::size(kBatteryFiles)];
  const std::string file = folder.dir + "/" + name;
  std::error_code ec;
  if (input.size() == 1)
    fs::remove(file, ec);
  else
    (void)WriteFileAtomically(file, input.substr(1));
  battery::BatteryData data;
  Diagnostics problems;
  const Status status = battery::LoadBatteryData(folder.dir, &data, &problems);
  // The bundled file back for the next input.
  if (const auto it = folder.bundled.find(name); it != folder.bundled.end())
    (void)WriteFileAtomically(file, it->second);
  else
    fs::remove(file, ec);
  if (status.ok() != problems.ok()) return "the status and the diagnostics disagree: " + status.ToString();
  if (!status.ok()) return "";
  return CheckBatteryData(data);
}

std::span<const Target> Targets() {
  static constexpr Target kTargets[] = {
      {"model_yaml", FuzzModel},       {"model_json", FuzzModel},     {"expression", FuzzExpression},
      {"data_folder", FuzzDataFolder}, {"lca_tables", FuzzLcaTables}, {"footprint", FuzzFootprint},
      {"scenario", FuzzScenario},      {"sweep", FuzzSweep},          {"battery_data", FuzzBatteryData},
  };
  return kTargets;
}

const Target* FindTarget(std::string_view name) {
  for (const Target& t : Targets())
    if (name == t.name) return &t;
  return nullptr;
}

}  // namespace lccge::fuzz
