// Demonyms: what the inhabitants of a commune are called (lexicons/demonyms.tsv),
// so that "les praticiens dignois" or "le CHU rouennais" can name a commune.
//
//   Demonyms demonyms = Demonyms::FromLexicons(lexicons);
//   const std::vector<std::string>* communes = demonyms.CommunesOf("rouennaise");
//   if (communes && communes->size() == 1) { ... (*communes)[0] == "Rouen" ... }
//
// Each row gives the masculine singular; the feminine and the plurals are
// derived ("dignois": dignoise, dignoises; "tourangeau": tourangelle(s),
// tourangeaux), and a "forms" cell adds irregular ones. Lookups take a word
// folded with Fold() (lower case, no accents).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace coopkb {

class Lexicons;

class Demonyms {
 public:
  static Demonyms FromLexicons(const Lexicons& lexicons);

  // The communes (as spelled in communes.tsv) whose inhabitants `folded_word`
  // names, in lexicon order; nullptr when it is no demonym.
  const std::vector<std::string>* CommunesOf(std::string_view folded_word) const;
  bool empty() const { return communes_.empty(); }

  // The four forms of a masculine singular demonym: masculine, masculine
  // plural, feminine, feminine plural (not folded).
  static std::vector<std::string> Forms(const std::string& masculine);

 private:
  std::unordered_map<std::string, std::vector<std::string>> communes_;  // by folded form
};

}  // namespace coopkb
