#include "lccge/mcp/system.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/compiled_model.hpp"

namespace lccge::mcp {

namespace {

// Leaf price indices are floored here inside CES formulas so that a price at (or, during a trial step, below)
// zero keeps the functions finite (docs/theory.md, "Zero prices").
constexpr double kPriceFloor = 1e-300;
// |1 - s| below this is treated as Cobb-Douglas.
constexpr double kCobbDouglasBand = 1e-10;

// A tax on a leaf, calibrated for a solve: constant rates are evaluated once.
struct TaxWork {
  int agent = -1;
  const Expression* rate = nullptr;
  bool variable = false;         // the rate depends on variables
  double value = 0;              // current rate
  std::vector<double> gradient;  // d rate / d symbol (per name of the expression), when variable
};

// A CES/CET tree calibrated for a solve, with its per-evaluation workspace.
struct TreeWork {
  const internal::CompiledTree* spec = nullptr;
  bool output = false;  // CET: elasticity used as -t; gross factor 1 - tax
  // Calibration.
  std::vector<double> quantity, pbar;       // per leaf
  std::vector<double> theta_leaf;           // share of leaf in its parent nest
  std::vector<double> theta_nest;           // share of nest in its parent
  std::vector<double> s;                    // per nest, signed (CET: -t)
  std::vector<double> kappa;                // s_n - s_parent(n)
  std::vector<double> V;                    // benchmark value per nest
  bool curvature = false;                   // some kappa != 0
  std::vector<std::vector<TaxWork>> taxes;  // per leaf
  // Workspace.
  std::vector<double> gross;          // per leaf: 1 +/- sum of rates
  std::vector<double> pi;             // leaf price index (floored)
  std::vector<double> D;              // leaf demand in benchmark value units (per unit activity)
  std::vector<double> q;              // leaf quantity per unit activity = D / pbar
  std::vector<double> c, Dn, E, acc;  // per nest: price index, composite demand, expenditure, accumulator
  std::vector<double> S, A;           // per nest: row sums for the Jacobian
  double unit_value = 0;              // Vtop * c_top: unit cost (inputs) or unit revenue (outputs)
  // Second-order accumulation: the tree's distinct unknown columns (sorted), each leaf's slot among them (-1: the
  // leaf's commodity is fixed), and a per-row buffer over the slots, flushed into the Jacobian row in one merge.
  std::vector<int> cols, leaf_slot;
  std::vector<double> buffer;
  std::vector<char> touched;
  std::vector<int> parent;               // per leaf: its nest (a copy of the spec's, kept compact)
  std::vector<int> nest_parent;          // per nest: its parent (-1 for the top)
  std::vector<int> variable_tax_leaves;  // leaves with a tax rate that depends on variables
  std::vector<double> w, u;              // per leaf: D gross / pbar; a row's weights
  std::vector<char> member;
  int pattern_set = -1;  // index into pattern_column_sets during the pattern pass
};

}  // namespace

struct System::Impl {
  const Model* model = nullptr;
  const internal::CompiledModel* cm = nullptr;
  int np = 0;                   // parameters
  int nv = 0;                   // variables
  std::vector<double> symbols;  // [parameters, variables]
  std::vector<int> unknown_var, unknown_of_var;
  std::vector<double> lower, upper, scale;
  std::vector<double> fixed_value;     // per variable, NaN if free
  std::vector<double> start_override;  // per variable, NaN if none

  std::vector<TreeWork> prod_in, prod_out, demand;
  std::vector<std::vector<std::vector<double>>> endow_gradient;  // [demand][endowment][name]
  std::vector<std::vector<double>> aux_gradient;
  std::vector<double> grad_scratch;

  // Jacobian accumulation.
  SparseMatrix jac;
  bool pattern_mode = false;
  std::vector<std::vector<int>> pattern_rows;
  // Pattern mode: a row that links to every column of a tree records the tree once, as -(index + 1) into this list
  // of column sets, expanded (without duplicates) at the end of the pass.
  std::vector<const std::vector<int>*> pattern_column_sets;
  SparseMatrix* target = nullptr;
  long long pattern_misses = 0;
  std::vector<double> conditions;  // full variable space

  // Row accumulation for tree second-order terms.
  struct RowWeight {
    int row;
    int leaf;
    double w;
  };
  std::vector<RowWeight> row_weights;

  double Var(int v) const { return symbols[static_cast<size_t>(np + v)]; }

  void Add(int row_var, int col_var, double value) {
    const int r = unknown_of_var[static_cast<size_t>(row_var)];
    const int c = unknown_of_var[static_cast<size_t>(col_var)];
    if (r < 0 || c < 0) return;
    if (pattern_mode) {
      pattern_rows[static_cast<size_t>(r)].push_back(c);
      return;
    }
    if (target == nullptr || value == 0.0) return;
    const int* outer = target->outerIndexPtr();
    const int* inner = target->innerIndexPtr();
    const int* begin = inner + outer[r];
    const int* end = inner + outer[r + 1];
    const int* it = std::lower_bound(begin, end, c);
    if (it == end || *it != c) {
      ++pattern_misses;  // a defect: the structural pass missed this entry (tests assert there are none)
      return;
    }
    target->valuePtr()[it - inner] += value;
  }
  // Adds value * d(expr)/d(variables) to row, for an expression bound to symbols.
  void AddExpressionGradient(int row_var, const Expression& e, const std::vector<double>& gradient, double factor) {
    const auto& syms = e.symbols();
    for (size_t i = 0; i < syms.size(); ++i) {
      if (syms[i] < np) continue;
      if (pattern_mode || gradient[i] != 0.0) Add(row_var, syms[i] - np, factor * gradient[i]);
    }
  }

  Status Calibrate(const Scenario& scenario);
  Status CalibrateTree(const internal::CompiledTree& spec, bool output, const std::string& owner, TreeWork* tree);
  void EvaluateTree(TreeWork& t);
  void TreeSecondOrder(TreeWork& t);
  void FlushRow(int row_var, TreeWork& t);
  bool EvaluateAll(bool with_jacobian);
  void BuildPattern();
};

namespace {

bool IsCobbDouglas(double s) { return std::fabs(1.0 - s) < kCobbDouglasBand; }

}  // namespace

Status System::Impl::CalibrateTree(const internal::CompiledTree& spec, bool output, const std::string& owner,
                                   TreeWork* t) {
  t->spec = &spec;
  t->output = output;
  const size_t L = spec.leaves.size(), N = spec.nests.size();
  t->quantity.resize(L);
  t->pbar.resize(L);
  t->theta_leaf.resize(L);
  t->taxes.resize(L);
  t->theta_nest.assign(N, 1.0);
  t->s.resize(N);
  t->kappa.resize(N);
  t->V.assign(N, 0.0);
  for (size_t k = 0; k < L; ++k) {
    const auto& leaf = spec.leaves[k];
    t->quantity[k] = leaf.quantity.Evaluate(symbols.data());
    t->pbar[k] = leaf.reference_price.Evaluate(symbols.data());
    if (!std::isfinite(t->quantity[k]) || t->quantity[k] < 0) {
      return Status::Invalid(owner + ": quantity of '" + model->variables()[static_cast<size_t>(leaf.commodity)].name +
                             "' is " + std::to_string(t->quantity[k]) +
                             " in this scenario; it must be finite and >= 0");
    }
    if (!std::isfinite(t->pbar[k]) || t->pbar[k] <= 0) {
      return Status::Invalid(owner + ": reference price of '" +
                             model->variables()[static_cast<size_t>(leaf.commodity)].name + "' must be positive");
    }
    t->V[static_cast<size_t>(leaf.parent)] += t->quantity[k] * t->pbar[k];
    for (int i = leaf.first_tax; i < leaf.end_tax; ++i) {
      const internal::CompiledTax& tax = spec.taxes[static_cast<size_t>(i)];
      TaxWork tw;
      tw.agent = tax.agent;
      tw.rate = &tax.rate;
      for (int sym : tax.rate.symbols()) tw.variable = tw.variable || sym >= np;
      tw.value = tax.rate.Evaluate(symbols.data());
      tw.gradient.assign(tax.rate.names().size(), 0.0);
      t->taxes[k].push_back(std::move(tw));
    }
  }
  for (size_t n = N; n-- > 1;) t->V[static_cast<size_t>(spec.nests[n].parent)] += t->V[n];
  for (size_t n = 0; n < N; ++n) {
    const double e = spec.nests[n].elasticity.Evaluate(symbols.data());
    if (!std::isfinite(e) || e < 0) {
      return Status::Invalid(owner + ": elasticity of nest '" + spec.nests[n].name + "' is " + std::to_string(e) +
                             " in this scenario; it must be finite and >= 0");
    }
    t->s[n] = output ? -e : e;
    if (n > 0) {
      const double vp = t->V[static_cast<size_t>(spec.nests[n].parent)];
      t->theta_nest[n] = vp > 0 ? t->V[n] / vp : 0.0;
    }
  }
  t->curvature = false;
  for (size_t n = 0; n < N; ++n) {
    t->kappa[n] = t->s[n] - (n == 0 ? 0.0 : t->s[static_cast<size_t>(spec.nests[n].parent)]);
    if (t->kappa[n] != 0.0 && t->V[n] > 0) t->curvature = true;
  }
  for (size_t k = 0; k < L; ++k) {
    const double vp = t->V[static_cast<size_t>(spec.leaves[k].parent)];
    t->theta_leaf[k] = vp > 0 ? t->quantity[k] * t->pbar[k] / vp : 0.0;
  }
  t->gross.resize(L);
  t->pi.resize(L);
  t->D.resize(L);
  t->q.resize(L);
  t->c.resize(N);
  t->Dn.resize(N);
  t->E.resize(N);
  t->acc.resize(N);
  t->S.resize(N);
  t->A.resize(N);
  t->cols.clear();
  for (size_t k = 0; k < L; ++k) {
    const int c = unknown_of_var[static_cast<size_t>(spec.leaves[k].commodity)];
    if (c >= 0) t->cols.push_back(c);
  }
  std::sort(t->cols.begin(), t->cols.end());
  t->cols.erase(std::unique(t->cols.begin(), t->cols.end()), t->cols.end());
  t->leaf_slot.assign(L, -1);
  for (size_t k = 0; k < L; ++k) {
    const int c = unknown_of_var[static_cast<size_t>(spec.leaves[k].commodity)];
    if (c >= 0)
      t->leaf_slot[k] = static_cast<int>(std::lower_bound(t->cols.begin(), t->cols.end(), c) - t->cols.begin());
  }
  t->buffer.assign(t->cols.size(), 0.0);
  t->touched.assign(t->cols.size(), 0);
  t->parent.resize(L);
  t->nest_parent.resize(N);
  for (size_t n = 0; n < N; ++n) t->nest_parent[n] = spec.nests[n].parent;
  t->variable_tax_leaves.clear();
  for (size_t k = 0; k < L; ++k) {
    t->parent[k] = spec.leaves[k].parent;
    bool variable = false;
    for (const TaxWork& tw : t->taxes[k]) variable = variable || tw.variable;
    if (variable) t->variable_tax_leaves.push_back(static_cast<int>(k));
  }
  t->w.assign(L, 0.0);
  t->u.assign(L, 0.0);
  t->member.assign(L, 0);
  return Status::Ok();
}

Status System::Impl::Calibrate(const Scenario& scenario) {
  cm = &model->compiled();
  np = cm->num_parameters;
  nv = cm->num_variables;
  symbols.assign(static_cast<size_t>(np + nv), 0.0);
  for (int i = 0; i < np; ++i) symbols[static_cast<size_t>(i)] = model->parameters()[static_cast<size_t>(i)].second;
  for (const auto& [name, value] : scenario.parameters)
    symbols[static_cast<size_t>(model->ParameterIndex(name))] = value;
  fixed_value.assign(static_cast<size_t>(nv), std::numeric_limits<double>::quiet_NaN());
  start_override = fixed_value;
  for (const auto& [name, value] : model->start()) {
    const int v = model->VariableIndex(name);
    if (v >= 0) start_override[static_cast<size_t>(v)] = value;
  }
  for (const auto& [name, value] : scenario.start)
    start_override[static_cast<size_t>(model->VariableIndex(name))] = value;
  for (const auto& [name, value] : scenario.fixed) fixed_value[static_cast<size_t>(model->VariableIndex(name))] = value;
  unknown_of_var.assign(static_cast<size_t>(nv), -1);
  unknown_var.clear();
  lower.clear();
  upper.clear();
  for (int v = 0; v < nv; ++v) {
    if (!std::isnan(fixed_value[static_cast<size_t>(v)])) continue;
    unknown_of_var[static_cast<size_t>(v)] = static_cast<int>(unknown_var.size());
    unknown_var.push_back(v);
    lower.push_back(model->variables()[static_cast<size_t>(v)].lower);
    upper.push_back(model->variables()[static_cast<size_t>(v)].upper);
  }
  const auto& vars = model->variables();
  prod_in.resize(cm->productions.size());
  prod_out.resize(cm->productions.size());
  for (size_t j = 0; j < cm->productions.size(); ++j) {
    const auto& p = cm->productions[j];
    const std::string owner = "sector '" + vars[static_cast<size_t>(p.sector)].name + "'";
    Status s = CalibrateTree(p.inputs, false, owner, &prod_in[j]);
    if (s.ok()) s = CalibrateTree(p.outputs, true, owner, &prod_out[j]);
    if (!s.ok()) return s;
  }
  demand.resize(cm->demands.size());
  endow_gradient.resize(cm->demands.size());
  for (size_t h = 0; h < cm->demands.size(); ++h) {
    const auto& d = cm->demands[h];
    Status s = CalibrateTree(d.final_demand, false, "consumer '" + vars[static_cast<size_t>(d.consumer)].name + "'",
                             &demand[h]);
    if (!s.ok()) return s;
    endow_gradient[h].resize(d.endowments.size());
    for (size_t e = 0; e < d.endowments.size(); ++e)
      endow_gradient[h][e].assign(d.endowments[e].quantity.names().size(), 0.0);
  }
  aux_gradient.resize(cm->aux_constraints.size());
  for (size_t a = 0; a < cm->aux_constraints.size(); ++a)
    aux_gradient[a].assign(cm->aux_constraints[a].expr.names().size(), 0.0);
  conditions.assign(static_cast<size_t>(nv), 0.0);
  return Status::Ok();
}

// Price indices bottom-up, demands top-down (docs/theory.md, "Nests").
void System::Impl::EvaluateTree(TreeWork& t) {
  const auto& spec = *t.spec;
  const size_t L = spec.leaves.size(), N = spec.nests.size();
  for (size_t k = 0; k < L; ++k) {
    double tau = 0;
    for (TaxWork& tw : t.taxes[k]) {
      if (tw.variable) tw.value = tw.rate->EvaluateWithGradient(symbols.data(), tw.gradient.data());
      tau += tw.value;
    }
    t.gross[k] = t.output ? 1.0 - tau : 1.0 + tau;
    const double price = Var(spec.leaves[k].commodity);
    t.pi[k] = std::max(price * t.gross[k] / t.pbar[k], kPriceFloor);
  }
  std::fill(t.acc.begin(), t.acc.end(), 0.0);
  for (size_t k = 0; k < L; ++k) {
    const size_t n = static_cast<size_t>(spec.leaves[k].parent);
    if (t.theta_leaf[k] == 0.0) continue;
    t.acc[n] +=
        IsCobbDouglas(t.s[n]) ? t.theta_leaf[k] * std::log(t.pi[k]) : t.theta_leaf[k] * std::pow(t.pi[k], 1.0 - t.s[n]);
  }
  for (size_t n = N; n-- > 0;) {
    if (t.V[n] <= 0) {
      t.c[n] = 1.0;
    } else if (IsCobbDouglas(t.s[n])) {
      t.c[n] = std::exp(t.acc[n]);
    } else {
      t.c[n] = std::pow(t.acc[n], 1.0 / (1.0 - t.s[n]));
    }
    if (n > 0 && t.theta_nest[n] > 0) {
      const size_t p = static_cast<size_t>(spec.nests[n].parent);
      t.acc[p] +=
          IsCobbDouglas(t.s[p]) ? t.theta_nest[n] * std::log(t.c[n]) : t.theta_nest[n] * std::pow(t.c[n], 1.0 - t.s[p]);
    }
  }
  t.Dn[0] = t.V[0];
  for (size_t n = 1; n < N; ++n) {
    const size_t p = static_cast<size_t>(spec.nests[n].parent);
    t.Dn[n] = t.theta_nest[n] > 0 ? t.Dn[p] * t.theta_nest[n] * std::pow(t.c[p] / t.c[n], t.s[p]) : 0.0;
  }
  for (size_t n = 0; n < N; ++n) t.E[n] = t.Dn[n] * t.c[n];
  for (size_t k = 0; k < L; ++k) {
    const size_t p = static_cast<size_t>(spec.leaves[k].parent);
    t.D[k] = t.theta_leaf[k] > 0 ? t.Dn[p] * t.theta_leaf[k] * std::pow(t.c[p] / t.pi[k], t.s[p]) : 0.0;
    t.q[k] = t.D[k] / t.pbar[k];
  }
  t.unit_value = t.V[0] * t.c[0];
}

// Adds a tree's buffered entries of one row to the Jacobian (or, in pattern mode, records them) and clears the
// buffer. The tree's columns and the row's are both sorted: one galloping merge instead of a search per entry.
void System::Impl::FlushRow(int row_var, TreeWork& t) {
  const int r = unknown_of_var[static_cast<size_t>(row_var)];
  const size_t K = t.cols.size();
  if (r < 0 || (!pattern_mode && target == nullptr)) {
    std::fill(t.buffer.begin(), t.buffer.end(), 0.0);
    std::fill(t.touched.begin(), t.touched.end(), 0);
    return;
  }
  if (pattern_mode) {
    auto& pr = pattern_rows[static_cast<size_t>(r)];
    size_t count = 0;
    for (size_t k = 0; k < K; ++k) count += t.touched[k] ? 1 : 0;
    if (count == K && K > 8) {
      if (t.pattern_set < 0) {
        t.pattern_set = static_cast<int>(pattern_column_sets.size());
        pattern_column_sets.push_back(&t.cols);
      }
      pr.push_back(-(t.pattern_set + 1));
    } else {
      for (size_t k = 0; k < K; ++k)
        if (t.touched[k]) pr.push_back(t.cols[k]);
    }
    std::fill(t.touched.begin(), t.touched.end(), 0);
    std::fill(t.buffer.begin(), t.buffer.end(), 0.0);
    return;
  }
  const int* inner = target->innerIndexPtr();
  double* values = target->valuePtr();
  int pos = target->outerIndexPtr()[r];
  const int end = target->outerIndexPtr()[r + 1];
  for (size_t k = 0; k < K; ++k) {
    const double v = t.buffer[k];
    t.buffer[k] = 0.0;
    t.touched[k] = 0;
    if (v == 0.0) continue;
    const int c = t.cols[k];
    int step = 1;
    while (pos + step < end && inner[pos + step] < c) {
      pos += step;
      step *= 2;
    }
    pos = static_cast<int>(std::lower_bound(inner + pos, inner + std::min(end, pos + step + 1), c) - inner);
    if (pos < end && inner[pos] == c) {
      values[pos] += v;
    } else {
      ++pattern_misses;  // a defect: the structural pass missed this entry (tests assert there are none)
    }
  }
}

// Second-order terms: for each row r fed by leaves of this tree with F_r += w * q_k, adds dF_r/dP and dF_r/dtax
// through the leaf demands' price derivatives H_km = -s_par(k) D_k/pi_k [k=m] + sum over common ancestors n of
// kappa_n D_k D_m / E_n (docs/theory.md, "Jacobian"). Uses row_weights sorted by row.
void System::Impl::TreeSecondOrder(TreeWork& t) {
  const auto& spec = *t.spec;
  const size_t L = spec.leaves.size(), N = spec.nests.size();
  std::sort(row_weights.begin(), row_weights.end(), [](const RowWeight& a, const RowWeight& b) {
    return a.row < b.row || (a.row == b.row && a.leaf < b.leaf);
  });
  size_t i = 0;
  std::vector<double>& u = t.u;          // per leaf: sum of this row's weights / pbar
  std::vector<char>& member = t.member;  // leaf feeds this row (structurally, whatever its current weight)
  // Per leaf: D gross / pbar, the factor of the curvature term.
  if (!pattern_mode)
    for (size_t m = 0; m < L; ++m) t.w[m] = t.D[m] * t.gross[m] / t.pbar[m];
  while (i < row_weights.size()) {
    const int row = row_weights[i].row;
    size_t j = i;
    std::fill(t.S.begin(), t.S.end(), 0.0);
    while (j < row_weights.size() && row_weights[j].row == row) {
      const int k = row_weights[j].leaf;
      const double uk = row_weights[j].w / t.pbar[static_cast<size_t>(k)];
      u[static_cast<size_t>(k)] += uk;
      member[static_cast<size_t>(k)] = 1;
      if (t.curvature)
        t.S[static_cast<size_t>(t.parent[static_cast<size_t>(k)])] +=
            pattern_mode ? 1.0 : uk * t.D[static_cast<size_t>(k)];
      ++j;
    }
    if (t.curvature) {
      const int* nest_parent = t.nest_parent.data();
      for (size_t n = N; n-- > 1;)
        if (t.S[n] != 0.0) t.S[static_cast<size_t>(nest_parent[n])] += t.S[n];
      for (size_t n = 0; n < N; ++n) {
        const double own = (t.S[n] != 0.0 && t.E[n] > 0) ? t.kappa[n] * t.S[n] / t.E[n] : 0.0;
        t.A[n] = (n == 0 ? 0.0 : t.A[static_cast<size_t>(nest_parent[n])]) + own;
      }
      if (pattern_mode) {
        // Structural version: a nest links the row to the leaves under it when its kappa is not zero and some
        // leaf feeding the row sits under it (S holds counts of such leaves here).
        for (size_t n = 0; n < N; ++n) {
          const bool own = t.kappa[n] != 0.0 && t.V[n] > 0 && t.S[n] != 0.0;
          t.A[n] = ((n > 0 && t.A[static_cast<size_t>(spec.nests[n].parent)] != 0.0) || own) ? 1.0 : 0.0;
        }
      }
    }
    if (pattern_mode) {
      for (size_t m = 0; m < L; ++m) {
        const size_t p = static_cast<size_t>(spec.leaves[m].parent);
        // Only leaves linked to this row through curvature or the diagonal term can have entries.
        if (!(t.curvature && t.A[p] != 0.0) && !(member[m] && t.s[p] != 0.0)) continue;
        if (t.leaf_slot[m] >= 0) t.touched[static_cast<size_t>(t.leaf_slot[m])] = 1;
        for (TaxWork& tw : t.taxes[m])
          if (tw.variable) AddExpressionGradient(row, *tw.rate, tw.gradient, 0.0);
      }
    } else {
      // dF_row/dP_m = (D_m A_parent(m) - s_parent u_m D_m / pi_m) gross_m / pbar_m: the curvature part for every
      // leaf (a gather-scatter over the tree), the own-price part for the leaves feeding the row.
      if (t.curvature) {
        for (size_t m = 0; m < L; ++m) {
          const int slot = t.leaf_slot[m];
          if (slot >= 0) t.buffer[static_cast<size_t>(slot)] += t.w[m] * t.A[static_cast<size_t>(t.parent[m])];
        }
      }
      for (size_t k = i; k < j; ++k) {
        const auto m = static_cast<size_t>(row_weights[k].leaf);
        const size_t p = static_cast<size_t>(t.parent[m]);
        if (!member[m]) continue;  // a leaf listed twice for this row: done at its first entry
        member[m] = 0;
        if (u[m] == 0.0 || t.s[p] == 0.0 || t.leaf_slot[m] < 0) continue;
        t.buffer[static_cast<size_t>(t.leaf_slot[m])] -= t.s[p] * u[m] * t.D[m] / t.pi[m] * t.gross[m] / t.pbar[m];
      }
      // Rates that depend on variables: the chain rule through the leaf's gross price.
      for (const int m_int : t.variable_tax_leaves) {
        const auto m = static_cast<size_t>(m_int);
        const size_t p = static_cast<size_t>(t.parent[m]);
        double dF_dpi = t.curvature ? t.D[m] * t.A[p] : 0.0;
        if (u[m] != 0.0 && t.s[p] != 0.0) dF_dpi -= t.s[p] * u[m] * t.D[m] / t.pi[m];
        if (dF_dpi == 0.0) continue;
        const double price = Var(spec.leaves[m].commodity);
        const double dpi_dtau = (t.output ? -price : price) / t.pbar[m];
        for (TaxWork& tw : t.taxes[m])
          if (tw.variable) AddExpressionGradient(row, *tw.rate, tw.gradient, dF_dpi * dpi_dtau);
      }
    }
    FlushRow(row, t);
    for (size_t k = i; k < j; ++k) {
      u[static_cast<size_t>(row_weights[k].leaf)] = 0.0;
      member[static_cast<size_t>(row_weights[k].leaf)] = 0;
    }
    i = j;
  }
  row_weights.clear();
}

bool System::Impl::EvaluateAll(bool with_jacobian) {
  std::fill(conditions.begin(), conditions.end(), 0.0);
  const auto& vars = model->variables();
  // Incomes: F_h = M_h - endowment value - tax revenue.
  for (const auto& d : cm->demands) {
    conditions[static_cast<size_t>(d.consumer)] += Var(d.consumer);
    if (with_jacobian) Add(d.consumer, d.consumer, 1.0);
  }
  // Production.
  for (size_t j = 0; j < cm->productions.size(); ++j) {
    const int sector = cm->productions[j].sector;
    const double Y = Var(sector);
    TreeWork* trees[2] = {&prod_in[j], &prod_out[j]};
    EvaluateTree(prod_in[j]);
    EvaluateTree(prod_out[j]);
    conditions[static_cast<size_t>(sector)] += prod_in[j].unit_value - prod_out[j].unit_value;
    for (TreeWork* tp : trees) {
      TreeWork& t = *tp;
      const double sign = t.output ? 1.0 : -1.0;  // supply adds to the market, demand subtracts
      for (size_t k = 0; k < t.spec->leaves.size(); ++k) {
        const int c = t.spec->leaves[k].commodity;
        const double P = Var(c);
        conditions[static_cast<size_t>(c)] += sign * Y * t.q[k];
        for (const TaxWork& tw : t.taxes[k]) conditions[static_cast<size_t>(tw.agent)] -= Y * t.q[k] * P * tw.value;
        if (!with_jacobian) continue;
        // Zero profit: Shephard's lemma.
        Add(sector, c, -sign * t.q[k] * t.gross[k]);
        for (const TaxWork& tw : t.taxes[k]) {
          if (tw.variable) AddExpressionGradient(sector, *tw.rate, tw.gradient, t.q[k] * P);
        }
        // Market: d/dY; income of tax agents: direct terms.
        Add(c, sector, sign * t.q[k]);
        row_weights.push_back({c, static_cast<int>(k), sign * Y});
        for (const TaxWork& tw : t.taxes[k]) {
          Add(tw.agent, sector, -t.q[k] * P * tw.value);
          Add(tw.agent, c, -Y * t.q[k] * tw.value);
          if (tw.variable) AddExpressionGradient(tw.agent, *tw.rate, tw.gradient, -Y * t.q[k] * P);
          row_weights.push_back({tw.agent, static_cast<int>(k), -Y * P * tw.value});
        }
      }
      if (with_jacobian) TreeSecondOrder(t);
    }
  }
  // Final demand and endowments.
  for (size_t h = 0; h < cm->demands.size(); ++h) {
    const auto& d = cm->demands[h];
    TreeWork& t = demand[h];
    EvaluateTree(t);
    const double M = Var(d.consumer);
    const double e = t.unit_value;
    const double U = e > 0 ? M / e : 0.0;
    const size_t L = t.spec->leaves.size();
    for (size_t k = 0; k < L; ++k) {
      const int c = t.spec->leaves[k].commodity;
      conditions[static_cast<size_t>(c)] -= U * t.q[k];
      if (!with_jacobian) continue;
      Add(c, d.consumer, e > 0 ? -t.q[k] / e : 0.0);
      row_weights.push_back({c, static_cast<int>(k), -U});
      // Utility level's price dependence: dU/dP_m = -U q_m / e.
      for (size_t m = 0; m < L; ++m) {
        Add(c, t.spec->leaves[m].commodity, e > 0 ? U * t.q[k] * t.q[m] / e : 0.0);
      }
    }
    if (with_jacobian) TreeSecondOrder(t);
    for (size_t x = 0; x < d.endowments.size(); ++x) {
      const auto& en = d.endowments[x];
      auto& grad = endow_gradient[h][x];
      const double E = en.quantity.names().empty() ? en.quantity.constant_value()
                                                   : en.quantity.EvaluateWithGradient(symbols.data(), grad.data());
      const double P = Var(en.commodity);
      conditions[static_cast<size_t>(en.commodity)] += E;
      conditions[static_cast<size_t>(d.consumer)] -= P * E;
      if (!with_jacobian) continue;
      Add(d.consumer, en.commodity, -E);
      AddExpressionGradient(en.commodity, en.quantity, grad, 1.0);
      AddExpressionGradient(d.consumer, en.quantity, grad, -P);
    }
  }
  // Aux constraints.
  for (size_t a = 0; a < cm->aux_constraints.size(); ++a) {
    const auto& ac = cm->aux_constraints[a];
    const double v = ac.expr.EvaluateWithGradient(symbols.data(), aux_gradient[a].data());
    conditions[static_cast<size_t>(ac.aux)] += v;
    if (with_jacobian) AddExpressionGradient(ac.aux, ac.expr, aux_gradient[a], 1.0);
  }
  (void)vars;
  for (double v : conditions)
    if (!std::isfinite(v)) return false;
  return true;
}

void System::Impl::BuildPattern() {
  const int n = static_cast<int>(unknown_var.size());
  pattern_rows.assign(static_cast<size_t>(n), {});
  for (int i = 0; i < n; ++i) pattern_rows[static_cast<size_t>(i)].push_back(i);
  pattern_mode = true;
  // Evaluate at the start point with every structural entry recorded.
  EvaluateAll(true);
  pattern_mode = false;
  // Expand the recorded column sets and drop duplicates with a marker per column (no sort of repeated entries).
  std::vector<int> marker(static_cast<size_t>(n), -1);
  size_t total = 0;
  for (int i = 0; i < n; ++i) {
    auto& row = pattern_rows[static_cast<size_t>(i)];
    std::vector<int> expanded;
    auto keep = [&](int c) {
      if (marker[static_cast<size_t>(c)] != i) {
        marker[static_cast<size_t>(c)] = i;
        expanded.push_back(c);
      }
    };
    for (int c : row) {
      if (c >= 0) {
        keep(c);
      } else {
        for (int col : *pattern_column_sets[static_cast<size_t>(-c - 1)]) keep(col);
      }
    }
    std::sort(expanded.begin(), expanded.end());
    row = std::move(expanded);
    total += row.size();
  }
  pattern_column_sets.clear();
  for (auto* trees : {&prod_in, &prod_out, &demand})
    for (TreeWork& t : *trees) t.pattern_set = -1;
  // Rows are sorted and free of duplicates: write the compressed row storage directly.
  jac.resize(n, n);
  jac.resizeNonZeros(static_cast<Eigen::Index>(total));
  int* outer = jac.outerIndexPtr();
  int* inner = jac.innerIndexPtr();
  int at = 0;
  for (int i = 0; i < n; ++i) {
    outer[i] = at;
    for (int c : pattern_rows[static_cast<size_t>(i)]) inner[at++] = c;
  }
  outer[n] = at;
  std::fill(jac.valuePtr(), jac.valuePtr() + total, 0.0);
  pattern_rows.clear();
  pattern_rows.shrink_to_fit();
}

System::System() : impl_(std::make_unique<Impl>()) {}
System::~System() = default;

Status System::Create(const Model& model, const Scenario& scenario, std::unique_ptr<System>* system) {
  if (!model.finalized()) return Status::Invalid("model '" + model.name() + "' is not finalized");
  Status s = model.CheckScenario(scenario);
  if (!s.ok()) return s;
  std::unique_ptr<System> sys(new System());
  Impl& im = *sys->impl_;
  im.model = &model;
  s = im.Calibrate(scenario);
  if (!s.ok()) return s;
  // Pattern and scales at the start point.
  const std::vector<double> start = sys->StartValues();
  for (int v = 0; v < im.nv; ++v) im.symbols[static_cast<size_t>(im.np + v)] = start[static_cast<size_t>(v)];
  im.BuildPattern();
  std::vector<double> magnitudes;
  sys->ConditionMagnitudes(start, &magnitudes);
  im.scale.resize(im.unknown_var.size());
  for (size_t i = 0; i < im.unknown_var.size(); ++i) {
    const double m = magnitudes[static_cast<size_t>(im.unknown_var[i])];
    im.scale[i] = (std::isfinite(m) && m > 1e-8) ? m : 1.0;
  }
  *system = std::move(sys);
  return Status::Ok();
}

const Model& System::model() const { return *impl_->model; }
int System::num_unknowns() const { return static_cast<int>(impl_->unknown_var.size()); }
long long System::num_nonzeros() const { return impl_->jac.nonZeros(); }
const std::vector<int>& System::unknown_variables() const { return impl_->unknown_var; }
const std::vector<int>& System::unknown_of_variable() const { return impl_->unknown_of_var; }
std::vector<int> System::UnknownGroups() const {
  const auto& of_variable = impl_->model->group_of_variable();
  std::vector<int> groups(impl_->unknown_var.size(), -1);
  for (size_t i = 0; i < groups.size(); ++i) {
    const auto v = static_cast<size_t>(impl_->unknown_var[i]);
    if (v < of_variable.size()) groups[i] = of_variable[v];
  }
  return groups;
}
const std::vector<double>& System::lower() const { return impl_->lower; }
const std::vector<double>& System::upper() const { return impl_->upper; }
const std::vector<double>& System::row_scale() const { return impl_->scale; }

std::vector<double> System::StartValues() const {
  Impl& im = *impl_;
  const auto& vars = im.model->variables();
  std::vector<double> values(static_cast<size_t>(im.nv), 1.0);
  for (int v = 0; v < im.nv; ++v) {
    if (vars[static_cast<size_t>(v)].kind == VariableKind::kAuxiliary) values[static_cast<size_t>(v)] = 0.0;
    if (vars[static_cast<size_t>(v)].kind == VariableKind::kConsumer) values[static_cast<size_t>(v)] = 0.0;
    if (!std::isnan(im.start_override[static_cast<size_t>(v)]))
      values[static_cast<size_t>(v)] = im.start_override[static_cast<size_t>(v)];
    if (!std::isnan(im.fixed_value[static_cast<size_t>(v)]))
      values[static_cast<size_t>(v)] = im.fixed_value[static_cast<size_t>(v)];
  }
  // Incomes without a start value: endowment value plus tax revenue at the start point (F_h = M_h - income).
  std::vector<double> conditions;
  std::vector<double> probe = values;
  for (int v = 0; v < im.nv; ++v)
    if (vars[static_cast<size_t>(v)].kind == VariableKind::kConsumer) probe[static_cast<size_t>(v)] = 0.0;
  const_cast<System*>(this)->EvaluateAllConditions(probe, &conditions);
  for (int v = 0; v < im.nv; ++v) {
    if (vars[static_cast<size_t>(v)].kind != VariableKind::kConsumer) continue;
    if (!std::isnan(im.start_override[static_cast<size_t>(v)]) || !std::isnan(im.fixed_value[static_cast<size_t>(v)]))
      continue;
    const double income = -conditions[static_cast<size_t>(v)];
    values[static_cast<size_t>(v)] = std::isfinite(income) ? income : 0.0;
  }
  return values;
}

Status System::InitialUnknowns(const std::vector<double>& warm_start, std::vector<double>* x) const {
  std::vector<double> start = StartValues();
  if (!warm_start.empty()) {
    if (warm_start.size() != start.size())
      return Status::Invalid("warm start has " + std::to_string(warm_start.size()) + " values, the model has " +
                             std::to_string(start.size()) + " variables");
    for (size_t v = 0; v < start.size(); ++v)
      if (impl_->unknown_of_var[v] >= 0) start[v] = warm_start[v];
  }
  x->assign(impl_->unknown_var.size(), 0.0);
  Restrict(start, x->data());
  return Status::Ok();
}

void System::Expand(const double* x, std::vector<double>* values) const {
  const Impl& im = *impl_;
  values->resize(static_cast<size_t>(im.nv));
  for (int v = 0; v < im.nv; ++v) {
    const int u = im.unknown_of_var[static_cast<size_t>(v)];
    (*values)[static_cast<size_t>(v)] = u >= 0 ? x[u] : im.fixed_value[static_cast<size_t>(v)];
  }
}

void System::Restrict(const std::vector<double>& values, double* x) const {
  const Impl& im = *impl_;
  for (size_t i = 0; i < im.unknown_var.size(); ++i) x[i] = values[static_cast<size_t>(im.unknown_var[i])];
}

long long System::pattern_misses() const { return impl_->pattern_misses; }

bool System::Evaluate(const double* x, double* conditions, SparseMatrix* jacobian) {
  Impl& im = *impl_;
  for (int v = 0; v < im.nv; ++v) {
    const int u = im.unknown_of_var[static_cast<size_t>(v)];
    im.symbols[static_cast<size_t>(im.np + v)] = u >= 0 ? x[u] : im.fixed_value[static_cast<size_t>(v)];
  }
  if (jacobian != nullptr) {
    if (jacobian->rows() != im.jac.rows() || jacobian->nonZeros() != im.jac.nonZeros()) *jacobian = im.jac;
    std::fill(jacobian->valuePtr(), jacobian->valuePtr() + jacobian->nonZeros(), 0.0);
    im.target = jacobian;
  }
  const bool ok = im.EvaluateAll(jacobian != nullptr);
  im.target = nullptr;
  for (size_t i = 0; i < im.unknown_var.size(); ++i)
    conditions[i] = im.conditions[static_cast<size_t>(im.unknown_var[i])];
  if (jacobian != nullptr) {
    const double* v = jacobian->valuePtr();
    for (long long i = 0; i < jacobian->nonZeros(); ++i)
      if (!std::isfinite(v[i])) return false;
  }
  return ok;
}

bool System::EvaluateAllConditions(const std::vector<double>& values, std::vector<double>* conditions) {
  Impl& im = *impl_;
  for (int v = 0; v < im.nv; ++v) im.symbols[static_cast<size_t>(im.np + v)] = values[static_cast<size_t>(v)];
  const bool ok = im.EvaluateAll(false);
  *conditions = im.conditions;
  return ok;
}

void System::ConditionMagnitudes(const std::vector<double>& values, std::vector<double>* magnitudes) {
  Impl& im = *impl_;
  for (int v = 0; v < im.nv; ++v) im.symbols[static_cast<size_t>(im.np + v)] = values[static_cast<size_t>(v)];
  magnitudes->assign(static_cast<size_t>(im.nv), 0.0);
  auto& m = *magnitudes;
  for (size_t j = 0; j < im.cm->productions.size(); ++j) {
    const int sector = im.cm->productions[j].sector;
    const double Y = std::fabs(im.Var(sector));
    for (TreeWork* tp : {&im.prod_in[j], &im.prod_out[j]}) {
      TreeWork& t = *tp;
      im.EvaluateTree(t);
      m[static_cast<size_t>(sector)] += std::fabs(t.unit_value) / 2;
      for (size_t k = 0; k < t.spec->leaves.size(); ++k) {
        const int c = t.spec->leaves[k].commodity;
        m[static_cast<size_t>(c)] += Y * t.q[k] / 2;
        for (const TaxWork& tw : t.taxes[k])
          m[static_cast<size_t>(tw.agent)] += std::fabs(Y * t.q[k] * im.Var(c) * tw.value) / 2;
      }
    }
  }
  for (size_t h = 0; h < im.cm->demands.size(); ++h) {
    const auto& d = im.cm->demands[h];
    TreeWork& t = im.demand[h];
    im.EvaluateTree(t);
    const double M = im.Var(d.consumer);
    const double U = t.unit_value > 0 ? M / t.unit_value : 0.0;
    m[static_cast<size_t>(d.consumer)] += std::fabs(M) / 2;
    for (size_t k = 0; k < t.spec->leaves.size(); ++k)
      m[static_cast<size_t>(t.spec->leaves[k].commodity)] += std::fabs(U * t.q[k]) / 2;
    for (const auto& en : d.endowments) {
      const double E = en.quantity.Evaluate(im.symbols.data());
      m[static_cast<size_t>(en.commodity)] += std::fabs(E) / 2;
      m[static_cast<size_t>(d.consumer)] += std::fabs(E * im.Var(en.commodity)) / 2;
    }
  }
  for (const auto& ac : im.cm->aux_constraints) m[static_cast<size_t>(ac.aux)] = 1.0;
}

bool System::ComputeLeafQuantities(const std::vector<double>& values, LeafQuantities* out) {
  Impl& im = *impl_;
  for (int v = 0; v < im.nv; ++v) im.symbols[static_cast<size_t>(im.np + v)] = values[static_cast<size_t>(v)];
  out->production_inputs.resize(im.cm->productions.size());
  out->production_outputs.resize(im.cm->productions.size());
  for (size_t j = 0; j < im.cm->productions.size(); ++j) {
    im.EvaluateTree(im.prod_in[j]);
    im.EvaluateTree(im.prod_out[j]);
    out->production_inputs[j] = im.prod_in[j].q;
    out->production_outputs[j] = im.prod_out[j].q;
  }
  out->final_demands.resize(im.cm->demands.size());
  out->endowments.resize(im.cm->demands.size());
  bool ok = true;
  for (size_t h = 0; h < im.cm->demands.size(); ++h) {
    const auto& d = im.cm->demands[h];
    TreeWork& t = im.demand[h];
    im.EvaluateTree(t);
    const double U = t.unit_value > 0 ? im.Var(d.consumer) / t.unit_value : 0.0;
    out->final_demands[h].resize(t.q.size());
    for (size_t k = 0; k < t.q.size(); ++k) out->final_demands[h][k] = U * t.q[k];
    out->endowments[h].clear();
    for (const auto& en : d.endowments) out->endowments[h].push_back(en.quantity.Evaluate(im.symbols.data()));
    for (double v : out->final_demands[h]) ok = ok && std::isfinite(v);
  }
  return ok;
}

}  // namespace lccge::mcp
