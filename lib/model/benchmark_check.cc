// Model::CheckBenchmark: is the model's benchmark one that can be calibrated, and is it an equilibrium?
// docs/model-format.md, "Benchmark checks". The benchmark is the model at its own parameter values with every activity
// level and price at 1, auxiliary variables and incomes at their start values (0 when none is given; they appear only
// in tax rates and endowments), taxes at the rates this gives. One pass over the flows: the checks are linear in the
// size of the model and cost a small part of Finalize.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "lccge/model/model.hpp"
#include "model/compiled_model.hpp"

namespace lccge {

namespace {

std::string Format(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

// Two benchmark totals agree to rounding (data written with six or more significant digits).
bool Agree(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b)) + 1e-9; }

// One tree of flows at the benchmark.
struct TreeTotals {
  double quantity = 0;  // sum of the benchmark quantities
  double value = 0;     // sum of quantity x gross price at prices 1: (1 + tax) for inputs, (1 - tax) for outputs
  int positive = 0;     // flows with a quantity above 0
};

const Nest* FindNest(const std::vector<Nest>& nests, const std::string& name) {
  for (const Nest& n : nests)
    if (n.name == name) return &n;
  return nullptr;
}

}  // namespace

void Model::CheckBenchmark(const internal::CompiledModel& cm, Diagnostics* diag) {
  const size_t np = parameters_.size(), nv = variables_.size();
  std::vector<double> symbols(np + nv, 1.0);
  for (size_t i = 0; i < np; ++i) symbols[i] = parameters_[i].second;
  for (size_t v = 0; v < nv; ++v) {
    const VariableKind kind = variables_[v].kind;
    if (kind != VariableKind::kConsumer && kind != VariableKind::kAuxiliary) continue;
    const auto it = start_.find(variables_[v].name);
    symbols[np + v] = it != start_.end() ? it->second : 0.0;
  }
  const double* x = symbols.data();
  const size_t problems_before = diag->problems().size();
  auto warn = [&](std::string cause, const SourceLocation& where) {
    Status w = Status::Invalid(std::move(cause), where);
    warnings_.push_back(w);
    diag->AddWarning(std::move(w));
  };
  // Per commodity: supply and demand at the benchmark; per consumer: income.
  std::vector<double> supply(nv, 0.0), demand(nv, 0.0), income(nv, 0.0);
  // A quantity of commodity c on the supply side (a negative one is a demand, as a negative endowment is).
  auto add_supply = [&](int c, double q) { (q >= 0 ? supply : demand)[static_cast<size_t>(c)] += std::fabs(q); };
  // Per leaf of a tree with nests: flows with quantity > 0 before it (a nest's flows are a range of leaves, so this
  // counts them in constant time), one array for each side of a block; per nest: whether all its flows are 0.
  std::vector<int> positive_in, positive_out;
  std::vector<char> zero;

  // Sums a tree's flows; `sign` +1 adds them to supply, -1 to demand, 0 to neither (final demand: later).
  auto sum_tree = [&](const internal::CompiledTree& tree, bool output, double sign) {
    TreeTotals totals;
    for (const internal::CompiledLeaf& leaf : tree.leaves) {
      const double q = leaf.quantity.Evaluate(x);
      double tax = 0;
      for (int t = leaf.first_tax; t < leaf.end_tax; ++t) {
        const internal::CompiledTax& ct = tree.taxes[static_cast<size_t>(t)];
        const double rate = ct.rate.Evaluate(x);
        tax += rate;
        income[static_cast<size_t>(ct.agent)] += q * rate;
      }
      totals.quantity += q;
      totals.value += q * (output ? 1.0 - tax : 1.0 + tax);
      totals.positive += q > 0 ? 1 : 0;
      if (sign != 0) add_supply(leaf.commodity, sign * q);
    }
    // A nest can be empty only where some flow is 0 (rare): count the positive flows before each leaf then.
    std::vector<int>& positive_before = output ? positive_out : positive_in;
    positive_before.clear();
    if (tree.nests.size() > 1 && totals.positive < static_cast<int>(tree.leaves.size())) {
      positive_before.assign(tree.leaves.size() + 1, 0);
      for (size_t k = 0; k < tree.leaves.size(); ++k)
        positive_before[k + 1] = positive_before[k] + (tree.leaves[k].quantity.Evaluate(x) > 0 ? 1 : 0);
    }
    return totals;
  };
  // Nests of a summed tree (an active one) whose flows are all 0: the solver keeps them inactive (price index 1, no
  // demand). Only the outermost nest of a zero subtree is named.
  auto empty_nests = [&](const internal::CompiledTree& tree, bool output, const std::vector<Nest>& nests,
                         const auto& owner, const char* side) {
    const std::vector<int>& positive_before = output ? positive_out : positive_in;
    if (positive_before.empty()) return;  // no nests, or no flow is 0
    zero.assign(tree.nests.size(), 0);
    for (size_t n = 1; n < tree.nests.size(); ++n) {
      const internal::CompiledNest& cn = tree.nests[n];
      zero[n] =
          positive_before[static_cast<size_t>(cn.end_leaf)] == positive_before[static_cast<size_t>(cn.first_leaf)];
      if (!zero[n] || zero[static_cast<size_t>(cn.parent)]) continue;
      const Nest* spec = FindNest(nests, cn.name);
      warn(owner() + ": " + side + " nest '" + cn.name +
               "' has benchmark quantity 0 in every flow under it, so it has no value shares; the solver keeps it "
               "inactive (price index 1, no demand) until a scenario's parameters give it flows",
           spec != nullptr ? spec->where : SourceLocation());
    }
  };

  for (size_t j = 0; j < cm.productions.size(); ++j) {
    const internal::CompiledProduction& cp = cm.productions[j];
    const Production& p = productions_[j];
    // Names the block only when a message needs it (models have a million flows and few messages).
    auto owner = [&p] { return "sector '" + p.sector + "'"; };
    const TreeTotals in = sum_tree(cp.inputs, false, -1.0), out = sum_tree(cp.outputs, true, +1.0);
    if (in.positive == 0 && out.positive > 0) {
      diag->Add(Status::Invalid(owner() + ": every input has benchmark quantity 0 but the outputs do not (worth " +
                                    Format(out.value) +
                                    " at benchmark prices): no cost function can be calibrated on it, and the "
                                    "sector could produce for nothing; give the inputs their benchmark quantities",
                                p.where));
    } else if (out.positive == 0 && in.positive > 0) {
      diag->Add(Status::Invalid(owner() + ": every output has benchmark quantity 0 but the inputs do not (costing " +
                                    Format(in.value) +
                                    " at benchmark prices): no revenue function can be calibrated on it; give the "
                                    "outputs their benchmark quantities",
                                p.where));
    } else if (in.positive == 0 && out.positive == 0) {
      warn(owner() +
               " has benchmark quantity 0 in every input and output: it is inactive at the benchmark (no cost or "
               "revenue function), and the solver leaves its activity level where it starts",
           p.where);
    } else {
      if (!Agree(in.value, out.value)) {
        warn(owner() + " is not in zero profit at the benchmark: its inputs cost " + Format(in.value) +
                 " and its outputs earn " + Format(out.value) +
                 " at benchmark prices (taxes included), so the benchmark is not an equilibrium; the solver looks "
                 "for the equilibrium of these data, where prices and activity levels need not be 1 (the sector may "
                 "shut down)",
             p.where);
      }
      empty_nests(cp.inputs, false, p.input_nests, owner, "input");
      empty_nests(cp.outputs, true, p.output_nests, owner, "output");
    }
  }

  // Consumers: income at benchmark prices (endowments and tax revenue), then final demand spending it.
  for (size_t h = 0; h < cm.demands.size(); ++h) {
    const internal::CompiledDemand& cd = cm.demands[h];
    for (const internal::CompiledEndowment& e : cd.endowments) {
      const double q = e.quantity.Evaluate(x);
      income[static_cast<size_t>(cd.consumer)] += q;
      add_supply(e.commodity, q);
    }
  }
  for (size_t h = 0; h < cm.demands.size(); ++h) {
    const internal::CompiledDemand& cd = cm.demands[h];
    const Demand& d = demands_[h];
    auto owner = [&d] { return "consumer '" + d.consumer + "'"; };
    const double m = income[static_cast<size_t>(cd.consumer)];
    const TreeTotals fd = sum_tree(cd.final_demand, false, 0.0);
    // What the consumer spends at benchmark prices: the value of its final demands at their reference prices.
    double v = 0;
    for (const internal::CompiledLeaf& leaf : cd.final_demand.leaves)
      v += leaf.quantity.Evaluate(x) * leaf.reference_price.Evaluate(x);
    if (fd.positive == 0) {
      if (!Agree(m, 0.0)) {
        diag->Add(Status::Invalid(
            owner() + ": every final demand has benchmark quantity 0 but its benchmark income is " + Format(m) +
                " (endowments and tax revenue at benchmark prices): no demand function can be "
                "calibrated to spend it; give the final demands their benchmark quantities",
            d.where));
      } else {
        warn(owner() +
                 " has benchmark quantity 0 in every final demand and no benchmark income: it buys nothing at the "
                 "benchmark",
             d.where);
      }
      continue;
    }
    if (!Agree(v, m)) {
      warn(owner() + " spends " + Format(v) + " at the benchmark but its benchmark income is " + Format(m) +
               " (endowments and tax revenue at benchmark prices); the solver scales its final demands to its "
               "income (the quantities give only the budget shares), as MPSGE does",
           d.where);
    }
    empty_nests(cd.final_demand, false, d.nests, owner, "final demand");
    // Final demands at benchmark prices, scaled to the income (what the demand functions give at prices 1).
    for (const internal::CompiledLeaf& leaf : cd.final_demand.leaves)
      add_supply(leaf.commodity, -leaf.quantity.Evaluate(x) * m / v);
  }

  // Markets, unless a block was rejected above: its flows would unbalance them too, and the message says it already.
  if (diag->problems().size() > problems_before) return;
  for (size_t c = 0; c < nv; ++c) {
    if (variables_[c].kind != VariableKind::kCommodity || Agree(supply[c], demand[c])) continue;
    warn("market '" + variables_[c].name + "' does not clear at the benchmark: supply " + Format(supply[c]) +
             " (outputs and endowments at activity levels 1), demand " + Format(demand[c]) +
             " (inputs, and final demands scaled to incomes); the benchmark is not an equilibrium, and the solver "
             "looks for the equilibrium of these data, where prices and activity levels need not be 1 (a good in "
             "excess supply may get the price 0)",
         variable_where_[c]);
  }
}

}  // namespace lccge
