#include <cstdio>

#include "commands.hpp"

namespace lccge::app {

int RunBuild(int /*argc*/, char** /*argv*/) {
  std::fprintf(stderr, "lccge build: not implemented yet\n");
  return kExitFailed;
}

}  // namespace lccge::app
