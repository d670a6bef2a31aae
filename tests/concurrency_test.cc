// Queries from several threads while one thread mutates: every answer is
// consistent and no reader sees the revision go backwards. Run under
// ThreadSanitizer by `make test-tsan`, which catches data races that a
// plain run would not show.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "test_federation.h"

namespace toegang::testing {
namespace {

constexpr int kReaders = 3;
constexpr int kWrites = 40;

TEST(ConcurrencyTest, ReadersSeeConsistentAnswersWhileOneThreadWrites) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.MustApply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2));
  const uint64_t start = fed.engine().revision();
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};

  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      uint64_t last = 0;
      while (!done.load()) {
        // kUser1's access never changes during the run.
        Result<Decision> d = fed.engine().Check(kUser1, "ama-wvg");
        if (!d.ok() || !d->allowed || d->facilities.size() != 1 ||
            d->revision < last) {
          ++failures;
        }
        if (d.ok()) last = d->revision;
        // kUser2's right flips; whatever the answer, it is well-formed.
        Result<Decision> flip = fed.engine().Check(kUser2, "ama-wvg");
        if (!flip.ok() || flip->allowed != !flip->facilities.empty()) {
          ++failures;
        }
        Result<Page<AccessEntry>> a = fed.engine().Access(kUser1, {});
        if (!a.ok() || a->items.size() != 1) ++failures;
        Result<Explanation> e =
            fed.engine().Explain(kUser2, "ama-wvg", "", Lang::kEn);
        if (!e.ok() || (!e->allowed && e->reason != "right_missing")) {
          ++failures;
        }
      }
    });
  }

  std::thread writer([&] {
    for (int i = 0; i < kWrites; ++i) {
      Action a = i % 2 == 0 ? Action::kGrantRight : Action::kRevokeRight;
      Result<CommitInfo> r = fed.engine().Apply(
          M(a, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
      if (!r.ok()) ++failures;
    }
    done = true;
  });
  writer.join();
  for (std::thread& t : readers) t.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(fed.engine().revision(), start + kWrites);
  EXPECT_FALSE(fed.Allowed(kUser2));  // an even number of flips: revoked
  Result<std::vector<std::string>> problems = fed.engine().Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

}  // namespace
}  // namespace toegang::testing
