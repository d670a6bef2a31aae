// A small catalogue for the tests of the model's values (catalogue,
// change sets), built by hand rather than loaded: two capacities, the
// first with one subdivision and the second with two, and three
// applications, so that ids differ and a field read into the wrong place
// shows.
//
//   capacities     0 ocmw "Openbaar Centrum"   1 wzc "Woonzorgcentrum"
//   subdivisions   0 sociaal (ocmw)   1 zorg (wzc)   2 thuis (wzc)
//   applications   0 ama-wvg "e-loket AMA WVG" (ocmw)   1 vipa "VIPA" (wzc)
//                  2 zorgportaal "Zorgportaal" (wzc)
#ifndef TOEGANG_TESTS_SUPPORT_SMALL_CATALOGUE_H_
#define TOEGANG_TESTS_SUPPORT_SMALL_CATALOGUE_H_

#include <gtest/gtest.h>

#include "model/catalogue.h"

namespace toegang::testing {

inline Catalogue SmallCatalogue() {
  Catalogue c;
  EXPECT_TRUE(c.AddCapacity({"ocmw", "Openbaar Centrum"}));
  EXPECT_TRUE(c.AddCapacity({"wzc", "Woonzorgcentrum"}));
  EXPECT_TRUE(c.AddSubdivision({"sociaal", "Sociale Dienst", 0}));
  EXPECT_TRUE(c.AddSubdivision({"zorg", "Zorg en Welzijn", 1}));
  EXPECT_TRUE(c.AddSubdivision({"thuis", "Thuiszorg", 1}));
  EXPECT_TRUE(c.AddApplication({"ama-wvg", "e-loket AMA WVG", 0}));
  EXPECT_TRUE(c.AddApplication({"vipa", "VIPA", 1}));
  EXPECT_TRUE(c.AddApplication({"zorgportaal", "Zorgportaal", 1}));
  return c;
}

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_SUPPORT_SMALL_CATALOGUE_H_
