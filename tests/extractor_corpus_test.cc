// Runs the example corpus kept beside each extractor's rules
// (extractors/<kind>/corpus.tsv): positive examples must give exactly the
// expected values, negative examples must give no mention of that kind.
//
// corpus.tsv columns: polarity ('+' or '-'), text, expected (values joined by
// " ; "), published (optional ISO date the document is dated). Values are
// rendered per kind:
//   dates           2001-01-22
//   specialties     chirurgie cardiaque            (canonical name)
//   counts          207|conventions de partage de temps médical
//   establishments  CHU de Lille|CHU|Lille         (name|kind|city)
//   cooperations    CH d'Arras + CHU de Lille       (party names, sorted, joined by " + ")
#include <algorithm>
#include <optional>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "tests/test_support.h"

namespace coopkb {
namespace {

std::string Render(const Document& doc, const Mention& m) {
  switch (m.kind) {
    case MentionKind::kCount: return m.value + "|" + m.unit;
    case MentionKind::kEstablishment: {
      if (m.entity < 0) return m.value;
      const Establishment& e = doc.establishments[m.entity];
      return e.name + "|" + e.kind + "|" + e.city;
    }
    default: return m.value;
  }
}

std::set<std::string> SplitExpected(std::string_view s) {
  std::set<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t sep = s.find(" ; ", pos);
    std::string_view item = s.substr(pos, sep == std::string_view::npos ? s.npos : sep - pos);
    if (!item.empty()) out.emplace(item);
    if (sep == std::string_view::npos) break;
    pos = sep + 3;
  }
  return out;
}

std::set<std::string> Cooperations(const Document& doc) {
  std::set<std::string> out;
  for (const Cooperation& c : doc.cooperations) {
    std::vector<std::string> names;
    for (int p : c.parties) names.push_back(doc.establishments[p].name);
    std::sort(names.begin(), names.end());
    std::string joined;
    for (const auto& n : names) {
      if (!joined.empty()) joined += " + ";
      joined += n;
    }
    out.insert(joined);
  }
  return out;
}

// kind: a mention kind, or nullopt for cooperations.
void RunCorpus(const std::string& dir, std::optional<MentionKind> kind) {
  auto path = test::SourceDir() / "extractors" / dir / "corpus.tsv";
  std::string content = test::ReadFile(path);
  REQUIRE(!content.empty());
  auto table = LexiconTable::Parse(path.string(), content);
  INFO((table.ok() ? std::string() : table.status().message()));
  REQUIRE(table.ok());
  int positives = 0, negatives = 0;
  for (const LexiconRow& row : table.value().rows()) {
    std::string_view polarity = row.Get("polarity");
    REQUIRE((polarity == "+" || polarity == "-"));
    Document doc;
    doc.source = "corpus";
    doc.text = std::string(row.Get("text"));
    doc.published = std::string(row.Get("published"));
    test::DefaultPipeline().Extract(doc);
    std::set<std::string> got;
    if (kind) {
      for (const Mention& m : doc.mentions) {
        if (m.kind == *kind) got.insert(Render(doc, m));
      }
    } else {
      got = Cooperations(doc);
    }
    INFO(fmt::format("{}:{}: {}", path.string(), row.line(), doc.text));
    if (polarity == "+") {
      ++positives;
      CHECK(got == SplitExpected(row.Get("expected")));
    } else {
      ++negatives;
      CHECK(got.empty());
    }
  }
  CHECK(positives > 0);
  CHECK(negatives > 0);
}

}  // namespace

TEST_CASE("dates corpus", "[corpus][dates]") { RunCorpus("dates", MentionKind::kDate); }
TEST_CASE("counts corpus", "[corpus][counts]") { RunCorpus("counts", MentionKind::kCount); }
TEST_CASE("specialties corpus", "[corpus][specialties]") {
  RunCorpus("specialties", MentionKind::kSpecialty);
}
TEST_CASE("establishments corpus", "[corpus][establishments]") {
  RunCorpus("establishments", MentionKind::kEstablishment);
}

}  // namespace coopkb

namespace coopkb {
TEST_CASE("cooperations corpus", "[corpus][cooperations]") { RunCorpus("cooperations", std::nullopt); }
}  // namespace coopkb
