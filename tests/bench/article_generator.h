// ArticleGenerator: a deterministic supply of realistic French articles about
// hospital cooperation, for measuring coopkb at scale.
//
//   auto lex = Lexicons::Load();
//   auto gen = ArticleGenerator::Create(lex.value(), /*seed=*/42);
//   GeneratedFile f = gen.value().Generate(17);   // article #17 of seed 42
//   Write(out_dir / f.name, f.bytes);               // "000/000017.txt" or ".html"
//
// Article i depends only on (seed, i): any range can be generated in any order
// or in parallel and the corpus is byte-identical on every machine (the random
// numbers come from SplitMix64, not from <random>'s implementation-defined
// distributions).
//
// Articles are assembled from the sentence shapes of tests/bench/article_phrases.tsv
// (embedded in the binary), filled with establishments, cities, régions,
// specialties and number words drawn from the pipeline's own lexicons. About
// half the articles carry site chrome ("Rechercher", "Partager", "Crédit photo :
// ..."), some a "Sur le même sujet" teaser section or their lead paragraph
// printed twice; a few percent are saved as Windows-1252 and a few percent as
// HTML pages with nav, aside and footer. The average article is about 4 KB.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

struct GeneratedFile {
  std::string name;    // relative path: "NNN/NNNNNN.txt" (1000 files per folder) or ".html"
  std::string bytes;   // the file's content, in its encoding
  std::string format;  // "text", "text-cp1252" or "html"
};

class ArticleGenerator {
 public:
  // Errors: a lexicon table lacks what the generator needs, or a sentence
  // shape of article_phrases.tsv names an unknown placeholder.
  static Result<ArticleGenerator> Create(const Lexicons& lexicons, uint64_t seed);

  GeneratedFile Generate(uint64_t index) const;

  // A party of a cooperation: how it is written and where it is.
  struct Party {
    std::vector<std::string> names;  // canonical first, then aliases
    std::string city, region;
  };

 private:
  friend class ArticleWriter;
  ArticleGenerator() = default;

  uint64_t seed_ = 0;
  std::map<std::string, std::vector<std::string>, std::less<>> slots_;  // slot -> texts
  std::map<std::string, std::string, std::less<>> articles_;            // first word -> article
  std::vector<std::pair<std::string, bool>> first_names_;              // name, feminine
  std::vector<Party> known_parties_;                                    // lexicons/establishments.tsv
  std::vector<Party> communes_;                                         // towns large enough for a hospital
  std::vector<std::vector<std::string>> specialties_;                   // canonical name, then synonyms
  std::vector<std::string> months_;                                     // 12 names, January first
  std::vector<std::string> number_words_;                               // "deux" .. "six"
};

}  // namespace coopkb
