// Catalogue (model/catalogue.h): entries are found by code or by name,
// whatever the case and the runs of white space, an application also by
// its other names; a capacity and a subdivision may be left out while
// only one can be meant, an application never; and unknown texts are
// refused with the code of their kind and a list of what exists.
#include "model/catalogue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/small_catalogue.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

TEST(CatalogueTest, FindsACapacityByCodeOrName) {
  const Catalogue c = SmallCatalogue();
  for (const char* text : {"wzc", "WZC", " wzc ", "Woonzorgcentrum",
                           "woonzorgcentrum", "\tWOONZORGCENTRUM\n"}) {
    Result<CapacityId> id = c.FindCapacity(text);
    ASSERT_TRUE(id.ok()) << text << ": " << id.status().ToString();
    EXPECT_EQ(*id, 1) << text;
  }
  Result<CapacityId> first = c.FindCapacity("Openbaar   centrum");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 0);
  EXPECT_EQ(c.capacity(1).code, "wzc");
  EXPECT_EQ(c.capacity_count(), 2u);
}

TEST(CatalogueTest, AnUnknownCapacityIsRefusedListingTheKnownOnes) {
  const Catalogue c = SmallCatalogue();
  for (const char* text : {"ziekenhuis", "wz c", "ocmw wzc"}) {
    Result<CapacityId> id = c.FindCapacity(text);
    ASSERT_FALSE(id.ok()) << text;
    EXPECT_EQ(id.status().code(), code::kUnknownCapacity);
    EXPECT_EQ(id.status().kind(), Status::Kind::kInvalidInput);
    EXPECT_NE(id.status().message().find("ocmw"), std::string::npos);
    EXPECT_NE(id.status().message().find("Woonzorgcentrum"), std::string::npos);
  }
}

TEST(CatalogueTest, AnEmptyTextPicksTheOnlyEntryAndNoOther) {
  Catalogue one;
  ASSERT_TRUE(one.AddCapacity({"ocmw", "OCMW"}));
  ASSERT_TRUE(one.AddSubdivision({"sociaal", "Sociale Dienst", 0}));
  Result<CapacityId> only = one.FindCapacity("");
  ASSERT_TRUE(only.ok());
  EXPECT_EQ(*only, 0);
  Result<SubdivisionId> only_sub = one.FindSubdivision("  ", 0);
  ASSERT_TRUE(only_sub.ok());
  EXPECT_EQ(*only_sub, 0);

  const Catalogue two = SmallCatalogue();
  Result<CapacityId> which = two.FindCapacity("");
  ASSERT_FALSE(which.ok());
  EXPECT_EQ(which.status().code(), code::kUsage);
  // The first capacity has one subdivision, the second two.
  Result<SubdivisionId> sub = two.FindSubdivision("", 0);
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(*sub, 0);
  Result<SubdivisionId> which_sub = two.FindSubdivision("", 1);
  ASSERT_FALSE(which_sub.ok());
  EXPECT_EQ(which_sub.status().code(), code::kUsage);
  EXPECT_NE(which_sub.status().message().find("thuis"), std::string::npos);
}

TEST(CatalogueTest, ASubdivisionIsFoundOnlyUnderItsCapacity) {
  const Catalogue c = SmallCatalogue();
  Result<SubdivisionId> thuis = c.FindSubdivision("THUISZORG", 1);
  ASSERT_TRUE(thuis.ok());
  EXPECT_EQ(*thuis, 2);
  EXPECT_EQ(c.subdivision(*thuis).capacity, 1);
  Result<SubdivisionId> zorg = c.FindSubdivision("zorg", 1);
  ASSERT_TRUE(zorg.ok());
  EXPECT_EQ(*zorg, 1);
  // "sociaal" exists, but under the other capacity.
  Result<SubdivisionId> elsewhere = c.FindSubdivision("sociaal", 1);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.status().code(), code::kUnknownSubdivision);
  EXPECT_EQ(elsewhere.status().message().find("sociaal (\""), std::string::npos)
      << "lists only the capacity's own: " << elsewhere.status().message();
  Result<SubdivisionId> unknown = c.FindSubdivision("keuken", 0);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), code::kUnknownSubdivision);
}

TEST(CatalogueTest, FindsAnApplicationByCodeNameOrAlias) {
  Catalogue c = SmallCatalogue();
  ASSERT_TRUE(c.AddApplicationAlias("eVIPA", 1));
  ASSERT_TRUE(c.AddApplicationAlias("Aanbod arbeidsmatige activiteiten", 0));
  const std::vector<std::pair<std::string, AppId>> cases = {
      {"ama-wvg", 0},
      {"AMA-WVG", 0},
      {"e-loket  ama wvg", 0},
      {" aanbod ARBEIDSMATIGE activiteiten", 0},
      {"vipa", 1},
      {"evipa", 1},
      {"EVIPA", 1},
  };
  for (const auto& [text, want] : cases) {
    Result<AppId> id = c.FindApplication(text);
    ASSERT_TRUE(id.ok()) << text << ": " << id.status().ToString();
    EXPECT_EQ(*id, want) << text;
  }
  ASSERT_EQ(c.application_aliases().size(), 2u);
  EXPECT_EQ(c.application_aliases()[0].alias, "eVIPA");
}

TEST(CatalogueTest, AnApplicationMustBeNamedAndKnown) {
  Catalogue c;
  ASSERT_TRUE(c.AddCapacity({"ocmw", "OCMW"}));
  ASSERT_TRUE(c.AddApplication({"ama-wvg", "e-loket AMA WVG", 0}));
  ASSERT_TRUE(c.AddApplicationAlias("AMA", 0));
  // Even the only application is not picked for an empty text.
  Result<AppId> empty = c.FindApplication(" ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), code::kUsage);
  Result<AppId> unknown = c.FindApplication("vipa");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), code::kUnknownApplication);
  // The list of what exists names the aliases too.
  EXPECT_NE(unknown.status().message().find("ama-wvg"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("\"AMA\""), std::string::npos)
      << unknown.status().message();
}

TEST(CatalogueTest, FindApplicationsStopsAtTheFirstUnknownAndDropsRepeats) {
  Catalogue c = SmallCatalogue();
  ASSERT_TRUE(c.AddApplicationAlias("eVIPA", 1));
  Result<std::vector<AppId>> ids =
      c.FindApplications({"vipa", "ama-wvg", "eVIPA", "VIPA"});
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<AppId>{1, 0}));
  Result<std::vector<AppId>> bad =
      c.FindApplications({"vipa", "nope", "ama-wvg"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), code::kUnknownApplication);
  EXPECT_NE(bad.status().message().find("nope"), std::string::npos);
  Result<std::vector<AppId>> none = c.FindApplications({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(CatalogueTest, AnAliasMayNotBeEmptyTakenOrForNoApplication) {
  Catalogue c = SmallCatalogue();
  EXPECT_FALSE(c.AddApplicationAlias("", 0));
  EXPECT_FALSE(c.AddApplicationAlias("   ", 0));
  EXPECT_FALSE(c.AddApplicationAlias("other", 3));  // no application 3
  EXPECT_FALSE(c.AddApplicationAlias("VIPA", 0));   // a code
  EXPECT_FALSE(c.AddApplicationAlias("E-loket ama  WVG", 1));  // a name
  EXPECT_TRUE(c.AddApplicationAlias("eVIPA", 1));
  EXPECT_FALSE(c.AddApplicationAlias("evipa", 0));  // an alias already
  EXPECT_EQ(c.application_aliases().size(), 1u);
}

TEST(CatalogueTest, LimitsOnTheNumberOfEntries) {
  Catalogue c;
  for (size_t i = 0; i < Catalogue::kMaxApplications; ++i) {
    ASSERT_TRUE(c.AddApplication({"app" + std::to_string(i), "", 0}));
  }
  EXPECT_FALSE(c.AddApplication({"one-too-many", "", 0}));
  EXPECT_EQ(c.application_count(), Catalogue::kMaxApplications);
  for (size_t i = 0; i < Catalogue::kMaxCapacities; ++i) {
    ASSERT_TRUE(c.AddCapacity({"cap" + std::to_string(i), ""}));
  }
  EXPECT_FALSE(c.AddCapacity({"one-too-many", ""}));
  // The last one is still found, by its dense id.
  Result<AppId> last = c.FindApplication("app63");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 63);
}

TEST(CatalogueTest, FacilityRulesGatherTheTypesOfEachApplication) {
  Catalogue c = SmallCatalogue();
  c.AddFacilityRule(1, "034", "034");
  c.AddFacilityRule(1, "034", "035");
  c.AddFacilityRule(1, "009", "035");  // a repeat of an allowed type
  c.AddFacilityRule(0, "009", "089");
  ASSERT_EQ(c.facility_rules().size(), 2u);
  const FacilityRule& vipa = c.facility_rules()[0];
  EXPECT_EQ(vipa.application, 1);
  EXPECT_EQ(vipa.trigger_types, (std::vector<std::string>{"034", "009"}));
  EXPECT_EQ(vipa.allowed_types, (std::vector<std::string>{"034", "035"}));
  EXPECT_EQ(c.facility_rules()[1].application, 0);
}

}  // namespace
}  // namespace toegang::testing
