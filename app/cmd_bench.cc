#include <cstdio>

#include "commands.hpp"

namespace lccge::app {

int RunBench(int /*argc*/, char** /*argv*/) {
  std::fprintf(stderr, "lccge bench: not implemented yet\n");
  return kExitFailed;
}

}  // namespace lccge::app
