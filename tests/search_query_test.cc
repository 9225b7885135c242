// The search box syntax turned into FTS5 syntax.
#include <catch2/catch.hpp>

#include "pipeline/search_query.h"

namespace coopkb {

TEST_CASE("plain words are quoted so punctuation is never syntax", "[search]") {
  CHECK(ToFtsQuery("cooperation").value() == "\"cooperation\"");
  CHECK(ToFtsQuery("Saint-Etienne d'Arras").value() == "\"Saint-Etienne\" \"d'Arras\"");
  CHECK(ToFtsQuery("say \"hi\"").value() == "\"say\" \"hi\"");
}

TEST_CASE("the operators the user means are kept", "[search]") {
  CHECK(ToFtsQuery("lille OR arras").value() == "\"lille\" OR \"arras\"");
  CHECK(ToFtsQuery("(lille OR arras) AND NOT dijon").value() == "(\"lille\" OR \"arras\") AND NOT \"dijon\"");
  CHECK(ToFtsQuery("\"mise en œuvre\"").value() == "\"mise en œuvre\"");
  CHECK(ToFtsQuery("neuro*").value() == "\"neuro\"*");
  CHECK(ToFtsQuery("title:lille").value() == "title:\"lille\"");
  CHECK(ToFtsQuery("NEAR(lille arras, 5)").value() == "NEAR(\"lille\" \"arras\", 5)");
}

TEST_CASE("unbalanced input is a user error", "[search]") {
  for (const char* q : {"\"open", "(a", "a)", "", "   ", "*"}) {
    INFO(q);
    auto r = ToFtsQuery(q);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::kUserError);
  }
}

}  // namespace coopkb
