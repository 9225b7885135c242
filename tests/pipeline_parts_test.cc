// A text longer than Pipeline::kPartBytes is extracted in parts of whole
// paragraphs; what comes out must read as if it had been extracted whole.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "pipeline/pipeline.h"
#include "tests/test_support.h"

using namespace coopkb;

namespace {

// Paragraphs that each name two establishments, a date, a specialty and a
// count, with a number that tells them apart.
std::string LongReport(size_t min_bytes, size_t* paragraphs) {
  std::string text = "Bilan des coopérations hospitalières\n";
  size_t n = 0;
  while (text.size() < min_bytes) {
    text += "Paragraphe " + std::to_string(n) +
            " : le CHU de Rennes et le centre hospitalier de Saint-Malo ont signé le 12 mars 2019 une "
            "convention de coopération en neurochirurgie ; 14 praticiens assurent les consultations.\n";
    ++n;
  }
  *paragraphs = n;
  return text;
}

}  // namespace

TEST_CASE("a text past the part size is extracted in parts and merged as one", "[pipeline]") {
  size_t paragraphs = 0;
  Document doc;
  doc.source = "rapport.txt";
  doc.text = LongReport(Pipeline::kPartBytes * 5 / 2, &paragraphs);
  test::DefaultPipeline().Extract(doc);

  // Each establishment once, whichever part found it.
  std::set<std::string> keys;
  for (const Establishment& e : doc.establishments) CHECK(keys.insert(e.key).second);
  CHECK(doc.establishments.size() == 2);

  // Every mention points at its own words in the whole text, and none is lost
  // at a part boundary: each paragraph gives its date, specialty and count.
  std::map<MentionKind, size_t> by_kind;
  for (const Mention& m : doc.mentions) {
    REQUIRE(m.span.end <= doc.text.size());
    ++by_kind[m.kind];
    if (m.kind == MentionKind::kDate) CHECK(doc.Text(m.span) == "12 mars 2019");
    if (m.kind == MentionKind::kSpecialty) CHECK(doc.Text(m.span) == "neurochirurgie");
    if (m.kind == MentionKind::kEstablishment) {
      REQUIRE(m.entity >= 0);
      REQUIRE(static_cast<size_t>(m.entity) < doc.establishments.size());
      CHECK(m.value == doc.establishments[m.entity].name);
    }
  }
  CHECK(by_kind[MentionKind::kDate] == paragraphs);
  CHECK(by_kind[MentionKind::kSpecialty] == paragraphs);
  CHECK(by_kind[MentionKind::kEstablishment] == 2 * paragraphs);

  // One cooperation, stated in every paragraph of every part.
  REQUIRE(doc.cooperations.size() == 1);
  const Cooperation& c = doc.cooperations[0];
  CHECK(c.parties.size() == 2);
  CHECK(c.date == "2019-03-12");
  CHECK(c.specialties == std::vector<std::string>{"neurochirurgie"});
  CHECK(c.evidence.size() == paragraphs);
  for (const Span& e : c.evidence) CHECK(doc.Text(e).find("convention de coopération") != std::string_view::npos);
}

TEST_CASE("a text within the part size is extracted whole, as before", "[pipeline]") {
  size_t paragraphs = 0;
  Document whole;
  whole.text = LongReport(4000, &paragraphs);
  test::DefaultPipeline().Extract(whole);
  CHECK(whole.cooperations.size() == 1);
  CHECK(whole.mentions.size() >= 4 * paragraphs);
}
