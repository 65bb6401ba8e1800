#include <cstdio>

#include "commands.hpp"

namespace lccge::app {

int RunRun(int /*argc*/, char** /*argv*/) {
  std::fprintf(stderr, "lccge run: not implemented yet\n");
  return kExitFailed;
}

}  // namespace lccge::app
