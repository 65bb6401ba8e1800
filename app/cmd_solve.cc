#include <cstdio>

#include "commands.hpp"

namespace lccge::app {

int RunSolve(int /*argc*/, char** /*argv*/) {
  std::fprintf(stderr, "lccge solve: not implemented yet\n");
  return kExitFailed;
}

}  // namespace lccge::app
