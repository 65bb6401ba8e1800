#include "lccge/model/model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <string_view>
#include <utility>

#include "model/compiled_model.hpp"

namespace lccge {

const char* VariableKindName(VariableKind kind) {
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

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Resolves and checks names while compiling. Collects every problem.
class Compiler {
 public:
  // The end of a pool past `base`: one tree's parts while it is compiled, appended in place (the pools are
  // reserved at their final sizes, and trees refer to their parts by offset until AttachTrees).
  template <typename T>
  class PoolTail {
   public:
    explicit PoolTail(std::vector<T>* pool) : pool_(pool), base_(pool->size()) {}
    size_t size() const { return pool_->size() - base_; }
    T& operator[](size_t i) { return (*pool_)[base_ + i]; }
    T& front() { return (*pool_)[base_]; }
    void resize(size_t n) { pool_->resize(base_ + n); }
    template <typename... Args>
    T& emplace_back(Args&&... args) {
      return pool_->emplace_back(std::forward<Args>(args)...);
    }
    void push_back(T&& value) { pool_->push_back(std::move(value)); }
    internal::CompiledTree::Range range() const { return {base_, size()}; }

   private:
    std::vector<T>* pool_;
    size_t base_;
  };
  struct TreeParts {
    PoolTail<internal::CompiledNest> nests;
    PoolTail<internal::CompiledLeaf> leaves;
    PoolTail<internal::CompiledTax> taxes;
  };

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
    // Most expressions of a model are plain numbers: nothing to bind, only finiteness to check.
    if (e.is_constant() && std::isfinite(e.constant_value()) && e.names().empty() && e.parse_error().empty())
      return true;
    return BindProgram(e, where, what, allow_variables);
  }
  template <typename Describe>
  bool BindProgram(Expression& e, const SourceLocation& where, const Describe& what, bool allow_variables) {
    if (!e.parse_error().empty()) {
      diag_->Add(Status::Invalid(what() + ": " + e.parse_error(), where));
      return false;
    }
    if (e.is_constant()) {
      // A constant is known now, wherever variables may appear too: an infinite tax rate or endowment is no number.
      if (!std::isfinite(e.constant_value())) {
        diag_->Add(Status::Invalid(what() + " '" + e.text() + "' is not a finite number", where));
        return false;
      }
      return true;
    }
    symbols_.clear();
    bool ok = true;
    for (const std::string& name : e.names()) {
      const int p = CachedParameterIndex(name);
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

  // Parameter index of `name` or -1. Models name the same few parameters in thousands of expressions (a tariff
  // rate on every trade route, say): the last few names looked up are remembered.
  int CachedParameterIndex(const std::string& name) {
    for (const auto& [cached, index] : recent_parameters_)
      if (index >= 0 && cached == name) return index;
    const int p = model_.ParameterIndex(name);
    if (p >= 0) {
      recent_parameters_[next_recent_] = {name, p};
      next_recent_ = (next_recent_ + 1) % recent_parameters_.size();
    }
    return p;
  }

  // The index of variable `name`, which must be of `kind`; -1 (and a diagnostic worded with `role()`) if not.
  template <typename Describe>
  int Variable(const std::string& name, VariableKind kind, const SourceLocation& where, const Describe& role) {
    const int v = model_.VariableIndex(name);
    if (v < 0) {
      diag_->Add(Status::Invalid(role() + ": unknown " + VariableKindName(kind) + " '" + name + "'", where));
      return -1;
    }
    if (model_.variables()[static_cast<size_t>(v)].kind != kind) {
      diag_->Add(Status::Invalid(role() + ": '" + name + "' is a " +
                                     VariableKindName(model_.variables()[static_cast<size_t>(v)].kind) +
                                     ", expected a " + VariableKindName(kind),
                                 where));
      return -1;
    }
    return v;
  }

  // Compiles a tree (BuildTree) and appends its parts to the pools of `compiled`; `tree` records where they sit
  // (AttachTrees makes its views once every tree is in).
  template <typename Owner>
  bool CompileTree(const Owner& owner, const SourceLocation& owner_where, const Expression& top_elasticity,
                   const std::vector<Nest>& nests, const std::vector<Flow>& flows, bool output, bool is_demand,
                   internal::CompiledModel* compiled, internal::CompiledTree* tree) {
    TreeParts parts{PoolTail(&compiled->nest_pool), PoolTail(&compiled->leaf_pool), PoolTail(&compiled->tax_pool)};
    const bool ok = BuildTree(owner, owner_where, top_elasticity, nests, flows, output, is_demand, &parts);
    tree->nest_range = parts.nests.range();
    tree->leaf_range = parts.leaves.range();
    tree->tax_range = parts.taxes.range();
    return ok;
  }

  // Builds a tree from nests and flows. `output` flips sign conventions only for messages. Works on flat arrays
  // (no container per nest): import trees of GTAP-size models have a nest per trading partner.
  // `owner()` names the block for messages.
  template <typename Owner>
  bool BuildTree(const Owner& owner, const SourceLocation& owner_where, const Expression& top_elasticity,
                 const std::vector<Nest>& nests, const std::vector<Flow>& flows, bool output, bool is_demand,
                 TreeParts* tree) {
    const char* side = is_demand ? "final demand" : (output ? "output" : "input");
    if (nests.empty()) return BuildFlatTree(owner, side, owner_where, top_elasticity, flows, is_demand, tree);
    bool ok = true;
    if (BuildListedTree(owner, side, owner_where, top_elasticity, nests, flows, is_demand, tree, &ok)) return ok;
    ReserveScratch();
    // Nest table: index 0 is top, then the valid nests in the order given. A repeated name is an error and the
    // later nest is left out.
    TreeScratch& w = scratch_;  // reused from tree to tree: no allocation per tree once warm
    auto& by_name = w.by_name;  // (name, position in `nests`), sorted by name, then position
    by_name.clear();
    for (size_t i = 0; i < nests.size(); ++i)
      if (!IsTopNestName(nests[i].name)) by_name.emplace_back(nests[i].name, static_cast<int>(i));
    if (by_name.size() > 1) std::sort(by_name.begin(), by_name.end());  // no buffer, unlike stable_sort
    auto& repeated = w.repeated;
    repeated.assign(nests.size(), 0);
    for (size_t j = 1; j < by_name.size(); ++j)
      if (by_name[j].first == by_name[j - 1].first) repeated[static_cast<size_t>(by_name[j].second)] = 1;
    auto& specs = w.specs;
    specs.assign(1, nullptr);
    auto& spec_of_position = w.spec_of_position;
    spec_of_position.assign(nests.size(), -1);
    for (size_t i = 0; i < nests.size(); ++i) {
      const Nest& n = nests[i];
      if (IsTopNestName(n.name)) {
        diag_->Add(Status::Invalid(owner() + ": a " + side + " nest needs a name other than 'top'", n.where));
        ok = false;
        continue;
      }
      if (repeated[i]) {
        diag_->Add(Status::Invalid(owner() + ": duplicate " + side + " nest '" + n.name + "'", n.where));
        ok = false;
        continue;
      }
      spec_of_position[i] = static_cast<int>(specs.size());
      specs.push_back(&n);
    }
    by_name.erase(std::remove_if(by_name.begin(), by_name.end(),
                                 [&](const auto& e) { return repeated[static_cast<size_t>(e.second)] != 0; }),
                  by_name.end());
    // Index in `specs` of the nest called `name` ("" and "top" are the top nest), or -1.
    auto find_nest = [&](const std::string& name) -> int {
      if (IsTopNestName(name)) return 0;
      auto it = std::lower_bound(by_name.begin(), by_name.end(), std::string_view(name),
                                 [](const auto& e, std::string_view key) { return e.first < key; });
      if (it == by_name.end() || it->first != name) return -1;
      return spec_of_position[static_cast<size_t>(it->second)];
    };
    const int count = static_cast<int>(specs.size());
    auto& parent = w.parent;
    parent.assign(static_cast<size_t>(count), -1);
    for (int i = 1; i < count; ++i) {
      const Nest& n = *specs[static_cast<size_t>(i)];
      const int found = find_nest(n.parent);
      if (found < 0) {
        diag_->Add(Status::Invalid(owner() + ": nest '" + n.name + "' has unknown parent '" + n.parent + "'", n.where));
        ok = false;
        parent[static_cast<size_t>(i)] = 0;
      } else {
        parent[static_cast<size_t>(i)] = found;
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
        diag_->Add(Status::Invalid(owner() + ": nest '" + specs[static_cast<size_t>(i)]->name +
                                       "' is part of a cycle of parents and never reaches 'top'",
                                   specs[static_cast<size_t>(i)]->where));
        return false;
      }
    }
    // Child nests and leaves of each nest, in the order given, as compressed lists (offsets + items).
    auto compress = [count, &w](const std::vector<int>& owner_of, std::vector<int>* offsets, std::vector<int>* items) {
      offsets->assign(static_cast<size_t>(count) + 1, 0);
      for (int o : owner_of)
        if (o >= 0) ++(*offsets)[static_cast<size_t>(o) + 1];
      for (int n = 0; n < count; ++n) (*offsets)[static_cast<size_t>(n) + 1] += (*offsets)[static_cast<size_t>(n)];
      items->assign(static_cast<size_t>(offsets->back()), 0);
      std::vector<int>& next = w.next;
      next.assign(offsets->begin(), offsets->end() - 1);
      for (size_t k = 0; k < owner_of.size(); ++k)
        if (owner_of[k] >= 0)
          (*items)[static_cast<size_t>(next[static_cast<size_t>(owner_of[k])]++)] = static_cast<int>(k);
    };
    auto& child_offsets = w.child_offsets;
    auto& children = w.children;
    compress(parent, &child_offsets, &children);  // parent[0] (top) is -1: no parent
    auto& nest_of_flow = w.nest_of_flow;
    nest_of_flow.assign(flows.size(), -1);
    for (size_t f = 0; f < flows.size(); ++f) {
      const Flow& flow = flows[f];
      // Neighbouring flows usually share their nest (the goods and margins of one trade route).
      nest_of_flow[f] = f > 0 && flow.nest == flows[f - 1].nest ? nest_of_flow[f - 1] : find_nest(flow.nest);
      if (nest_of_flow[f] < 0) {
        diag_->Add(Status::Invalid(
            owner() + ": " + side + " of '" + flow.commodity + "' names unknown nest '" + flow.nest + "'", flow.where));
        ok = false;
      }
    }
    auto& leaf_offsets = w.leaf_offsets;
    auto& leaves_of = w.leaves_of;
    compress(nest_of_flow, &leaf_offsets, &leaves_of);
    // Depth-first (pre-)order from top; the compiled tree stores nests in this order.
    auto& order = w.order;
    order.clear();
    auto& stack = w.stack;
    stack.assign(1, 0);
    while (!stack.empty()) {
      const int n = stack.back();
      stack.pop_back();
      order.push_back(n);
      for (int c = child_offsets[static_cast<size_t>(n) + 1]; c-- > child_offsets[static_cast<size_t>(n)];)
        stack.push_back(children[static_cast<size_t>(c)]);
    }
    auto& new_index = w.new_index;
    new_index.assign(static_cast<size_t>(count), -1);
    for (size_t i = 0; i < order.size(); ++i) new_index[static_cast<size_t>(order[i])] = static_cast<int>(i);
    tree->nests.resize(order.size());
    TaxAgent agent;
    // Leaves are appended in nest pre-order, so that each subtree's leaves are contiguous.
    for (const int n : order) {
      internal::CompiledNest& cn = tree->nests[static_cast<size_t>(new_index[static_cast<size_t>(n)])];
      cn.parent = n == 0 ? -1 : new_index[static_cast<size_t>(parent[static_cast<size_t>(n)])];
      cn.name = n == 0 ? "top" : specs[static_cast<size_t>(n)]->name;
      cn.first_leaf = static_cast<int>(tree->leaves.size());
      for (int j = leaf_offsets[static_cast<size_t>(n)]; j < leaf_offsets[static_cast<size_t>(n) + 1]; ++j) {
        const int f = leaves_of[static_cast<size_t>(j)];
        ok = AddLeaf(owner, side, flows, f, new_index[static_cast<size_t>(n)], is_demand, &agent, tree) && ok;
      }
    }
    // A nest's leaves end where those of its last descendant end: children come after their parent in pre-order.
    for (size_t i = order.size(); i-- > 0;) {
      internal::CompiledNest& cn = tree->nests[i];
      const int n = order[i];
      cn.end_leaf = std::max(
          cn.end_leaf, cn.first_leaf + leaf_offsets[static_cast<size_t>(n) + 1] - leaf_offsets[static_cast<size_t>(n)]);
      if (cn.parent >= 0) {
        internal::CompiledNest& up = tree->nests[static_cast<size_t>(cn.parent)];
        up.end_leaf = std::max(up.end_leaf, cn.end_leaf);
      }
    }
    // Elasticities and empty nests.
    for (int i = 0; i < count; ++i) {
      internal::CompiledNest& cn = tree->nests[static_cast<size_t>(new_index[static_cast<size_t>(i)])];
      const SourceLocation& where = i == 0 ? owner_where : specs[static_cast<size_t>(i)]->where;
      ok =
          SetElasticity(owner, side, i == 0 ? top_elasticity : specs[static_cast<size_t>(i)]->elasticity, where, &cn) &&
          ok;
      if (i > 0 && cn.first_leaf == cn.end_leaf) {
        diag_->Add(
            Status::Invalid(owner() + ": " + side + " nest '" + cn.name + "' is empty (no flows under it)", where));
        ok = false;
      }
    }
    return ok;
  }

  // The tree of a block without nests: every flow sits under the top nest, in the order given. The same result as
  // the general path of BuildTree, without its tables (most trees of a multi-region model have no nests).
  template <typename Owner>
  bool BuildFlatTree(const Owner& owner, const char* side, const SourceLocation& owner_where,
                     const Expression& top_elasticity, const std::vector<Flow>& flows, bool is_demand,
                     TreeParts* tree) {
    bool ok = true;
    tree->nests.resize(1);
    internal::CompiledNest& top = tree->nests.front();
    top.parent = -1;
    top.name = "top";
    TaxAgent agent;
    for (size_t f = 0; f < flows.size(); ++f) {
      const Flow& flow = flows[f];
      if (!IsTopNestName(flow.nest)) {
        diag_->Add(Status::Invalid(
            owner() + ": " + side + " of '" + flow.commodity + "' names unknown nest '" + flow.nest + "'", flow.where));
        ok = false;
        continue;
      }
      ok = AddLeaf(owner, side, flows, static_cast<int>(f), 0, is_demand, &agent, tree) && ok;
    }
    top.first_leaf = 0;
    top.end_leaf = static_cast<int>(tree->leaves.size());
    return SetElasticity(owner, side, top_elasticity, owner_where, &top) && ok;
  }

  // The common case of a small tree given in the order it is stored in: nests listed parents first, each below the
  // previous nest or one of its ancestors (a depth-first pre-order), names unique, and the flows grouped by nest in
  // that order. Then the compiled tree is the list as given, with none of BuildTree's tables; the result is the one
  // BuildTree's general path gives. Returns false, having added nothing, when the tree is not such a tree (or has an
  // error in its nests or nest names): the general path then compiles it and words the errors.
  template <typename Owner>
  bool BuildListedTree(const Owner& owner, const char* side, const SourceLocation& owner_where,
                       const Expression& top_elasticity, const std::vector<Nest>& nests, const std::vector<Flow>& flows,
                       bool is_demand, TreeParts* tree, bool* ok) {
    constexpr size_t kMaxNests = 8;  // names are compared pairwise below
    const size_t n = nests.size();
    if (n > kMaxNests) return false;
    std::array<int, kMaxNests + 1> parent;  // by nest index in the compiled tree: 0 top, i + 1 for nests[i]
    parent[0] = -1;
    for (size_t i = 0; i < n; ++i) {
      const std::string& name = nests[i].name;
      if (IsTopNestName(name)) return false;
      for (size_t j = 0; j < i; ++j)
        if (nests[j].name == name) return false;
      // The parent must be the previous nest or one of its ancestors.
      int p = static_cast<int>(i);  // the previous nest (0: top)
      while (p > 0 && nests[static_cast<size_t>(p) - 1].name != nests[i].parent) p = parent[static_cast<size_t>(p)];
      if (p == 0 && !IsTopNestName(nests[i].parent)) return false;
      parent[i + 1] = p;
    }
    // Each flow's nest, which may only stay or move on to a later nest.
    int at = 0;
    for (size_t f = 0; f < flows.size(); ++f) {
      const std::string& nest = flows[f].nest;
      if (f > 0 && nest == flows[f - 1].nest) continue;
      const int found = NestPosition(nests, nest);
      if (found < at) return false;  // unknown, or out of order
      at = found;
    }
    tree->nests.resize(n + 1);
    for (size_t i = 0; i <= n; ++i) {
      internal::CompiledNest& cn = tree->nests[i];
      cn.parent = parent[i];
      cn.name = i == 0 ? "top" : nests[i - 1].name;
    }
    TaxAgent agent;
    int nest = 0;
    for (size_t f = 0; f < flows.size(); ++f) {
      if (f == 0 || flows[f].nest != flows[f - 1].nest) {
        const int next = NestPosition(nests, flows[f].nest);
        // Nests passed over hold no leaves of their own: they start where this one does.
        for (int k = nest + 1; k <= next; ++k)
          tree->nests[static_cast<size_t>(k)].first_leaf = static_cast<int>(tree->leaves.size());
        nest = next;
      }
      *ok = AddLeaf(owner, side, flows, static_cast<int>(f), nest, is_demand, &agent, tree) && *ok;
    }
    for (size_t k = static_cast<size_t>(nest) + 1; k <= n; ++k)
      tree->nests[k].first_leaf = static_cast<int>(tree->leaves.size());
    // A nest's leaves end where the next nest that is not its descendant begins (pre-order); the top's at the end.
    for (size_t i = n + 1; i-- > 0;) {
      internal::CompiledNest& cn = tree->nests[i];
      size_t next = i + 1;
      while (next <= n && IsDescendant(parent, static_cast<int>(next), static_cast<int>(i))) ++next;
      cn.end_leaf = next <= n ? tree->nests[next].first_leaf : static_cast<int>(tree->leaves.size());
    }
    for (size_t i = 0; i <= n; ++i) {
      internal::CompiledNest& cn = tree->nests[i];
      const SourceLocation& where = i == 0 ? owner_where : nests[i - 1].where;
      *ok = SetElasticity(owner, side, i == 0 ? top_elasticity : nests[i - 1].elasticity, where, &cn) && *ok;
      if (i > 0 && cn.first_leaf == cn.end_leaf) {
        diag_->Add(
            Status::Invalid(owner() + ": " + side + " nest '" + cn.name + "' is empty (no flows under it)", where));
        *ok = false;
      }
    }
    return true;
  }
  // The compiled index of the nest called `name`: 0 for the top ("" or "top"), 1 + its position in `nests`, or -1.
  static int NestPosition(const std::vector<Nest>& nests, const std::string& name) {
    if (IsTopNestName(name)) return 0;
    for (size_t i = 0; i < nests.size(); ++i)
      if (nests[i].name == name) return static_cast<int>(i) + 1;
    return -1;
  }
  // Whether nest `n` lies below nest `ancestor` (parents by compiled index, -1 above the top).
  template <size_t kSize>
  static bool IsDescendant(const std::array<int, kSize>& parent, int n, int ancestor) {
    for (int p = parent[static_cast<size_t>(n)]; p >= 0; p = parent[static_cast<size_t>(p)])
      if (p == ancestor) return true;
    return false;
  }

  // "" and "top" name the top nest.
  static bool IsTopNestName(const std::string& name) { return name.empty() || name == std::string_view("top"); }

  // The consumer that receives a tree's taxes, resolved once for a run of flows paying the same agent.
  struct TaxAgent {
    int index = -1;
    const std::string* name = nullptr;
  };

  // Compiles flows[f] as a leaf under nest `nest` (an index into the compiled tree) with its taxes.
  template <typename Owner>
  bool AddLeaf(const Owner& owner, const char* side, const std::vector<Flow>& flows, int f, int nest, bool is_demand,
               TaxAgent* agent, TreeParts* tree) {
    bool ok = true;
    const Flow& flow = flows[static_cast<size_t>(f)];
    internal::CompiledLeaf& leaf = tree->leaves.emplace_back(
        internal::CompiledLeaf{.quantity = flow.quantity, .reference_price = flow.reference_price});
    leaf.parent = nest;
    leaf.flow = f;
    auto role = [&] { return owner() + " " + side; };
    leaf.commodity = Variable(flow.commodity, VariableKind::kCommodity, flow.where, role);
    if (leaf.commodity < 0) ok = false;
    ok = Bind(
             leaf.quantity, flow.where, [&] { return role() + " quantity of '" + flow.commodity + "'"; }, false) &&
         ok;
    ok = Bind(
             leaf.reference_price, flow.where, [&] { return role() + " reference price of '" + flow.commodity + "'"; },
             false) &&
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
    leaf.first_tax = static_cast<int>(tree->taxes.size());
    for (const Tax& tax : flow.taxes) {
      if (is_demand) {
        diag_->Add(Status::Invalid(owner() + ": taxes on final demand are not supported", tax.where));
        ok = false;
        continue;
      }
      internal::CompiledTax ct{.rate = tax.rate};
      auto tax_role = [&] { return owner() + " tax on '" + flow.commodity + "'"; };
      // The flows of a tree usually pay their taxes to one agent: resolve its name once.
      if (agent->index < 0 || tax.agent != *agent->name) {
        agent->index = Variable(tax.agent, VariableKind::kConsumer, tax.where, tax_role);
        agent->name = &tax.agent;
      }
      ct.agent = agent->index;
      if (ct.agent < 0) ok = false;
      ok = Bind(
               ct.rate, tax.where, [&] { return owner() + " tax rate on '" + flow.commodity + "'"; }, true) &&
           ok;
      tree->taxes.push_back(std::move(ct));
    }
    leaf.end_tax = static_cast<int>(tree->taxes.size());
    return ok;
  }

  // Binds and checks the elasticity of compiled nest `cn` (the top nest if its parent is -1).
  template <typename Owner>
  bool SetElasticity(const Owner& owner, const char* side, const Expression& elasticity, const SourceLocation& where,
                     internal::CompiledNest* cn) {
    auto label = [&] {
      return cn->parent < 0 ? std::string("top ") + side + " elasticity"
                            : std::string(side) + " nest '" + cn->name + "' elasticity";
    };
    cn->elasticity = elasticity;
    if (!Bind(
            cn->elasticity, where, [&] { return owner() + " " + label(); }, false))
      return false;
    const double e = cn->elasticity.Evaluate(base_symbols_.data());
    if (e < 0) {
      diag_->Add(Status::Invalid(owner() + " " + label() + " is negative (" + std::to_string(e) + ")", where));
      return false;
    }
    return true;
  }

  // The size of the largest tree with nests (`nests` nests, `flows` flows): BuildTree's general path sizes its
  // working arrays for it the first time it runs (trees listed in depth-first order need none).
  void SetLargestTree(size_t nests, size_t flows) {
    largest_tree_nests_ = nests;
    largest_tree_flows_ = flows;
  }
  void ReserveScratch() {
    if (scratch_reserved_) return;
    scratch_reserved_ = true;
    const size_t nests = largest_tree_nests_, flows = largest_tree_flows_;
    TreeScratch& w = scratch_;
    w.by_name.reserve(nests);
    w.repeated.reserve(nests);
    w.specs.reserve(nests + 1);
    for (std::vector<int>* v : {&w.spec_of_position, &w.parent, &w.child_offsets, &w.children, &w.next, &w.order,
                                &w.stack, &w.new_index, &w.leaf_offsets})
      v->reserve(nests + 2);
    w.nest_of_flow.reserve(flows);
    w.leaves_of.reserve(flows);
  }

  const Model& model_;
  Diagnostics* diag_;
  int num_parameters_ = 0;
  std::vector<double> base_symbols_;
  std::vector<int> symbols_;  // scratch for Bind
  struct TreeScratch {
    std::vector<std::pair<std::string_view, int>> by_name;
    std::vector<char> repeated;
    std::vector<const Nest*> specs;
    std::vector<int> spec_of_position, parent, child_offsets, children, next, nest_of_flow, leaf_offsets, leaves_of,
        order, stack, new_index;
  };
  TreeScratch scratch_;  // BuildTree's working arrays
  size_t largest_tree_nests_ = 0, largest_tree_flows_ = 0;
  bool scratch_reserved_ = false;
  std::array<std::pair<std::string, int>, 4> recent_parameters_{
      {{std::string(), -1}, {std::string(), -1}, {std::string(), -1}, {std::string(), -1}}};
  size_t next_recent_ = 0;
};

// Points every tree's views at its parts, now that the pools are complete.
void AttachTrees(internal::CompiledModel* compiled) {
  auto attach = [compiled](internal::CompiledTree& t) {
    t.nests = std::span(compiled->nest_pool).subspan(t.nest_range.begin, t.nest_range.count);
    t.leaves = std::span(compiled->leaf_pool).subspan(t.leaf_range.begin, t.leaf_range.count);
    t.taxes = std::span(compiled->tax_pool).subspan(t.tax_range.begin, t.tax_range.count);
  };
  for (auto& p : compiled->productions) {
    attach(p.inputs);
    attach(p.outputs);
  }
  for (auto& d : compiled->demands) attach(d.final_demand);
}

}  // namespace

Model::Model() = default;
Model::Model(std::string name) : name_(std::move(name)) {}
Model::Model(const Model&) = default;
Model& Model::operator=(const Model&) = default;
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

void Model::AddParameter(const std::string& name, double value, SourceLocation where) {
  const int index = static_cast<int>(parameters_.size());
  const std::uint32_t hash = internal::NameIndex::Hash(name);
  if (variable_index_.Find(name, hash, VariableName()) >= 0 ||
      parameter_index_.Insert(name, hash, index, ParameterName()) >= 0) {
    duplicate_names_.push_back(name);
    duplicate_where_.push_back(where);
    return;
  }
  parameters_.emplace_back(name, value);
  parameter_where_.push_back(std::move(where));
  compiled_.reset();
}

int Model::AddVariable(const std::string& name, VariableKind kind, SourceLocation where) {
  const int index = static_cast<int>(variables_.size());
  const std::uint32_t hash = internal::NameIndex::Hash(name);
  if (parameter_index_.Find(name, hash, ParameterName()) >= 0 ||
      variable_index_.Insert(name, hash, index, VariableName()) >= 0) {
    duplicate_names_.push_back(name);
    duplicate_where_.push_back(where);
    return -1;
  }
  VariableInfo info{name, kind, 0.0, kInf};
  if (kind == VariableKind::kConsumer) info.lower = -kInf;
  variables_.push_back(std::move(info));
  variable_where_.push_back(std::move(where));
  compiled_.reset();
  return index;
}

void Model::ReserveVariables(size_t count) {
  variables_.reserve(count);
  variable_where_.reserve(count);
  variable_index_.Reserve(count);
  group_specs_.reserve(count);
}

void Model::ReserveBlocks(size_t productions, size_t demands) {
  productions_.reserve(productions);
  demands_.reserve(demands);
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
int Model::GroupIndex(const std::string& group) {
  if (last_group_ >= 0 && group_names_[static_cast<size_t>(last_group_)] == group) return last_group_;
  const int added = static_cast<int>(group_names_.size());
  const int found = group_index_.Insert(
      group, added, [this](int i) -> const std::string& { return group_names_[static_cast<size_t>(i)]; });
  if (found < 0) group_names_.push_back(group);
  last_group_ = found < 0 ? added : found;
  return last_group_;
}

void Model::SetVariableGroup(const std::string& variable, const std::string& group, SourceLocation where) {
  GroupSpec& spec = group_specs_.emplace_back();
  // Builders usually group the variable they have just added: no lookup then.
  spec.variable =
      !variables_.empty() && variables_.back().name == variable ? num_variables() - 1 : VariableIndex(variable);
  if (spec.variable < 0) spec.variable_name = variable;  // perhaps declared later: Finalize resolves it
  spec.group = GroupIndex(group);
  spec.where = std::move(where);
}

void Model::SetStart(const std::string& variable, double value, SourceLocation where) {
  start_[variable] = value;
  start_where_.emplace_back(variable, std::move(where));
}

int Model::VariableIndex(const std::string& name) const { return variable_index_.Find(name, VariableName()); }
int Model::ParameterIndex(const std::string& name) const { return parameter_index_.Find(name, ParameterName()); }
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
  {
    // The pools at their final sizes (at most these: a tree with errors keeps fewer parts), and the compiler's
    // working arrays at the size of the largest tree that has nests (trees without nests need none).
    size_t nests = 0, leaves = 0, taxes = 0, most_nests = 0, most_flows = 0;
    auto count = [&](const std::vector<Nest>& tree_nests, const std::vector<Flow>& flows) {
      nests += tree_nests.size() + 1;
      leaves += flows.size();
      for (const Flow& f : flows) taxes += f.taxes.size();
      if (!tree_nests.empty()) {
        most_nests = std::max(most_nests, tree_nests.size());
        most_flows = std::max(most_flows, flows.size());
      }
    };
    for (const Production& p : productions_) {
      count(p.input_nests, p.inputs);
      count(p.output_nests, p.outputs);
    }
    for (const Demand& d : demands_) count(d.nests, d.final_demands);
    compiled->nest_pool.reserve(nests);
    compiled->leaf_pool.reserve(leaves);
    compiled->tax_pool.reserve(taxes);
    c.SetLargestTree(most_nests, most_flows);
  }
  compiled->productions.reserve(productions_.size());
  compiled->demands.reserve(demands_.size());
  compiled->aux_constraints.reserve(aux_constraints_.size());

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
  group_of_variable_.assign(variables_.size(), -1);
  for (const GroupSpec& g : group_specs_) {
    const std::string& group = group_names_[static_cast<size_t>(g.group)];
    const int v = g.variable >= 0 ? g.variable : VariableIndex(g.variable_name);
    if (v < 0) {
      diag.Add(Status::Invalid("group '" + group + "' names unknown variable '" + g.variable_name + "'", g.where));
      continue;
    }
    const std::string& name = variables_[static_cast<size_t>(v)].name;
    if (group.empty()) {
      diag.Add(Status::Invalid("empty group name for variable '" + name + "'", g.where));
      continue;
    }
    int& slot = group_of_variable_[static_cast<size_t>(v)];
    if (slot >= 0 && slot != g.group) {
      diag.Add(Status::Invalid("variable '" + name + "' is in two groups, '" + group_names_[static_cast<size_t>(slot)] +
                                   "' and '" + group + "'",
                               g.where));
      continue;
    }
    slot = g.group;
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
    auto owner = [&p] { return "sector '" + p.sector + "'"; };
    if (p.outputs.empty()) diag.Add(Status::Invalid(owner() + " has no outputs", p.where));
    c.CompileTree(owner, p.where, p.input_elasticity, p.input_nests, p.inputs, false, false, compiled.get(),
                  &cp.inputs);
    c.CompileTree(owner, p.where, p.output_elasticity, p.output_nests, p.outputs, true, false, compiled.get(),
                  &cp.outputs);
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
    auto owner = [&d] { return "consumer '" + d.consumer + "'"; };
    if (d.final_demands.empty()) diag.Add(Status::Invalid(owner() + " has no final demands", d.where));
    c.CompileTree(owner, d.where, d.elasticity, d.nests, d.final_demands, false, true, compiled.get(),
                  &cd.final_demand);
    cd.endowments.reserve(d.endowments.size());
    for (const Endowment& e : d.endowments) {
      internal::CompiledEndowment ce;
      ce.commodity = c.Variable(e.commodity, VariableKind::kCommodity, e.where, [&] { return owner() + " endowment"; });
      ce.quantity = e.quantity;
      c.Bind(
          ce.quantity, e.where, [&] { return owner() + " endowment of '" + e.commodity + "'"; }, true);
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
  AttachTrees(compiled.get());
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
  warnings_.clear();
  // The benchmark is checked only on a model whose structure is sound (its tables are complete then).
  if (check_benchmark_ && diag.problems().size() == before) CheckBenchmark(*compiled, &diag);
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
