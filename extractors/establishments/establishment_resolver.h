// EstablishmentResolver: from what a mention says to the canonical entity.
//
//   EstablishmentResolver resolver(lexicon);
//   Reference ref;                         // filled by the parser: kind rule, "de", {"LILLE"}
//   std::optional<Resolution> r = resolver.Read(ref);   // nullopt: generic, not a name
//   RegionVotes votes;  resolver.Vote(*r, votes);       // every resolution of the document
//   Establishment e = resolver.Finish(*r, votes);       // {"chu:lille", "CHU de Lille", ...}
//
// Reading decides what the complement is: a commune ("CH d'Arras", "les CH de
// Calais, Boulogne": Boulogne-sur-Mer), a name ("Clinique Lille-Sud", "CH du
// Forez"), a name located by a trailing commune ("Clinique Bénigne Joly de
// Talant"), or a known establishment (establishments.tsv: "CHRU de Dijon" and
// "CHU Dijon Bourgogne" are both "CHU de Dijon"). Finishing picks among
// homonymous communes the one in the région the document talks about, then
// the most populated, and builds the stable key: the known key, else the
// kind's key prefix and the folded city or name ("ch:arras",
// "clinique:benigne-joly"), so that the same establishment written two ways,
// in two documents, gets the same key and name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extractors/establishments/establishment_lexicon.h"
#include "pipeline/document.h"

namespace coopkb {

// One word of a written name.
struct NameWord {
  std::string text;    // as written: "LILLE", "d"
  std::string folded;  // "lille"
  char separator = ' ';  // before it: ' ', '-' or '\''
  bool particle = false;  // a lower-case inner word: "sur", "de", "d"
  bool all_caps = false;
};

// A mention as the parser read it: a known name, or a kind with a complement.
struct Reference {
  int known = -1;                  // index into the lexicon's known establishments
  const KindRule* kind = nullptr;  // when not known
  std::string kind_written;        // the kind phrase folded: "centre hospitalier"
  bool kind_shouting = false;      // a kind word written in capitals: "CLINIQUE"
  bool lowercase_after = false;    // the name is followed by a lower-case word
  bool juxtaposed = false;         // no preposition: "CHU Dijon", "CH Le Corbusier"
  bool inherits_de = false;        // a bare item coordinated after "de X": "..., Boulogne"
  bool commune_only = false;       // read only if the whole name is a commune
  std::string prep;                // folded: "de", "d", "du", "des", "de la", "de l"
  std::vector<NameWord> name;
};

struct Resolution {
  int known = -1;
  const KindRule* kind = nullptr;
  bool named = false;           // the complement is a name, not a commune
  std::vector<int> communes;    // candidates for the city
  std::string name;             // named: the name as it will be shown ("Bénigne Joly")
  std::string prep;             // named: the preposition shown ("du", "d'", "")
  size_t words_used = 0;        // name words the mention covers
};

class EstablishmentResolver {
 public:
  explicit EstablishmentResolver(const EstablishmentLexicon& lexicon) : lex_(lexicon) {}

  std::optional<Resolution> Read(const Reference& ref) const;
  // Adds the région of an unambiguous city to the document's votes.
  void Vote(const Resolution& r, RegionVotes& votes) const;
  Establishment Finish(const Resolution& r, const RegionVotes& votes) const;
  // A named establishment placed by an apposition (", à Vannes"): when `place` is
  // wholly a commune, it becomes the establishment's city. Returns whether it did.
  bool Locate(const std::vector<NameWord>& place, Resolution& r) const;
  // The name of the commune `place` wholly is, or "".
  std::string CommuneName(const std::vector<NameWord>& place) const;

 private:
  // The longest run of name words from the start that is a commune (with the
  // article of "du"/"des" when given); fills `communes`, returns the word count.
  // Communes smaller than `min_population` are not read (see establishment_kinds.tsv).
  size_t CommunePrefix(const std::vector<NameWord>& name, std::string_view article,
                       bool cut_at_hyphen, long min_population, std::vector<int>* communes) const;
  // Communes with this key (or stem) of at least `min_population`.
  bool Communes(std::string_view key, bool stem, long min_population,
                std::vector<int>* communes) const;
  std::optional<Resolution> ReadNamed(const Reference& ref, Resolution r) const;
  bool Compatible(const KindRule& kind, const KnownEstablishment& known) const;
  Establishment FromKnown(int known, const RegionVotes& votes) const;
  void SetCity(Establishment& e, int commune) const;

  const EstablishmentLexicon& lex_;
};

}  // namespace coopkb
