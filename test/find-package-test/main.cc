// Loads a model file given on the command line, solves its first scenario, exits 0 when it converged.
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
  return s.ok() && summary.converged() ? 0 : 1;
}
