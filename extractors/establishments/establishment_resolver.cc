#include "extractors/establishments/establishment_resolver.h"

#include <algorithm>

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "pipeline/fold.h"

namespace coopkb {
namespace {

// "Saint-Étienne" -> "saint-etienne": the city or name part of a key.
std::string Slug(std::string_view text) {
  std::string key = WordKey(text);
  for (char& c : key) {
    if (c == ' ') c = '-';
  }
  return key;
}

std::string JoinFolded(const std::vector<NameWord>& words, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (!out.empty()) out.push_back(' ');
    out += words[i].folded;
  }
  return out;
}

std::string TitleCase(const std::string& word) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(word);
  u.toLower(icu::Locale::getFrench());
  if (u.length() > 0) {
    icu::UnicodeString first(u, 0, 1);
    first.toUpper(icu::Locale::getFrench());
    u.replace(0, 1, first);
  }
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::string Lower(const std::string& word) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(word);
  u.toLower(icu::Locale::getFrench());
  std::string out;
  u.toUTF8String(out);
  return out;
}

// The name as shown: separators normalized, and words written all in capitals
// ("CLINIQUE LILLE-SUD", "groupe HOPALE") restored to "Lille-Sud", "Hopale".
// A name in capitals whose words are all short is taken for an acronym ("SOS").
std::string Display(const std::vector<NameWord>& words, size_t begin, size_t end) {
  bool caps = true, long_word = false;
  for (size_t i = begin; i < end; ++i) {
    if (words[i].particle) continue;
    caps = caps && words[i].all_caps;
    long_word = long_word || words[i].folded.size() >= 4;
  }
  bool restore = caps && long_word;
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out.push_back(words[i].separator);
    const NameWord& w = words[i];
    if (w.particle) out += Lower(w.text);
    else out += restore ? TitleCase(w.text) : w.text;
  }
  return out;
}

std::string DisplayPrep(std::string_view prep) {
  if (prep == "d") return "d'";
  if (prep == "de l") return "de l'";
  return std::string(prep);
}

// "de Valenciennes", "d'Arras", "du Mans" (Le Mans), "des Sables-d'Olonne".
std::string WithDe(const std::string& city) {
  if (city.rfind("Le ", 0) == 0) return "du " + city.substr(3);
  if (city.rfind("Les ", 0) == 0) return "des " + city.substr(4);
  std::string folded = Fold(city);
  if (!folded.empty() && std::string_view("aeiouyh").find(folded[0]) != std::string_view::npos) {
    return "d'" + city;
  }
  return "de " + city;
}

}  // namespace

bool EstablishmentResolver::Communes(std::string_view key, bool stem, long min_population,
                                     std::vector<int>* communes) const {
  const CommuneIndex& index = lex_.communes();
  communes->clear();
  for (int c : stem ? index.ByStem(key) : index.Exact(key)) {
    if (index.at(c).population >= min_population) communes->push_back(c);
  }
  return !communes->empty();
}

size_t EstablishmentResolver::CommunePrefix(const std::vector<NameWord>& name,
                                            std::string_view article, bool cut_at_hyphen,
                                            long min_population,
                                            std::vector<int>* communes) const {
  size_t longest = std::min<size_t>(name.size(), 8);
  for (size_t len = longest; len >= 1; --len) {
    if (name[len - 1].particle) continue;
    if (len < name.size()) {
      char next = name[len].separator;
      // A commune ends where the name goes on after a space: "Dax Côte d'Argent",
      // not inside "Croix-Rousse" nor before "d'Ascq".
      if (next == '\'' || (next == '-' && !cut_at_hyphen)) continue;
    }
    // After "du", "des", "de la", the commune carries the article: "du Mans" is
    // Le Mans, "du Forez" is no commune.
    std::string key = article.empty() ? JoinFolded(name, 0, len)
                                      : std::string(article) + " " + JoinFolded(name, 0, len);
    if (Communes(key, /*stem=*/false, min_population, communes)) return len;
  }
  return 0;
}

bool EstablishmentResolver::Compatible(const KindRule& kind,
                                       const KnownEstablishment& known) const {
  return kind.named_kind == "AUTRE" || kind.named_kind == known.kind;
}

std::optional<Resolution> EstablishmentResolver::Read(const Reference& ref) const {
  Resolution r;
  if (ref.known >= 0) {
    r.known = ref.known;
    r.words_used = ref.name.size();
    return r;
  }
  if (ref.kind == nullptr || ref.name.empty()) return std::nullopt;
  const KindRule& kind = *ref.kind;
  r.kind = &kind;
  r.words_used = ref.name.size();

  // A known establishment written with a kind we parsed: "CHU Dijon Bourgogne"
  // as the second item of a coordination, "Centre Hospitalier Régional de Lille".
  std::string name_key = JoinFolded(ref.name, 0, ref.name.size());
  std::string tail = (ref.prep.empty() ? "" : ref.prep + " ") + name_key;
  for (const std::string* head : {&kind.label_key, &ref.kind_written}) {
    int known = lex_.KnownByAlias(*head + " " + tail);
    if (known >= 0) {
      r.known = known;
      return r;
    }
  }

  bool bare = ref.juxtaposed && !ref.inherits_de;
  Complement mode = bare ? kind.juxtaposed : kind.after_de;
  if (mode == Complement::kNone) return std::nullopt;
  std::string article;
  if (ref.prep == "de la") article = "la";
  else if (ref.prep == "de l") article = "l";
  else article = std::string(lex_.ContractedArticle(ref.prep));

  std::vector<int> communes;
  if (ref.commune_only) {
    if (CommunePrefix(ref.name, "", false, kind.min_population, &communes) != ref.name.size()) {
      return std::nullopt;
    }
    r.communes = std::move(communes);
    return r;
  }
  if (bare) {
    if (mode == Complement::kCity) {
      // A closed list (CHU): the name must start with the seat, "CHU Dijon Bourgogne".
      size_t n = CommunePrefix(ref.name, "", /*cut_at_hyphen=*/true, kind.min_population,
                               &communes);
      if (n == 0) return std::nullopt;
      r.communes = std::move(communes);
      r.words_used = n;
      return r;
    }
    bool saint = lex_.Roles(lex_.trie().WordId(ref.name[0].folded)) & kSaint;
    if (mode == Complement::kCityOrName && !saint &&
        CommunePrefix(ref.name, "", false, kind.min_population, &communes) == ref.name.size()) {
      r.communes = std::move(communes);
      return r;
    }
    return ReadNamed(ref, std::move(r));
  }
  // After de/du/d' (or coordinated after one): a commune, possibly abridged.
  // A closed list is named by its seat: "CHRU de Brest-Carhaix" is the CHU de Brest.
  bool closed = !kind.by_city.empty() && kind.juxtaposed == Complement::kCity;
  size_t n = CommunePrefix(ref.name, article, closed, kind.min_population, &communes);
  if (n == 0 && Communes(article.empty() ? name_key : article + " " + name_key, /*stem=*/true,
                         kind.min_population, &communes)) {
    n = ref.name.size();  // "Boulogne" for Boulogne-sur-Mer
  }
  // "les hôpitaux du Finistère", "les centres hospitaliers de Bretagne": a
  // plural kind over a département or a région speaks of its hospitals, of
  // no establishment, unless a town bears the name ("les hôpitaux de Vienne").
  if (kind.number == KindRule::Number::kPlural && n == ref.name.size() && lex_.communes().IsArea(name_key)) {
    constexpr long kTown = 10000;
    bool town = std::any_of(communes.begin(), communes.end(),
                            [&](int c) { return lex_.communes().at(c).population >= kTown; });
    if (!town) return std::nullopt;
  }
  if (n == 0 && kind.number == KindRule::Number::kPlural && lex_.communes().IsArea(name_key)) return std::nullopt;
  if (n > 0) {
    r.communes = std::move(communes);
    r.words_used = n;
    return r;
  }
  if (mode == Complement::kCity) return std::nullopt;
  return ReadNamed(ref, std::move(r));
}

std::optional<Resolution> EstablishmentResolver::ReadNamed(const Reference& ref,
                                                           Resolution r) const {
  const std::vector<NameWord>& name = ref.name;
  size_t proper = 0, caps = 0;
  for (const NameWord& w : name) {
    uint16_t roles = lex_.Roles(lex_.trie().WordId(w.folded));
    if (w.particle || (roles & (kInner | kArticle | kPrep))) continue;
    ++proper;
    if (w.all_caps) ++caps;
  }
  if (proper == 0) return std::nullopt;  // "Le", "La": an article is not a name
  // In a heading written in capitals, words after a kind are not a name.
  // Unless the capitals stop right after the name ("CLINIQUE LILLE-SUD renforce").
  bool shouting = ref.kind_shouting || (proper >= 2 && caps == proper);
  if (shouting && !ref.lowercase_after) return std::nullopt;
  if (lex_.IsNonName(JoinFolded(name, 0, name.size()))) return std::nullopt;

  // "Compiègne-Noyon", "Moulins-Yzeure": two communes joined name the
  // hospital of both, which stands in the first. Not a saint's name
  // ("Saint-Joseph-Saint-Luc"), which communes bear too.
  auto saint = [&](const NameWord& w) { return (lex_.Roles(lex_.trie().WordId(w.folded)) & kSaint) != 0; };
  for (size_t p = 1; p < name.size() && ref.kind != nullptr && !saint(name[0]); ++p) {
    if (name[p].separator != '-') continue;
    std::vector<NameWord> head(name.begin(), name.begin() + p), tail(name.begin() + p, name.end());
    std::vector<int> first, second;
    if (CommunePrefix(head, "", false, ref.kind->min_population, &first) == head.size() &&
        CommunePrefix(tail, "", false, 0, &second) == tail.size()) {
      r.communes = std::move(first);
      break;
    }
  }
  // A trailing "de Talant" that is a commune locates the establishment.
  size_t end = name.size();
  for (size_t p = name.size() >= 3 ? name.size() - 2 : 0; p >= 1; --p) {
    if (!name[p].particle || !(lex_.Roles(lex_.trie().WordId(name[p].folded)) & kPrep)) continue;
    // "Pays d'Argentan": the place noun keeps "d'Argentan" in the name, and the
    // commune it names still locates the hospital.
    const bool place_noun = lex_.Roles(lex_.trie().WordId(name[p - 1].folded)) & kPlace;
    std::vector<NameWord> tail(name.begin() + p + 1, name.end());
    std::vector<int> communes;
    std::string article(lex_.ContractedArticle(name[p].folded));
    if (CommunePrefix(tail, article, false, ref.kind->min_population, &communes) ==
        tail.size()) {
      r.communes = std::move(communes);
      if (!place_noun) end = p;
    }
    break;
  }
  int known = lex_.KnownByCore(JoinFolded(name, 0, end));
  if (known >= 0 && Compatible(*ref.kind, lex_.known(known))) {
    r.known = known;
    return r;
  }
  r.named = true;
  r.name = Display(name, 0, end);
  r.prep = ref.juxtaposed ? "" : DisplayPrep(ref.prep);
  return r;
}

bool EstablishmentResolver::Locate(const std::vector<NameWord>& place, Resolution& r) const {
  if (!r.named || !r.communes.empty() || r.kind == nullptr || place.empty()) return false;
  std::vector<int> communes;
  if (CommunePrefix(place, "", false, r.kind->min_population, &communes) != place.size()) {
    return false;
  }
  r.communes = std::move(communes);
  return true;
}

std::string EstablishmentResolver::CommuneName(const std::vector<NameWord>& place) const {
  std::vector<int> communes;
  if (place.empty() || CommunePrefix(place, "", false, 0, &communes) != place.size()) return "";
  return lex_.communes().at(communes.front()).name;
}

void EstablishmentResolver::Vote(const Resolution& r, RegionVotes& votes) const {
  const CommuneIndex& index = lex_.communes();
  if (r.known >= 0) {
    const std::vector<int>& c = lex_.known(r.known).communes;
    if (!c.empty()) votes.Add(index.at(index.Best(c, RegionVotes())).region);
  } else if (r.communes.size() == 1) {
    votes.Add(index.at(r.communes[0]).region);
  }
}

void EstablishmentResolver::SetCity(Establishment& e, int commune) const {
  const CommuneIndex::Commune& c = lex_.communes().at(commune);
  e.city = c.name;
  e.departement = c.departement;
  e.region = c.region;
}

Establishment EstablishmentResolver::FromKnown(int known, const RegionVotes& votes) const {
  const KnownEstablishment& k = lex_.known(known);
  Establishment e{k.key, k.name, k.kind, k.city, "", ""};
  const CommuneIndex& index = lex_.communes();
  const std::vector<int>& c = k.communes;
  if (!c.empty()) {
    const CommuneIndex::Commune& commune = index.at(index.Best(c, votes));
    e.departement = commune.departement;
    e.region = commune.region;
  }
  return e;
}

Establishment EstablishmentResolver::Finish(const Resolution& r, const RegionVotes& votes) const {
  if (r.known >= 0) return FromKnown(r.known, votes);
  const KindRule& kind = *r.kind;
  int commune = r.communes.empty() ? -1 : lex_.communes().Best(r.communes, votes);
  Establishment e;
  if (!r.named) {
    const std::string& city = lex_.communes().at(commune).name;
    for (const std::string& known_kind : kind.by_city) {
      int known = lex_.KnownByCity(known_kind, WordKey(city));
      if (known >= 0) return FromKnown(known, votes);
    }
    e.kind = kind.kind;
    e.key = kind.key + ":" + Slug(city);
    e.name = kind.label + " " + WithDe(city);
  } else {
    e.kind = kind.named_kind;
    e.key = kind.named_key + ":" + Slug(r.name);
    std::string prep = r.prep;
    if (!prep.empty() && prep.back() != '\'') prep.push_back(' ');
    e.name = kind.named_label + " " + prep + r.name;
  }
  if (commune >= 0) SetCity(e, commune);
  return e;
}

}  // namespace coopkb
