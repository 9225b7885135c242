// EstablishmentLexicon: everything the establishment extractor knows, loaded
// once from the lexicons and shared read-only by every document.
//
//   auto lex = EstablishmentLexicon::Create(lexicons);      // errors name file:line
//   const PhraseTrie& trie = lex.value().trie();           // kinds, known names, blockers
//   trie.MatchAt(words, ids, i, [&](int payload, size_t end) {
//     if (EstablishmentLexicon::TypeOf(payload) == PhraseType::kKind) ...
//   });
//   lex.value().Roles(ids[i]) & kPrep;                      // "de", "du", "d'"
//   lex.value().KnownByCity("CHU", "dijon");                // the CHU de Dijon row
//
// Sources: establishment_kinds.tsv (kind phrases and how they resolve),
// establishment_particles.tsv, establishment_qualifiers.tsv,
// establishment_non_names.tsv, establishment_blockers.tsv, establishments.tsv
// (the known CHU, CHR and CLCC with their aliases), organisations.tsv (bodies
// that are not establishments: matched only to be skipped) and communes.tsv.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "extractors/establishments/commune_index.h"
#include "extractors/establishments/phrase_trie.h"
#include "pipeline/demonyms.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

// What may complement a kind phrase (see establishment_kinds.tsv).
enum class Complement { kNone, kCity, kName, kCityOrName };

struct KindRule {
  enum class Number { kSingular, kPlural, kAny };
  std::string phrase;
  Number number = Number::kSingular;
  bool acronym = false;  // written in capitals: "CHU", "CH"
  std::string kind, label, key;
  std::string label_key;  // WordKey(label)
  Complement after_de = Complement::kName;
  Complement juxtaposed = Complement::kName;
  // The kinds of establishments.tsv a commune complement resolves to, by preference.
  std::vector<std::string> by_city;
  long min_population = 0;  // smallest commune a complement is read as
  std::string named_kind, named_label, named_key;  // never empty after loading
};

// A row of establishments.tsv.
struct KnownEstablishment {
  std::string key, name, kind, city;
  std::vector<int> communes;  // communes named `city`
};

// Roles of small words (establishment_particles.tsv and friends), as bit flags.
enum WordRole : uint16_t {
  kPrep = 1 << 0,
  kArticle = 1 << 1,
  kInner = 1 << 2,
  kConnector = 1 << 3,
  kConj = 1 << 4,
  kPlural = 1 << 5,
  kQualifier = 1 << 6,
  kNotFirstName = 1 << 7,
  kSaint = 1 << 8,
  kPlace = 1 << 9,
};

enum class PhraseType { kKind, kKnown, kBlocker };

class EstablishmentLexicon {
 public:
  static Result<EstablishmentLexicon> Create(const Lexicons& lexicons);

  const PhraseTrie& trie() const { return trie_; }
  static PhraseType TypeOf(int payload) { return static_cast<PhraseType>(payload >> 24); }
  static int IndexOf(int payload) { return payload & 0xFFFFFF; }

  const KindRule& kind(int i) const { return kinds_[i]; }
  const KnownEstablishment& known(int i) const { return known_[i]; }
  const CommuneIndex& communes() const { return communes_; }
  const Demonyms& demonyms() const { return demonyms_; }

  uint16_t Roles(int32_t word_id) const {
    return word_id >= 0 && static_cast<size_t>(word_id) < roles_.size() ? roles_[word_id] : 0;
  }
  // The article a contracted preposition carries: "le" for "du", "les" for "des".
  std::string_view ContractedArticle(std::string_view prep) const;

  // Lookups by WordKey (folded words joined by spaces); -1 when absent.
  int KnownByAlias(std::string_view key) const { return Find(alias_, key); }
  // By the part of an alias after its kind phrase: "oscar lambret", "pellegrin".
  int KnownByCore(std::string_view key) const { return Find(core_, key); }
  // The known establishment of this kind ("CHU", "CLCC") whose seat is this commune.
  int KnownByCity(std::string_view kind, std::string_view city_key) const {
    std::string key;
    key.reserve(kind.size() + 1 + city_key.size());
    key.append(kind).append("|").append(city_key);
    return Find(by_city_, key);
  }
  // Whether `word` is written as a kind's acronym ("CHU", "CHIC"): case counts.
  bool IsKindAcronym(std::string_view word) const;
  bool IsNonName(std::string_view key) const { return non_names_.find(key) != non_names_.end(); }

 private:
  static int Find(const StringMap<int>& map, std::string_view key);
  Status LoadKinds(const LexiconTable& table);
  Status LoadParticles(const LexiconTable& table);
  Status LoadKnown(const LexiconTable& table);
  void IndexCores();
  void SetRole(std::string_view word, uint16_t role);

  PhraseTrie trie_;
  std::vector<KindRule> kinds_;
  std::vector<KnownEstablishment> known_;
  std::vector<uint16_t> roles_;
  StringMap<std::string> contracted_;
  StringMap<int> alias_, core_, by_city_;
  std::unordered_set<std::string, StringViewHash, std::equal_to<>> non_names_;
  CommuneIndex communes_;
  Demonyms demonyms_;
};

}  // namespace coopkb
