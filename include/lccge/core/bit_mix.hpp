// Internal: the finaliser of SplitMix64 (Steele, Lea and Flood, OOPSLA 2014), a bijection on 64-bit words whose
// every output bit depends on every input bit. Shared by NameIndex's hash and the synthetic data's generator.
#pragma once

#include <cstdint>

namespace lccge::internal {

inline std::uint64_t SplitMix64Finalize(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace lccge::internal
