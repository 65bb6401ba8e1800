// The equilibrium of a model under a scenario as a mixed complementarity problem (MCP): unknowns are the free
// (not fixed) variables, each with bounds [lower, upper] and paired with its condition F_i (zero profit, market
// clearance, income balance, aux constraint). One evaluator computes all conditions and the sparse Jacobian
// analytically in one pass, sharing nest price indices (docs/theory.md). Not thread-safe: use one System per thread
// (Create is cheap relative to a solve).
#pragma once

#include <Eigen/SparseCore>
#include <memory>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"

namespace lccge::mcp {

using SparseMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, int>;

class System {
 public:
  // Calibrates the model with the scenario's parameter values (live calibration) and fixes its variables.
  static Status Create(const Model& model, const Scenario& scenario, std::unique_ptr<System>* system);
  ~System();
  System(const System&) = delete;
  System& operator=(const System&) = delete;

  const Model& model() const;
  int num_unknowns() const;
  long long num_nonzeros() const;
  // Model variable index of each unknown.
  const std::vector<int>& unknown_variables() const;
  // Unknown index of each model variable, -1 where fixed.
  const std::vector<int>& unknown_of_variable() const;
  // For each unknown, the index of its variable's group (Model::group_names()), or -1 when it has none.
  std::vector<int> UnknownGroups() const;
  const std::vector<double>& lower() const;
  const std::vector<double>& upper() const;
  // A positive scale per condition (its size at the start point): convergence is judged on F_i / scale_i.
  const std::vector<double>& row_scale() const;

  // Start values of every model variable: scenario start, else model start, else 1 for levels and prices, 0 for
  // auxiliaries and the value of endowments plus tax revenue for incomes; fixed variables at their fixed values.
  std::vector<double> StartValues() const;
  // The unknowns to start from: StartValues(), or `warm_start` (one value per model variable) where it is not
  // empty; fixed variables keep their fixed values. Errors when warm_start has the wrong size.
  Status InitialUnknowns(const std::vector<double>& warm_start, std::vector<double>* x) const;
  // Full variable values from unknowns (fixed variables filled in), and back.
  void Expand(const double* x, std::vector<double>* values) const;
  void Restrict(const std::vector<double>& values, double* x) const;

  // Conditions of the unknowns at x (raw, unscaled) and, if `jacobian` is not null, their Jacobian with respect
  // to the unknowns (CSR with a fixed pattern; entries may be zero). Returns false if any value is not finite.
  bool Evaluate(const double* x, double* conditions, SparseMatrix* jacobian);
  // Jacobian entries that fell outside the structural pattern (always 0 unless lccge has a defect).
  long long pattern_misses() const;
  // The conditions of every model variable (including those of fixed variables, which the solve drops) at full
  // values. By Walras' law sum_c P_c F_c + sum_j Y_j F_j + sum_h F_h = 0 identically.
  bool EvaluateAllConditions(const std::vector<double>& values, std::vector<double>* conditions);
  // Size of each condition at `values`, for scaling (sum of magnitudes of its terms).
  void ConditionMagnitudes(const std::vector<double>& values, std::vector<double>* magnitudes);

  // Per-unit quantities at `values`: for each production block, input and output quantity per unit of activity per
  // leaf; for each demand block, final demand per leaf (total). Used for reports and flows.
  struct LeafQuantities {
    std::vector<std::vector<double>> production_inputs;   // [block][leaf]
    std::vector<std::vector<double>> production_outputs;  // [block][leaf]
    std::vector<std::vector<double>> final_demands;       // [block][leaf], total (utility level x per unit)
    std::vector<std::vector<double>> endowments;          // [block][endowment]
  };
  bool ComputeLeafQuantities(const std::vector<double>& values, LeafQuantities* quantities);

  struct Impl;

 private:
  System();
  std::unique_ptr<Impl> impl_;
};

}  // namespace lccge::mcp
