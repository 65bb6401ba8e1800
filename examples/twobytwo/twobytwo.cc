// Builds the textbook 2x2 economy in C++ (no model file), solves a 10 % labour-endowment shock and prints the
// result. The same model as test/data/models/twobytwo_ces.json; see docs/tutorial.md.
#include <cstdio>

#include "lccge/lccge.hpp"

int main() {
  lccge::Model m("twobytwo");
  m.AddParameter("endow", 1.0);
  for (const char* s : {"X", "Y", "U"}) m.AddSector(s);
  for (const char* c : {"PX", "PY", "PU", "PL", "PK"}) m.AddCommodity(c);
  m.AddConsumer("RA");

  auto flow = [](const char* commodity, double quantity) {
    lccge::Flow f;
    f.commodity = commodity;
    f.quantity = quantity;
    return f;
  };
  lccge::Production x;
  x.sector = "X";
  x.input_elasticity = 0.5;  // CES between labour and capital
  x.outputs = {flow("PX", 100)};
  x.inputs = {flow("PL", 50), flow("PK", 50)};
  m.AddProduction(x);
  lccge::Production y;
  y.sector = "Y";
  y.input_elasticity = 0.6;
  y.outputs = {flow("PY", 50)};
  y.inputs = {flow("PL", 20), flow("PK", 30)};
  m.AddProduction(y);
  lccge::Production u;
  u.sector = "U";
  u.input_elasticity = 1.0;  // Cobb-Douglas
  u.outputs = {flow("PU", 150)};
  u.inputs = {flow("PX", 100), flow("PY", 50)};
  m.AddProduction(u);

  lccge::Demand ra;
  ra.consumer = "RA";
  ra.final_demands = {flow("PU", 150)};
  lccge::Endowment labour;
  labour.commodity = "PL";
  labour.quantity = lccge::Expression::FromText("70*endow");
  lccge::Endowment capital;
  capital.commodity = "PK";
  capital.quantity = 80;
  ra.endowments = {labour, capital};
  m.AddDemand(ra);

  lccge::Status status = m.Finalize();
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 2;
  }
  lccge::Scenario shock;
  shock.name = "labour_plus_10pct";
  shock.parameters["endow"] = 1.1;
  shock.fixed["PX"] = 1.0;  // numeraire

  lccge::Solver::Options options;
  lccge::Solution solution;
  lccge::Solver::Summary summary;
  status = lccge::Solve(m, shock, options, &solution, &summary);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 2;
  }
  std::printf("%s\n", summary.BriefReport().c_str());
  for (size_t v = 0; v < solution.values.size(); ++v)
    std::printf("  %-4s %.10f\n", m.variables()[v].name.c_str(), solution.values[v]);
  std::printf("  X uses %.6f labour per unit\n", solution.reports.at("X:in:PL"));
  return summary.converged() ? 0 : 1;
}
