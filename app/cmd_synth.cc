#include <cstdio>

#include "commands.hpp"

namespace lccge::app {

int RunSynth(int /*argc*/, char** /*argv*/) {
  std::fprintf(stderr, "lccge synth: not implemented yet\n");
  return kExitFailed;
}

}  // namespace lccge::app
