#include <catch2/catch.hpp>

#include "tests/test_support.h"

namespace coopkb {
namespace {

Document Run(const std::string& text) {
  Document doc;
  doc.source = "test";
  doc.text = text;
  test::DefaultPipeline().Extract(doc);
  return doc;
}

}  // namespace

TEST_CASE("establishments: placeholder", "[establishments]") {
  Document doc = Run("Le CHU de Lille signe avec le Centre Hospitalier d'Arras.");
  CHECK(doc.establishments.size() == 2);
}

}  // namespace coopkb
