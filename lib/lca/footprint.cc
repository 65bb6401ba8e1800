#include "lccge/lca/footprint.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>
#include <tuple>

#include "core/utf8.hpp"
#include "core/yaml_reader.hpp"
#include "lca/util.hpp"
#include "lccge/core/file.hpp"

namespace lccge::lca {

namespace {

constexpr const char* kCategoryKeys[] = {"electricity", "heat_and_mechanical_energy", "resources", "waste_by_products"};
constexpr const char* kCategoryTitles[] = {"Electricity", "Heat and mechanical energy", "Resources",
                                           "Waste/by-products"};
constexpr const char* kStageKeys[] = {"raw_material_acquisition_and_pre_processing", "main_product_production",
                                      "distribution", "end_of_life_and_recycling"};
constexpr const char* kStageTitles[] = {"Raw material acquisition and pre-processing", "Main product production",
                                        "Distribution", "End of life and recycling"};

}  // namespace

const char* CategoryKey(InputCategory c) { return kCategoryKeys[static_cast<int>(c)]; }
const char* CategoryTitle(InputCategory c) { return kCategoryTitles[static_cast<int>(c)]; }
const char* StageKey(LifeCycleStage s) { return kStageKeys[static_cast<int>(s)]; }
const char* StageTitle(LifeCycleStage s) { return kStageTitles[static_cast<int>(s)]; }

bool ParseCategory(const std::string& text, InputCategory* category) {
  const std::string t = internal::Lower(internal::Trim(text));
  for (int i = 0; i < kNumInputCategories; ++i) {
    if (t == kCategoryKeys[i] || t == internal::Lower(kCategoryTitles[i])) {
      *category = static_cast<InputCategory>(i);
      return true;
    }
  }
  if (t == "heat")
    *category = InputCategory::kHeat;
  else if (t == "waste")
    *category = InputCategory::kWaste;
  else
    return false;
  return true;
}

bool ParseStage(const std::string& text, LifeCycleStage* stage) {
  const std::string t = internal::Lower(internal::Trim(text));
  for (int i = 0; i < kNumLifeCycleStages; ++i) {
    if (t == kStageKeys[i] || t == internal::Lower(kStageTitles[i])) {
      *stage = static_cast<LifeCycleStage>(i);
      return true;
    }
  }
  if (t == "raw_material")
    *stage = LifeCycleStage::kRawMaterial;
  else if (t == "production")
    *stage = LifeCycleStage::kProduction;
  else if (t == "end_of_life")
    *stage = LifeCycleStage::kEndOfLife;
  else
    return false;
  return true;
}

namespace {

using Reader = ::lccge::internal::YamlReader;

std::string ResolvePath(const std::string& base_dir, const std::string& rel) {
  std::filesystem::path p(rel);
  if (p.is_absolute() || base_dir.empty()) return p.string();
  return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

Status ParseInput(const Reader& rd, const YAML::Node& node, const std::string& parent_what,
                  const std::string& parent_unit, const GridIntensities& grid, Input* in) {
  LCCGE_RETURN_IF_ERROR(rd.RequireMap(node, "an input of " + parent_what));
  LCCGE_RETURN_IF_ERROR(rd.CheckKeys(node,
                                     {"name", "category", "amount", "unit", "factor", "emission_factor", "process",
                                      "region", "stage", "source", "note"},
                                     "an input of " + parent_what));
  in->where = rd.Where(node);
  LCCGE_RETURN_IF_ERROR(rd.String(node, "name", "an input of " + parent_what, &in->name));
  const std::string what = "input '" + in->name + "' of " + parent_what;
  LCCGE_RETURN_IF_ERROR(rd.Number(node, "amount", what, &in->amount));
  if (in->amount < 0) return rd.Error(node["amount"], "negative amount of " + what);
  if (!node["unit"]) return rd.Error(node, "missing unit of " + what);
  LCCGE_RETURN_IF_ERROR(rd.String(node, "unit", what, &in->unit));
  std::string num, den;
  if (!internal::SplitRatioUnit(in->unit, &num, &den)) {
    return rd.Error(node["unit"], "unit '" + in->unit + "' of " + what + " must be <quantity>/" + parent_unit);
  }
  if (den != parent_unit) {
    return rd.Error(node["unit"], "unit '" + in->unit + "' of " + what + " is per " + den + " but " + parent_what +
                                      " is measured in " + parent_unit);
  }
  const int sources = (node["factor"] ? 1 : 0) + (node["emission_factor"] ? 1 : 0) + (node["process"] ? 1 : 0);
  if (sources > 1) return rd.Error(node, what + " has more than one of factor, emission_factor and process");
  bool has_category = false;
  if (node["category"]) {
    std::string c;
    LCCGE_RETURN_IF_ERROR(rd.String(node, "category", what, &c));
    if (!ParseCategory(c, &in->category)) {
      return rd.Error(node["category"],
                      "unknown category '" + c + "' of " + what + " (expected electricity, heat, resources or waste)");
    }
    has_category = true;
  }
  if (node["region"]) {
    LCCGE_RETURN_IF_ERROR(rd.String(node, "region", what, &in->region));
    if (!grid.HasRegion(in->region)) {
      return rd.Error(node["region"],
                      "unknown region '" + in->region + "' for " + what + " (not in the grid-intensity table)");
    }
  }
  if (node["stage"]) {
    std::string st;
    LCCGE_RETURN_IF_ERROR(rd.String(node, "stage", what, &st));
    if (!ParseStage(st, &in->stage)) return rd.Error(node["stage"], "unknown life-cycle stage '" + st + "'");
    in->has_stage = true;
  }
  if (node["process"]) {
    in->source = Input::Source::kProcess;
    LCCGE_RETURN_IF_ERROR(rd.String(node, "process", what, &in->reference));
    if (has_category) {
      return rd.Error(node["category"], what +
                                            " comes from a process: its categories are those of the process's "
                                            "inputs, remove 'category'");
    }
    return Status::Ok();
  }
  if (!has_category) return rd.Error(node, "missing category of " + what);
  if (node["factor"]) {
    in->source = Input::Source::kFactor;
    return rd.String(node, "factor", what, &in->reference);
  }
  if (node["emission_factor"]) {
    in->source = Input::Source::kInlineFactor;
    const YAML::Node ef = node["emission_factor"];
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(ef, "emission_factor of " + what));
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(ef, {"value", "unit", "source"}, "emission_factor of " + what));
    LCCGE_RETURN_IF_ERROR(rd.Number(ef, "value", "emission_factor of " + what, &in->inline_factor));
    if (in->inline_factor < 0) return rd.Error(ef["value"], "negative emission factor of " + what);
    if (!ef["unit"]) return rd.Error(ef, "missing unit of the emission factor of " + what);
    LCCGE_RETURN_IF_ERROR(rd.String(ef, "unit", "emission_factor of " + what, &in->inline_unit));
    double scale = 0;
    std::string per;
    if (!internal::ParseEmissionUnit(in->inline_unit, &scale, &per)) {
      return rd.Error(ef["unit"], "unit '" + in->inline_unit + "' of the emission factor of " + what +
                                      " is not a CO2e mass per unit (e.g. 'kg CO2e/MJ')");
    }
    if (per != num) {
      return rd.Error(ef["unit"], "emission factor of " + what + " is per " + per + " but the amount is in " + num);
    }
    in->inline_factor *= scale;
    return Status::Ok();
  }
  if (in->category != InputCategory::kElectricity) {
    return rd.Error(node, what +
                              " needs a factor, an emission_factor or a process (only electricity inputs take "
                              "the grid intensity)");
  }
  double scale = 0;
  std::string per;
  if (!internal::ParseEnergyUnit(in->unit, &scale, &per)) {
    return rd.Error(node["unit"],
                    "electricity " + what + " must be in kWh/" + parent_unit + ", not '" + in->unit + "'");
  }
  in->amount *= scale;
  in->unit = "kWh/" + parent_unit;
  in->source = Input::Source::kElectricity;
  return Status::Ok();
}

Status ParseInputs(const Reader& rd, const YAML::Node& parent, const std::string& what, const std::string& unit,
                   const GridIntensities& grid, std::vector<Input>* inputs) {
  const YAML::Node list = parent["inputs"];
  if (!list) return rd.Error(parent, "missing 'inputs' of " + what);
  LCCGE_RETURN_IF_ERROR(rd.RequireSequence(list, "'inputs' of " + what));
  for (const YAML::Node& n : list) {
    Input in;
    LCCGE_RETURN_IF_ERROR(ParseInput(rd, n, what, unit, grid, &in));
    inputs->push_back(std::move(in));
  }
  return Status::Ok();
}

Status ParseTransport(const Reader& rd, const YAML::Node& node, FootprintInventory* inv) {
  TransportInventory& t = inv->transport;
  t.where = rd.Where(node);
  t.share_tolerance = inv->share_tolerance;
  LCCGE_RETURN_IF_ERROR(rd.RequireMap(node, "transport"));
  LCCGE_RETURN_IF_ERROR(
      rd.CheckKeys(node, {"stage", "modes", "commodities", "contained", "routes", "note"}, "transport"));
  if (node["stage"]) {
    std::string st;
    LCCGE_RETURN_IF_ERROR(rd.String(node, "stage", "transport", &st));
    if (!ParseStage(st, &inv->transport_stage)) return rd.Error(node["stage"], "unknown life-cycle stage '" + st + "'");
  }
  for (const char* key : {"modes", "commodities", "contained", "routes"})
    if (!node[key]) return rd.Error(node, std::string("missing '") + key + "' in transport");
  LCCGE_RETURN_IF_ERROR(rd.RequireMap(node["modes"], "transport modes"));
  for (auto it = node["modes"].begin(); it != node["modes"].end(); ++it) {
    TransportMode m;
    m.name = it->first.Scalar();
    m.where = rd.Where(it->second);
    const std::string what = "transport mode '" + m.name + "'";
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(it->second, what));
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(it->second, {"factor", "unit", "source"}, what));
    LCCGE_RETURN_IF_ERROR(rd.Number(it->second, "factor", what, &m.kg_per_tkm));
    if (m.kg_per_tkm < 0) return rd.Error(it->second["factor"], "negative emission factor of " + what);
    if (!it->second["unit"]) return rd.Error(it->second, "missing unit of " + what);
    std::string unit, per;
    LCCGE_RETURN_IF_ERROR(rd.String(it->second, "unit", what, &unit));
    double scale = 0;
    if (!internal::ParseEmissionUnit(unit, &scale, &per) || per != "tkm") {
      return rd.Error(it->second["unit"], "unit '" + unit + "' of " + what +
                                              " must be a CO2e mass per tkm "
                                              "(e.g. 'kg CO2e/tkm')");
    }
    m.kg_per_tkm *= scale;
    t.modes.push_back(m);
  }
  LCCGE_RETURN_IF_ERROR(rd.RequireMap(node["commodities"], "transport commodities"));
  for (auto it = node["commodities"].begin(); it != node["commodities"].end(); ++it) {
    TradedCommodity c;
    c.name = it->first.Scalar();
    c.where = rd.Where(it->second);
    const std::string what = "commodity '" + c.name + "'";
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(it->second, what));
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(it->second, {"hs", "content", "source"}, what));
    if (it->second["hs"]) LCCGE_RETURN_IF_ERROR(rd.String(it->second, "hs", what, &c.hs_code));
    if (!it->second["content"]) return rd.Error(it->second, "missing 'content' of " + what);
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(it->second["content"], "content of " + what));
    for (auto ic = it->second["content"].begin(); ic != it->second["content"].end(); ++ic) {
      double v = 0;
      LCCGE_RETURN_IF_ERROR(rd.Number(ic->second, "content of " + ic->first.Scalar() + " in " + what, &v));
      if (v <= 0 || v > 1) {
        return rd.Error(ic->second,
                        "content of " + ic->first.Scalar() + " in " + what + " must be a mass fraction in (0, 1]");
      }
      c.content[ic->first.Scalar()] = v;
    }
    t.commodities.push_back(c);
  }
  LCCGE_RETURN_IF_ERROR(rd.RequireSequence(node["contained"], "'contained' in transport"));
  for (const YAML::Node& n : node["contained"]) {
    ContainedCommodity w;
    w.where = rd.Where(n);
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(n, "an entry of 'contained'"));
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(n, {"commodity", "mass", "unit", "note"}, "an entry of 'contained'"));
    LCCGE_RETURN_IF_ERROR(rd.String(n, "commodity", "an entry of 'contained'", &w.commodity));
    const std::string what = "contained commodity '" + w.commodity + "'";
    LCCGE_RETURN_IF_ERROR(rd.Number(n, "mass", what, &w.mass));
    if (w.mass < 0) return rd.Error(n["mass"], "negative mass of " + what);
    if (!n["unit"]) return rd.Error(n, "missing unit of " + what);
    std::string unit;
    LCCGE_RETURN_IF_ERROR(rd.String(n, "unit", what, &unit));
    if (unit != "kg") return rd.Error(n["unit"], "unit of " + what + " must be kg (per functional unit)");
    t.contained.push_back(w);
  }
  LCCGE_RETURN_IF_ERROR(rd.RequireSequence(node["routes"], "'routes' in transport"));
  for (const YAML::Node& n : node["routes"]) {
    TransportRoute r;
    r.where = rd.Where(n);
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(n, "a route"));
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(n, {"mineral", "origin", "name", "share", "legs", "note"}, "a route"));
    LCCGE_RETURN_IF_ERROR(rd.String(n, "mineral", "a route", &r.mineral));
    LCCGE_RETURN_IF_ERROR(rd.String(n, "origin", "a route", &r.origin));
    LCCGE_RETURN_IF_ERROR(rd.String(n, "name", "a route", &r.name));
    const std::string what = "route '" + r.name + "'";
    LCCGE_RETURN_IF_ERROR(rd.Number(n, "share", what, &r.share));
    if (r.share < 0) return rd.Error(n["share"], "negative share of " + what);
    if (!n["legs"]) return rd.Error(n, "missing 'legs' of " + what);
    LCCGE_RETURN_IF_ERROR(rd.RequireSequence(n["legs"], "'legs' of " + what));
    for (const YAML::Node& l : n["legs"]) {
      TransportLeg leg;
      leg.where = rd.Where(l);
      LCCGE_RETURN_IF_ERROR(rd.RequireMap(l, "a leg of " + what));
      LCCGE_RETURN_IF_ERROR(rd.CheckKeys(l, {"commodity", "from", "to", "km", "note"}, "a leg of " + what));
      LCCGE_RETURN_IF_ERROR(rd.String(l, "commodity", "a leg of " + what, &leg.commodity));
      LCCGE_RETURN_IF_ERROR(rd.String(l, "from", "a leg of " + what, &leg.from));
      LCCGE_RETURN_IF_ERROR(rd.String(l, "to", "a leg of " + what, &leg.to));
      if (!l["km"]) return rd.Error(l, "missing 'km' (distance by mode) of a leg of " + what);
      LCCGE_RETURN_IF_ERROR(rd.RequireMap(l["km"], "'km' of a leg of " + what));
      for (auto ik = l["km"].begin(); ik != l["km"].end(); ++ik) {
        double km = 0;
        LCCGE_RETURN_IF_ERROR(rd.Number(ik->second, "distance by " + ik->first.Scalar(), &km));
        if (km < 0) return rd.Error(ik->second, "negative distance by " + ik->first.Scalar() + " on " + what);
        if (!leg.distance_km.emplace(ik->first.Scalar(), km).second) {
          return rd.Error(
              ik->first, "duplicate mode '" + ik->first.Scalar() + "' in a leg of " + what + " (add the distances up)");
        }
      }
      r.legs.push_back(leg);
    }
    t.routes.push_back(r);
  }
  inv->has_transport = true;
  return Status::Ok();
}

Status ParseDocument(const Reader& rd, const YAML::Node& root, const std::string& base_dir, FootprintInventory* inv) {
  if (!root.IsMap()) return rd.Error(root, "the inventory must be a mapping with 'functional_unit' and 'components'");
  LCCGE_RETURN_IF_ERROR(
      rd.CheckKeys(root,
                   {"name", "functional_unit", "specific_energy", "year", "grid_intensity", "emission_factors",
                    "processes", "components", "transport", "share_tolerance", "note", "scenario"},
                   "the inventory"));
  if (root["name"]) LCCGE_RETURN_IF_ERROR(rd.String(root, "name", "the inventory", &inv->name));
  if (root["share_tolerance"]) {
    LCCGE_RETURN_IF_ERROR(rd.Number(root, "share_tolerance", "the inventory", &inv->share_tolerance));
    if (inv->share_tolerance < 0) return rd.Error(root["share_tolerance"], "share_tolerance must be >= 0");
  }
  // Functional unit.
  const YAML::Node fu = root["functional_unit"];
  if (!fu) return rd.Error(root, "missing 'functional_unit'");
  LCCGE_RETURN_IF_ERROR(rd.RequireMap(fu, "functional_unit"));
  LCCGE_RETURN_IF_ERROR(rd.CheckKeys(fu, {"description", "amount", "unit"}, "functional_unit"));
  LCCGE_RETURN_IF_ERROR(rd.String(fu, "description", "functional_unit", &inv->functional_unit));
  LCCGE_RETURN_IF_ERROR(rd.Number(fu, "amount", "functional_unit", &inv->functional_amount));
  if (inv->functional_amount <= 0) return rd.Error(fu["amount"], "the functional unit's amount must be positive");
  if (!fu["unit"]) return rd.Error(fu, "missing unit of the functional unit");
  LCCGE_RETURN_IF_ERROR(rd.String(fu, "unit", "functional_unit", &inv->functional_unit_unit));
  if (inv->functional_unit_unit != "kWh") {
    const YAML::Node se = root["specific_energy"];
    if (!se) {
      return rd.Error(
          root, "missing 'specific_energy' (kWh/" + inv->functional_unit_unit + ") needed for the declaration per kWh");
    }
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(se, "specific_energy"));
    LCCGE_RETURN_IF_ERROR(rd.CheckKeys(se, {"value", "unit", "source"}, "specific_energy"));
    LCCGE_RETURN_IF_ERROR(rd.Number(se, "value", "specific_energy", &inv->specific_energy));
    if (inv->specific_energy <= 0) return rd.Error(se["value"], "specific_energy must be positive");
    if (!se["unit"]) return rd.Error(se, "missing unit of specific_energy");
    std::string unit;
    LCCGE_RETURN_IF_ERROR(rd.String(se, "unit", "specific_energy", &unit));
    double scale = 0;
    std::string per;
    if (!internal::ParseEnergyUnit(unit, &scale, &per) || per != inv->functional_unit_unit) {
      return rd.Error(se["unit"], "unit '" + unit + "' of specific_energy must be kWh/" + inv->functional_unit_unit);
    }
    inv->specific_energy *= scale;
  }
  if (root["year"]) {
    double y = 0;
    LCCGE_RETURN_IF_ERROR(rd.Number(root, "year", "the inventory", &y));
    if (y < 1 || y > 9999 || y != std::floor(y)) return rd.Error(root["year"], "'year' must be a year");
    inv->year = static_cast<int>(y);
  }
  // Factor files.
  std::string grid_path;
  LCCGE_RETURN_IF_ERROR(
      rd.String(root, "grid_intensity", "the inventory (a CSV file of grid intensities)", &grid_path));
  LCCGE_RETURN_IF_ERROR(LoadGridIntensities(ResolvePath(base_dir, grid_path), &inv->grid));
  if (root["emission_factors"]) {
    std::string path;
    LCCGE_RETURN_IF_ERROR(rd.String(root, "emission_factors", "the inventory", &path));
    LCCGE_RETURN_IF_ERROR(LoadEmissionFactors(ResolvePath(base_dir, path), inv->grid, &inv->factors));
  }
  // Processes.
  if (root["processes"]) {
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(root["processes"], "processes"));
    for (auto it = root["processes"].begin(); it != root["processes"].end(); ++it) {
      Process p;
      p.name = it->first.Scalar();
      p.where = rd.Where(it->second);
      const std::string what = "process '" + p.name + "'";
      LCCGE_RETURN_IF_ERROR(rd.RequireMap(it->second, what));
      LCCGE_RETURN_IF_ERROR(rd.CheckKeys(it->second, {"unit", "inputs", "note", "source"}, what));
      if (!it->second["unit"]) return rd.Error(it->second, "missing unit of " + what);
      LCCGE_RETURN_IF_ERROR(rd.String(it->second, "unit", what, &p.unit));
      LCCGE_RETURN_IF_ERROR(ParseInputs(rd, it->second, what, p.unit, inv->grid, &p.inputs));
      if (inv->processes.count(p.name)) return rd.Error(it->first, "duplicate " + what);
      inv->processes[p.name] = std::move(p);
    }
  }
  // Components.
  const YAML::Node comps = root["components"];
  if (!comps) return rd.Error(root, "missing 'components'");
  LCCGE_RETURN_IF_ERROR(rd.RequireSequence(comps, "components"));
  std::set<std::string> names;
  for (const YAML::Node& n : comps) {
    Component c;
    c.where = rd.Where(n);
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(n, "a component"));
    LCCGE_RETURN_IF_ERROR(
        rd.CheckKeys(n, {"name", "mass", "unit", "stage", "sourcing", "inputs", "note", "source"}, "a component"));
    LCCGE_RETURN_IF_ERROR(rd.String(n, "name", "a component", &c.name));
    const std::string what = "component '" + c.name + "'";
    if (!names.insert(c.name).second) return rd.Error(n["name"], "duplicate " + what);
    LCCGE_RETURN_IF_ERROR(rd.Number(n, "mass", what, &c.mass));
    if (c.mass < 0) return rd.Error(n["mass"], "negative mass of " + what);
    if (!n["unit"]) return rd.Error(n, "missing unit of the mass of " + what);
    LCCGE_RETURN_IF_ERROR(rd.String(n, "unit", what, &c.unit));
    if (!n["stage"]) return rd.Error(n, "missing life-cycle stage of " + what);
    std::string st;
    LCCGE_RETURN_IF_ERROR(rd.String(n, "stage", what, &st));
    if (!ParseStage(st, &c.stage)) {
      return rd.Error(n["stage"], "unknown life-cycle stage '" + st + "' of " + what +
                                      " (expected raw_material_acquisition_and_pre_processing, "
                                      "main_product_production, distribution or end_of_life_and_recycling)");
    }
    const YAML::Node src = n["sourcing"];
    if (!src) return rd.Error(n, "missing 'sourcing' (shares by country) of " + what);
    LCCGE_RETURN_IF_ERROR(rd.RequireMap(src, "sourcing of " + what));
    double sum = 0;
    for (auto it = src.begin(); it != src.end(); ++it) {
      const std::string region = it->first.Scalar();
      if (!inv->grid.HasRegion(region)) {
        return rd.Error(it->first, "unknown country '" + region + "' in the sourcing of " + what +
                                       " (not in the grid-intensity table)");
      }
      double share = 0;
      LCCGE_RETURN_IF_ERROR(rd.Number(it->second, "share of " + region + " in " + what, &share));
      if (share < 0) return rd.Error(it->second, "negative share of " + region + " in " + what);
      for (const auto& [r, v] : c.sourcing)
        if (r == region) return rd.Error(it->first, "duplicate country '" + region + "' in the sourcing of " + what);
      sum += share;
      c.sourcing.push_back({region, share});
    }
    if (c.sourcing.empty()) return rd.Error(src, "empty sourcing of " + what);
    if (std::abs(sum - 1.0) > inv->share_tolerance) {
      return rd.Error(src, "sourcing shares of " + what + " sum to " + internal::FormatNumber(sum) + ", not 1");
    }
    LCCGE_RETURN_IF_ERROR(ParseInputs(rd, n, what, c.unit, inv->grid, &c.inputs));
    inv->components.push_back(std::move(c));
  }
  if (inv->components.empty()) return rd.Error(comps, "no components");
  if (root["transport"]) LCCGE_RETURN_IF_ERROR(ParseTransport(rd, root["transport"], inv));
  // References: factors and processes exist, process units match, no cycles.
  auto check_refs = [&](const std::vector<Input>& inputs) -> Status {
    for (const Input& in : inputs) {
      std::string num, den;
      internal::SplitRatioUnit(in.unit, &num, &den);
      if (in.source == Input::Source::kProcess) {
        auto it = inv->processes.find(in.reference);
        if (it == inv->processes.end()) {
          return Status::Invalid("unknown process '" + in.reference + "' for input '" + in.name + "'", in.where);
        }
        if (it->second.unit != num) {
          return Status::Invalid(
              "input '" + in.name + "' is in " + num + " but process '" + in.reference + "' is per " + it->second.unit,
              in.where);
        }
      } else if (in.source == Input::Source::kFactor && !inv->factors.HasSector(in.reference)) {
        return Status::Invalid("no emission factor for '" + in.reference + "' (input '" + in.name + "')" +
                                   (root["emission_factors"] ? "" : "; the inventory names no emission_factors file"),
                               in.where);
      }
    }
    return Status::Ok();
  };
  for (const auto& [name, p] : inv->processes) LCCGE_RETURN_IF_ERROR(check_refs(p.inputs));
  for (const Component& c : inv->components) LCCGE_RETURN_IF_ERROR(check_refs(c.inputs));
  // Cycle detection (depth-first).
  std::map<std::string, int> state;  // 1 visiting, 2 done
  std::function<Status(const std::string&)> visit = [&](const std::string& name) -> Status {
    state[name] = 1;
    for (const Input& in : inv->processes.at(name).inputs) {
      if (in.source != Input::Source::kProcess) continue;
      if (state[in.reference] == 1) {
        return Status::Invalid("process '" + name + "' uses itself through '" + in.reference + "' (a cycle)", in.where);
      }
      if (state[in.reference] == 0) LCCGE_RETURN_IF_ERROR(visit(in.reference));
    }
    state[name] = 2;
    return Status::Ok();
  };
  for (const auto& [name, p] : inv->processes)
    if (state[name] == 0) LCCGE_RETURN_IF_ERROR(visit(name));
  return Status::Ok();
}

}  // namespace

Status ParseFootprintInventory(const std::string& text, const std::string& file, const std::string& base_dir,
                               FootprintInventory* inventory) {
  FootprintInventory inv;
  inv.file = file;
  Reader rd(file);
  LCCGE_RETURN_IF_ERROR(::lccge::internal::CheckYamlText(text, file));  // UTF-8, no raw control characters
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root || root.IsNull()) return Status::Invalid("empty inventory", {file, 1, 0});
    LCCGE_RETURN_IF_ERROR(ParseDocument(rd, root, base_dir, &inv));
  } catch (const YAML::Exception& e) {
    return Status::Invalid("malformed YAML: " + e.msg, {file, e.mark.line >= 0 ? e.mark.line + 1 : 0, 0});
  }
  *inventory = std::move(inv);
  return Status::Ok();
}

Status LoadFootprintInventory(const std::string& path, FootprintInventory* inventory) {
  std::string text;
  LCCGE_RETURN_IF_ERROR(ReadFileToString(path, &text));
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return ParseFootprintInventory(text, path, dir, inventory);
}

namespace {

using StageCategory = std::array<CategoryVector, kNumLifeCycleStages>;

struct Evaluator {
  const FootprintInventory& inv;
  int depth = 0;
  // A process's emissions per unit in a region and stage, once computed: processes that reach one sub-process by
  // many paths (each using the next twice, say) would otherwise be evaluated once per path, exponentially often.
  std::map<std::tuple<const Process*, std::string, int>, StageCategory> done;

  // Emissions per unit of the parent, by stage and category, of `inputs` produced in `region`.
  Status Evaluate(const std::vector<Input>& inputs, const std::string& region, LifeCycleStage stage,
                  StageCategory* out) {
    if (++depth > 64) return Status::Invalid("processes nested more than 64 levels deep");
    for (const Input& in : inputs) {
      const std::string r = in.region.empty() ? region : in.region;
      const int st = static_cast<int>(in.has_stage ? in.stage : stage);
      CategoryVector& cat = (*out)[st];
      switch (in.source) {
        case Input::Source::kElectricity: {
          double g = 0;
          Status s = inv.grid.Get(r, inv.year, &g);
          if (!s.ok()) return Status::Invalid("input '" + in.name + "': " + s.cause(), in.where);
          cat[static_cast<int>(InputCategory::kElectricity)] += in.amount * g;
          break;
        }
        case Input::Source::kInlineFactor:
          cat[static_cast<int>(in.category)] += in.amount * in.inline_factor;
          break;
        case Input::Source::kFactor: {
          FactorValue f;
          Status s = inv.factors.Evaluate(r, in.reference, inv.year, inv.grid, &f);
          if (!s.ok()) return Status::Invalid("input '" + in.name + "': " + s.cause(), in.where);
          std::string num, den;
          internal::SplitRatioUnit(in.unit, &num, &den);
          if (f.activity_unit != num) {
            return Status::Invalid("input '" + in.name + "' is in " + num + " but the factor for '" + in.reference +
                                       "' (" + f.where.ToString() + ") is per " + f.activity_unit,
                                   in.where);
          }
          cat[static_cast<int>(in.category)] += in.amount * f.process;
          cat[static_cast<int>(InputCategory::kHeat)] += in.amount * f.fuel;
          cat[static_cast<int>(InputCategory::kElectricity)] += in.amount * f.electricity();
          break;
        }
        case Input::Source::kProcess: {
          const Process& process = inv.processes.at(in.reference);
          auto [it, added] = done.try_emplace({&process, r, st});
          StageCategory& sub = it->second;
          if (added) {
            Status s = Evaluate(process.inputs, r, static_cast<LifeCycleStage>(st), &sub);
            if (!s.ok()) return s;
          }
          for (int a = 0; a < kNumLifeCycleStages; ++a)
            for (int c = 0; c < kNumInputCategories; ++c) (*out)[a][c] += in.amount * sub[a][c];
          break;
        }
      }
    }
    --depth;
    return Status::Ok();
  }
};

double Sum(const CategoryVector& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

}  // namespace

Status ComputeFootprint(const FootprintInventory& inv, FootprintResult* result) {
  FootprintResult r;
  r.name = inv.name;
  r.functional_unit = inv.functional_unit;
  r.functional_amount = inv.functional_amount;
  r.functional_unit_unit = inv.functional_unit_unit;
  r.kwh_per_functional_unit =
      inv.functional_unit_unit == "kWh" ? inv.functional_amount : inv.functional_amount * inv.specific_energy;
  if (!(r.kwh_per_functional_unit > 0)) return Status::Invalid("the functional unit has no energy (kWh)");
  Evaluator ev{inv, 0, {}};
  for (const Component& c : inv.components) {
    ComponentResult cr;
    cr.name = c.name;
    cr.stage = c.stage;
    for (const auto& [region, share] : c.sourcing) {
      StageCategory per_unit{};
      Status s = ev.Evaluate(c.inputs, region, c.stage, &per_unit);
      if (!s.ok()) return s;
      double in_region = 0;
      for (int a = 0; a < kNumLifeCycleStages; ++a) {
        for (int k = 0; k < kNumInputCategories; ++k) {
          const double v = c.mass * share * per_unit[a][k];
          cr.by_category[k] += v;
          r.by_category[k] += v;
          r.stage_total[a] += v;
          in_region += v;
        }
      }
      cr.by_region[region] += in_region;
    }
    cr.total = Sum(cr.by_category);
    r.components_total += cr.total;
    r.components.push_back(std::move(cr));
  }
  if (inv.has_transport) {
    Status s = ComputeTransport(inv.transport, &r.transport);
    if (!s.ok()) return s;
    r.stage_total[static_cast<int>(inv.transport_stage)] += r.transport.total;
  }
  r.total = r.components_total + r.transport.total;
  for (int a = 0; a < kNumLifeCycleStages; ++a) r.declaration[a] = r.stage_total[a] / r.kwh_per_functional_unit;
  *result = std::move(r);
  return Status::Ok();
}

std::string FormatFootprintReport(const FootprintResult& r) {
  std::ostringstream o;
  char buf[256];
  auto line = [&](const char* fmt, auto... args) {
    std::snprintf(buf, sizeof buf, fmt, args...);
    o << buf;
  };
  if (!r.name.empty()) o << r.name << "\n";
  line("Functional unit: %s (%g %s, %.4g kWh)\n\n", r.functional_unit.c_str(), r.functional_amount,
       r.functional_unit_unit.c_str(), r.kwh_per_functional_unit);
  o << "Hotspots, kg CO2e per functional unit (transport of minerals separate)\n";
  line("  %-26s %11s %11s %11s %11s %11s\n", "component", "electricity", "heat+mech", "resources", "waste", "total");
  for (const ComponentResult& c : r.components) {
    line("  %-26s %11.4f %11.4f %11.4f %11.4f %11.4f\n", c.name.c_str(), c.by_category[0], c.by_category[1],
         c.by_category[2], c.by_category[3], c.total);
  }
  line("  %-26s %11.4f %11.4f %11.4f %11.4f %11.4f\n", "all components", r.by_category[0], r.by_category[1],
       r.by_category[2], r.by_category[3], r.components_total);
  line("  %-26s %11s %11s %11s %11s %11.4f\n", "transport of minerals", "", "", "", "", r.transport.total);
  line("  %-26s %11s %11s %11s %11s %11.4f\n\n", "total", "", "", "", "", r.total);
  if (!r.transport.routes.empty()) {
    o << "Transport of critical minerals, kg CO2e per functional unit\n";
    line("  %-12s %10s %12s\n", "mineral", "contained", "emissions");
    for (const auto& [mineral, e] : r.transport.by_mineral) {
      auto it = r.transport.contained.find(mineral);
      line("  %-12s %8.4f kg %12.4f\n", mineral.c_str(), it == r.transport.contained.end() ? 0.0 : it->second, e);
    }
    line("  %-12s %10s %12.4f\n", "total", "", r.transport.total);
    line("  %-12s %-8s %-22s %7s %12s\n", "by route:", "origin", "route", "share", "emissions");
    for (const RouteEmissions& e : r.transport.routes) {
      line("  %-12s %-8s %-22s %7.3f %12.4f\n", e.mineral.c_str(), e.origin.c_str(), e.route.c_str(), e.share,
           e.emissions);
    }
    o << "\n";
  }
  o << "Carbon footprint declaration (EU Battery Regulation stages), kg CO2e per kWh\n";
  double sum = 0;
  for (int a = 0; a < kNumLifeCycleStages; ++a) {
    line("  %-46s %10.3f\n", StageTitle(static_cast<LifeCycleStage>(a)), r.declaration[a]);
    sum += r.declaration[a];
  }
  line("  %-46s %10.3f\n", "total", sum);
  return o.str();
}

}  // namespace lccge::lca
