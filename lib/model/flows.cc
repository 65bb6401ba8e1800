#include "lccge/model/flows.hpp"

#include <map>

#include "lccge/mcp/system.hpp"
#include "model/compiled_model.hpp"

namespace lccge {

Status ComputeEquilibriumFlows(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                               EquilibriumFlows* flows) {
  std::unique_ptr<mcp::System> system;
  Status s = mcp::System::Create(model, scenario, &system);
  if (!s.ok()) return s;
  if (values.size() != static_cast<size_t>(model.num_variables()))
    return Status::Invalid("expected " + std::to_string(model.num_variables()) + " values, got " +
                           std::to_string(values.size()));
  mcp::System::LeafQuantities q;
  if (!system->ComputeLeafQuantities(values, &q)) return Status::Failed("flows are not finite at these values");
  const auto& cm = model.compiled();
  *flows = EquilibriumFlows();
  flows->values = values;
  for (size_t j = 0; j < cm.productions.size(); ++j) {
    const auto& p = cm.productions[j];
    const double Y = values[static_cast<size_t>(p.sector)];
    // Leaves of the same commodity in one tree are summed into one flow.
    std::map<std::pair<int, bool>, double> totals;
    for (size_t k = 0; k < p.inputs.leaves.size(); ++k)
      totals[{p.inputs.leaves[k].commodity, false}] += Y * q.production_inputs[j][k];
    for (size_t k = 0; k < p.outputs.leaves.size(); ++k)
      totals[{p.outputs.leaves[k].commodity, true}] += Y * q.production_outputs[j][k];
    for (const auto& [key, quantity] : totals) flows->production.push_back({p.sector, key.first, quantity, key.second});
  }
  for (size_t h = 0; h < cm.demands.size(); ++h) {
    const auto& d = cm.demands[h];
    std::map<int, double> fd;
    for (size_t k = 0; k < d.final_demand.leaves.size(); ++k)
      fd[d.final_demand.leaves[k].commodity] += q.final_demands[h][k];
    for (const auto& [c, quantity] : fd) flows->final_demand.push_back({d.consumer, c, quantity});
    for (size_t e = 0; e < d.endowments.size(); ++e)
      flows->endowments.push_back({d.consumer, d.endowments[e].commodity, q.endowments[h][e]});
  }
  return Status::Ok();
}

}  // namespace lccge
