#include <cstdio>

#include "commands.hpp"

namespace lccge::app {

int RunFootprint(int /*argc*/, char** /*argv*/) {
  std::fprintf(stderr, "lccge footprint: not implemented yet\n");
  return kExitFailed;
}

}  // namespace lccge::app
