// FrozenBuilder (frozen_store.h): arrays frozen on the heap or into a
// mapped unnamed file read back the values they were built from, the file
// leaves no name behind, its mapping lives exactly as long as its owner,
// and a directory that cannot take the file leaves the arrays on the heap.
#include "graph/frozen_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "base/huge_pages.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

struct Frozen {
  FrozenArray<uint64_t> wide;
  FrozenArray<uint16_t> narrow;
  FrozenArray<char> chars;
  FrozenArray<uint32_t> none;
  FrozenArray<uint32_t> huge;
  FrozenBlock block;
};

std::vector<uint64_t> Wide() {
  std::vector<uint64_t> v(10000);
  std::iota(v.begin(), v.end(), uint64_t{1} << 40);
  return v;
}

Frozen Freeze(const FrozenStore& store) {
  Frozen f;
  FrozenBuilder b(store);
  b.Add(Wide(), &f.wide);
  b.Add(std::vector<uint16_t>{7, 8, 9}, &f.narrow);
  const std::string text = "names end to end";
  b.Add(std::vector<char>(text.begin(), text.end()), &f.chars);
  b.Add(std::vector<uint32_t>(), &f.none);
  b.Add(std::vector<uint32_t, HugePageAllocator<uint32_t>>(5000, 42), &f.huge);
  f.block = b.Finish();
  return f;
}

void ExpectValues(const Frozen& f) {
  const std::vector<uint64_t> wide = Wide();
  ASSERT_EQ(f.wide.size(), wide.size());
  EXPECT_TRUE(std::equal(f.wide.begin(), f.wide.end(), wide.begin()));
  ASSERT_EQ(f.narrow.size(), 3u);
  EXPECT_EQ(f.narrow[0], 7);
  EXPECT_EQ(f.narrow[2], 9);
  EXPECT_EQ(std::string(f.chars.begin(), f.chars.end()), "names end to end");
  EXPECT_TRUE(f.none.empty());
  EXPECT_EQ(f.none.begin(), f.none.end());
  ASSERT_EQ(f.huge.size(), 5000u);
  EXPECT_EQ(f.huge[0], 42u);
  EXPECT_EQ(f.huge[4999], 42u);
}

// Lines of /proc/self/maps that name a file in dir: the mappings of the
// unnamed files made there ("dir/#123 (deleted)" for O_TMPFILE).
int MappingsIn(const std::string& dir) {
  std::ifstream maps("/proc/self/maps");
  int n = 0;
  for (std::string line; std::getline(maps, line);) {
    if (line.find(dir + "/") != std::string::npos) ++n;
  }
  return n;
}

TEST(FrozenStoreTest, HeapArraysReadBackTheirValues) {
  const Frozen f = Freeze(FrozenStore::Heap());
  EXPECT_EQ(f.block.mapped_bytes, 0u);
  ExpectValues(f);
}

TEST(FrozenStoreTest, MappedArraysReadBackAndTheFileHasNoName) {
  TempDir dir;
  Frozen f = Freeze(FrozenStore::InDirectory(dir.path()));
  EXPECT_GE(f.block.mapped_bytes,
            10000 * sizeof(uint64_t) + 5000 * sizeof(uint32_t));
  ExpectValues(f);
  // Each array on a cache line of its own.
  EXPECT_EQ(reinterpret_cast<uintptr_t>(f.narrow.data()) % 64, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(f.huge.data()) % 64, 0u);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  EXPECT_EQ(MappingsIn(dir.path()), 1);
  // Copies of the owner keep the mapping; the last one unmaps it.
  std::shared_ptr<const void> copy = f.block.owner;
  f.block.owner.reset();
  EXPECT_EQ(MappingsIn(dir.path()), 1);
  EXPECT_EQ(f.wide[9999], (uint64_t{1} << 40) + 9999);
  copy.reset();
  EXPECT_EQ(MappingsIn(dir.path()), 0);
}

TEST(FrozenStoreTest, ADirectoryThatCannotTakeTheFileLeavesThemOnTheHeap) {
  TempDir dir;
  for (const std::string& where :
       {dir.File("missing"), dir.Write("a-file", "not a directory")}) {
    SCOPED_TRACE(where);
    const Frozen f = Freeze(FrozenStore::InDirectory(where));
    EXPECT_EQ(f.block.mapped_bytes, 0u);
    ExpectValues(f);
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing")));
}

TEST(FrozenStoreTest, NothingToFreezeMapsNothing) {
  TempDir dir;
  FrozenArray<uint32_t> empty;
  FrozenBuilder b(FrozenStore::InDirectory(dir.path()));
  b.Add(std::vector<uint32_t>(), &empty);
  const FrozenBlock block = b.Finish();
  EXPECT_NE(block.owner, nullptr);
  EXPECT_EQ(block.mapped_bytes, 0u);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(MappingsIn(dir.path()), 0);
}

}  // namespace
}  // namespace toegang::testing
