// Internal: a hash index from names to the dense indices 0..n-1 of a table that holds the names (a model's
// variables, say). Open addressing in one array of slots: no allocation per name, unlike std::unordered_map, and
// the names are not stored twice. Models name a million variables and look each up several times while they build.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <vector>

#include "lccge/core/bit_mix.hpp"

namespace lccge::internal {

class NameIndex {
 public:
  // The hash Find and Insert use; owners that look a name up in several indexes compute it once.
  // Eight bytes at a time, the tail in two overlapping reads, then the splitmix64 finaliser; about a quarter of
  // std::hash's instructions on model names (10-30 bytes), which builds hash a few times each.
  static std::uint32_t Hash(std::string_view name) {
    constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
    const char* p = name.data();
    std::size_t n = name.size();
    std::uint64_t h = (n + 1) * kMultiplier;
    for (; n >= 8; n -= 8, p += 8) h = (std::rotl(h, 23) ^ Load<8>(p)) * kMultiplier;
    if (n >= 4) {
      h = (std::rotl(h, 23) ^ (Load<4>(p) | Load<4>(p + n - 4) << 32)) * kMultiplier;
    } else if (n > 0) {
      const auto byte = [p](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])); };
      h = (std::rotl(h, 23) ^ (byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16)) * kMultiplier;
    }
    return static_cast<std::uint32_t>(SplitMix64Finalize(h));
  }

  // The index of `name`, or -1. `name_of(i)` gives the name of entry i of the owner's table.
  template <typename NameOf>
  int Find(std::string_view name, const NameOf& name_of) const {
    return Find(name, Hash(name), name_of);
  }
  template <typename NameOf>
  int Find(std::string_view name, std::uint32_t hash, const NameOf& name_of) const {
    if (slots_.empty()) return -1;
    for (std::size_t i = hash & Mask();; i = (i + 1) & Mask()) {
      const Slot& slot = slots_[i];
      if (slot.index < 0) return -1;
      if (slot.hash == hash && std::string_view(name_of(slot.index)) == name) return slot.index;
    }
  }

  // Adds entry `index` under `name` and returns -1; if `name` is there already, returns its index and adds nothing.
  template <typename NameOf>
  int Insert(std::string_view name, int index, const NameOf& name_of) {
    return Insert(name, Hash(name), index, name_of);
  }
  template <typename NameOf>
  int Insert(std::string_view name, std::uint32_t hash, int index, const NameOf& name_of) {
    if (2 * (size_ + 1) > slots_.size()) Rehash(slots_.empty() ? 16 : 2 * slots_.size());
    std::size_t i = hash & Mask();
    for (; slots_[i].index >= 0; i = (i + 1) & Mask())
      if (slots_[i].hash == hash && std::string_view(name_of(slots_[i].index)) == name) return slots_[i].index;
    slots_[i] = {hash, index};
    ++size_;
    return -1;
  }

  // Room for `count` names without rehashing.
  void Reserve(std::size_t count) {
    std::size_t capacity = 16;
    while (capacity < 2 * count) capacity *= 2;
    if (capacity > slots_.size()) Rehash(capacity);
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint32_t hash = 0;  // the name's hash: most mismatches are rejected without comparing names
    int index = -1;          // -1: empty
  };
  template <std::size_t kBytes>
  static std::uint64_t Load(const char* p) {
    std::conditional_t<kBytes == 8, std::uint64_t, std::uint32_t> word;
    static_assert(sizeof(word) == kBytes);
    std::memcpy(&word, p, kBytes);
    return word;
  }
  std::size_t Mask() const { return slots_.size() - 1; }
  void Rehash(std::size_t capacity) {
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.index < 0) continue;
      std::size_t i = slot.hash & Mask();
      while (slots_[i].index >= 0) i = (i + 1) & Mask();
      slots_[i] = slot;
    }
  }
  std::vector<Slot> slots_;  // linear probing; the size a power of two, at most half full
  std::size_t size_ = 0;
};

}  // namespace lccge::internal
