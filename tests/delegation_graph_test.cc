// The delegation graph's compact edge property: Link packs a Provenance
// into 24 bytes (delegation_graph.h) and must give back exactly what it
// was given, up to the revision limit the engine enforces.
#include "delegation_graph.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace toegang::testing {
namespace {

TEST(LinkTest, ProvenanceRoundTripsAcrossTheRevisionBits) {
  const uint64_t revisions[] = {0,
                                1,
                                (uint64_t{1} << 32) - 1,
                                uint64_t{1} << 32,
                                (uint64_t{1} << 40) + 12345,
                                Link::kMaxRevision};
  for (uint64_t revision : revisions) {
    const Provenance in{99123199978, revision, -86400};
    const Link link(LinkKind::kRight, 7, in);
    const Provenance out = link.prov();
    EXPECT_EQ(out.by, in.by) << revision;
    EXPECT_EQ(out.revision, revision);
    EXPECT_EQ(out.at, in.at) << revision;
    EXPECT_EQ(link.kind, LinkKind::kRight);
    EXPECT_EQ(link.app, 7);
  }
  const Provenance extreme{std::numeric_limits<uint64_t>::max(),
                           Link::kMaxRevision,
                           std::numeric_limits<int64_t>::min()};
  const Provenance back = Link(LinkKind::kUser, 0, extreme).prov();
  EXPECT_EQ(back.by, extreme.by);
  EXPECT_EQ(back.revision, extreme.revision);
  EXPECT_EQ(back.at, extreme.at);
  const Provenance none = Link().prov();
  EXPECT_EQ(none.by, 0u);
  EXPECT_EQ(none.revision, 0u);
  EXPECT_EQ(none.at, 0);
}

}  // namespace
}  // namespace toegang::testing
