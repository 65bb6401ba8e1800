#include <cstdio>

#include "commands.hpp"

namespace lccge::app {

int RunCheck(int /*argc*/, char** /*argv*/) {
  std::fprintf(stderr, "lccge check: not implemented yet\n");
  return kExitFailed;
}

}  // namespace lccge::app
