#include "lccge/battery/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "core/yaml_reader.hpp"
#include "lccge/core/file.hpp"

namespace lccge::battery {

namespace {

namespace fs = std::filesystem;
using Reader = ::lccge::internal::YamlReader;

struct LeverRule {
  const char* name;
  double lo, hi;  // allowed values of the path
  bool lo_open;   // lo itself excluded
  const char* what;
};

const LeverRule kRules[] = {
    {"collection_rate", 0, 1, false, "a collection rate (share of end-of-life batteries, 0..1)"},
    {"recovery_rate", 0, 1, true, "a recovery rate (share of the contained metal, above 0 and at most 1)"},
    {"recycled_content", 0, 1, false, "a recycled-content share (0..1)"},
    {"tariffs", 0, 1e9, false, "a multiplier on the base-year tariff rates (>= 0)"},
    {"technology_convergence", 0, 1, false, "a share of the gap to the best region closed (0..1)"},
    {"grid_intensity", 0, 1e9, false, "a grid intensity in g CO2e/kWh (>= 0)"},
    {"captive_power", 0, 1e9, false, "an index of captive power emissions against the base year (>= 0)"},
};

const LeverRule* FindRule(const std::string& name) {
  for (const LeverRule& r : kRules)
    if (name == r.name) return &r;
  return nullptr;
}

class Parser {
 public:
  Parser(const BatteryData& data, int base_year) : data_(data), base_year_(base_year) {}

  Status Load(const std::string& path, ScenarioSpec* spec, std::vector<std::string>* stack) {
    const std::string canonical = fs::weakly_canonical(path).string();
    for (const std::string& s : *stack)
      if (s == canonical) return Status::Invalid("include cycle: " + path + " includes itself", {path, 0, 0});
    std::string text;
    LCCGE_RETURN_IF_ERROR(ReadFileToString(path, &text));
    YAML::Node root;
    LCCGE_RETURN_IF_ERROR(internal::ParseYamlDocument(text, path, &root));
    Reader rd(path);
    if (!root || root.IsNull()) return Status::Invalid("empty scenario file", {path, 0, 0});
    try {
      LCCGE_RETURN_IF_ERROR(rd.RequireMap(root, "a scenario file"));
      LCCGE_RETURN_IF_ERROR(
          rd.CheckKeys(root, {"name", "description", "include", "levers", "source", "note"}, "a scenario file"));
      stack->push_back(canonical);
      if (const YAML::Node inc = root["include"]) {
        LCCGE_RETURN_IF_ERROR(rd.RequireSequence(inc, "'include'"));
        for (const YAML::Node& n : inc) {
          if (!n.IsScalar() || n.Scalar().empty()) return rd.Error(n, "an include must be a file name");
          const std::string rel = n.Scalar();
          const fs::path full = fs::path(rel).is_absolute() ? fs::path(rel) : fs::path(path).parent_path() / rel;
          if (!fs::exists(full)) return rd.Error(n, "included file '" + rel + "' not found");
          ScenarioSpec included;
          LCCGE_RETURN_IF_ERROR(Load(full.string(), &included, stack));
          for (auto& [lever, entries] : included.levers)
            for (LeverEntry& e : entries) spec->levers[lever].push_back(std::move(e));
        }
      }
      stack->pop_back();
      LCCGE_RETURN_IF_ERROR(rd.String(root, "name", "a scenario file", &spec->name));
      LCCGE_RETURN_IF_ERROR(rd.String(root, "description", "a scenario file", &spec->description, false));
      spec->file = path;
      if (const YAML::Node levers = root["levers"]) {
        if (!levers.IsNull()) {
          LCCGE_RETURN_IF_ERROR(rd.RequireMap(levers, "'levers'"));
          for (auto it = levers.begin(); it != levers.end(); ++it) {
            const std::string lever = it->first.Scalar();
            const LeverRule* rule = FindRule(lever);
            if (rule == nullptr) {
              std::string list;
              for (const std::string& n : LeverNames()) list += (list.empty() ? "" : ", ") + n;
              return rd.Error(it->first, "unknown lever '" + lever + "' (expected one of: " + list + ")");
            }
            // A copy: it->second is a member of a proxy that dies with the full-expression, so a
            // range-for over it directly would iterate a destroyed node.
            const YAML::Node entries = it->second;
            LCCGE_RETURN_IF_ERROR(rd.RequireSequence(entries, "lever '" + lever + "'"));
            for (const YAML::Node& n : entries) {
              LeverEntry e;
              LCCGE_RETURN_IF_ERROR(Entry(rd, *rule, n, &e));
              spec->levers[lever].push_back(std::move(e));
            }
          }
        }
      }
    } catch (const YAML::Exception& e) {
      return Status::Invalid("malformed scenario: " + e.msg,
                             {path, e.mark.line >= 0 ? e.mark.line + 1 : 0, e.mark.column + 1});
    }
    return Status::Ok();
  }

 private:
  Status Region(const Reader& rd, const YAML::Node& n, const std::string& code) const {
    if (code == "*" || data_.RegionIndex(code) >= 0) return Status::Ok();
    std::string list;
    for (const RegionInfo& r : data_.regions) list += (list.empty() ? "" : ", ") + r.code;
    return rd.Error(n, "unknown region '" + code + "' (regions: " + list + " or *)");
  }
  Status ChainName(const Reader& rd, const YAML::Node& n, const std::string& name, const char* what) const {
    if (name == "*") return Status::Ok();
    const SectorInfo* s = data_.FindSector(name);
    if (s == nullptr || s->stage.empty()) return rd.Error(n, "unknown chain " + std::string(what) + " '" + name + "'");
    return Status::Ok();
  }

  Status Entry(const Reader& rd, const LeverRule& rule, const YAML::Node& n, LeverEntry* e) const {
    const std::string what = "an entry of lever '" + std::string(rule.name) + "'";
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(n, what));
    const bool trade = std::string(rule.name) == "tariffs";
    const bool tech = std::string(rule.name) == "technology_convergence";
    std::set<std::string> keys = {"path", "source", "choice", "calibrated", "note"};
    if (trade) {
      keys.insert({"goods", "exporter", "importer"});
    } else if (tech) {
      keys.insert("sectors");
    } else {
      keys.insert("region");
    }
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(n, keys, what));
    e->where = rd.Where(n);
    auto text = [&](const char* key, std::string* out) -> Status {
      if (const YAML::Node v = n[key]) {
        if (!v.IsScalar() || v.Scalar().empty()) return rd.Error(v, std::string("'") + key + "' must be a text");
        *out = v.Scalar();
      }
      return Status::Ok();
    };
    LCCGE_RETURN_IF_ERROR(text("region", &e->region));
    LCCGE_RETURN_IF_ERROR(text("goods", &e->goods));
    LCCGE_RETURN_IF_ERROR(text("exporter", &e->exporter));
    LCCGE_RETURN_IF_ERROR(text("importer", &e->importer));
    LCCGE_RETURN_IF_ERROR(text("sectors", &e->sectors));
    LCCGE_RETURN_IF_ERROR(text("source", &e->source));
    for (const char* key : {"region", "exporter", "importer"})
      if (const YAML::Node v = n[key]) LCCGE_RETURN_IF_ERROR(Region(rd, v, v.Scalar()));
    if (const YAML::Node v = n["goods"]) LCCGE_RETURN_IF_ERROR(ChainName(rd, v, v.Scalar(), "good"));
    if (const YAML::Node v = n["sectors"]) LCCGE_RETURN_IF_ERROR(ChainName(rd, v, v.Scalar(), "sector"));
    for (const char* key : {"choice", "calibrated"}) {
      if (const YAML::Node v = n[key]) {
        bool b = false;
        if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b))
          return rd.Error(v, std::string("'") + key + "' must be true or false");
        (std::string(key) == "choice" ? e->choice : e->calibrated) = b;
      }
    }
    if (e->source.empty() && !e->choice)
      return rd.Error(n, what + " needs a 'source', or 'choice: true' where no source pins its magnitude");
    const YAML::Node path = n["path"];
    if (!path) return rd.Error(n, "missing 'path' in " + what + " (years and values, e.g. {2030: 0.6, 2040: 0.8})");
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(path, "'path' in " + what));
    if (path.size() == 0) return rd.Error(path, "empty 'path' in " + what);
    for (auto it = path.begin(); it != path.end(); ++it) {
      double year = 0, value = 0;
      LCCGE_RETURN_IF_ERROR(rd.Number(it->first, "a year of the path", &year));
      if (year != std::floor(year) || year < base_year_ || year > 2100)
        return rd.Error(it->first,
                        "year " + it->first.Scalar() + " is out of range (" + std::to_string(base_year_) + " to 2100)");
      LCCGE_RETURN_IF_ERROR(rd.Number(it->second, "the value of " + it->first.Scalar(), &value));
      const bool below = rule.lo_open ? value <= rule.lo : value < rule.lo;
      if (below || value > rule.hi)
        return rd.Error(it->second,
                        "value " + it->second.Scalar() + " in " + it->first.Scalar() + " is not " + rule.what);
      Status s = e->path.Add(static_cast<int>(year), value, rd.Where(it->first));
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  const BatteryData& data_;
  int base_year_;
};

}  // namespace

const std::vector<std::string>& LeverNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const LeverRule& r : kRules) v.push_back(r.name);
    return v;
  }();
  return names;
}

Status LoadScenarioFile(const std::string& path, const BatteryData& data, ScenarioSpec* spec, int base_year) {
  ScenarioSpec s;
  std::vector<std::string> stack;
  Parser p(data, base_year);
  Status st = p.Load(path, &s, &stack);
  if (!st.ok()) return st;
  *spec = std::move(s);
  return Status::Ok();
}

void ScaleLever(ScenarioSpec* spec, const std::string& lever, double factor) {
  auto it = spec->levers.find(lever);
  const LeverRule* rule = FindRule(lever);
  if (it == spec->levers.end() || rule == nullptr) return;
  for (LeverEntry& e : it->second) {
    dynamics::Path scaled;
    for (const auto& [year, value] : e.path.points()) {
      const double lo = rule->lo_open ? std::nextafter(rule->lo, rule->hi) : rule->lo;
      scaled.Add(year, std::clamp(value * factor, lo, rule->hi));
    }
    e.path = scaled;
  }
}

std::vector<std::string> BundledScenarioFiles(const std::string& data_dir) {
  std::vector<std::string> out;
  for (const char* name :
       {"baseline", "recycling", "technology-cooperation", "open-trade", "tailored-circular-economy", "combined"})
    out.push_back(data_dir + "/scenarios/" + name + ".yaml");
  return out;
}

}  // namespace lccge::battery
