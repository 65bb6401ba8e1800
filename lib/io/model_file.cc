#include "lccge/io/model_file.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "core/yaml_reader.hpp"
#include "lccge/core/file.hpp"

namespace lccge::io {

namespace {

// Converts yaml-cpp nodes into a Model, recording every problem with its file and line.
class Reader {
 public:
  Reader(std::string file, Diagnostics* diag) : file_(std::move(file)), diag_(diag) {}

  SourceLocation Where(const YAML::Node& node) const {
    const YAML::Mark m = node.Mark();
    return {file_, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0};
  }
  void Error(const YAML::Node& node, const std::string& cause) { diag_->Add(Status::Invalid(cause, Where(node))); }

  bool IsMap(const YAML::Node& node, const std::string& what) {
    if (node.IsMap()) return true;
    Error(node, what + " must be a mapping of keys to values");
    return false;
  }
  bool IsList(const YAML::Node& node, const std::string& what) {
    if (node.IsSequence()) return true;
    Error(node, what + " must be a list");
    return false;
  }
  // Rejects keys outside `allowed` (typos in model blocks must not be silently ignored).
  void CheckKeys(const YAML::Node& node, const std::set<std::string>& allowed, const std::string& what) {
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>("");
      if (!allowed.count(key)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        Error(kv.first, "unknown key '" + key + "' in " + what + " (expected one of: " + list + ")");
      }
    }
  }
  bool String(const YAML::Node& node, const std::string& what, std::string* out) {
    if (!node || !node.IsScalar() || node.Scalar().empty()) {
      Error(node, what + " must be a non-empty name");
      return false;
    }
    *out = node.Scalar();
    return true;
  }
  bool Number(const YAML::Node& node, const std::string& what, double* out) {
    if (!node.IsScalar()) {
      Error(node, what + " must be a number");
      return false;
    }
    const std::string& text = node.Scalar();
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
      Error(node, what + ": '" + text + "' is not a number");
      return false;
    }
    if (!std::isfinite(v)) {
      Error(node, what + " is not a finite number ('" + text + "')");
      return false;
    }
    *out = v;
    return true;
  }
  // A number or an expression string.
  bool Expr(const YAML::Node& node, const std::string& what, Expression* out) {
    if (!node.IsScalar()) {
      Error(node, what + " must be a number or an expression");
      return false;
    }
    const std::string& text = node.Scalar();
    const std::string lowered = [&] {
      std::string l;
      for (char c : text) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return l;
    }();
    if (lowered == "nan" || lowered == ".nan" || lowered == "inf" || lowered == ".inf" || lowered == "-.inf") {
      Error(node, what + " is not a finite number ('" + text + "')");
      return false;
    }
    Status s = Expression::Parse(text, Where(node), out);
    if (!s.ok()) {
      diag_->Add(Status::Invalid(what + ": " + s.cause(), s.where()));
      return false;
    }
    return true;
  }
  void Names(const YAML::Node& node, const std::string& what, Model* model,
             void (Model::*add)(const std::string&, SourceLocation)) {
    if (!node) return;
    if (!IsList(node, what)) return;
    for (const auto& item : node) {
      std::string name;
      if (String(item, what + " entry", &name)) (model->*add)(name, Where(item));
    }
  }
  void NumberMap(const YAML::Node& node, const std::string& what,
                 const std::function<void(const std::string&, double, SourceLocation)>& sink) {
    if (!node || node.IsNull()) return;
    if (!IsMap(node, what)) return;
    for (const auto& kv : node) {
      double v = 0;
      const std::string key = kv.first.as<std::string>("");
      if (Number(kv.second, what + " '" + key + "'", &v)) sink(key, v, Where(kv.first));
    }
  }
  std::vector<Nest> Nests(const YAML::Node& node, const std::string& what) {
    std::vector<Nest> nests;
    if (!node || node.IsNull()) return nests;
    if (!IsMap(node, what)) return nests;
    for (const auto& kv : node) {
      Nest n;
      n.name = kv.first.as<std::string>("");
      n.where = Where(kv.first);
      const YAML::Node body = kv.second;
      if (!IsMap(body, what + " '" + n.name + "'")) continue;
      CheckKeys(body, {"parent", "elasticity"}, what + " '" + n.name + "'");
      if (body["parent"])
        String(body["parent"], "parent of nest '" + n.name + "'", &n.parent);
      else
        n.parent = "top";
      if (!body["elasticity"])
        Error(body, "nest '" + n.name + "' needs an elasticity");
      else
        Expr(body["elasticity"], "elasticity of nest '" + n.name + "'", &n.elasticity);
      nests.push_back(std::move(n));
    }
    return nests;
  }
  std::vector<Flow> Flows(const YAML::Node& node, const std::string& what) {
    std::vector<Flow> flows;
    if (!node || node.IsNull()) return flows;
    if (!IsList(node, what)) return flows;
    for (const auto& item : node) {
      if (!IsMap(item, what + " entry")) continue;
      CheckKeys(item, {"commodity", "quantity", "reference_price", "taxes", "nest"}, what + " entry");
      Flow f;
      f.where = Where(item);
      String(item["commodity"], what + " commodity", &f.commodity);
      if (!item["quantity"])
        Error(item, what + " of '" + f.commodity + "' needs a quantity");
      else
        Expr(item["quantity"], what + " quantity of '" + f.commodity + "'", &f.quantity);
      if (item["reference_price"])
        Expr(item["reference_price"], "reference price of '" + f.commodity + "'", &f.reference_price);
      if (item["nest"]) String(item["nest"], "nest of '" + f.commodity + "'", &f.nest);
      if (item["taxes"] && IsList(item["taxes"], "taxes of '" + f.commodity + "'")) {
        for (const auto& t : item["taxes"]) {
          if (!IsMap(t, "tax")) continue;
          CheckKeys(t, {"agent", "rate"}, "tax on '" + f.commodity + "'");
          Tax tax;
          tax.where = Where(t);
          String(t["agent"], "tax agent", &tax.agent);
          if (!t["rate"])
            Error(t, "tax on '" + f.commodity + "' needs a rate");
          else
            Expr(t["rate"], "tax rate on '" + f.commodity + "'", &tax.rate);
          f.taxes.push_back(std::move(tax));
        }
      }
      flows.push_back(std::move(f));
    }
    return flows;
  }

  void Read(const YAML::Node& root, Model* model) {
    if (!root.IsMap()) {
      Error(root, "a model file must be a mapping with keys such as 'sectors', 'commodities', 'productions'");
      return;
    }
    if (root["name"] && root["name"].IsScalar()) model->SetName(root["name"].Scalar());
    if (root["title"] && root["title"].IsScalar()) model->SetTitle(root["title"].Scalar());
    NumberMap(root["parameters"], "parameter",
              [&](const std::string& k, double v, SourceLocation w) { model->AddParameter(k, v, std::move(w)); });
    Names(root["sectors"], "sectors", model, &Model::AddSector);
    Names(root["commodities"], "commodities", model, &Model::AddCommodity);
    Names(root["consumers"], "consumers", model, &Model::AddConsumer);
    Names(root["auxiliaries"], "auxiliaries", model, &Model::AddAuxiliary);
    if (root["productions"] && IsList(root["productions"], "productions")) {
      for (const auto& b : root["productions"]) {
        if (!IsMap(b, "production block")) continue;
        CheckKeys(b, {"sector", "s", "t", "nests", "output_nests", "inputs", "outputs"}, "production block");
        Production p;
        p.where = Where(b);
        String(b["sector"], "production block sector", &p.sector);
        if (b["s"]) Expr(b["s"], "input elasticity s of '" + p.sector + "'", &p.input_elasticity);
        if (b["t"]) Expr(b["t"], "output elasticity t of '" + p.sector + "'", &p.output_elasticity);
        p.input_nests = Nests(b["nests"], "input nest");
        p.output_nests = Nests(b["output_nests"], "output nest");
        p.inputs = Flows(b["inputs"], "input");
        p.outputs = Flows(b["outputs"], "output");
        model->AddProduction(std::move(p));
      }
    }
    if (root["demands"] && IsList(root["demands"], "demands")) {
      for (const auto& b : root["demands"]) {
        if (!IsMap(b, "demand block")) continue;
        CheckKeys(b, {"consumer", "elasticity", "nests", "final_demands", "endowments"}, "demand block");
        Demand d;
        d.where = Where(b);
        String(b["consumer"], "demand block consumer", &d.consumer);
        if (b["elasticity"]) Expr(b["elasticity"], "final demand elasticity of '" + d.consumer + "'", &d.elasticity);
        d.nests = Nests(b["nests"], "final demand nest");
        d.final_demands = Flows(b["final_demands"], "final demand");
        if (b["endowments"] && IsList(b["endowments"], "endowments")) {
          for (const auto& e : b["endowments"]) {
            if (!IsMap(e, "endowment")) continue;
            CheckKeys(e, {"commodity", "quantity"}, "endowment");
            Endowment en;
            en.where = Where(e);
            String(e["commodity"], "endowment commodity", &en.commodity);
            if (!e["quantity"])
              Error(e, "endowment of '" + en.commodity + "' needs a quantity");
            else
              Expr(e["quantity"], "endowment of '" + en.commodity + "'", &en.quantity);
            d.endowments.push_back(std::move(en));
          }
        }
        model->AddDemand(std::move(d));
      }
    }
    if (root["aux_constraints"] && IsList(root["aux_constraints"], "aux_constraints")) {
      for (const auto& a : root["aux_constraints"]) {
        if (!IsMap(a, "aux constraint")) continue;
        CheckKeys(a, {"aux", "expr", "type"}, "aux constraint");
        AuxConstraint c;
        c.where = Where(a);
        String(a["aux"], "aux constraint variable", &c.aux);
        if (!a["expr"])
          Error(a, "aux constraint of '" + c.aux + "' needs an expr");
        else
          Expr(a["expr"], "aux constraint of '" + c.aux + "'", &c.expr);
        std::string type = "equation";
        if (a["type"]) String(a["type"], "aux constraint type", &type);
        if (type.rfind("equation", 0) == 0)
          c.type = AuxConstraintType::kEquation;
        else if (type.rfind("complementarity", 0) == 0)
          c.type = AuxConstraintType::kComplementarity;
        else
          Error(a["type"], "aux constraint type '" + type + "' must start with 'equation' or 'complementarity'");
        model->AddAuxConstraint(std::move(c));
      }
    }
    NumberMap(root["lower_bounds"], "lower bound",
              [&](const std::string& k, double v, SourceLocation w) { model->SetLowerBound(k, v, std::move(w)); });
    NumberMap(root["upper_bounds"], "upper bound",
              [&](const std::string& k, double v, SourceLocation w) { model->SetUpperBound(k, v, std::move(w)); });
    NumberMap(root["start"], "start value",
              [&](const std::string& k, double v, SourceLocation w) { model->SetStart(k, v, std::move(w)); });
    if (root["groups"] && !root["groups"].IsNull() && IsMap(root["groups"], "groups")) {
      for (const auto& kv : root["groups"]) {
        const std::string group = kv.first.as<std::string>("");
        if (!IsList(kv.second, "group '" + group + "'")) continue;
        for (const auto& item : kv.second) {
          std::string variable;
          if (String(item, "group '" + group + "' entry", &variable))
            model->SetVariableGroup(variable, group, Where(item));
        }
      }
    }
    if (root["scenarios"] && IsList(root["scenarios"], "scenarios")) {
      std::set<std::string> seen;
      for (const auto& sc : root["scenarios"]) {
        if (!IsMap(sc, "scenario")) continue;
        Scenario s;
        s.where = Where(sc);
        if (!String(sc["name"], "scenario name", &s.name)) continue;
        if (!seen.insert(s.name).second) Error(sc["name"], "duplicate scenario '" + s.name + "'");
        NumberMap(sc["parameters"], "scenario parameter", [&](const std::string& k, double v, SourceLocation w) {
          s.parameters[k] = v;
          s.where_of[k] = std::move(w);
        });
        NumberMap(sc["fixed"], "fixed value", [&](const std::string& k, double v, SourceLocation w) {
          s.fixed[k] = v;
          s.where_of[k] = std::move(w);
        });
        NumberMap(sc["start"], "scenario start value", [&](const std::string& k, double v, SourceLocation w) {
          s.start[k] = v;
          if (!s.where_of.count(k)) s.where_of[k] = std::move(w);
        });
        NumberMap(sc["expected"], "expected value",
                  [&](const std::string& k, double v, SourceLocation) { s.expected[k] = v; });
        model->AddScenario(std::move(s));
      }
    }
  }

 private:
  std::string file_;
  Diagnostics* diag_;
};

}  // namespace

Status ParseModel(const std::string& text, const std::string& file, Model* model, Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics& diag = diagnostics ? *diagnostics : local;
  const size_t before = diag.problems().size();
  YAML::Node root;
  if (Status parsed = internal::ParseYamlDocument(text, file, &root); !parsed.ok()) {
    diag.Add(parsed);
    return parsed;
  }
  Model m;
  try {
    Reader reader(file, &diag);
    reader.Read(root, &m);
  } catch (const YAML::Exception& e) {
    diag.Add(Status::Invalid("malformed model: " + e.msg,
                             {file, e.mark.line >= 0 ? e.mark.line + 1 : 0, e.mark.column + 1}));
  }
  // Structural checks run even after reading problems, so that `lccge check` lists them all.
  m.Finalize(&diag);
  if (diag.problems().size() > before) return diag.problems()[before];
  *model = std::move(m);
  return Status::Ok();
}

Status LoadModel(const std::string& path, Model* model, Diagnostics* diagnostics) {
  std::string text;
  Status s = ReadFileToString(path, &text);
  if (!s.ok()) {
    if (diagnostics) diagnostics->Add(s);
    return s;
  }
  return ParseModel(text, path, model, diagnostics);
}

namespace {

void EmitExpr(YAML::Emitter& out, const Expression& e) {
  if (e.is_constant()) {
    out << e.constant_value();
  } else {
    out << YAML::DoubleQuoted << e.text();
  }
}

void EmitFlows(YAML::Emitter& out, const std::vector<Flow>& flows) {
  out << YAML::BeginSeq;
  for (const Flow& f : flows) {
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "commodity" << YAML::Value << f.commodity;
    out << YAML::Key << "quantity" << YAML::Value;
    EmitExpr(out, f.quantity);
    if (!(f.reference_price.is_constant() && f.reference_price.constant_value() == 1.0)) {
      out << YAML::Key << "reference_price" << YAML::Value;
      EmitExpr(out, f.reference_price);
    }
    if (!f.nest.empty() && f.nest != "top") out << YAML::Key << "nest" << YAML::Value << f.nest;
    if (!f.taxes.empty()) {
      out << YAML::Key << "taxes" << YAML::Value << YAML::BeginSeq;
      for (const Tax& t : f.taxes) {
        out << YAML::BeginMap << YAML::Key << "agent" << YAML::Value << t.agent << YAML::Key << "rate" << YAML::Value;
        EmitExpr(out, t.rate);
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void EmitNests(YAML::Emitter& out, const std::vector<Nest>& nests) {
  out << YAML::BeginMap;
  for (const Nest& n : nests) {
    out << YAML::Key << n.name << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "parent" << YAML::Value << (n.parent.empty() ? std::string("top") : n.parent);
    out << YAML::Key << "elasticity" << YAML::Value;
    EmitExpr(out, n.elasticity);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void EmitNames(YAML::Emitter& out, const Model& model, VariableKind kind, const char* key) {
  out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const VariableInfo& v : model.variables())
    if (v.kind == kind) out << v.name;
  out << YAML::EndSeq;
}

void EmitNumberMap(YAML::Emitter& out, const char* key, const std::map<std::string, double>& values) {
  if (values.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginMap;
  for (const auto& [k, v] : values) out << YAML::Key << k << YAML::Value << v;
  out << YAML::EndMap;
}

// The bounds that differ from the defaults (levels, prices and complementarity aux >= 0; incomes and equation aux
// free; no upper bounds), as Finalize resolved them. A bound at infinity cannot be written (the reader takes finite
// numbers only) and is left out.
void EmitBounds(YAML::Emitter& out, const Model& model) {
  std::map<std::string, double> lower, upper;
  std::vector<bool> equation_aux(model.variables().size(), false);
  for (const AuxConstraint& a : model.aux_constraints()) {
    const int v = model.VariableIndex(a.aux);
    if (v >= 0 && a.type == AuxConstraintType::kEquation) equation_aux[static_cast<size_t>(v)] = true;
  }
  for (size_t v = 0; v < model.variables().size(); ++v) {
    const VariableInfo& info = model.variables()[v];
    const bool free = info.kind == VariableKind::kConsumer || equation_aux[v];
    const double default_lower = free ? -std::numeric_limits<double>::infinity() : 0.0;
    if (info.lower != default_lower && std::isfinite(info.lower)) lower[info.name] = info.lower;
    if (std::isfinite(info.upper)) upper[info.name] = info.upper;
  }
  EmitNumberMap(out, "lower_bounds", lower);
  EmitNumberMap(out, "upper_bounds", upper);
}

}  // namespace

std::string ModelToYaml(const Model& model) {
  YAML::Emitter out;
  out.SetDoublePrecision(17);
  out << YAML::BeginMap;
  out << YAML::Key << "format" << YAML::Value << 1;
  out << YAML::Key << "name" << YAML::Value << model.name();
  if (!model.title().empty()) out << YAML::Key << "title" << YAML::Value << model.title();
  if (!model.parameters().empty()) {
    out << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
    for (const auto& [k, v] : model.parameters()) out << YAML::Key << k << YAML::Value << v;
    out << YAML::EndMap;
  }
  EmitNames(out, model, VariableKind::kSector, "sectors");
  EmitNames(out, model, VariableKind::kCommodity, "commodities");
  EmitNames(out, model, VariableKind::kConsumer, "consumers");
  bool any_aux = false;
  for (const VariableInfo& v : model.variables()) any_aux = any_aux || v.kind == VariableKind::kAuxiliary;
  if (any_aux) EmitNames(out, model, VariableKind::kAuxiliary, "auxiliaries");
  out << YAML::Key << "productions" << YAML::Value << YAML::BeginSeq;
  for (const Production& p : model.productions()) {
    out << YAML::BeginMap;
    out << YAML::Key << "sector" << YAML::Value << p.sector;
    out << YAML::Key << "s" << YAML::Value;
    EmitExpr(out, p.input_elasticity);
    out << YAML::Key << "t" << YAML::Value;
    EmitExpr(out, p.output_elasticity);
    if (!p.input_nests.empty()) {
      out << YAML::Key << "nests" << YAML::Value;
      EmitNests(out, p.input_nests);
    }
    if (!p.output_nests.empty()) {
      out << YAML::Key << "output_nests" << YAML::Value;
      EmitNests(out, p.output_nests);
    }
    out << YAML::Key << "outputs" << YAML::Value;
    EmitFlows(out, p.outputs);
    out << YAML::Key << "inputs" << YAML::Value;
    EmitFlows(out, p.inputs);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "demands" << YAML::Value << YAML::BeginSeq;
  for (const Demand& d : model.demands()) {
    out << YAML::BeginMap;
    out << YAML::Key << "consumer" << YAML::Value << d.consumer;
    out << YAML::Key << "elasticity" << YAML::Value;
    EmitExpr(out, d.elasticity);
    if (!d.nests.empty()) {
      out << YAML::Key << "nests" << YAML::Value;
      EmitNests(out, d.nests);
    }
    out << YAML::Key << "final_demands" << YAML::Value;
    EmitFlows(out, d.final_demands);
    out << YAML::Key << "endowments" << YAML::Value << YAML::BeginSeq;
    for (const Endowment& e : d.endowments) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "commodity" << YAML::Value << e.commodity;
      out << YAML::Key << "quantity" << YAML::Value;
      EmitExpr(out, e.quantity);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  if (!model.aux_constraints().empty()) {
    out << YAML::Key << "aux_constraints" << YAML::Value << YAML::BeginSeq;
    for (const AuxConstraint& a : model.aux_constraints()) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "aux" << YAML::Value << a.aux;
      out << YAML::Key << "expr" << YAML::Value << YAML::DoubleQuoted << a.expr.text();
      out << YAML::Key << "type" << YAML::Value
          << (a.type == AuxConstraintType::kEquation ? "equation" : "complementarity");
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  EmitBounds(out, model);
  EmitNumberMap(out, "start", model.start());
  if (!model.group_names().empty()) {
    std::vector<std::vector<std::string>> members(model.group_names().size());
    for (size_t v = 0; v < model.group_of_variable().size(); ++v)
      if (model.group_of_variable()[v] >= 0)
        members[static_cast<size_t>(model.group_of_variable()[v])].push_back(model.variables()[v].name);
    out << YAML::Key << "groups" << YAML::Value << YAML::BeginMap;
    for (size_t g = 0; g < members.size(); ++g) {
      out << YAML::Key << model.group_names()[g] << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (const std::string& name : members[g]) out << name;
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  if (!model.scenarios().empty()) {
    out << YAML::Key << "scenarios" << YAML::Value << YAML::BeginSeq;
    for (const Scenario& s : model.scenarios()) {
      out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << s.name;
      EmitNumberMap(out, "parameters", s.parameters);
      EmitNumberMap(out, "fixed", s.fixed);
      EmitNumberMap(out, "start", s.start);
      EmitNumberMap(out, "expected", s.expected);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

Status SaveModel(const Model& model, const std::string& path) { return WriteFileAtomically(path, ModelToYaml(model)); }

}  // namespace lccge::io
