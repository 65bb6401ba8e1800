// internal::NameIndex against std::map on the same names: every name found at its index, absent names not found,
// duplicates reported with the first index, through many rehashes.
#include "lccge/core/name_index.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace lccge::internal {
namespace {

TEST(NameIndex, AgreesWithAMapThroughRehashes) {
  std::vector<std::string> names;
  const auto name_of = [&names](int i) -> const std::string& { return names[static_cast<size_t>(i)]; };
  NameIndex index;
  std::map<std::string, int> reference;
  std::mt19937_64 rng(3);
  for (int k = 0; k < 5000; ++k) {
    // Short names from a small alphabet: many repeats and many shared prefixes.
    std::string name = "P";
    for (int c = static_cast<int>(rng() % 4); c >= 0; --c) name += static_cast<char>('a' + rng() % 6);
    const int added = static_cast<int>(names.size());
    const int found = index.Insert(name, added, name_of);
    const auto [it, inserted] = reference.try_emplace(name, added);
    if (inserted) {
      EXPECT_EQ(found, -1) << name;
      names.push_back(name);
    } else {
      EXPECT_EQ(found, it->second) << name;  // the first index, nothing added
    }
  }
  EXPECT_EQ(index.size(), reference.size());
  for (const auto& [name, i] : reference) EXPECT_EQ(index.Find(name, name_of), i) << name;
  for (const char* absent : {"", "Q", "Pg", "Paaaaaa", "P\\0"}) EXPECT_EQ(index.Find(absent, name_of), -1) << absent;
}

TEST(NameIndex, EmptyAndReserved) {
  const std::vector<std::string> names = {"x", "y"};
  const auto name_of = [&names](int i) -> const std::string& { return names[static_cast<size_t>(i)]; };
  NameIndex index;
  EXPECT_EQ(index.Find("x", name_of), -1);
  index.Reserve(1000);
  EXPECT_EQ(index.Insert("x", 0, name_of), -1);
  EXPECT_EQ(index.Insert("y", 1, name_of), -1);
  EXPECT_EQ(index.Insert("x", 2, name_of), 0);
  EXPECT_EQ(index.Find("y", name_of), 1);
  EXPECT_EQ(index.size(), 2u);
}

}  // namespace
}  // namespace lccge::internal
