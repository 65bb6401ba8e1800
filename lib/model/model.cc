#include "lccge/model/model.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "model/compiled_model.hpp"

namespace lccge {

namespace {

const char* KindName(VariableKind kind) {
  switch (kind) {
    case VariableKind::kSector:
      return "sector";
    case VariableKind::kCommodity:
      return "commodity";
    case VariableKind::kConsumer:
      return "consumer";
    case VariableKind::kAuxiliary:
      return "auxiliary";
  }
  return "variable";
}

constexpr double kInf = std::numeric_limits<double>::infinity();

// Resolves and checks names while compiling. Collects every problem.
class Compiler {
 public:
  Compiler(const Model& model, Diagnostics* diag) : model_(model), diag_(diag) {
    num_parameters_ = static_cast<int>(model.parameters().size());
    base_symbols_.resize(static_cast<size_t>(num_parameters_ + model.num_variables()), 1.0);
    for (int i = 0; i < num_parameters_; ++i)
      base_symbols_[static_cast<size_t>(i)] = model.parameters()[static_cast<size_t>(i)].second;
  }

  // Binds an expression. `allow_variables` says whether variables may appear. `what()` describes the field; it is
  // called only to word an error, so that compiling millions of flows builds no message strings.
  template <typename Describe>
  bool Bind(Expression& e, const SourceLocation& where, const Describe& what, bool allow_variables) {
    if (!e.parse_error().empty()) {
      diag_->Add(Status::Invalid(what() + ": " + e.parse_error(), where));
      return false;
    }
    if (e.is_constant()) {
      if (!allow_variables && !std::isfinite(e.constant_value())) {
        diag_->Add(Status::Invalid(what() + " '" + e.text() + "' is not a finite number", where));
        return false;
      }
      return true;
    }
    symbols_.clear();
    bool ok = true;
    for (const std::string& name : e.names()) {
      const int p = model_.ParameterIndex(name);
      if (p >= 0) {
        symbols_.push_back(p);
        continue;
      }
      const int v = model_.VariableIndex(name);
      if (v >= 0) {
        if (!allow_variables) {
          diag_->Add(Status::Invalid(what() + " '" + e.text() + "' names variable '" + name +
                                         "'; only parameters may appear here (variables may appear in tax rates, "
                                         "endowments and aux constraints)",
                                     where));
          ok = false;
        }
        symbols_.push_back(num_parameters_ + v);
        continue;
      }
      diag_->Add(Status::Invalid(what() + " '" + e.text() + "': unknown name '" + name + "'", where));
      ok = false;
      symbols_.push_back(0);
    }
    e.Bind(symbols_);
    if (ok && allow_variables == false) {
      const double v = e.Evaluate(base_symbols_.data());
      if (!std::isfinite(v)) {
        diag_->Add(Status::Invalid(what() + " '" + e.text() + "' is not a finite number", where));
        ok = false;
      }
    }
    return ok;
  }

  // The index of variable `name`, which must be of `kind`; -1 (and a diagnostic worded with `role()`) if not.
  template <typename Describe>
  int Variable(const std::string& name, VariableKind kind, const SourceLocation& where, const Describe& role) {
    const int v = model_.VariableIndex(name);
    if (v < 0) {
      diag_->Add(Status::Invalid(role() + ": unknown " + KindName(kind) + " '" + name + "'", where));
      return -1;
    }
    if (model_.variables()[static_cast<size_t>(v)].kind != kind) {
      diag_->Add(Status::Invalid(role() + ": '" + name + "' is a " +
                                     KindName(model_.variables()[static_cast<size_t>(v)].kind) + ", expected a " +
                                     KindName(kind),
                                 where));
      return -1;
    }
    return v;
  }

  // Builds a tree from nests and flows. `output` flips sign conventions only for messages.
  bool BuildTree(const std::string& owner, const SourceLocation& owner_where, Expression top_elasticity,
                 const std::vector<Nest>& nests, const std::vector<Flow>& flows, bool output, bool is_demand,
                 internal::CompiledTree* tree) {
    const std::string side = is_demand ? "final demand" : (output ? "output" : "input");
    bool ok = true;
    // Nest table: index 0 is top.
    std::vector<const Nest*> specs{nullptr};
    static const std::string kTop = "top";
    std::unordered_map<std::string, int> index{{kTop, 0}};
    index.reserve(nests.size() + 1);
    for (const Nest& n : nests) {
      if (n.name.empty() || n.name == "top") {
        diag_->Add(Status::Invalid(owner + ": a " + side + " nest needs a name other than 'top'", n.where));
        ok = false;
        continue;
      }
      if (index.count(n.name)) {
        diag_->Add(Status::Invalid(owner + ": duplicate " + side + " nest '" + n.name + "'", n.where));
        ok = false;
        continue;
      }
      index[n.name] = static_cast<int>(specs.size());
      specs.push_back(&n);
    }
    const int count = static_cast<int>(specs.size());
    std::vector<int> parent(static_cast<size_t>(count), -1);
    for (int i = 1; i < count; ++i) {
      const Nest& n = *specs[static_cast<size_t>(i)];
      auto it = index.find(n.parent.empty() ? kTop : n.parent);
      if (it == index.end()) {
        diag_->Add(Status::Invalid(owner + ": nest '" + n.name + "' has unknown parent '" + n.parent + "'", n.where));
        ok = false;
        parent[static_cast<size_t>(i)] = 0;
      } else {
        parent[static_cast<size_t>(i)] = it->second;
      }
    }
    // Cycles: walking up from any nest must reach top within `count` steps.
    for (int i = 1; i < count; ++i) {
      int p = i, steps = 0;
      while (p > 0 && steps <= count) {
        p = parent[static_cast<size_t>(p)];
        ++steps;
      }
      if (p != 0) {
        diag_->Add(Status::Invalid(owner + ": nest '" + specs[static_cast<size_t>(i)]->name +
                                       "' is part of a cycle of parents and never reaches 'top'",
                                   specs[static_cast<size_t>(i)]->where));
        return false;
      }
    }
    // Leaves per nest.
    std::vector<std::vector<int>> child_nests(static_cast<size_t>(count));
    std::vector<std::vector<int>> child_leaves(static_cast<size_t>(count));
    for (int i = 1; i < count; ++i) child_nests[static_cast<size_t>(parent[static_cast<size_t>(i)])].push_back(i);
    for (size_t f = 0; f < flows.size(); ++f) {
      const Flow& flow = flows[f];
      auto it = index.find(flow.nest.empty() ? kTop : flow.nest);
      if (it == index.end()) {
        diag_->Add(Status::Invalid(
            owner + ": " + side + " of '" + flow.commodity + "' names unknown nest '" + flow.nest + "'", flow.where));
        ok = false;
        continue;
      }
      child_leaves[static_cast<size_t>(it->second)].push_back(static_cast<int>(f));
    }
    // Depth-first order; count leaves under each nest.
    std::vector<int> order;
    std::function<void(int)> visit = [&](int n) {
      order.push_back(n);
      for (int c : child_nests[static_cast<size_t>(n)]) visit(c);
    };
    visit(0);
    std::vector<int> new_index(static_cast<size_t>(count), -1);
    for (size_t i = 0; i < order.size(); ++i) new_index[static_cast<size_t>(order[i])] = static_cast<int>(i);
    tree->nests.resize(order.size());
    tree->leaves.reserve(flows.size());
    // Leaves are appended while visiting so that each subtree's leaves are contiguous.
    std::function<void(int)> place = [&](int n) {
      internal::CompiledNest& cn = tree->nests[static_cast<size_t>(new_index[static_cast<size_t>(n)])];
      cn.parent = n == 0 ? -1 : new_index[static_cast<size_t>(parent[static_cast<size_t>(n)])];
      cn.name = n == 0 ? "top" : specs[static_cast<size_t>(n)]->name;
      cn.first_leaf = static_cast<int>(tree->leaves.size());
      for (int f : child_leaves[static_cast<size_t>(n)]) {
        const Flow& flow = flows[static_cast<size_t>(f)];
        internal::CompiledLeaf leaf;
        leaf.parent = new_index[static_cast<size_t>(n)];
        leaf.flow = f;
        auto role = [&] { return owner + " " + side; };
        leaf.commodity = Variable(flow.commodity, VariableKind::kCommodity, flow.where, role);
        if (leaf.commodity < 0) ok = false;
        leaf.quantity = flow.quantity;
        leaf.reference_price = flow.reference_price;
        ok = Bind(
                 leaf.quantity, flow.where, [&] { return role() + " quantity of '" + flow.commodity + "'"; }, false) &&
             ok;
        ok = Bind(
                 leaf.reference_price, flow.where,
                 [&] { return role() + " reference price of '" + flow.commodity + "'"; }, false) &&
             ok;
        if (ok) {
          const double q = leaf.quantity.Evaluate(base_symbols_.data());
          const double p = leaf.reference_price.Evaluate(base_symbols_.data());
          if (q < 0) {
            diag_->Add(Status::Invalid(
                role() + " quantity of '" + flow.commodity + "' is negative (" + std::to_string(q) + ")", flow.where));
            ok = false;
          }
          if (!(p > 0)) {
            diag_->Add(Status::Invalid(
                role() + " reference price of '" + flow.commodity + "' must be positive, is " + std::to_string(p),
                flow.where));
            ok = false;
          }
        }
        leaf.taxes.reserve(flow.taxes.size());
        for (const Tax& tax : flow.taxes) {
          if (is_demand) {
            diag_->Add(Status::Invalid(owner + ": taxes on final demand are not supported", tax.where));
            ok = false;
            continue;
          }
          internal::CompiledTax ct;
          auto tax_role = [&] { return owner + " tax on '" + flow.commodity + "'"; };
          ct.agent = Variable(tax.agent, VariableKind::kConsumer, tax.where, tax_role);
          ct.rate = tax.rate;
          if (ct.agent < 0) ok = false;
          ok = Bind(
                   ct.rate, tax.where, [&] { return owner + " tax rate on '" + flow.commodity + "'"; }, true) &&
               ok;
          leaf.taxes.push_back(std::move(ct));
        }
        tree->leaves.push_back(std::move(leaf));
      }
      for (int c : child_nests[static_cast<size_t>(n)]) place(c);
      cn.end_leaf = static_cast<int>(tree->leaves.size());
    };
    place(0);
    // Elasticities and empty nests.
    for (int i = 0; i < count; ++i) {
      internal::CompiledNest& cn = tree->nests[static_cast<size_t>(new_index[static_cast<size_t>(i)])];
      const SourceLocation& where = i == 0 ? owner_where : specs[static_cast<size_t>(i)]->where;
      auto label = [&] { return i == 0 ? "top " + side + " elasticity" : side + " nest '" + cn.name + "' elasticity"; };
      cn.elasticity = i == 0 ? top_elasticity : specs[static_cast<size_t>(i)]->elasticity;
      if (Bind(
              cn.elasticity, where, [&] { return owner + " " + label(); }, false)) {
        const double e = cn.elasticity.Evaluate(base_symbols_.data());
        if (e < 0) {
          diag_->Add(Status::Invalid(owner + " " + label() + " is negative (" + std::to_string(e) + ")", where));
          ok = false;
        }
      } else {
        ok = false;
      }
      if (i > 0 && cn.first_leaf == cn.end_leaf) {
        diag_->Add(
            Status::Invalid(owner + ": " + side + " nest '" + cn.name + "' is empty (no flows under it)", where));
        ok = false;
      }
    }
    return ok;
  }

  const Model& model_;
  Diagnostics* diag_;
  int num_parameters_ = 0;
  std::vector<double> base_symbols_;
  std::vector<int> symbols_;  // scratch for Bind
};

}  // namespace

Model::Model() = default;
Model::Model(std::string name) : name_(std::move(name)) {}
Model::Model(const Model&) = default;
Model& Model::operator=(const Model&) = default;
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

void Model::AddParameter(const std::string& name, double value, SourceLocation where) {
  if (parameter_index_.count(name) || variable_index_.count(name)) {
    duplicate_names_.push_back(name);
    duplicate_where_.push_back(where);
    return;
  }
  parameter_index_[name] = static_cast<int>(parameters_.size());
  parameters_.emplace_back(name, value);
  parameter_where_.push_back(std::move(where));
  compiled_.reset();
}

int Model::AddVariable(const std::string& name, VariableKind kind, SourceLocation where) {
  if (parameter_index_.count(name) || variable_index_.count(name)) {
    duplicate_names_.push_back(name);
    duplicate_where_.push_back(where);
    return -1;
  }
  const int index = static_cast<int>(variables_.size());
  VariableInfo info{name, kind, 0.0, kInf};
  if (kind == VariableKind::kConsumer) info.lower = -kInf;
  variables_.push_back(info);
  variable_where_.push_back(std::move(where));
  variable_index_[name] = index;
  compiled_.reset();
  return index;
}

void Model::AddSector(const std::string& name, SourceLocation where) {
  AddVariable(name, VariableKind::kSector, std::move(where));
}
void Model::AddCommodity(const std::string& name, SourceLocation where) {
  AddVariable(name, VariableKind::kCommodity, std::move(where));
}
void Model::AddConsumer(const std::string& name, SourceLocation where) {
  AddVariable(name, VariableKind::kConsumer, std::move(where));
}
void Model::AddAuxiliary(const std::string& name, SourceLocation where) {
  AddVariable(name, VariableKind::kAuxiliary, std::move(where));
}

void Model::SetLowerBound(const std::string& variable, double value, SourceLocation where) {
  bounds_.push_back({variable, value, false, std::move(where)});
  compiled_.reset();
}
void Model::SetUpperBound(const std::string& variable, double value, SourceLocation where) {
  bounds_.push_back({variable, value, true, std::move(where)});
  compiled_.reset();
}
void Model::SetVariableGroup(const std::string& variable, const std::string& group, SourceLocation where) {
  group_specs_.push_back({variable, group, std::move(where)});
}

void Model::SetStart(const std::string& variable, double value, SourceLocation where) {
  start_[variable] = value;
  start_where_.emplace_back(variable, std::move(where));
}

int Model::VariableIndex(const std::string& name) const {
  auto it = variable_index_.find(name);
  return it == variable_index_.end() ? -1 : it->second;
}
int Model::ParameterIndex(const std::string& name) const {
  auto it = parameter_index_.find(name);
  return it == parameter_index_.end() ? -1 : it->second;
}
const Scenario* Model::FindScenario(const std::string& name) const {
  for (const Scenario& s : scenarios_)
    if (s.name == name) return &s;
  return nullptr;
}

Status Model::Finalize(Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics& diag = diagnostics ? *diagnostics : local;
  const size_t before = diag.problems().size();
  compiled_.reset();
  for (size_t i = 0; i < duplicate_names_.size(); ++i) {
    diag.Add(Status::Invalid(
        "duplicate name '" + duplicate_names_[i] + "' (names of parameters and variables must be unique)",
        duplicate_where_[i]));
  }
  auto compiled = std::make_shared<internal::CompiledModel>();
  compiled->num_parameters = static_cast<int>(parameters_.size());
  compiled->num_variables = num_variables();
  compiled->block_of_variable.assign(variables_.size(), -1);
  Compiler c(*this, &diag);

  // Variable-kind lookups.
  for (const BoundSpec& b : bounds_) {
    const int v = VariableIndex(b.variable);
    if (v < 0) {
      diag.Add(Status::Invalid("bound on unknown variable '" + b.variable + "'", b.where));
      continue;
    }
    if (!std::isfinite(b.value) && !std::isinf(b.value)) {
      diag.Add(Status::Invalid("bound on '" + b.variable + "' is not a number", b.where));
      continue;
    }
    if (b.upper)
      variables_[static_cast<size_t>(v)].upper = b.value;
    else
      variables_[static_cast<size_t>(v)].lower = b.value;
  }
  for (const VariableInfo& v : variables_) {
    if (v.lower > v.upper) {
      diag.Add(Status::Invalid("variable '" + v.name + "' has lower bound above its upper bound", {}));
    }
  }
  for (const auto& [name, where] : start_where_) {
    if (VariableIndex(name) < 0) diag.Add(Status::Invalid("start value for unknown variable '" + name + "'", where));
  }
  group_names_.clear();
  group_of_variable_.assign(variables_.size(), -1);
  {
    std::map<std::string, int> group_index;
    for (const GroupSpec& g : group_specs_) {
      const int v = VariableIndex(g.variable);
      if (v < 0) {
        diag.Add(Status::Invalid("group '" + g.group + "' names unknown variable '" + g.variable + "'", g.where));
        continue;
      }
      if (g.group.empty()) {
        diag.Add(Status::Invalid("empty group name for variable '" + g.variable + "'", g.where));
        continue;
      }
      const auto [it, added] = group_index.emplace(g.group, static_cast<int>(group_names_.size()));
      if (added) group_names_.push_back(g.group);
      int& slot = group_of_variable_[static_cast<size_t>(v)];
      if (slot >= 0 && slot != it->second) {
        diag.Add(Status::Invalid("variable '" + g.variable + "' is in two groups, '" +
                                     group_names_[static_cast<size_t>(slot)] + "' and '" + g.group + "'",
                                 g.where));
        continue;
      }
      slot = it->second;
    }
  }

  for (const Production& p : productions_) {
    const int sector =
        c.Variable(p.sector, VariableKind::kSector, p.where, [] { return std::string("production block"); });
    internal::CompiledProduction cp;
    cp.sector = sector;
    if (sector >= 0) {
      if (compiled->block_of_variable[static_cast<size_t>(sector)] >= 0) {
        diag.Add(Status::Invalid("sector '" + p.sector + "' has more than one production block", p.where));
      }
      compiled->block_of_variable[static_cast<size_t>(sector)] = static_cast<int>(compiled->productions.size());
    }
    const std::string owner = "sector '" + p.sector + "'";
    if (p.outputs.empty()) diag.Add(Status::Invalid(owner + " has no outputs", p.where));
    c.BuildTree(owner, p.where, p.input_elasticity, p.input_nests, p.inputs, false, false, &cp.inputs);
    c.BuildTree(owner, p.where, p.output_elasticity, p.output_nests, p.outputs, true, false, &cp.outputs);
    compiled->productions.push_back(std::move(cp));
  }
  for (const Demand& d : demands_) {
    const int consumer =
        c.Variable(d.consumer, VariableKind::kConsumer, d.where, [] { return std::string("demand block"); });
    internal::CompiledDemand cd;
    cd.consumer = consumer;
    if (consumer >= 0) {
      if (compiled->block_of_variable[static_cast<size_t>(consumer)] >= 0) {
        diag.Add(Status::Invalid("consumer '" + d.consumer + "' has more than one demand block", d.where));
      }
      compiled->block_of_variable[static_cast<size_t>(consumer)] = static_cast<int>(compiled->demands.size());
    }
    const std::string owner = "consumer '" + d.consumer + "'";
    if (d.final_demands.empty()) diag.Add(Status::Invalid(owner + " has no final demands", d.where));
    c.BuildTree(owner, d.where, d.elasticity, d.nests, d.final_demands, false, true, &cd.final_demand);
    for (const Endowment& e : d.endowments) {
      internal::CompiledEndowment ce;
      ce.commodity = c.Variable(e.commodity, VariableKind::kCommodity, e.where, [&] { return owner + " endowment"; });
      ce.quantity = e.quantity;
      c.Bind(
          ce.quantity, e.where, [&] { return owner + " endowment of '" + e.commodity + "'"; }, true);
      cd.endowments.push_back(std::move(ce));
    }
    compiled->demands.push_back(std::move(cd));
  }
  for (const AuxConstraint& a : aux_constraints_) {
    internal::CompiledAux ca;
    ca.aux = c.Variable(a.aux, VariableKind::kAuxiliary, a.where, [] { return std::string("aux constraint"); });
    ca.expr = a.expr;
    ca.type = a.type;
    c.Bind(
        ca.expr, a.where, [&] { return "aux constraint of '" + a.aux + "'"; }, true);
    if (ca.aux >= 0) {
      if (compiled->block_of_variable[static_cast<size_t>(ca.aux)] >= 0) {
        diag.Add(Status::Invalid("auxiliary '" + a.aux + "' has more than one constraint", a.where));
      }
      compiled->block_of_variable[static_cast<size_t>(ca.aux)] = static_cast<int>(compiled->aux_constraints.size());
      // Complementarity aux are >= 0 unless bounds say otherwise; equation aux are free.
      VariableInfo& info = variables_[static_cast<size_t>(ca.aux)];
      bool has_lower = false;
      for (const BoundSpec& b : bounds_)
        if (b.variable == a.aux && !b.upper) has_lower = true;
      if (!has_lower) info.lower = a.type == AuxConstraintType::kComplementarity ? 0.0 : -kInf;
    }
    compiled->aux_constraints.push_back(std::move(ca));
  }
  // Every sector, consumer and aux needs its block; every commodity must appear somewhere.
  std::vector<bool> commodity_used(variables_.size(), false);
  auto mark_tree = [&](const internal::CompiledTree& t) {
    for (const auto& leaf : t.leaves)
      if (leaf.commodity >= 0) commodity_used[static_cast<size_t>(leaf.commodity)] = true;
  };
  for (const auto& p : compiled->productions) {
    mark_tree(p.inputs);
    mark_tree(p.outputs);
  }
  for (const auto& d : compiled->demands) {
    mark_tree(d.final_demand);
    for (const auto& e : d.endowments)
      if (e.commodity >= 0) commodity_used[static_cast<size_t>(e.commodity)] = true;
  }
  for (size_t v = 0; v < variables_.size(); ++v) {
    const VariableInfo& info = variables_[v];
    const bool has_block = compiled->block_of_variable[v] >= 0;
    if (info.kind == VariableKind::kSector && !has_block)
      diag.Add(Status::Invalid("sector '" + info.name + "' has no production block", variable_where_[v]));
    if (info.kind == VariableKind::kConsumer && !has_block)
      diag.Add(Status::Invalid("consumer '" + info.name + "' has no demand block", variable_where_[v]));
    if (info.kind == VariableKind::kAuxiliary && !has_block)
      diag.Add(Status::Invalid("auxiliary '" + info.name + "' has no aux constraint", variable_where_[v]));
    if (info.kind == VariableKind::kCommodity && !commodity_used[v])
      diag.Add(Status::Invalid("commodity '" + info.name + "' is neither produced, used, demanded nor endowed",
                               variable_where_[v]));
  }
  for (const Scenario& s : scenarios_) CheckScenarioNames(s, &diag);
  if (diag.problems().size() > before) return diag.problems()[before];
  compiled_ = std::move(compiled);
  return Status::Ok();
}

void Model::CheckScenarioNames(const Scenario& s, Diagnostics* diag) const {
  auto where_of = [&](const std::string& name) {
    auto it = s.where_of.find(name);
    return it != s.where_of.end() ? it->second : s.where;
  };
  for (const auto& [name, value] : s.parameters) {
    if (ParameterIndex(name) < 0)
      diag->Add(Status::Invalid("scenario '" + s.name + "' sets unknown parameter '" + name + "'", where_of(name)));
    if (!std::isfinite(value))
      diag->Add(Status::Invalid("scenario '" + s.name + "' sets parameter '" + name + "' to a non-finite value",
                                where_of(name)));
  }
  for (const auto* table : {&s.fixed, &s.start}) {
    for (const auto& [name, value] : *table) {
      if (VariableIndex(name) < 0)
        diag->Add(Status::Invalid("scenario '" + s.name + "' " + (table == &s.fixed ? "fixes" : "starts") +
                                      " unknown variable '" + name + "'",
                                  where_of(name)));
      if (!std::isfinite(value))
        diag->Add(Status::Invalid("scenario '" + s.name + "' gives '" + name + "' a non-finite value", where_of(name)));
    }
  }
}

Status Model::CheckScenario(const Scenario& s) const {
  if (!finalized()) return Status::Invalid("model '" + name_ + "' is not finalized; call Finalize() first");
  Diagnostics diag;
  CheckScenarioNames(s, &diag);
  return diag.First();
}

}  // namespace lccge
