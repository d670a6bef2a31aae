// The one label formatter (toegang/labels.h): "NAME (ID)", or ID alone.
#include "toegang/labels.h"

#include <gtest/gtest.h>

namespace toegang {
namespace {

TEST(LabelsTest, NameAndIdOrIdAlone) {
  EXPECT_EQ(NamedLabel("Koen Maes", "82010124596"), "Koen Maes (82010124596)");
  EXPECT_EQ(NamedLabel("", "82010124596"), "82010124596");
}

TEST(LabelsTest, PersonWithTheInszDisplayForm) {
  EXPECT_EQ(PersonLabel({"82010124596", "Koen Maes"}),
            "Koen Maes (82.01.01-245.96)");
  EXPECT_EQ(PersonLabel({"82010124596", ""}), "82.01.01-245.96");
  // Not a valid INSZ: shown as given.
  EXPECT_EQ(PersonLabel({"123", "X"}), "X (123)");
}

TEST(LabelsTest, EnterpriseWithKbo) {
  EXPECT_EQ(KboDisplayText("0412345614"), "0412.345.614");
  EXPECT_EQ(KboDisplayText("0412.345.614"), "0412.345.614");
  EXPECT_EQ(KboDisplayText("12"), "12");
  EXPECT_EQ(EnterpriseLabel("vzw Broeders van Bijstand", "0412.345.614"),
            "vzw Broeders van Bijstand (KBO 0412.345.614)");
  EXPECT_EQ(EnterpriseLabel("", "0412.345.614"), "KBO 0412.345.614");
}

}  // namespace
}  // namespace toegang
