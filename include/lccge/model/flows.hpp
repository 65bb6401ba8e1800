// The physical and value flows of an equilibrium: who produces and uses how much of each commodity.
// The LCA layer builds its multi-regional input-output table from these.
#pragma once

#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"

namespace lccge {

struct EquilibriumFlows {
  struct ProductionFlow {
    int sector = -1;      // index into Model::variables() (a kSector variable)
    int commodity = -1;   // index into Model::variables() (a kCommodity variable)
    double quantity = 0;  // total over the activity: activity level x per-unit quantity
    bool is_output = false;
  };
  struct ConsumerFlow {
    int consumer = -1;
    int commodity = -1;
    double quantity = 0;
  };
  std::vector<ProductionFlow> production;  // one entry per (sector, commodity, direction), summed over leaves
  std::vector<ConsumerFlow> final_demand;
  std::vector<ConsumerFlow> endowments;
  std::vector<double> values;  // the variable values the flows were computed at (prices, levels, incomes)
};

// Computes the flows at `values` (one per model variable) with the scenario's parameters.
Status ComputeEquilibriumFlows(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                               EquilibriumFlows* flows);

}  // namespace lccge
