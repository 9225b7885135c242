#include "extractors/cooperations/cooperation_extractor.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "extractors/dates/folded_view.h"
#include "pipeline/fold.h"

namespace coopkb {
namespace {

// The key a trigger phrase and a matched text share: folded, hyphens as
// spaces, no plural mark on any word.
// Whether Fold(text) == text: printable ASCII without capitals, as a match
// on folded text made of a lexicon's folded words always is.
bool FoldsToItself(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u >= 0x7F || (u >= 'A' && u <= 'Z');
  });
}

std::string TriggerKey(std::string_view text) {
  // FindTrigger asks about every phrase it matches: its folded text is not
  // folded again.
  std::string folded_copy;
  std::string_view folded = text;
  if (!FoldsToItself(text)) {
    folded_copy = Fold(text);
    folded = folded_copy;
  }
  std::string out;
  out.reserve(folded.size());
  for (size_t pos = 0; pos < folded.size();) {
    size_t end = pos;
    while (end < folded.size() && folded[end] != ' ' && folded[end] != '-') ++end;
    std::string_view word = folded.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) continue;
    if (word.size() > 3 && (word.back() == 's' || word.back() == 'x')) word.remove_suffix(1);
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string PhrasePattern(std::string_view phrase) {
  std::string folded = Fold(phrase);
  std::string out;
  std::string word;
  auto flush = [&]() {
    if (word.empty()) return;
    if (!out.empty()) out += "[ \\-]+";
    out += RE2::QuoteMeta(word);
    out += "(?:s|x)?";
    word.clear();
  };
  for (char c : folded) {
    if (c == ' ' || c == '-') flush();
    else word += c;
  }
  flush();
  return out;
}

// A convention's block of parties opens within its first paragraphs; its head
// ("Entre les soussignés :", "Il a été convenu") is in a paragraph's first bytes.
constexpr size_t kPartyBlockWithin = 20;
constexpr size_t kPartyBlockHeadBytes = 64;

// Mentions that make the most named establishment the one a text speaks for.
constexpr int kMinFocusMentions = 3;

// The paragraphs where an interview or a release introduces its speaker, and
// the bytes before a mention searched for the speaker's role.
constexpr size_t kOpeningParagraphs = 3;
constexpr size_t kRoleWindow = 120;

// Bytes before a mention searched for "avec le", "en partenariat avec les nouveaux"...
constexpr size_t kCueWindow = 48;

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

// Whether folded text ends with a word denying what follows it: "il ne s'agit
// ni d'une fusion", "pas de convention", "sans direction commune".
// Whether `s` ends with `suffix`, compared from the end: every trigger found
// is tested against each cue, and they differ within a byte or two, so this
// beats a memcmp call.
bool EndsWithFromBack(std::string_view s, std::string_view suffix) {
  if (suffix.size() > s.size()) return false;
  for (size_t k = 1; k <= suffix.size(); ++k) {
    if (s[s.size() - k] != suffix[suffix.size() - k]) return false;
  }
  return true;
}

bool Denied(std::string_view before) {
  // string_views built once, not with a strlen() per cue and call.
  static constexpr std::string_view kCues[] = {"ni d'une ", "ni d'un ", "ni une ",  "ni un ",
                                               "pas d'une ", "pas d'un ", "pas de ", "pas une ",
                                               "pas un ",   "aucune ",  "aucun ",  "sans "};
  for (std::string_view cue : kCues) {
    if (EndsWithFromBack(before, cue) &&
        (before.size() == cue.size() || !IsWordByte(before[before.size() - cue.size() - 1]))) {
      return true;
    }
  }
  return false;
}

struct Draft {
  std::vector<int> parties;  // sorted, distinct
  std::string kind;
  std::vector<std::string> specialties;
  std::string date;
  std::vector<Span> evidence;
};

// Where the nouns an anaphor needs ("établissements", "hôpitaux", "centres
// hospitaliers", "signataires") end in `text`, in order. Each is found from
// a letter rare in French prose, which memchr skips to: a scan of every
// sentence for the words themselves cost more than the rest of the extractor.
std::vector<size_t> AnaphorNouns(std::string_view text) {
  struct Noun {
    std::string_view word;
    size_t rare;  // index in word of the letter searched for
  };
  static constexpr Noun kNouns[] = {{"tablissements", 2}, {"pitaux", 5}, {"hospitaliers", 0}, {"signataires", 2}};
  std::vector<size_t> ends;
  for (const Noun& noun : kNouns) {
    const char letter = noun.word[noun.rare];
    for (const char* p = text.data(); (p = static_cast<const char*>(memchr(p, letter, text.data() + text.size() - p)));
         ++p) {
      size_t at = static_cast<size_t>(p - text.data());
      if (at >= noun.rare && at - noun.rare + noun.word.size() <= text.size() &&
          memcmp(text.data() + at - noun.rare, noun.word.data(), noun.word.size()) == 0) {
        ends.push_back(at - noun.rare + noun.word.size());
      }
    }
  }
  std::sort(ends.begin(), ends.end());
  return ends;
}

}  // namespace

Result<std::unique_ptr<Extractor>> CooperationExtractor::Create(const Lexicons& lexicons) {
  std::unique_ptr<CooperationExtractor> x(new CooperationExtractor());
  const LexiconTable& table = lexicons.Table("cooperation_triggers");
  std::vector<std::pair<std::string, size_t>> patterns;  // pattern, trigger index
  for (const LexiconRow& row : table.rows()) {
    std::string phrase(row.Get("phrase"));
    int rank = 5;
    std::string_view rank_text = row.Get("rank");
    if (!rank_text.empty()) {
      try {
        rank = std::stoi(std::string(rank_text));
      } catch (...) {
        return Status::UserError(fmt::format("{}:{}: rank is not a number", table.file(), row.line()));
      }
    }
    x->triggers_.push_back({std::string(row.Get("kind")), rank});
    if (size_t gap = phrase.find("..."); gap != std::string::npos) {
      // "assurent ... des consultations": up to four words between the parts
      // ("assurent depuis mars 2022 des consultations"), within one clause.
      std::string head = phrase.substr(0, gap), tail = phrase.substr(gap + 3);
      if (Fold(head).find_first_not_of(' ') == std::string::npos || Fold(tail).find_first_not_of(' ') == std::string::npos) {
        return Status::UserError(fmt::format("{}:{}: '...' stands between two parts of a phrase", table.file(), row.line()));
      }
      std::string pattern = "(?:^|[^a-z0-9\\x80-\\xff])" + PhrasePattern(head) + "(?:[ \\-]+[^ \\n.;:!?]+){0,4}[ \\-]+" +
                            PhrasePattern(tail) + "(?:[^a-z0-9\\x80-\\xff]|$)";
      if (!x->gapped_re_) x->gapped_re_ = std::make_unique<RE2::Set>(RE2::Options(), RE2::UNANCHORED);
      std::string error;
      if (x->gapped_re_->Add(pattern, &error) < 0) {
        return Status::UserError(fmt::format("{}:{}: {}", table.file(), row.line(), error));
      }
      x->gapped_trigger_.push_back(x->triggers_.size() - 1);
      x->gapped_best_rank_ = std::min(x->gapped_best_rank_, rank);
      // The set is asked only about sentences holding some tail's longest
      // word: "disposition" of "à la disposition", not its "a", in every sentence.
      std::string tail_word;
      std::string folded_tail = Fold(tail);
      for (size_t at = 0; at < folded_tail.size();) {
        size_t stop = folded_tail.find_first_of(" -'", at);
        if (stop == std::string::npos) stop = folded_tail.size();
        if (stop - at > tail_word.size()) tail_word = folded_tail.substr(at, stop - at);
        at = stop + 1;
      }
      if (std::find(x->gapped_cues_.begin(), x->gapped_cues_.end(), tail_word) == x->gapped_cues_.end()) {
        x->gapped_cues_.push_back(tail_word);
      }
      continue;
    }
    patterns.emplace_back(PhrasePattern(phrase), x->triggers_.size() - 1);
    x->by_key_.emplace(TriggerKey(phrase), x->triggers_.size() - 1);
  }
  if (x->gapped_re_ && !x->gapped_re_->Compile()) return Status::Internal("cannot compile the gapped cooperation triggers");
  // Longest first, so that at one position the most specific phrase wins.
  std::sort(patterns.begin(), patterns.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  std::string alternation;
  for (const auto& [p, i] : patterns) {
    if (!alternation.empty()) alternation += '|';
    alternation += p;
  }
  RE2::Options options;
  options.set_max_mem(64 << 20);
  // No capture group: the whole match is all FindTrigger needs, and without
  // one RE2 finds it with its DFAs alone (half the time of a capturing search).
  x->trigger_re_ = std::make_unique<RE2>(alternation, options);
  if (!x->trigger_re_->ok()) {
    return Status::Internal("cooperation triggers: " + x->trigger_re_->error());
  }
  x->demonyms_ = Demonyms::FromLexicons(lexicons);
  std::string negations;
  for (const LexiconRow& row : lexicons.Table("cooperation_negations").rows()) {
    if (!negations.empty()) negations += '|';
    negations += PhrasePattern(row.Get("phrase"));
  }
  if (!negations.empty()) {
    x->negation_re_ = std::make_unique<RE2>(
        "(?:^|[^\\pL\\pN])(?:" + negations + ")(?:$|[^\\pL\\pN])", options);
    if (!x->negation_re_->ok()) {
      return Status::Internal("cooperation negations: " + x->negation_re_->error());
    }
  }
  x->partner_cue_ = std::make_unique<RE2>(
      R"((?:^|[^a-z0-9])(?:avec|aupres|aux cotes|en lien avec|en partenariat avec)(?: d[eu]s?)?)"
      R"((?: (?:le|la|les|l'|un|une|des|d'|ses|son|sa|leur|leurs|nos|notre|nouveaux?|nouvelles?)){0,2} ?$)");
  x->party_block_open_ = std::make_unique<RE2>(
      R"(entre(?: les (?:soussignes|parties(?: ci-apres)?|etablissements suivants))?\s*(?::.*)?)");
  x->party_block_close_ = std::make_unique<RE2>(
      R"(^(?:il (?:a ete|est) (?:convenu|arrete|decide|expose)|vu |preambule|article|titre |considerant|apres avoir|ont convenu|conviennent))");
  x->other_party_ = std::make_unique<RE2>(R"((?:^|[^a-z])(?:avec|aupres|entre|aux cotes)(?:[^a-z]|$))");
  x->coordination_ = std::make_unique<RE2>(
      R"(^[ ,]*(?:(?:et|ou|ainsi que|avec|de|du|des|d'|le|la|les|l')[ ,]*)*$)");
  x->conjunction_ = std::make_unique<RE2>(R"((?:^|[ ,])(?:et|ou|ainsi que)(?:[ ,]|$))");
  x->article_ = std::make_unique<RE2>(R"((?:^|[ ,])(?:le|la|les|l')(?:[ ,]|$)|(?:^|[ ,])l')");
  // Number words up to ten and digits: an anaphor counts its establishments,
  // or points with "ces" at the last ones named together.
  x->anaphor_ = std::make_unique<RE2>(
      // Not "des": "chacun des six centres" distributes, it does not join them.
      R"((?:^|[^a-z0-9'])((?:(?:les|aux|nos) (deux|trois|quatre|cinq|six|sept|huit|neuf|dix|[2-9]|1[0-9])|)"
      R"(ces(?: (deux|trois|quatre|cinq|six|sept|huit|neuf|dix|[2-9]|1[0-9]))?))"
      R"( (?:etablissements|hopitaux|centres hospitaliers|structures hospitalieres|signataires))(?:[^a-z0-9]|$))");
  x->item_colon_ = std::make_unique<RE2>(R"(^ ?(?:\([^)]{1,40}\) ?)?:)");
  // An establishment said to be a partner, of whom the sentence does not say.
  x->partner_predicate_ = std::make_unique<RE2>(
      R"((?:^|[^a-z])(?:est|reste|demeure|devient|sera|restera|sont|restent|deviennent) (?:aussi |egalement |desormais )?)"
      R"((?:le|un|l'un des|les|des|son|leur|notre)(?: (?:principal|premier|grand|principaux|premiers|grands))? partenaires?(?:[^a-z]|$))");
  // Bullets, punctuation, articles and a bracket (an acronym, a commune):
  // the item is its names alone.
  x->name_item_rest_ = std::make_unique<RE2>(R"(^(?:[^a-z0-9(]|\b(?:le|la|les|l|et|ainsi que)\b)*(?:\([^)]{1,32}\))?[^a-z0-9]*$)");
  x->first_person_ = std::make_unique<RE2>(R"((?:^|[^a-z'])(?:nous|notre|nos)(?:[^a-z]|$))");
  // The clitic "y" before a verb of care given somewhere ("il y a" is not one).
  x->there_ = std::make_unique<RE2>(
      R"((?:^|[ ,])y (?:assur|tien|intervien|exerc|consult|oper|effectu|realis|organis|anim|dispens|pratiqu|)"
      R"(vien|se rend|partag|particip|deplac|detach|envoi))");
  // A sentence opening on "il"/"elle" whose verb is personal ("il y a",
  // "il est", "il s'agit" are not a hospital acting).
  x->subject_pronoun_ = std::make_unique<RE2>(R"(^(?:il|elle) (?:(?:a|assure|assurera|propose|proposera|accueille|accueillera|)"
                                              R"(signe|signera|ouvre|ouvrira|organise|organisera|met|mettra|partage|partagera|)"
                                              R"(renforce|renforcera|coopere|collabore|travaille|developpe|developpera|poursuit|)"
                                              R"(compte|prevoit|etend|etendra|envoie|detache|dispose|apporte)(?:[^a-z]|$)|s'(?:associe|allie|engage|appuie|unit)|se (?:rapproche|dote|joint)))");
  // A role and, within a few words, the "de"/"du" of its establishment: the
  // speaker of an interview or of a quote ("directrice du CH de Perpignan",
  // "président de la commission médicale d'établissement (CME) du CHU").
  x->speaker_role_ = std::make_unique<RE2>(
      R"((?:^|[^a-z])(?:directeur|directrice|president|presidente|chef|responsable|doyen|doyenne|a la tete)(?: general| generale)?)"
      R"((?:[ ,]+[a-z'()-]+){0,8}? (?:du|de la|de l'|de|d'|des|au|a l')\s*$)");
  x->between_cue_ = std::make_unique<RE2>(R"((?:^|[^a-z0-9])entre(?: (?:le|la|les|l'))? ?$)");
  x->between_and_ = std::make_unique<RE2>(R"(^ ?,? et(?: (?:le|la|les|l'))? ?$)");
  x->extends_ = std::make_unique<RE2>(
      R"((?:^|[^a-z])(?:concern[a-z]*|beneficie[a-z]*|s'etend[a-z]*|inclut|inclura|englobe[a-z]*) (?:(?:lui|elle|eux|elles) )?(?:aussi|egalement|desormais)(?:[^a-z]|$))");
  x->joins_ = std::make_unique<RE2>(
      R"((?:^|[^a-z])(?:rejoin[a-z]*|adhesion|adhere[a-z]*|adherer|integre|integrera|integrer|integration)(?:[^a-z]|$))");
  for (const RE2* re : {x->partner_cue_.get(), x->other_party_.get(), x->party_block_open_.get(),
                        x->party_block_close_.get(), x->coordination_.get(), x->conjunction_.get(),
                        x->article_.get(), x->anaphor_.get(), x->first_person_.get(), x->item_colon_.get(), x->name_item_rest_.get(), x->partner_predicate_.get(),
                        x->between_cue_.get(), x->between_and_.get(), x->joins_.get(), x->extends_.get(),
                        x->there_.get(), x->subject_pronoun_.get(), x->speaker_role_.get()}) {
    if (re->ok()) continue;
    return Status::Internal("cooperation cue patterns do not compile");
  }
  return std::unique_ptr<Extractor>(std::move(x));
}

// Whether mention k continues the list its predecessor belongs to: "A, B et C"
// does; "avec A, le CHU de X a ..." does not, since a comma and an article
// continue a list only when a conjunction closes it further on.
bool CooperationExtractor::ContinuesList(const Document& doc, const std::vector<EntityMention>& mentions,
                                         size_t k) const {
  auto gap = [&](size_t j) { return Fold(doc.Text({mentions[j - 1].span.end, mentions[j].span.begin})); };
  std::string g = gap(k);
  if (!RE2::FullMatch(g, *coordination_)) return false;
  if (RE2::PartialMatch(g, *conjunction_) || !RE2::PartialMatch(g, *article_)) return true;
  for (size_t j = k + 1; j < mentions.size(); ++j) {
    std::string next = gap(j);
    if (!RE2::FullMatch(next, *coordination_)) return false;
    if (RE2::PartialMatch(next, *conjunction_)) return true;
  }
  return false;
}

std::vector<int> CooperationExtractor::Antecedents(const Document& doc, const std::vector<EntityMention>& mentions,
                                                   size_t first_in_sentence, Span sentence,
                                                   const std::vector<EntityMention>& here,
                                                   const std::vector<size_t>& noun_ends) const {
  std::string_view text = doc.Text(sentence);
  // A heading's anaphor points at the paragraphs that follow it, not at
  // those before ("... entre les deux établissements" over a section).
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  constexpr std::string_view kSentenceEnds = ".!?:;\"\xBB";  // \xBB: the last byte of »
  if (text.empty() || kSentenceEnds.find(text.back()) == std::string_view::npos) return {};
  // The anaphor is read in the few words before each noun it needs.
  std::string number;  // the anaphor's count, as written
  Span at;
  bool found_anaphor = false;
  for (auto it = std::lower_bound(noun_ends.begin(), noun_ends.end(), sentence.begin);
       it != noun_ends.end() && *it <= sentence.end && !found_anaphor; ++it) {
    size_t begin = *it > sentence.begin + 48 ? *it - 48 : sentence.begin;
    while (begin < *it && (static_cast<unsigned char>(doc.text[begin]) & 0xC0) == 0x80) ++begin;
    FoldedText window(doc.Text({begin, *it}));
    re2::StringPiece input(window.folded()), whole, counted, demonstrative_count;
    if (!RE2::PartialMatch(input, *anaphor_, &whole, &counted, &demonstrative_count)) continue;
    number = std::string(counted.empty() ? demonstrative_count : counted);
    size_t folded_begin = static_cast<size_t>(whole.data() - input.data());
    at = window.ToOriginal({folded_begin, folded_begin + whole.size()});
    at = {begin + at.begin, begin + at.end};
    found_anaphor = true;
  }
  if (!found_anaphor) return {};
  // A name starting at the anaphor or inside it is the anaphor's own ("les
  // trois hôpitaux généraux du Forez").
  for (const EntityMention& m : here) {
    if (m.span.end > at.begin && m.span.begin <= at.end + 4) return {};
  }
  // The party the anaphor is coordinated with ("le CHU et les deux
  // établissements"): the last one named before it, joined by "et".
  int coordinated = -1;
  const EntityMention* last_before = nullptr;
  for (const EntityMention& m : here) {
    if (m.span.end > at.begin) break;
    last_before = &m;
  }
  if (last_before) {
    std::string gap = Fold(doc.Text({last_before->span.end, at.begin}));
    if (gap == " et " || gap == " et aux " || gap == " et avec ") coordinated = last_before->entity;
  }
  static const char* const kNumbers[] = {"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"};
  size_t wanted = 0;
  for (size_t i = 0; i < std::size(kNumbers); ++i) {
    if (number == kNumbers[i]) wanted = i + 2;
  }
  if (wanted == 0 && !number.empty()) wanted = static_cast<size_t>(std::stoul(number));
  auto in_sentence = [&](int e) {
    return std::any_of(here.begin(), here.end(), [e](const EntityMention& m) { return m.entity == e; });
  };
  // Nearest first, within the sentence's paragraph and the two before it.
  size_t oldest = sentence.begin;
  for (size_t p = doc.paragraphs.size(); p-- > 0;) {
    if (doc.paragraphs[p].begin > sentence.begin) continue;
    oldest = doc.paragraphs[p >= 2 ? p - 2 : 0].begin;
    break;
  }
  auto sentence_of = [&](size_t pos) {
    return std::upper_bound(doc.sentences.begin(), doc.sentences.end(), pos,
                            [](size_t v, const Span& s) { return v < s.begin; });
  };
  // The establishments of the nearest sentence before that names enough of
  // them: an anaphor sums up what was just said, it does not gather names
  // scattered over several sentences.
  // `exactly`: skip the sentences naming more than counted instead of stopping there.
  auto nearest_naming = [&](size_t oldest_begin, bool exactly) {
    std::vector<int> found, named;  // named: with those of the anaphor's sentence
    for (size_t k = first_in_sentence; k-- > 0 && mentions[k].span.begin >= oldest_begin;) {
      auto sentence_k = sentence_of(mentions[k].span.begin);
      found.clear();
      named.clear();
      size_t j = k + 1;
      for (; j-- > 0 && mentions[j].span.begin >= oldest_begin && sentence_of(mentions[j].span.begin) == sentence_k;) {
        int e = mentions[j].entity;
        if (std::find(named.begin(), named.end(), e) != named.end()) continue;
        named.push_back(e);
        if (!in_sentence(e)) found.push_back(e);
      }
      if (exactly ? found.size() == wanted : found.size() >= std::max<size_t>(wanted, 2)) break;
      // "vers le CH de Brive ou vers le CHU, selon la convention entre le CHU
      // et les deux établissements": the anaphor joined to a party by "et"
      // stands for others than that party, though the sentence names one of
      // them in another clause.
      if (coordinated >= 0 && wanted > 0 && std::find(named.begin(), named.end(), coordinated) == named.end() &&
          named.size() == wanted && found.size() < named.size()) {
        return named;
      }
      found.clear();
      k = j + 1;  // on to the sentence before
    }
    return found;
  };
  std::vector<int> found = nearest_naming(oldest, /*exactly=*/false);
  // A counted anaphor with nothing named near it ("les deux établissements"
  // after a list of the plan's priorities) sums up the pair the text is
  // about: the nearest sentence before that names exactly that many.
  if (found.empty() && wanted > 0) found = nearest_naming(0, /*exactly=*/true);
  // More named than counted: which of them the anaphor means is not known.
  if (found.empty() || (wanted > 0 && found.size() != wanted)) return {};
  return found;
}

std::vector<std::vector<CooperationExtractor::EntityMention>> CooperationExtractor::SemicolonClauses(
    const Document& doc, const std::vector<EntityMention>& here) {
  std::vector<std::vector<EntityMention>> clauses(1);
  for (size_t k = 0; k < here.size(); ++k) {
    if (k > 0 && doc.Text({here[k - 1].span.end, here[k].span.begin}).find(';') != std::string_view::npos) {
      clauses.emplace_back();
    }
    clauses.back().push_back(here[k]);
  }
  if (clauses.size() < 2) return {};
  for (const auto& clause : clauses) {
    if (clause.size() < 2 || clause[0].partner) return {};
  }
  return clauses;
}

bool CooperationExtractor::Between(const Document& doc, Span sentence, Span a, Span b) const {
  size_t from = a.begin > sentence.begin + 16 ? a.begin - 16 : sentence.begin;
  std::string_view before = doc.Text({from, a.begin});
  if (!memmem(before.data(), before.size(), "ntre", 4)) return false;  // "entre", "Entre"
  return RE2::PartialMatch(Fold(before), *between_cue_) &&
         RE2::FullMatch(Fold(doc.Text({a.end, b.begin})), *between_and_);
}

const CooperationExtractor::Trigger* CooperationExtractor::FindTrigger(std::string_view folded) const {
  const Trigger* best = nullptr;
  re2::StringPiece text(folded.data(), folded.size());
  re2::StringPiece match;
  // Leftmost matches in turn, each search starting where the last match ended.
  for (size_t from = 0;
       from <= folded.size() && trigger_re_->Match(text, from, folded.size(), RE2::UNANCHORED, &match, 1);) {
    size_t begin = static_cast<size_t>(match.data() - folded.data());
    size_t end = begin + match.size();
    from = end > from ? end : from + 1;  // a phrase has a word: no empty match, but never loop
    bool left_ok = begin == 0 || !IsWordByte(folded[begin - 1]);
    bool right_ok = end >= folded.size() || !IsWordByte(folded[end]);
    if (!left_ok || !right_ok || Denied(folded.substr(0, begin))) continue;
    auto it = by_key_.find(TriggerKey(std::string_view(match.data(), match.size())));
    if (it == by_key_.end()) continue;
    const Trigger& t = triggers_[it->second];
    if (!best || t.rank < best->rank) best = &t;
  }
  auto holds_cue = [&] {
    return std::any_of(gapped_cues_.begin(), gapped_cues_.end(),
                       [&](const std::string& cue) { return folded.find(cue) != std::string_view::npos; });
  };
  // A gapped phrase is asked for only when it could rank better than what was found.
  if (gapped_re_ && (!best || best->rank > gapped_best_rank_) && holds_cue()) {
    std::vector<int> gapped;
    // Asked first without a vector, the set stops at its first match and
    // allocates nothing: most sentences match no gapped phrase.
    if (gapped_re_->Match(text, nullptr)) gapped_re_->Match(text, &gapped);
    for (int g : gapped) {
      const Trigger& t = triggers_[gapped_trigger_[static_cast<size_t>(g)]];
      if (!best || t.rank < best->rank) best = &t;
    }
  }
  return best;
}

void CooperationExtractor::Extract(Document& doc) const {
  if (doc.establishments.size() < 2) return;

  // Establishment mentions in text order.
  std::vector<EntityMention> all;
  std::vector<int> mention_count(doc.establishments.size(), 0);
  for (const Mention& m : doc.mentions) {
    if (m.kind != MentionKind::kEstablishment || m.entity < 0) continue;
    all.push_back({m.entity, m.span});
    ++mention_count[m.entity];
  }
  if (all.empty()) return;
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.span.begin < b.span.begin; });
  // "l'hôpital Henri-Mondor (AP-HP)": the name in parentheses is the group the
  // hospital belongs to (or its acronym), not a party of its own.
  std::vector<EntityMention> named;
  for (size_t k = 0; k < all.size(); ++k) {
    bool apposed = k > 0 && doc.Text({all[k - 1].span.end, all[k].span.begin}) == " (" &&
                   all[k].span.end < doc.text.size() && doc.text[all[k].span.end] == ')';
    if (!apposed) named.push_back(all[k]);
  }
  all = std::move(named);

  // The establishment the document is about: the most named, the first on a tie.
  int focus = all.front().entity;
  for (const auto& m : all) {
    if (mention_count[m.entity] > mention_count[focus]) focus = m.entity;
  }

  // Paragraph of each sentence, and whether each sentence states a cooperation.
  // Sentences and paragraphs are both in text order: walk them together.
  size_t para_cursor = 0;
  auto paragraph_of = [&](Span s) -> int {
    while (para_cursor < doc.paragraphs.size() && doc.paragraphs[para_cursor].end < s.begin) ++para_cursor;
    return para_cursor < doc.paragraphs.size() && s.begin >= doc.paragraphs[para_cursor].begin
               ? static_cast<int>(para_cursor)
               : -1;
  };
  // A sentence's trigger is looked for only when a sentence naming
  // establishments needs it, in itself or as context: most sentences never do.
  std::vector<const Trigger*> sentence_trigger(doc.sentences.size(), nullptr);
  std::vector<bool> trigger_known(doc.sentences.size(), false);
  // The document folded once (shared with the extractors before): a part of
  // it is a substring, folding being per code point.
  const FoldedView& view = SharedFoldedView(doc.text);
  auto folded_of = [&](Span s) {
    size_t begin = view.ToFolded(s.begin);
    return view.folded().substr(begin, view.ToFolded(s.end) - begin);
  };
  // The establishment a text's "nous" speaks for: the one its opening names
  // after a role, as an interview or a quote introduces its speaker; else
  // the focus.
  int speaker = focus;
  bool speaker_introduced = false;  // by a role, not the focus by default
  if (!doc.paragraphs.empty()) {
    const size_t opening_end = doc.paragraphs[std::min<size_t>(kOpeningParagraphs, doc.paragraphs.size()) - 1].end;
    for (const EntityMention& m : all) {
      if (m.span.begin >= opening_end) break;
      size_t from = m.span.begin > kRoleWindow ? m.span.begin - kRoleWindow : 0;
      while (from > 0 && (static_cast<unsigned char>(doc.text[from]) & 0xC0) == 0x80) --from;
      if (RE2::PartialMatch(folded_of({from, m.span.begin}), *speaker_role_)) {
        speaker = m.entity;
        speaker_introduced = true;
        break;
      }
    }
  }
  auto trigger_of = [&](size_t i) {
    if (!trigger_known[i]) {
      sentence_trigger[i] = FindTrigger(folded_of(doc.sentences[i]));
      trigger_known[i] = true;
    }
    return sentence_trigger[i];
  };
  std::vector<int> sentence_paragraph(doc.sentences.size(), -1);
  // A list item ("– avec le CH de X : ...") reads in the context of the list's
  // introduction, however many items came before it.
  std::vector<bool> is_list_item(doc.paragraphs.size(), false);
  for (size_t i = 0; i < doc.paragraphs.size(); ++i) {
    std::string_view head = doc.Text(doc.paragraphs[i]).substr(0, 4);
    is_list_item[i] = !head.empty() && (head[0] == '-' || head[0] == '*' || head.substr(0, 3) == "\u2013" ||
                                        head.substr(0, 3) == "\u2014" || head.substr(0, 3) == "\u2022" ||
                                        head.substr(0, 3) == "\u2010");
  }
  for (size_t i = 0; i < doc.sentences.size(); ++i) {
    sentence_paragraph[i] = paragraph_of(doc.sentences[i]);
  }

  // A partner named as a heading, the paragraph below speaking of the
  // cooperation with it: "Centre hospitalier de Dax ¶ Une convention ... avec
  // l'unité neurovasculaire du CHCB" (a partners page), or as the first
  // sentence of its paragraph, "Centre hospitalier de Niort. Cette
  // coopération ..." (a report). heading_party[p]: the establishment heading
  // paragraph p's sentences, -1 for none. Not the focus: a release's header
  // line names its issuer.
  std::vector<int> heading_party(doc.paragraphs.size(), -1);
  {
    // The one establishment a span is made of (an acronym in brackets and a
    // final full stop or colon may follow), or -1.
    size_t cursor = 0;
    auto only_name_of = [&](Span span) {
      while (cursor < all.size() && all[cursor].span.begin < span.begin) ++cursor;
      if (cursor >= all.size() || all[cursor].span.begin != span.begin) return -1;
      const EntityMention& m = all[cursor];
      std::string_view rest = doc.Text({std::min(m.span.end, span.end), span.end});
      while (!rest.empty() && (rest.back() == ' ' || rest.back() == '.' || rest.back() == ':')) rest.remove_suffix(1);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      // What the brackets hold is short: an acronym, or the commune ("(Cherbourg-en-Cotentin)").
      auto characters = std::count_if(rest.begin(), rest.end(), [](char c) { return (c & 0xC0) != 0x80; });
      if (!rest.empty() && !(rest.front() == '(' && rest.back() == ')' && characters <= 32 &&
                             rest.find_first_of("()", 1) == rest.size() - 1)) {
        return -1;
      }
      return m.entity != focus ? m.entity : -1;
    };
    // A paragraph that is a name alone heads the next one, unless that one
    // is a heading too; a paragraph's first sentence that is a name alone
    // heads the rest of its paragraph.
    std::vector<int> heading_line(doc.paragraphs.size(), -1), heading_sentence(doc.paragraphs.size(), -1);
    for (size_t si = 0; si < doc.sentences.size(); ++si) {
      int para = sentence_paragraph[si];
      if (para < 0 || (si > 0 && sentence_paragraph[si - 1] == para)) continue;  // first sentences only
      int entity = only_name_of(doc.sentences[si]);
      if (entity < 0) continue;
      bool whole_paragraph = si + 1 >= doc.sentences.size() || sentence_paragraph[si + 1] != para;
      (whole_paragraph ? heading_line : heading_sentence)[static_cast<size_t>(para)] = entity;
    }
    for (size_t p = 0; p < heading_party.size(); ++p) {
      if (heading_sentence[p] >= 0) heading_party[p] = heading_sentence[p];
      else if (p > 0 && heading_line[p - 1] >= 0 && heading_line[p] < 0) heading_party[p] = heading_line[p - 1];
    }
  }

  std::vector<const Mention*> dates, specialties;
  for (const Mention& m : doc.mentions) {
    if (m.kind == MentionKind::kDate) dates.push_back(&m);
    if (m.kind == MentionKind::kSpecialty) specialties.push_back(&m);
  }
  // In text order, so that a clause finds its own with a binary search: a long
  // text has thousands of them.
  auto by_begin = [](const Mention* a, const Mention* b) { return a->span.begin < b->span.begin; };
  std::stable_sort(dates.begin(), dates.end(), by_begin);
  std::stable_sort(specialties.begin(), specialties.end(), by_begin);
  auto first_from = [](const std::vector<const Mention*>& sorted, size_t begin) {
    return std::lower_bound(sorted.begin(), sorted.end(), begin,
                            [](const Mention* m, size_t pos) { return m->span.begin < pos; });
  };

  std::vector<Draft> drafts;
  auto add = [&](std::vector<int> parties, const std::string& kind, Span evidence, size_t clause_begin,
                 size_t clause_end, size_t anchor) {
    std::sort(parties.begin(), parties.end());
    parties.erase(std::unique(parties.begin(), parties.end()), parties.end());
    // "l'AP-HM ... par les praticiens de l'hôpital de la Timone": a hospital of
    // a CHU group (key "chu:aphm-timone") is that group, no party of its own.
    auto site_of_another = [&](int p) {
      const std::string& key = doc.establishments[p].key;
      if (!key.starts_with("chu:")) return false;
      return std::any_of(parties.begin(), parties.end(), [&](int q) {
        const std::string& group = doc.establishments[q].key;
        return q != p && key.size() > group.size() + 1 && key.starts_with(group) && key[group.size()] == '-';
      });
    };
    std::vector<int> sites;
    for (int p : parties) {
      if (site_of_another(p)) sites.push_back(p);
    }
    for (int p : sites) parties.erase(std::find(parties.begin(), parties.end(), p));
    if (parties.size() < 2) return;
    Draft d{parties, kind, {}, "", {evidence}};
    for (auto it = first_from(specialties, clause_begin); it != specialties.end() && (*it)->span.begin < clause_end;
         ++it) {
      const Mention* s = *it;
      if (s->span.end <= clause_end &&
          std::find(d.specialties.begin(), d.specialties.end(), s->value) == d.specialties.end()) {
        d.specialties.push_back(s->value);
      }
    }
    size_t best_distance = SIZE_MAX;
    for (auto it = first_from(dates, evidence.begin); it != dates.end() && (*it)->span.begin < evidence.end; ++it) {
      const Mention* m = *it;
      if (m->span.end > evidence.end) continue;
      size_t distance = m->span.begin > anchor ? m->span.begin - anchor : anchor - m->span.begin;
      if (distance < best_distance) {
        best_distance = distance;
        d.date = m->value;
      }
    }
    drafts.push_back(std::move(d));
  };

  // A trigger anywhere in the sentence's paragraph, after it too, or in the paragraph before.
  auto paragraph_has_trigger = [&](size_t si) {
    int para = sentence_paragraph[si];
    if (para < 0) return false;
    size_t first = si;
    while (first > 0 && sentence_paragraph[first - 1] >= para - 1 && sentence_paragraph[first - 1] >= 0) --first;
    for (size_t sj = first; sj < doc.sentences.size() && sentence_paragraph[sj] <= para; ++sj) {
      if (sentence_paragraph[sj] >= 0 && trigger_of(sj)) return true;
    }
    return false;
  };

  // Where the nouns an anaphor needs stand, found in one pass over the text:
  // a sentence without one has no anaphor to read.
  std::vector<size_t> anaphor_nouns = AnaphorNouns(doc.text);
  auto may_refer = [&](Span s) {
    auto it = std::lower_bound(anaphor_nouns.begin(), anaphor_nouns.end(), s.begin);
    return it != anaphor_nouns.end() && *it <= s.end;
  };

  // Whether sentence `si` opens an item "NAME : ..." (a name, perhaps its
  // commune in parentheses, then a colon) of a list of partners: an item
  // stating a cooperation itself, or under a heading that announces partners
  // ("Partenaires hospitaliers publics", "Nos coopérations").
  auto item_of_partner_list = [&](size_t si, const EntityMention& m) {
    int para = sentence_paragraph[si];
    if (para < 0 || (si > 0 && sentence_paragraph[si - 1] == para)) return false;
    std::string_view head = doc.Text({doc.paragraphs[para].begin, m.span.begin});
    if (head.find_first_not_of(" -*\t") != std::string_view::npos &&
        !(head.size() <= 4 && (head.rfind("\u2013", 0) == 0 || head.rfind("\u2022", 0) == 0))) {
      return false;
    }
    std::string_view after = doc.Text({m.span.end, std::min(m.span.end + 64, doc.paragraphs[para].end)});
    if (!RE2::PartialMatch(after, *item_colon_)) return false;
    if (trigger_of(si)) return true;
    // The heading above the list: the nearest short paragraph without final punctuation.
    for (int p = para - 1; p >= 0 && p >= para - 12; --p) {
      std::string_view text = doc.Text(doc.paragraphs[p]);
      if (text.size() > 80 || text.empty() || std::string_view(".;!?").find(text.back()) != std::string_view::npos) {
        continue;
      }
      for (size_t sj = si; sj-- > 0;) {
        if (sentence_paragraph[sj] < p) break;
        if (sentence_paragraph[sj] == p) return trigger_of(sj) != nullptr;
      }
      return false;
    }
    return false;
  };

  // The establishment of each commune the document's establishments are in
  // (as written in the establishment's city), -1 for a commune of two.
  std::map<std::string, int> by_city;
  for (size_t e = 0; e < doc.establishments.size(); ++e) {
    if (doc.establishments[e].city.empty()) continue;
    auto [it, inserted] = by_city.emplace(doc.establishments[e].city, static_cast<int>(e));
    if (!inserted && it->second != static_cast<int>(e)) it->second = -1;
  }
  // The establishment whose commune sentence `s` names as a place ("à
  // Haguenau", "organisées par Valenciennes", "la coopération avec Nancy"), other than `principal` and
  // not inside a mention; -1 when none or several.
  auto place_party = [&](Span s, int principal) {
    int found = -1;
    std::string_view text = doc.Text(s);
    for (const auto& [city, entity] : by_city) {
      if (entity < 0 || entity == principal) continue;
      for (size_t at = text.find(city); at != std::string_view::npos; at = text.find(city, at + 1)) {
        size_t end = at + city.size();
        // "à Nevers" but not "à Neversois": no letter (of any case) or digit after.
        bool word_end = end >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) ||
                                                static_cast<unsigned char>(text[end]) >= 0x80);
        std::string_view before = text.substr(0, at);
        // "À Bar-le-Duc, le CHRU ...": a sentence may open on the place.
        bool place = before == "\u00e0 " || before == "\u00c0 " || before.ends_with(" \u00e0 ") ||
                     before.ends_with(" par ") || before.ends_with(" avec ");
        size_t pos = s.begin + at;
        bool named = std::any_of(all.begin(), all.end(),
                                 [&](const EntityMention& m) { return m.span.begin <= pos && pos < m.span.end; });
        if (!word_end || !place || named) continue;
        if (found >= 0 && found != entity) return -1;
        found = entity;
      }
    }
    // "des consultations assurées par des praticiens dignois": a demonym of
    // the commune of one of the document's establishments, after a word.
    if (!demonyms_.empty()) {
      std::string_view folded = folded_of(s);
      size_t folded_begin = view.ToFolded(s.begin);
      auto is_word = [](char c) { return (c >= 'a' && c <= 'z') || c == '-' || static_cast<unsigned char>(c) >= 0x80; };
      for (size_t i = 0; i < folded.size();) {
        if (!is_word(folded[i])) {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < folded.size() && is_word(folded[j])) ++j;
        const std::vector<std::string>* communes = i > 0 ? demonyms_.CommunesOf(folded.substr(i, j - i)) : nullptr;
        if (communes) {
          size_t pos = view.ToOriginal(folded_begin + i);
          bool named = std::any_of(all.begin(), all.end(),
                                   [&](const EntityMention& m) { return m.span.begin <= pos && pos < m.span.end; });
          for (const std::string& commune : *communes) {
            auto city = by_city.find(commune);
            if (named || city == by_city.end() || city->second < 0 || city->second == principal) continue;
            if (found >= 0 && found != city->second) return -1;
            found = city->second;
          }
        }
        i = j;
      }
    }
    return found;
  };

  struct Joiner {
    int entity;
    std::string kind;
    Span sentence;
  };
  std::vector<Joiner> joiners;  // "le CH de Dole rejoint le GCS"

  int last_principal = -1;  // the establishment the text was last speaking about
  int last_principal_paragraph = -1;
  int last_named = -1;  // the establishment named last, party or partner
  int last_named_paragraph = -1;
  size_t next_mention = 0;
  // The drafts the sentence before added, [first, second) in `drafts`.
  std::pair<size_t, size_t> previous_drafts{0, 0};
  size_t drafts_at_sentence_start = 0;
  for (size_t si = 0; si < doc.sentences.size(); ++si) {
    previous_drafts = {drafts_at_sentence_start, drafts.size()};
    drafts_at_sentence_start = drafts.size();
    Span s = doc.sentences[si];
    std::vector<EntityMention> here;
    while (next_mention < all.size() && all[next_mention].span.begin < s.begin) ++next_mention;
    for (size_t k = next_mention; k < all.size() && all[k].span.begin < s.end; ++k) here.push_back(all[k]);
    if (!here.empty()) {
      last_named = here.back().entity;
      last_named_paragraph = sentence_paragraph[si];
    }
    if (here.empty()) {
      // No party named: "La charte, signée par les quatre établissements, ..."
      // may still state one through an anaphor. Most sentences have no word
      // an anaphor needs, and are not folded.
      const Trigger* t = may_refer(s) ? trigger_of(si) : nullptr;
      std::vector<int> parties;
      if (t) {
        parties = Antecedents(doc, all, next_mention, s, here, anaphor_nouns);
        if (!parties.empty()) add(parties, t->kind, s, s.begin, s.end, s.begin);
      }
      int para = sentence_paragraph[si];
      // "Le recours, c'est le CHU de Grenoble. Une convention cadre nous lie
      // depuis 2017", "D'abord avec le CH d'Ajaccio. Nos deux établissements
      // ont créé ...": "nous" are the speaker and the establishment just named.
      if (parties.empty() && speaker_introduced && last_named >= 0 && last_named != speaker &&
          last_named_paragraph == para && RE2::PartialMatch(folded_of(s), *first_person_)) {
        if (const Trigger* own = trigger_of(si)) {
          add({speaker, last_named}, own->kind, s, s.begin, s.end, s.begin);
          continue;
        }
      }
      // Under a partner's heading, a sentence naming no one speaks for the focus.
      if (parties.empty() && para >= 0 && heading_party[para] >= 0 && mention_count[focus] >= kMinFocusMentions) {
        if (const Trigger* own = trigger_of(si)) add({heading_party[para], focus}, own->kind, s, s.begin, s.end, s.begin);
      }
      continue;  // the last principal stays
    }

    // Partners: introduced by "avec", or coordinated with one that is.
    for (size_t k = 0; k < here.size(); ++k) {
      // The cue stands just before the mention: fold a short window, from a word start.
      size_t from = here[k].span.begin > s.begin + kCueWindow ? here[k].span.begin - kCueWindow : s.begin;
      if (from > s.begin) {
        while (from < here[k].span.begin && doc.text[from - 1] != ' ') ++from;
      }
      std::string_view before = folded_of({from, here[k].span.begin});
      if (RE2::PartialMatch(before, *partner_cue_)) {
        here[k].partner = true;
      } else if (k > 0 && here[k - 1].partner) {
        here[k].partner = ContinuesList(doc, here, k);
      }
    }
    std::vector<int> principals, partners;
    for (const auto& m : here) {
      auto& list = m.partner ? partners : principals;
      if (std::find(list.begin(), list.end(), m.entity) == list.end()) list.push_back(m.entity);
    }
    for (int p : principals) partners.erase(std::remove(partners.begin(), partners.end(), p), partners.end());

    const Trigger* trigger = trigger_of(si);
    // "X et Y ne sont pas concernés par ce rapprochement": named, not parties.
    if (negation_re_ && (trigger || !partners.empty())) {
      if (RE2::PartialMatch(folded_of(s), *negation_re_)) {
        if (!principals.empty()) {
          last_principal = principals.front();
          last_principal_paragraph = sentence_paragraph[si];
        }
        continue;
      }
    }
    int para = sentence_paragraph[si];
    // The context of a sentence: its paragraph so far and the paragraph before,
    // or for a list item every item back to the list's introduction.
    int context_first = para > 0 ? para - 1 : para;
    while (para >= 0 && is_list_item[para] && context_first > 0 && is_list_item[context_first]) --context_first;
    // The kind may come from the sentence's own paragraph or its list, not from
    // a neighbouring paragraph that may speak of another cooperation.
    int kind_first = para >= 0 && is_list_item[para] ? context_first : para;
    const Trigger* context_best = nullptr;
    const Trigger* kind_best = nullptr;
    for (size_t sj = si + 1; sj-- > 0;) {
      if (sentence_paragraph[sj] < context_first) break;
      const Trigger* t = trigger_of(sj);
      if (!t) continue;
      if (!context_best || t->rank < context_best->rank) context_best = t;
      if (sentence_paragraph[sj] >= kind_first && (!kind_best || t->rank < kind_best->rank)) kind_best = t;
    }
    bool context_trigger = context_best != nullptr;
    // A specific kind stated in the sentence itself wins over the context's.
    const Trigger* kind_trigger = trigger && trigger->kind != "autre" ? trigger : kind_best;
    std::string kind = kind_trigger ? kind_trigger->kind : "autre";

    // "Les deux établissements ont signé ...": a number of establishments
    // named before stand for parties of this sentence.
    if (trigger && may_refer(s)) {
      for (int e : Antecedents(doc, all, next_mention, s, here, anaphor_nouns)) {
        if (std::find(principals.begin(), principals.end(), e) == principals.end()) principals.push_back(e);
      }
    }
    // "Un dispositif fonctionne entre le CHU et le CH de Rodez", in a passage
    // about a cooperation: the two are its parties.
    if (!trigger && partners.empty() && principals.size() >= 2 && paragraph_has_trigger(si)) {
      for (size_t k = 0; k + 1 < here.size(); ++k) {
        if (!Between(doc, s, here[k].span, here[k + 1].span)) continue;
        add({here[k].entity, here[k + 1].entity}, kind, s, s.begin, s.end, here[k].span.begin);
      }
    }
    if (!partners.empty() && context_trigger) {
      std::vector<int> hubs = principals;
      if (hubs.empty()) {
        // The establishment last spoken about is the hub in its own paragraph or
        // down its list; in a later paragraph of prose, the document's focus is
        // when it is named more ("Gustave Roussy ... Le CH de Créteil a rejoint
        // ... ¶ Par ailleurs, le partenariat avec l'Hôpital privé d'Antony").
        bool recent = last_principal >= 0 &&
                      (last_principal_paragraph == para || (para >= 0 && is_list_item[para]) ||
                       mention_count[focus] <= mention_count[last_principal]);
        // "Avec le CHU de Nice, nous avons choisi ...": the text speaks for its
        // own establishment, the one it names most.
        bool first_person = RE2::PartialMatch(folded_of(s), *first_person_);
        hubs.push_back(first_person ? speaker : recent ? last_principal : focus);
      }
      std::vector<EntityMention> partner_mentions;
      for (const auto& m : here) {
        if (m.partner && std::find(principals.begin(), principals.end(), m.entity) == principals.end()) {
          partner_mentions.push_back(m);
        }
      }
      // Coordinated partners ("avec les CH de A, B et C") form one group and share a clause.
      std::vector<std::pair<size_t, size_t>> groups;  // [first, last] indices into partner_mentions
      for (size_t k = 0; k < partner_mentions.size(); ++k) {
        if (k > 0) {
          std::string gap = Fold(doc.Text({partner_mentions[k - 1].span.end, partner_mentions[k].span.begin}));
          if (RE2::FullMatch(gap, *coordination_)) {
            groups.back().second = k;
            continue;
          }
        }
        groups.emplace_back(k, k);
      }
      // "en gynécologie avec A, en pneumologie avec B": the specialty comes before
      // its partner; "avec A pour la cardiologie, avec B pour ...": after it.
      bool specialty_first = false;
      for (auto it = first_from(specialties, s.begin);
           it != specialties.end() && (*it)->span.begin < partner_mentions.front().span.begin; ++it) {
        if ((*it)->span.end <= partner_mentions.front().span.begin) specialty_first = true;
      }
      for (size_t g = 0; g < groups.size(); ++g) {
        Span first = partner_mentions[groups[g].first].span;
        Span last = partner_mentions[groups[g].second].span;
        size_t before = g == 0 ? s.begin : partner_mentions[groups[g - 1].second].span.end;
        size_t after = g + 1 == groups.size() ? s.end : partner_mentions[groups[g + 1].first].span.begin;
        size_t clause_begin = s.begin, clause_end = s.end;
        if (groups.size() > 1) {
          clause_begin = specialty_first ? before : first.begin;
          clause_end = specialty_first ? last.end : after;
        }
        // The clause leading to the partner names its kind best ("la convention de partenariat avec X").
        const Trigger* own = FindTrigger(folded_of({before, last.end}));
        const std::string& group_kind = own && own->kind != "autre" ? own->kind : kind;
        for (size_t k = groups[g].first; k <= groups[g].second; ++k) {
          std::vector<int> parties = hubs;
          parties.push_back(partner_mentions[k].entity);
          add(parties, group_kind, s, clause_begin, clause_end, partner_mentions[k].span.begin);
        }
      }
    } else if (principals.size() >= 2 && trigger) {
      std::vector<std::vector<EntityMention>> clauses = SemicolonClauses(doc, here);
      if (clauses.empty()) {
        add(principals, kind, s, s.begin, s.end, here.front().span.begin);
      } else {
        // "Le CHRU de Tours prendra en charge les CH de Blois et de Chinon ; le
        // CHR d'Orléans ceux de Gien et de Pithiviers": each clause is its
        // first establishment's, with each of the others it names ("le CH de
        // A et le CH de B partagent ... ;": the two).
        for (const std::vector<EntityMention>& clause : clauses) {
          for (size_t k = 1; k < clause.size(); ++k) {
            add({clause[0].entity, clause[k].entity}, kind, s, clause[0].span.begin, clause.back().span.end,
                clause[k].span.begin);
          }
        }
      }
    } else if (trigger && principals.size() == 1 && partners.empty() &&
               RE2::PartialMatch(folded_of(s), *partner_predicate_)) {
      // "Le CHU d'Angers reste le principal partenaire universitaire": the
      // partner of the establishment just spoken of, or of the one the text
      // is about (the speaker's, after "notre").
      bool recent = last_principal >= 0 && last_principal_paragraph == para;
      bool first_person = RE2::PartialMatch(folded_of(s), *first_person_);
      int hub = first_person ? speaker : recent ? last_principal : focus;
      if (hub != principals.front() &&
          (first_person || recent || mention_count[focus] >= kMinFocusMentions)) {
        add({hub, principals.front()}, kind, s, s.begin, s.end, here.front().span.begin);
      }
    } else if (int heading = para >= 0 ? heading_party[para] : -1;
               heading >= 0 && trigger && principals.size() == 1 && principals.front() != heading) {
      // Under a partner's heading: "Centre hospitalier de Dax ¶ ... l'avis des
      // neurologues du CHCB".
      add({heading, principals.front()}, kind, s, s.begin, s.end, here.front().span.begin);
    } else if (trigger && speaker_introduced && principals.size() == 1 && partners.empty() &&
               principals.front() != speaker && RE2::PartialMatch(folded_of(s), *first_person_)) {
      // "L'EPSM de la Haute-Savoie met à notre disposition deux psychiatres":
      // "notre" is the speaker's establishment.
      add({speaker, principals.front()}, kind, s, s.begin, s.end, here.front().span.begin);
    } else if (trigger && principals.size() == 1 && partners.empty() && last_principal >= 0 &&
               last_principal != principals.front() && last_principal_paragraph == para &&
               RE2::PartialMatch(folded_of(s), *there_)) {
      // "Le CH de Forcalquier dispose de 25 lits de SMR. Les gériatres du CH de
      // Manosque y assurent la coordination, en application d'une convention":
      // "y" is the establishment just spoken of.
      add({last_principal, principals.front()}, kind, s, s.begin, s.end, here.front().span.begin);
    } else if (trigger && principals.size() == 1 && partners.empty() && last_principal >= 0 &&
               last_principal != principals.front() && last_principal_paragraph == para &&
               here.front().span.begin > s.begin && RE2::PartialMatch(folded_of(s), *subject_pronoun_)) {
      // "Le CHU d'Amiens renforce sa présence. Il assure désormais des
      // consultations au CH d'Abbeville": "il" is the establishment just spoken of.
      add({last_principal, principals.front()}, kind, s, s.begin, s.end, here.front().span.begin);
    } else if (principals.size() == 1 && partners.empty() && principals.front() != all.front().entity &&
               item_of_partner_list(si, here.front())) {
      // "Nos partenariats ¶ CHU de Nîmes : télé-expertise en dermatologie ...":
      // a page lists the partners of the establishment it presents first.
      add({all.front().entity, principals.front()}, kind, s, s.begin, s.end, here.front().span.begin);
    } else if (int place = principals.size() == 1 && partners.empty() && trigger ? place_party(s, principals.front())
                                                                                   : -1;
               place >= 0) {
      // "L'ICANS assure des consultations d'oncologie à Haguenau": the commune
      // of a hospital the text names stands for it as the place the
      // cooperation is carried out.
      add({principals.front(), place}, kind, s, s.begin, s.end, here.front().span.begin);
    } else if (principals.size() == 1 && partners.empty() && previous_drafts.first < previous_drafts.second &&
               sentence_paragraph[si - 1] == para && RE2::PartialMatch(folded_of(s), *extends_)) {
      // "... une convention entre le CHU de Reims et le CH de Charleville. Il
      // concerne aussi le centre hospitalier de Sedan."
      for (size_t d = previous_drafts.first; d < previous_drafts.second; ++d) {
        std::vector<int> parties = drafts[d].parties;
        if (std::find(parties.begin(), parties.end(), principals.front()) != parties.end()) continue;
        parties.push_back(principals.front());
        const std::string kind = drafts[d].kind, date = drafts[d].date;
        add(parties, kind, s, s.begin, s.end, here.front().span.begin);
        if (drafts.back().date.empty()) drafts.back().date = date;  // the same cooperation
      }
    } else if (principals.size() == 1 && partners.empty() && trigger &&
               (trigger->kind == "GCS" || trigger->kind == "fédération médicale inter-hospitalière") &&
               RE2::PartialMatch(folded_of(s), *joins_)) {
      joiners.push_back({principals.front(), trigger->kind, s});
    } else if (principals.size() == 1 && partners.empty() && trigger && trigger->kind != "autre" &&
               trigger->kind != "réseau" && trigger->kind != "GHT" && trigger->kind != "fusion" &&
               trigger->kind != "direction commune" && principals.front() != focus &&
               mention_count[focus] >= kMinFocusMentions &&
               mention_count[focus] > mention_count[principals.front()]) {
      // A report or a release speaks for its focus: "Le CH d'Épinal bénéficie d'un
      // temps médical partagé en néphrologie" in the CHRU's report is with the CHRU.
      // Not when the sentence names the other party otherwise ("une convention avec
      // l'ARS"), nor for a GHT, a fusion or a common direction, which a hospital
      // mostly shares with others than the focus.
      if (!RE2::PartialMatch(folded_of(s), *other_party_)) {
        add({focus, principals.front()}, kind, s, s.begin, s.end, here.front().span.begin);
      }
    }
    if (!principals.empty()) {
      last_principal = principals.front();
      last_principal_paragraph = para;
    }
  }

  // The group an establishment joins is the one cooperation of that kind read
  // between others; with two or none, which one it joins is not known. Groups
  // are read among the drafts before any joiner was added to one.
  const size_t drafts_before_joiners = drafts.size();
  for (const Joiner& j : joiners) {
    const Draft* group = nullptr;
    bool several = false;
    for (size_t k = 0; k < drafts_before_joiners; ++k) {
      const Draft& d = drafts[k];
      if (d.kind != j.kind || std::find(d.parties.begin(), d.parties.end(), j.entity) != d.parties.end()) continue;
      several = several || (group && group->parties != d.parties);
      group = &d;
    }
    if (!group || several) continue;
    std::vector<int> parties = group->parties;  // copied: `add` may move the drafts
    parties.push_back(j.entity);
    add(parties, j.kind, j.sentence, j.sentence.begin, j.sentence.end, j.sentence.begin);
  }

  // A convention names its parties in a block of its own ("Entre les soussignés :
  // A, ... Et B, ... Il a été convenu ce qui suit"): they are its parties, though
  // no sentence names two of them.
  size_t block_first = doc.paragraphs.size(), block_end = doc.paragraphs.size();
  for (size_t p = 0; p < doc.paragraphs.size() && p < kPartyBlockWithin; ++p) {
    std::string_view text = doc.Text(doc.paragraphs[p]);
    size_t cut = std::min(text.size(), kPartyBlockHeadBytes);
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    std::string head = Fold(text.substr(0, cut));
    if (block_first == doc.paragraphs.size()) {
      if (RE2::FullMatch(head, *party_block_open_)) block_first = p;
    } else if (RE2::PartialMatch(head, *party_block_close_)) {
      block_end = p;
      break;
    }
  }
  if (block_end < doc.paragraphs.size()) {
    Span block{doc.paragraphs[block_first].begin, doc.paragraphs[block_end].begin};
    std::vector<int> parties;
    for (const auto& m : all) {
      if (m.span.begin >= block.begin && m.span.end <= block.end) parties.push_back(m.entity);
    }
    // The kind is the convention's own, in its title.
    Span title = doc.paragraphs[0];
    const Trigger* t = FindTrigger(Fold(doc.Text({title.begin, block.end})));
    add(parties, t ? t->kind : "autre", block, block.begin, block.end, block.begin);
  }

  // A list of names under an introduction that states a cooperation: "Les
  // partenaires du projet : ¶ - le CH de Verdun ; ¶ - le CHRU de Nancy." The
  // items are its parties, with any establishment the introduction names ("Le
  // CHU de Lille a signé avec : ¶ - ...").
  auto first_in = [&](Span span) {
    return std::lower_bound(all.begin(), all.end(), span.begin,
                            [](const EntityMention& m, size_t pos) { return m.span.begin < pos; });
  };
  for (size_t p = 0; p + 1 < doc.paragraphs.size(); ++p) {
    std::string_view intro = doc.Text(doc.paragraphs[p]);
    while (!intro.empty() && intro.back() == ' ') intro.remove_suffix(1);
    if (is_list_item[p] || intro.empty() || intro.back() != ':' || !is_list_item[p + 1]) continue;
    const Trigger* t = FindTrigger(Fold(intro));
    if (!t) continue;
    std::vector<int> parties;
    for (auto it = first_in(doc.paragraphs[p]); it != all.end() && it->span.end <= doc.paragraphs[p].end; ++it) {
      parties.push_back(it->entity);
    }
    size_t q = p + 1;
    bool names_only = true;
    for (; q < doc.paragraphs.size() && is_list_item[q] && names_only; ++q) {
      Span item = doc.paragraphs[q];
      std::string rest;
      size_t at = item.begin;
      size_t names = 0;
      for (auto it = first_in(item); it != all.end() && it->span.end <= item.end; ++it, ++names) {
        rest += doc.Text({at, it->span.begin});
        rest += ' ';
        at = it->span.end;
        parties.push_back(it->entity);
      }
      rest += doc.Text({at, item.end});
      names_only = names > 0 && RE2::FullMatch(Fold(rest), *name_item_rest_);
    }
    if (!names_only) continue;
    Span list{doc.paragraphs[p].begin, doc.paragraphs[q - 1].end};
    add(parties, t->kind, list, list.begin, list.end, list.begin);
  }

  // One record per set of parties and kind; a general kind gives way to a specific one.
  std::map<std::vector<int>, std::vector<Draft>> by_parties;
  for (auto& d : drafts) by_parties[d.parties].push_back(std::move(d));
  for (auto& [parties, list] : by_parties) {
    std::map<std::string, Cooperation> by_kind;
    std::set<std::tuple<std::string, size_t, size_t>> evidence_seen;  // kind, span
    bool has_specific = std::any_of(list.begin(), list.end(), [](const Draft& d) { return d.kind != "autre"; });
    for (Draft& d : list) {
      std::string kind = d.kind == "autre" && has_specific ? "" : d.kind;
      if (kind.empty()) {
        // Fold the general statement into the first specific record.
        for (const Draft& other : list) {
          if (other.kind != "autre") {
            kind = other.kind;
            break;
          }
        }
      }
      Cooperation& c = by_kind[kind];
      c.parties = parties;
      c.kind = kind;
      for (auto& sp : d.specialties) {
        if (std::find(c.specialties.begin(), c.specialties.end(), sp) == c.specialties.end()) c.specialties.push_back(sp);
      }
      if (c.date.empty()) c.date = d.date;
      for (const Span& e : d.evidence) {
        if (evidence_seen.emplace(kind, e.begin, e.end).second) c.evidence.push_back(e);
      }
    }
    for (auto& [kind, c] : by_kind) doc.cooperations.push_back(std::move(c));
  }
  std::sort(doc.cooperations.begin(), doc.cooperations.end(), [](const Cooperation& a, const Cooperation& b) {
    return a.evidence.front().begin < b.evidence.front().begin;
  });
}

}  // namespace coopkb
