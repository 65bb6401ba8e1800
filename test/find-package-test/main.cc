// A downstream program built against an installed lccge: loads a model file given on the command line and solves
// its last scenario; then loads the installed battery data (from the package's lccge_DATA_DIR) and checks that its
// model replicates the benchmark in zero iterations. Exits 0 when both work.
#include <cstdio>

#include "lccge/lccge.hpp"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  lccge::Model model;
  lccge::Status s = lccge::io::LoadModel(argv[1], &model);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 2;
  }
  lccge::Solution solution;
  lccge::Solver::Summary summary;
  s = lccge::Solve(model, model.scenarios().back(), lccge::Solver::Options(), &solution, &summary);
  std::printf("%s\n", summary.BriefReport().c_str());
  if (!s.ok() || !summary.converged()) return 1;

  lccge::battery::BatteryData data;
  s = lccge::battery::LoadBatteryData(std::string(LCCGE_INSTALLED_DATA) + "/battery", &data);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 2;
  }
  lccge::battery::BatteryModel battery;
  s = lccge::battery::BuildBatteryModel(data, {}, &battery);
  if (s.ok()) s = lccge::Solve(battery.model, battery.Benchmark(), lccge::Solver::Options(), &solution, &summary);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 2;
  }
  std::printf("battery benchmark (%s): %s\n", data.dir.c_str(), summary.BriefReport().c_str());
  return summary.converged() && summary.iterations == 0 && summary.max_residual < 1e-9 ? 0 : 1;
}
