// The libFuzzer entry point of every fuzz target: LCCGE_FUZZ_TARGET names the harness (harness.hpp), set per program
// by fuzz/CMakeLists.txt. A harness's message (a round trip that changed the model, say) aborts, so that libFuzzer
// saves the input as a crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const lccge::fuzz::Target* const target = lccge::fuzz::FindTarget(LCCGE_FUZZ_TARGET);
  if (target == nullptr) {
    std::fprintf(stderr, "no fuzz harness named '%s'\n", LCCGE_FUZZ_TARGET);
    std::abort();
  }
  const std::string failure = target->run(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!failure.empty()) {
    std::fprintf(stderr, "fuzz_%s: %s\n", target->name, failure.c_str());
    std::abort();
  }
  return 0;
}
