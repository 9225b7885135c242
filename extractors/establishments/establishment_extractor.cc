#include "extractors/establishments/establishment_extractor.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <unordered_map>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "extractors/establishments/word_tokens.h"
#include "pipeline/fold.h"

namespace coopkb {
namespace {

// One written reference, the words it covers and what it resolves to.
struct ParsedItem {
  size_t span_begin = 0;  // first word of the mention (the kind phrase for a first item)
  size_t name_begin = 0, name_end = 0;
  Reference ref;
  std::optional<Resolution> resolution;  // nullopt: a generic phrase, no establishment
};

// Reads the references of one document, left to right. At each word that
// starts a lexicon phrase, the longest of three readings wins: a blocker (a
// body that is not an establishment: skipped), a known name, or a kind phrase
// with its complement and coordinated items, provided its first item names an
// establishment ("CHU Félix Guyon de Saint-Denis" is not a CHU of a commune
// named Félix, so the known "CHU Félix Guyon" is read instead).
class Parser {
 public:
  Parser(const EstablishmentLexicon& lex, const EstablishmentResolver& resolver,
         const WordTokens& words, std::vector<Span> specialties)
      : lex_(lex),
        resolver_(resolver),
        w_(words),
        ids_(lex.trie().Lookup(words)),
        specialties_(std::move(specialties)) {}

  std::vector<ParsedItem> Run() {
    std::vector<ParsedItem> items;
    size_t i = 0;
    const KindRule* last_kind = nullptr;  // of the last establishment read by its kind
    size_t last_kind_end = 0;             // the word after it
    // The same for the last kind written in the plural or with several
    // items ("les centres hospitaliers de Blois et de Vendôme").
    const KindRule* last_plural_kind = nullptr;
    size_t last_plural_end = 0;
    while (i < w_.size()) {
      // "ceux", "celles" stand for a plural: in "le CHU de Tours prend en
      // charge les CH de Blois et de Vendôme ; le CHR d'Orléans ceux de
      // Montargis", ceux are centres hospitaliers, not CHR.
      const KindRule* pronoun_kind = nullptr;
      if (IsDemonstrative(i)) {
        if (IsPluralDemonstrative(i) && last_plural_kind != nullptr && SameSentence(last_plural_end, i)) {
          pronoun_kind = last_plural_kind;
        } else if (last_kind != nullptr && SameClause(last_kind_end, i)) {
          pronoun_kind = last_kind;
        }
      }
      if (pronoun_kind != nullptr) {
        // "le CH de Vannes ainsi que celui de Lorient", "ceux de Lorient et de
        // Pontivy": the pronoun stands for the kind, with its coordinated items.
        std::vector<ParsedItem> more;
        size_t end = ParseKind(i, i + 1, *pronoun_kind, &more);
        bool communes = end > 0 && !more.empty() && !more[0].ref.juxtaposed;
        for (ParsedItem& item : more) {
          item.resolution = resolver_.Read(item.ref);
          communes = communes && item.resolution && !item.resolution->named;
        }
        if (communes) {
          for (auto& item : more) items.push_back(std::move(item));
          last_kind = pronoun_kind;
          i = last_kind_end = end;
          continue;
        }
      }
      if (!lex_.trie().StartsPhrase(ids_[i])) {
        ++i;
        continue;
      }
      int kind = -1, known = -1;
      size_t kind_end = 0, known_end = 0, blocker_end = 0;
      lex_.trie().MatchAt(w_, ids_, i, [&](int payload, size_t end) {
        int index = EstablishmentLexicon::IndexOf(payload);
        switch (EstablishmentLexicon::TypeOf(payload)) {
          case PhraseType::kKind:
            if (end > kind_end) kind = index, kind_end = end;
            break;
          case PhraseType::kKnown:
            if (end > known_end) known = index, known_end = end;
            break;
          case PhraseType::kBlocker:
            blocker_end = std::max(blocker_end, end);
            break;
        }
      });
      if (blocker_end > std::max(kind_end, known_end)) {
        i = blocker_end;
        continue;
      }
      std::vector<ParsedItem> generic;
      size_t generic_end = kind >= 0 ? ParseKind(i, kind_end, lex_.kind(kind), &generic) : 0;
      bool names_any = false;
      for (ParsedItem& item : generic) {
        item.resolution = resolver_.Read(item.ref);
        ReadApposition(item);
        names_any = names_any || item.resolution.has_value();
      }
      if (generic_end > known_end && names_any && (known < 0 || generic[0].resolution)) {
        last_kind = generic[0].ref.kind;
        last_kind_end = generic_end;
        if (generic.size() > 1 || last_kind->number == KindRule::Number::kPlural) {
          last_plural_kind = last_kind;
          last_plural_end = generic_end;
        }
        for (auto& item : generic) items.push_back(std::move(item));
        i = generic_end;
      } else if (known >= 0) {
        // "le CHU de Rennes et celui de Brest": a known name written with its kind.
        last_kind = kind >= 0 ? &lex_.kind(kind) : nullptr;
        last_kind_end = known_end;
        ParsedItem item;
        item.span_begin = item.name_begin = i;
        item.name_end = known_end;
        item.ref.known = known;
        AddNameWords(item);
        item.resolution = resolver_.Read(item.ref);
        items.push_back(std::move(item));
        i = known_end;
      } else {
        if (kind >= 0 && generic.empty() && BareAcronym(i, kind_end, lex_.kind(kind))) {
          const KindRule& rule = lex_.kind(kind);
          std::string generic_key = rule.kind;
          std::transform(generic_key.begin(), generic_key.end(), generic_key.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
          bare_acronyms_.push_back({w_.Original(i, kind_end), rule.kind, rule.key == generic_key ? "" : rule.key});
        }
        ++i;
      }
    }
    return items;
  }

  // "le CHU", "au CHIC", "du CH" without a complement, in text order, with the
  // kind their acronym names.
  struct BareAcronymMention {
    Span span;
    std::string kind;
    // The key prefix of a narrower kind ("chi" for "le CHIC"), which the
    // establishment meant must bear; empty for the kind as a whole ("le CH").
    std::string narrow_key;
  };
  const std::vector<BareAcronymMention>& bare_acronyms() const { return bare_acronyms_; }

 private:
  Gap gap(size_t i) const { return w_.gap_before(i); }
  uint16_t roles(size_t i) const { return lex_.Roles(ids_[i]); }

  bool StartsKind(size_t i) const {
    if (!lex_.trie().StartsPhrase(ids_[i])) return false;
    bool kind = false;
    lex_.trie().MatchAt(w_, ids_, i, [&](int payload, size_t) {
      kind = kind || EstablishmentLexicon::TypeOf(payload) != PhraseType::kKnown;
    });
    return kind;
  }

  // Words from `from` to `to` are few and within one sentence: a pronoun's
  // antecedent is near it.
  bool SameClause(size_t from, size_t to) const {
    constexpr size_t kMaxWords = 12;
    if (to < from || to - from > kMaxWords) return false;
    for (size_t k = from; k <= to && k < w_.size(); ++k) {
      if (gap(k) == Gap::kHard || gap(k) == Gap::kBreak) return false;
    }
    return true;
  }

  // Within one sentence (a semicolon or a comma may stand between) and a
  // few words: the antecedent of a plural pronoun.
  bool SameSentence(size_t from, size_t to) const {
    constexpr size_t kMaxWords = 24;
    if (to < from || to - from > kMaxWords) return false;
    for (size_t k = from; k <= to && k < w_.size(); ++k) {
      if (gap(k) == Gap::kBreak) return false;
      if (gap(k) == Gap::kHard && w_.gap_text(k).find_first_of(".!?") != std::string_view::npos) return false;
    }
    return true;
  }

  bool IsPluralDemonstrative(size_t i) const {
    std::string_view f = w_.folded(i);
    return f == "ceux" || f == "celles";
  }

  // "celui", "celle", "ceux", "celles" before "de"/"d'".
  bool IsDemonstrative(size_t i) const {
    std::string_view f = w_.folded(i);
    return (f == "celui" || f == "celle" || f == "ceux" || f == "celles") && i + 1 < w_.size() &&
           gap(i + 1) == Gap::kSpace && (roles(i + 1) & kPrep);
  }

  // A text that has named its CHU (its CH, its CHI) then writes "le CHU",
  // "au CHIC": the acronym alone after a singular article or its contraction.
  // So does a kind of several words in the singular: "C'est avec le centre
  // hospitalier que le centre régional de lutte contre le cancer a signé"
  // (not "l'hôpital", "la clinique": one word, as often the place as the body).
  bool BareAcronym(size_t i, size_t kind_end, const KindRule& rule) const {
    if (i == 0 || kind_end <= i) return false;
    const bool acronym = rule.acronym && kind_end == i + 1;
    const bool phrase = !rule.acronym && rule.number == KindRule::Number::kSingular && kind_end >= i + 2;
    if (!acronym && !phrase) return false;
    if (gap(i) != Gap::kSpace) return false;
    // "le centre hospitalier Xyz": a name, though not one the lexicons read.
    if (phrase && kind_end < w_.size() && gap(kind_end) == Gap::kSpace && w_.Capitalized(kind_end)) return false;
    std::string_view before = w_.folded(i - 1);
    return before == "le" || before == "du" || before == "au";
  }

  // Inside a specialty mention: "Clinique de Chirurgie Cardiaque" names a service.
  bool InSpecialty(size_t i) const {
    Span s = w_.Original(i);
    auto it = std::upper_bound(specialties_.begin(), specialties_.end(), s.begin,
                               [](size_t pos, const Span& m) { return pos < m.begin; });
    if (it != specialties_.begin() && std::prev(it)->end > s.begin) return true;
    return it != specialties_.end() && it->begin < s.end;
  }

  bool IsNameWord(size_t i) const {
    return w_.Capitalized(i) && w_.Alphabetic(i) && !(roles(i) & kConj) && !StartsKind(i) &&
           !InSpecialty(i);
  }

  // A proper name from word `begin`: capitalised words, joined by hyphens, or
  // by lower-case inner words before a capitalised one ("Boulogne sur Mer",
  // "Villeneuve d'Ascq", "Bénigne Joly de Talant"). Returns its end.
  // "l'Ouest guyanais", "Sud francilien", "Nord vendéen": a point of the
  // compass in a name takes the adjective of its region, written in lower case.
  bool RegionAdjectiveAfterCompass(size_t i) const {
    if (i == 0 || w_.Capitalized(i) || !w_.Capitalized(i - 1) || !w_.Alphabetic(i)) return false;
    std::string_view compass = w_.folded(i - 1);
    // Not "Centre": "Centre régional", "Centre médical" are kinds, not places.
    if (compass != "nord" && compass != "sud" && compass != "est" && compass != "ouest") return false;
    std::string_view word = w_.folded(i);
    if (word.size() < 5) return false;
    for (std::string_view ending : {"ais", "aise", "ien", "ienne", "een", "eenne", "ois", "oise", "in", "ine"}) {
      if (word.ends_with(ending)) return true;
    }
    return false;
  }

  size_t ParseName(size_t begin) const {
    const size_t n = w_.size();
    if (begin >= n || !IsNameWord(begin) || (roles(begin) & kNotFirstName)) return begin;
    size_t end = begin + 1;
    while (end < n && end - begin < 10) {
      Gap g = gap(end);
      if (g == Gap::kHyphen && w_.Alphabetic(end)) {
        ++end;
        continue;
      }
      if (g != Gap::kSpace && g != Gap::kApostrophe) break;
      if (IsNameWord(end)) {
        ++end;
        continue;
      }
      if (g == Gap::kSpace && RegionAdjectiveAfterCompass(end)) {
        ++end;
        continue;
      }
      if (g == Gap::kSpace && (roles(end) & kInner) && !w_.Capitalized(end)) {
        size_t q = end + 1;
        if (q < n && (gap(q) == Gap::kSpace || gap(q) == Gap::kApostrophe) &&
            (roles(q) & kInner) && !w_.Capitalized(q)) {
          ++q;  // "de la", "de l'"
        }
        if (q < n && (gap(q) == Gap::kSpace || gap(q) == Gap::kApostrophe) && IsNameWord(q)) {
          end = q + 1;
          continue;
        }
      }
      break;
    }
    return end;
  }

  // The press places a named establishment by its commune right after it: "le
  // centre hospitalier Bretagne Atlantique, à Vannes, et ...", "la Polyclinique
  // du Parc Drevon à Dijon", "l'Hôpital privé Jacques Cartier (Massy)".
  void ReadApposition(ParsedItem& item) const {
    if (!item.resolution || !item.resolution->named) return;
    size_t k = item.name_end;
    if (k >= w_.size()) return;
    size_t place_begin;
    bool parenthesis = w_.gap_text(k) == " (";
    if (parenthesis) {
      place_begin = k;
    } else if ((gap(k) == Gap::kComma || gap(k) == Gap::kSpace) && w_.folded(k) == "a" &&
               !w_.Capitalized(k) && k + 1 < w_.size() && gap(k + 1) == Gap::kSpace) {
      place_begin = k + 1;
    } else {
      return;
    }
    ParsedItem place;
    place.name_begin = place_begin;
    place.name_end = ParseName(place_begin);
    if (place.name_end == place.name_begin) return;
    if (parenthesis && (place.name_end >= w_.size() || w_.gap_text(place.name_end).substr(0, 1) != ")")) {
      return;
    }
    AddNameWords(place);
    resolver_.Locate(place.ref.name, *item.resolution);
  }

  void AddNameWords(ParsedItem& item) const {
    if (item.name_end > item.name_begin) item.ref.name.reserve(item.ref.name.size() + (item.name_end - item.name_begin));
    for (size_t k = item.name_begin; k < item.name_end; ++k) {
      NameWord word;
      word.text = std::string(w_.OriginalText(k));
      word.folded = std::string(w_.folded(k));
      Gap g = gap(k);
      word.separator = g == Gap::kHyphen ? '-' : g == Gap::kApostrophe ? '\'' : ' ';
      word.particle = (roles(k) & (kInner | kPrep | kArticle)) && !w_.Capitalized(k);
      word.all_caps = w_.AllCaps(k);
      item.ref.name.push_back(std::move(word));
    }
  }

  // A complement at word `j`: an optional preposition ("de", "d'", "du", "des",
  // "de la", "de l'") and a name.
  std::optional<ParsedItem> ParseItem(size_t j, const KindRule& rule, bool allow_bare,
                                      bool inherits_de) const {
    const size_t n = w_.size();
    if (j >= n) return std::nullopt;
    ParsedItem item;
    item.span_begin = j;
    Reference& ref = item.ref;
    ref.kind = &rule;
    size_t k = j;
    if (roles(k) & kPrep) {
      std::string_view prep = w_.folded(k);
      ref.prep = std::string(prep);
      ++k;
      if (k >= n) return std::nullopt;
      if (prep == "de" && (roles(k) & kArticle) && !w_.Capitalized(k) && gap(k) == Gap::kSpace) {
        ref.prep += " " + std::string(w_.folded(k));  // "de la", "de l"
        ++k;
        if (k >= n) return std::nullopt;
      }
      bool elided = ref.prep == "d" || ref.prep == "de l";
      if (gap(k) != (elided ? Gap::kApostrophe : Gap::kSpace)) return std::nullopt;
    } else {
      if (!allow_bare) return std::nullopt;
      ref.juxtaposed = true;
      ref.inherits_de = inherits_de;
    }
    size_t end = ParseName(k);
    if (end == k) return std::nullopt;
    item.name_begin = k;
    item.name_end = end;
    // "La CLINIQUE DIACONAT-FONDERIE, établissement ...": the capitals stop at the name.
    ref.lowercase_after =
        end < n && (gap(end) == Gap::kSpace || gap(end) == Gap::kComma) && !w_.Capitalized(end);
    AddNameWords(item);
    return item;
  }

  // "le CHU rouennais", "l'hôpital dieppois": a demonym in lower case right
  // after a kind that a commune complements is "de" that commune, when it
  // names one commune only, and the article is definite: "un hôpital
  // parisien" is any. Not after a clinic: "la clinique rouennaise" is some
  // clinic of Rouen, not one the text names.
  std::optional<ParsedItem> DemonymItem(size_t begin, size_t j, const KindRule& rule) const {
    if (j >= w_.size() || gap(j) != Gap::kSpace || w_.Capitalized(j) || begin == 0) return std::nullopt;
    if (rule.juxtaposed == Complement::kName && rule.by_city.empty()) return std::nullopt;
    std::string_view article = w_.folded(begin - 1);
    if (article != "le" && article != "la" && article != "l" && article != "du" && article != "au") return std::nullopt;
    const std::vector<std::string>* communes = lex_.demonyms().CommunesOf(w_.folded(j));
    if (communes == nullptr || communes->size() != 1) return std::nullopt;
    ParsedItem item;
    item.span_begin = begin;
    item.name_begin = j;
    item.name_end = j + 1;
    item.ref.kind = &rule;
    item.ref.prep = "de";
    item.ref.commune_only = true;
    const std::string& commune = communes->front();
    char separator = ' ';
    for (size_t at = 0; at < commune.size();) {
      size_t stop = commune.find_first_of(" -'", at);
      if (stop == std::string::npos) stop = commune.size();
      if (stop > at) {
        NameWord word;
        word.text = commune.substr(at, stop - at);
        word.folded = Fold(word.text);
        word.separator = separator;
        word.particle = (lex_.Roles(lex_.trie().WordId(word.folded)) & (kInner | kPrep | kArticle)) &&
                        !word.text.empty() && word.text[0] >= 'a' && word.text[0] <= 'z';
        item.ref.name.push_back(std::move(word));
      }
      separator = stop < commune.size() ? commune[stop] : ' ';
      at = stop + 1;
    }
    return item;
  }

  // "centre hospitalier de l'agglomération de Nevers", "du bassin de Thau":
  // a noun of place in lower case between a kind and "de" + a capitalised
  // name is the area the hospital serves, and the hospital is the one of
  // that commune. Returns the word where that "de" stands, or `j`. Written
  // with a capital ("du Pays d'Aix"), the place is the name: `j`.
  size_t AfterLowercasePlace(size_t j) const {
    const size_t n = w_.size();
    if (j >= n || gap(j) != Gap::kSpace || !(roles(j) & kPrep)) return j;
    size_t k = j + 1;
    if (w_.folded(j) == "de" && k < n && (roles(k) & kArticle) && !w_.Capitalized(k)) ++k;
    if (k >= n || (gap(k) != Gap::kSpace && gap(k) != Gap::kApostrophe)) return j;
    if (!(roles(k) & kPlace) || w_.Capitalized(k)) return j;
    size_t de = k + 1;
    if (de + 1 >= n || gap(de) != Gap::kSpace || !(roles(de) & kPrep) || !w_.Capitalized(de + 1)) return j;
    return de;
  }

  // A kind phrase [begin, kind_end) and what follows it. Returns the end of
  // the last item, 0 when the kind has no complement.
  size_t ParseKind(size_t begin, size_t kind_end, const KindRule& rule,
                   std::vector<ParsedItem>* out) const {
    const size_t n = w_.size();
    bool plural = rule.number == KindRule::Number::kPlural;
    if (rule.number == KindRule::Number::kAny && begin > 0 && IsSoftGap(gap(begin))) {
      std::string_view before = w_.folded(begin - 1);
      plural = (roles(begin - 1) & kPlural) ||
               std::all_of(before.begin(), before.end(), [](char c) { return c >= '0' && c <= '9'; });
    }
    bool shouting = !rule.acronym;
    std::string written;
    for (size_t k = begin; k < kind_end; ++k) {
      shouting = shouting && w_.AllCaps(k);
      if (!written.empty()) written.push_back(' ');
      written.append(w_.folded(k));
    }
    size_t j = kind_end;
    while (j < n && gap(j) == Gap::kSpace && (roles(j) & kQualifier)) ++j;
    if (!plural) {
      if (auto item = DemonymItem(begin, j, rule)) {
        out->push_back(std::move(*item));
        for (ParsedItem& it : *out) {
          it.ref.kind_written = written;
          it.ref.kind_shouting = shouting;
        }
        return j + 1;
      }
    }
    // "Centre Hospitalier Régional Universitaire (CHRU) de Lille": skip the acronym.
    bool acronym = j + 1 < n && w_.gap_text(j) == " (" && w_.gap_text(j + 1) == ") " &&
                   w_.AllCaps(j);
    if (acronym) ++j;
    j = AfterLowercasePlace(j);
    if (j >= n || (!acronym && gap(j) != Gap::kSpace)) return 0;
    auto first = ParseItem(j, rule, /*allow_bare=*/true, /*inherits_de=*/false);
    if (!first) return 0;
    first->span_begin = begin;
    const bool after_de = !first->ref.juxtaposed;
    size_t end = first->name_end;
    out->push_back(std::move(*first));
    // Coordinated items: ", Boulogne", " et de Dijon", ", du Gier et Le Corbusier".
    while (end < n) {
      Gap g = gap(end);
      size_t k = end;
      bool last = false;
      if ((g == Gap::kSpace || g == Gap::kComma) && (roles(end) & kConj) && !w_.Capitalized(end)) {
        last = true;
        k = end + 1;
        if (k >= n || gap(k) != Gap::kSpace) break;
      } else if (g != Gap::kComma) {
        break;
      }
      auto item = ParseItem(k, rule, /*allow_bare=*/true, /*inherits_de=*/after_de);
      if (!item) break;
      // A singular kind coordinates a complement only when it is a commune:
      // "le CHU de Besançon et Dijon", not "le CH de Lens et Liévin Métropole",
      // nor the region of "le centre de lutte contre le cancer de Bordeaux et
      // de la Nouvelle-Aquitaine", nor "le CH de Mont-de-Marsan et du Pays des Sources".
      item->ref.commune_only = !plural;
      end = item->name_end;
      out->push_back(std::move(*item));
      if (last) break;
    }
    for (ParsedItem& item : *out) {
      item.ref.kind_written = written;
      item.ref.kind_shouting = shouting;
    }
    return end;
  }

  const EstablishmentLexicon& lex_;
  const EstablishmentResolver& resolver_;
  const WordTokens& w_;
  std::vector<int32_t> ids_;
  std::vector<Span> specialties_;
  std::vector<BareAcronymMention> bare_acronyms_;
};

}  // namespace

// The commune a paragraph opens with in capitals, as regional papers date their
// articles: "DINAN. Le ...", "SAINT-BRIEUC – Le ...". Only the first paragraphs.
std::string EstablishmentExtractor::DatelineCity(const WordTokens& w) const {
  constexpr size_t kParagraphs = 4;
  size_t paragraphs = 0;
  for (size_t i = 0; i < w.size() && paragraphs < kParagraphs; ++i) {
    if (i > 0 && w.gap_before(i) != Gap::kBreak) continue;
    ++paragraphs;
    size_t end = i;
    while (end < w.size() && w.AllCaps(end) && w.Alphabetic(end) &&
           (end == i || w.gap_before(end) == Gap::kHyphen || w.gap_before(end) == Gap::kApostrophe)) {
      ++end;
    }
    if (end == i || end >= w.size()) continue;
    std::string_view after = w.gap_text(end);
    if (after.empty() || (after[0] != '.' && after[0] != '-' && after.find(" - ") != 0)) continue;
    std::vector<NameWord> place;
    for (size_t k = i; k < end; ++k) {
      NameWord word;
      word.text = std::string(w.OriginalText(k));
      word.folded = std::string(w.folded(k));
      Gap g = w.gap_before(k);
      word.separator = g == Gap::kHyphen ? '-' : g == Gap::kApostrophe ? '\'' : ' ';
      word.all_caps = true;
      place.push_back(std::move(word));
    }
    std::string city = resolver_.CommuneName(place);
    if (!city.empty()) return city;
  }
  return "";
}

namespace {

// Identifies a resolution: equal signatures finish to the same establishment.
std::string Signature(const Resolution& r) {
  if (r.known >= 0) return std::string("#").append(std::to_string(r.known));
  // Appended piece by piece, without the temporary strings of operator+.
  std::string s = std::to_string(reinterpret_cast<uintptr_t>(r.kind));
  s.reserve(s.size() + 6 + r.prep.size() + r.name.size() + 8 * r.communes.size());
  s += r.named ? "|n|" : "|c|";
  s.append(r.prep).append("|").append(r.name).append("|");
  for (int c : r.communes) s.append(std::to_string(c)).append(",");
  return s;
}

// The city of `ch_by_city` whose first words `name` ends with, when exactly
// one does: "CH d'Oloron" for Oloron-Sainte-Marie, "CH de Châlons" for
// Châlons-en-Champagne, the short form the press uses for a long commune.
std::optional<size_t> ShortCommuneOf(const std::string& name,
                                     const std::map<std::string, std::optional<size_t>>& ch_by_city) {
  std::string folded_name = Fold(name);
  std::optional<size_t> found;
  for (const auto& [city, reading] : ch_by_city) {
    if (!reading) continue;
    std::string folded_city = Fold(city);
    for (size_t dash = folded_city.find('-'); dash != std::string::npos; dash = folded_city.find('-', dash + 1)) {
      std::string_view head = std::string_view(folded_city).substr(0, dash);
      // "Saint", "Le", "Port": first words that many communes share say nothing alone.
      if (head.size() < 5 || head == "saint" || head == "sainte") continue;
      if (folded_name.size() > head.size() &&
          folded_name.compare(folded_name.size() - head.size(), head.size(), head) == 0) {
        char before = folded_name[folded_name.size() - head.size() - 1];
        if (before != ' ' && before != '\'') continue;
        if (found && *found != *reading) return std::nullopt;
        found = *reading;
      }
    }
  }
  return found;
}

// Whether the mention at `b` is an apposition to the one at `a` before it:
// `b` starts in lower case with a word other than de/du/des, and is either
// after a comma (and perhaps an acronym in brackets, "(CHHL),") and before a
// comma, a semicolon, a full stop or a closing bracket, or alone in brackets.
bool IsApposition(std::string_view text, Span a, Span b) {
  if (b.begin <= a.end || b.end > text.size()) return false;
  std::string_view between = text.substr(a.end, b.begin - a.end);
  size_t i = 0;
  auto skip_spaces = [&]() {
    while (i < between.size() && (between[i] == ' ' || between[i] == '\t')) ++i;
  };
  skip_spaces();
  // "le CH de Loches (hôpital Paul Martinais)": the name in brackets.
  const bool bracketed = i + 1 == between.size() && between[i] == '(';
  if (!bracketed) {
    if (i < between.size() && between[i] == '(') {
      size_t close = between.find(')', i);
      if (close == std::string_view::npos || close - i > 20) return false;
      i = close + 1;
      skip_spaces();
    }
    if (i >= between.size() || between[i] != ',') return false;
    ++i;
    skip_spaces();
    if (i != between.size()) return false;
  }
  const auto first = static_cast<unsigned char>(text[b.begin]);
  const bool lower = (first >= 'a' && first <= 'z') ||
                     (first == 0xC3 && b.begin + 1 < text.size() && static_cast<unsigned char>(text[b.begin + 1]) >= 0xA0);
  if (!lower) return false;
  // "Les CH d'Arras, de Lens, Béthune et Douai": a place coordinated with the
  // one before, not a kind.
  std::string_view head = text.substr(b.begin, std::min<size_t>(b.end - b.begin, 4));
  for (std::string_view prep : {"de ", "d'", "d\u2019", "du ", "des "}) {
    if (head.starts_with(prep)) return false;
  }
  size_t after = b.end;
  while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
  if (after >= text.size()) return false;
  if (bracketed) return text[after] == ')';
  return text[after] == ',' || text[after] == ';' || text[after] == '.' || text[after] == ')';
}

// A mention of doc.establishments[entity] at `span`.
void AddMention(Document& doc, Span span, int entity) {
  Mention m;
  m.kind = MentionKind::kEstablishment;
  m.span = span;
  m.value = doc.establishments[entity].name;
  m.entity = entity;
  doc.mentions.push_back(std::move(m));
}

// The acronym a text gives in parentheses right after a name ("... de Nevers
// (CHAN)"): two to ten capitals, digits or hyphens, starting with a capital.
std::string_view AcronymAfter(std::string_view text, Span name) {
  if (text.substr(name.end, 2) != " (") return {};
  const size_t begin = name.end + 2;
  size_t end = begin, capitals = 0;
  while (end < text.size() && end - begin <= 10) {
    char c = text[end];
    if (c >= 'A' && c <= 'Z') ++capitals;
    else if (!((c >= '0' && c <= '9') || c == '-')) break;
    ++end;
  }
  if (end >= text.size() || text[end] != ')' || capitals < 2 || text[begin] < 'A' || text[begin] > 'Z') return {};
  return text.substr(begin, end - begin);
}

// Whether text[begin, end) is a whole word: no letter or digit touches it.
bool WholeWord(std::string_view text, size_t begin, size_t end) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  if (begin > 0) {
    int32_t i = static_cast<int32_t>(begin);
    UChar32 c;
    U8_PREV(p, 0, i, c);
    if (c >= 0 && u_isalnum(c)) return false;
  }
  if (end < text.size()) {
    int32_t i = static_cast<int32_t>(end);
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c >= 0 && u_isalnum(c)) return false;
  }
  return true;
}

// "le centre hospitalier de l'agglomération de Nevers (CHAN) ... le CHAN": an
// acronym the text defines after an establishment's name stands for it
// wherever the text writes it again, in capitals. Acronyms the lexicons read
// already (a kind such as "CHU", a known alias such as "HUS") are theirs, and
// an acronym given for two establishments stands for neither.
void AddDefinedAcronyms(Document& doc, const EstablishmentLexicon& lexicon) {
  std::map<std::string_view, int> defined;  // acronym -> entity, -1 when ambiguous
  std::vector<Span> named;
  for (const Mention& m : doc.mentions) {
    if (m.kind != MentionKind::kEstablishment || m.entity < 0) continue;
    named.push_back(m.span);
    std::string_view acronym = AcronymAfter(doc.text, m.span);
    if (acronym.empty() || lexicon.KnownByAlias(WordKey(acronym)) >= 0 || lexicon.IsKindAcronym(acronym)) continue;
    auto [it, inserted] = defined.emplace(acronym, m.entity);
    if (!inserted && it->second != m.entity) it->second = -1;
  }
  if (defined.empty()) return;
  std::sort(named.begin(), named.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  auto inside_name = [&](size_t begin, size_t end) {
    auto it = std::upper_bound(named.begin(), named.end(), begin, [](size_t pos, const Span& s) { return pos < s.begin; });
    if (it != named.begin() && std::prev(it)->end > begin) return true;
    return it != named.end() && it->begin < end;
  };
  for (const auto& [acronym, entity] : defined) {
    if (entity < 0) continue;
    for (size_t at = doc.text.find(acronym); at != std::string::npos; at = doc.text.find(acronym, at + 1)) {
      const size_t end = at + acronym.size();
      if (!WholeWord(doc.text, at, end) || inside_name(at, end)) continue;
      // The definition itself, "(CHAN)", is part of the name it follows.
      if (at >= 3 && doc.text.compare(at - 2, 2, " (") == 0 && end < doc.text.size() && doc.text[end] == ')' &&
          inside_name(at - 3, at - 2)) {
        continue;
      }
      AddMention(doc, {at, end}, entity);
    }
  }
}

// The one city of `ch_by_city` that starts with `city` and a hyphen.
std::optional<size_t> LongerCommuneOf(const std::string& city,
                                      const std::map<std::string, std::optional<size_t>>& ch_by_city) {
  std::string head = Fold(city) + "-";
  std::optional<size_t> found;
  for (const auto& [other, reading] : ch_by_city) {
    if (!reading || Fold(other).rfind(head, 0) != 0) continue;
    if (found) return std::nullopt;
    found = *reading;
  }
  return found;
}

}  // namespace

Result<std::unique_ptr<Extractor>> EstablishmentExtractor::Create(const Lexicons& lexicons) {
  auto lexicon = EstablishmentLexicon::Create(lexicons);
  if (!lexicon.ok()) return lexicon.status();
  return std::unique_ptr<Extractor>(new EstablishmentExtractor(std::move(lexicon).value()));
}

void EstablishmentExtractor::Extract(Document& doc) const {
  std::vector<Span> specialties;
  for (const Mention& m : doc.mentions) {
    if (m.kind == MentionKind::kSpecialty) specialties.push_back(m.span);
  }
  std::sort(specialties.begin(), specialties.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });

  const FoldedView& folded = SharedFoldedView(doc.text);  // shared with dates and counts
  WordTokens words(folded, doc.text);
  Parser parser(lexicon_, resolver_, words, std::move(specialties));
  std::vector<ParsedItem> items = parser.Run();

  struct Found {
    Span span;
    Resolution resolution;
  };
  std::vector<Found> found;
  RegionVotes votes;
  for (ParsedItem& item : items) {
    std::optional<Resolution>& r = item.resolution;
    if (!r) continue;
    resolver_.Vote(*r, votes);
    size_t end = item.name_begin + std::max<size_t>(r->words_used, 1);
    found.push_back({words.Original(item.span_begin, std::min(end, item.name_end)), std::move(*r)});
  }

  // "Le centre hospitalier Henri-Laborit, établissement public de santé
  // mentale de la Vienne, intervient ...": a kind in lower case right after
  // a name and its comma, without a determiner, and closed by punctuation
  // describes the establishment before it (an apposition): it names no other.
  {
    std::vector<Found> kept;
    kept.reserve(found.size());
    for (size_t k = 0; k < found.size(); ++k) {
      if (k == 0 || !IsApposition(doc.text, found[k - 1].span, found[k].span)) kept.push_back(std::move(found[k]));
    }
    found = std::move(kept);
  }

  std::map<std::string, int> by_key;
  for (size_t i = 0; i < doc.establishments.size(); ++i) {
    by_key.emplace(doc.establishments[i].key, static_cast<int>(i));
  }
  // Mentions that read the same resolve the same: finish each reading once.
  struct Reading {
    Establishment establishment;
    bool named_hospital;  // a public hospital by its name, not by its commune
  };
  std::vector<Reading> readings;
  std::vector<size_t> reading_of_found;
  std::unordered_map<std::string, size_t> reading_by_signature;
  for (const Found& f : found) {
    auto [it, inserted] = reading_by_signature.emplace(Signature(f.resolution), readings.size());
    if (inserted) {
      const Resolution& r = f.resolution;
      bool named_hospital = r.known < 0 && r.named && r.kind != nullptr && r.kind->kind == "CH";
      readings.push_back({resolver_.Finish(r, votes), named_hospital});
    }
    reading_of_found.push_back(it->second);
  }
  // "Le centre hospitalier Jacques-Lacarin de Vichy" in a text that also writes
  // "le CH de Vichy" is one hospital: a named public hospital placed in a commune
  // is the CH of that commune when the document names exactly one.
  std::map<std::string, std::optional<size_t>> ch_by_city;
  for (size_t i = 0; i < readings.size(); ++i) {
    const Reading& rd = readings[i];
    if (rd.named_hospital || rd.establishment.kind != "CH" || rd.establishment.city.empty()) {
      continue;
    }
    auto [it, inserted] = ch_by_city.emplace(rd.establishment.city, i);
    // Two CH in one commune ("CH" and "CHS de Rennes"): which one is meant is unknown.
    if (!inserted && it->second && readings[*it->second].establishment.key != rd.establishment.key) {
      it->second.reset();
    }
  }
  // A regional article's dateline ("DINAN. Le centre hospitalier René-Pleven
  // ...") places the hospital it names without a commune.
  std::string dateline_city = ch_by_city.empty() ? "" : DatelineCity(words);
  std::vector<size_t> target(readings.size());
  for (size_t i = 0; i < readings.size(); ++i) {
    target[i] = i;
    const Reading& rd = readings[i];
    if (!rd.named_hospital) {
      // "le CH de Charleville" in a text naming the CH de Charleville-Mézières:
      // the short form, though a small commune bears the short name too.
      if (rd.establishment.kind == "CH" && !rd.establishment.city.empty()) {
        if (auto long_form = LongerCommuneOf(rd.establishment.city, ch_by_city)) target[i] = *long_form;
      }
      continue;
    }
    const std::string& city = rd.establishment.city.empty() ? dateline_city : rd.establishment.city;
    if (city.empty()) {
      if (auto short_form = ShortCommuneOf(rd.establishment.name, ch_by_city)) target[i] = *short_form;
      continue;
    }
    auto it = ch_by_city.find(city);
    if (it != ch_by_city.end() && it->second) target[i] = *it->second;
  }
  // "le CH de l'Ouest guyanais Franck-Joly ... le CH de l'Ouest guyanais": a
  // named hospital written later without the person's name it bears is the
  // same hospital, when one name alone extends it.
  for (size_t i = 0; i < readings.size(); ++i) {
    if (target[i] != i || !readings[i].named_hospital) continue;
    const std::string prefix = readings[i].establishment.name + " ";
    std::optional<size_t> longer;
    bool several = false;
    for (size_t j = 0; j < readings.size(); ++j) {
      if (j == i || !readings[j].named_hospital || readings[j].establishment.kind != readings[i].establishment.kind ||
          !readings[j].establishment.name.starts_with(prefix)) {
        continue;
      }
      several = several || longer.has_value();
      longer = j;
    }
    if (longer && !several && target[*longer] == *longer) target[i] = *longer;
  }
  // "les hôpitaux de Saint-Lô et d'Avranches-Granville ... le centre hospitalier
  // Avranches-Granville": one name under two kind words is one hospital, the CH.
  auto core_of = [](const std::string& name) {
    std::string folded = Fold(name);
    size_t space = folded.find_first_of(" '");
    if (space == std::string::npos) return std::string();
    std::string_view rest = std::string_view(folded).substr(space + 1);
    for (std::string_view prep : {"de la ", "de l'", "des ", "du ", "de ", "d'"}) {
      if (rest.starts_with(prep)) {
        rest.remove_prefix(prep.size());
        break;
      }
    }
    return std::string(rest);
  };
  std::vector<std::string> cores(readings.size());
  for (size_t i = 0; i < readings.size(); ++i) {
    if (readings[i].named_hospital) cores[i] = core_of(readings[i].establishment.name);
  }
  for (size_t i = 0; i < readings.size(); ++i) {
    if (target[i] != i || cores[i].empty() || readings[i].establishment.kind == "CH") continue;
    for (size_t j = 0; j < readings.size(); ++j) {
      if (j != i && !cores[j].empty() && readings[j].establishment.kind == "CH" && target[j] == j &&
          cores[j] == cores[i]) {
        target[i] = j;
        break;
      }
    }
  }
  // "le CH de Compiègne-Noyon ... le centre hospitalier intercommunal
  // Compiègne-Noyon": one place under CH and under CHI, which is a CH, is one
  // hospital, the CHI; "le CHI de Toulon-La Seyne" in a text naming the CHI
  // de Toulon-La Seyne-sur-Mer is the same place written short, as the press
  // shortens a long commune. Each when exactly one other reading fits.
  auto key_parts = [](const std::string& key) {
    size_t colon = key.find(':');
    return colon == std::string::npos ? std::pair<std::string_view, std::string_view>()
                                      : std::pair(std::string_view(key).substr(0, colon),
                                                  std::string_view(key).substr(colon + 1));
  };
  auto same_kind = [](std::string_view a, std::string_view b) {
    return a == b || (a == "ch" && b == "chi") || (a == "chi" && b == "ch");
  };
  for (size_t i = 0; i < readings.size(); ++i) {
    if (target[i] != i) continue;
    auto [kind_i, place_i] = key_parts(readings[i].establishment.key);
    if (place_i.empty()) continue;
    const bool short_place_may_stand = place_i.size() >= 5 && place_i != "saint" && place_i != "sainte";
    std::optional<size_t> same;
    bool several = false;
    for (size_t j = 0; j < readings.size(); ++j) {
      if (j == i || target[j] != j) continue;
      auto [kind_j, place_j] = key_parts(readings[j].establishment.key);
      if (!same_kind(kind_i, kind_j)) continue;
      bool narrower = kind_i == "ch" && kind_j == "chi" && place_j == place_i;
      bool longer = short_place_may_stand && place_j.size() > place_i.size() + 1 && place_j.starts_with(place_i) &&
                    place_j[place_i.size()] == '-';
      if (!narrower && !longer) continue;
      several = several || same.has_value();
      same = j;
    }
    if (same && !several) target[i] = *same;
  }
  // The same name written elsewhere without its commune ("les Hôpitaux Nord-Ouest")
  // is the same hospital.
  std::unordered_map<std::string, size_t> target_of_key;
  for (size_t i = 0; i < readings.size(); ++i) {
    if (target[i] != i) target_of_key.emplace(readings[i].establishment.key, target[i]);
  }
  for (size_t i = 0; i < readings.size(); ++i) {
    auto it = target_of_key.find(readings[i].establishment.key);
    if (target[i] == i && readings[i].named_hospital && it != target_of_key.end()) {
      target[i] = it->second;
    }
  }
  std::vector<int> entity_of(readings.size(), -1);
  for (size_t n = 0; n < found.size(); ++n) {
    const Found& f = found[n];
    size_t reading = target[reading_of_found[n]];
    int& entity = entity_of[reading];
    if (entity < 0) {
      Establishment e = readings[reading].establishment;
      auto [it, inserted] = by_key.emplace(e.key, static_cast<int>(doc.establishments.size()));
      entity = it->second;
      if (inserted) {
        doc.establishments.push_back(std::move(e));
      } else {
        Establishment& existing = doc.establishments[entity];
        if (existing.city.empty() && !e.city.empty()) {
          existing.city = e.city;
          existing.departement = e.departement;
          existing.region = e.region;
        }
      }
    }
    AddMention(doc, f.span, entity);
  }

  AddDefinedAcronyms(doc, lexicon_);

  // "Institut de cancérologie de Lorraine" names an establishment, not an
  // activity: a specialty read inside an establishment's mention is dropped.
  std::vector<Span> names;
  for (const Found& f : found) names.push_back(f.span);
  std::sort(names.begin(), names.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  auto inside_name = [&](const Mention& m) {
    if (m.kind != MentionKind::kSpecialty) return false;
    auto it = std::upper_bound(names.begin(), names.end(), m.span.begin,
                               [](size_t pos, const Span& n) { return pos < n.begin; });
    return it != names.begin() && std::prev(it)->end >= m.span.end;
  };
  doc.mentions.erase(std::remove_if(doc.mentions.begin(), doc.mentions.end(), inside_name),
                     doc.mentions.end());

  // "Les CH de Lisieux et de Bayeux sont liés au CHU par convention": "le CHU"
  // alone is the CHU its paragraph names before it ("le CHU de Saint-Étienne et
  // l'HPL ..., le plateau du CHU"), none when it names two, else the one the
  // text names most (another
  // CHU named once, in passing, is not the text's CHU); the same for "le CH",
  // "le CHIC". A tie leaves the acronym unread.
  if (parser.bare_acronyms().empty()) return;
  std::vector<int> named(doc.establishments.size(), 0);
  for (const Mention& m : doc.mentions) {
    if (m.kind == MentionKind::kEstablishment && m.entity >= 0) ++named[static_cast<size_t>(m.entity)];
  }
  struct MostNamed {
    int entity = -1;
    int mentions = 0;
    bool tie = false;
  };
  // "le CHIC" is a CHI: the key of the establishment starts with its narrow key.
  auto fits = [&](const Establishment& e, const std::string& kind, const std::string& narrow_key) {
    return e.kind == kind && (narrow_key.empty() || (e.key.starts_with(narrow_key) && e.key.size() > narrow_key.size() &&
                                                     e.key[narrow_key.size()] == ':'));
  };
  std::map<std::pair<std::string, std::string>, MostNamed> most_named;  // by kind and narrow key
  for (const auto& bare : parser.bare_acronyms()) most_named.emplace(std::pair(bare.kind, bare.narrow_key), MostNamed{});
  for (auto& [kind_key, best] : most_named) {
    for (size_t e = 0; e < doc.establishments.size(); ++e) {
      if (named[e] == 0 || !fits(doc.establishments[e], kind_key.first, kind_key.second)) continue;
      if (named[e] > best.mentions) {
        best = {static_cast<int>(e), named[e], false};
      } else if (named[e] == best.mentions) {
        best.tie = true;
      }
    }
  }
  const size_t named_mentions = doc.mentions.size();
  for (const auto& bare : parser.bare_acronyms()) {
    auto paragraph = std::upper_bound(doc.paragraphs.begin(), doc.paragraphs.end(), bare.span.begin,
                                      [](size_t pos, const Span& p) { return pos < p.begin; });
    size_t paragraph_begin = paragraph == doc.paragraphs.begin() ? 0 : std::prev(paragraph)->begin;
    int entity = -1;
    bool several = false;
    for (size_t k = 0; k < named_mentions; ++k) {
      const Mention& n = doc.mentions[k];
      if (n.kind != MentionKind::kEstablishment || n.entity < 0 || n.span.end > bare.span.begin ||
          n.span.begin < paragraph_begin || !fits(doc.establishments[n.entity], bare.kind, bare.narrow_key)) {
        continue;
      }
      several = several || (entity >= 0 && entity != n.entity);
      entity = n.entity;
    }
    if (several) continue;  // "le CHU d'Angers et le CHU de Nantes ... avec le CHU": which one?
    if (entity < 0) {
      auto it = most_named.find(std::pair(bare.kind, bare.narrow_key));
      if (it == most_named.end() || it->second.entity < 0 || it->second.tie) continue;
      entity = it->second.entity;
    }
    AddMention(doc, bare.span, entity);
  }
}

}  // namespace coopkb
