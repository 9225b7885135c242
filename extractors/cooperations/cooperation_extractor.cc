#include "extractors/cooperations/cooperation_extractor.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "pipeline/fold.h"

namespace coopkb {
namespace {

// The key a trigger phrase and a matched text share: folded, hyphens as
// spaces, no plural mark on any word.
std::string TriggerKey(std::string_view text) {
  std::string folded = Fold(text);
  std::string out;
  std::string word;
  auto flush = [&]() {
    if (word.empty()) return;
    if (word.size() > 3 && (word.back() == 's' || word.back() == 'x')) word.pop_back();
    if (!out.empty()) out += ' ';
    out += word;
    word.clear();
  };
  for (char c : folded) {
    if (c == ' ' || c == '-') flush();
    else word += c;
  }
  flush();
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

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

struct EntityMention {
  int entity;
  Span span;
  bool partner = false;
};

struct Draft {
  std::vector<int> parties;  // sorted, distinct
  std::string kind;
  std::vector<std::string> specialties;
  std::string date;
  std::vector<Span> evidence;
};

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
    patterns.emplace_back(PhrasePattern(phrase), x->triggers_.size() - 1);
    x->by_key_.emplace(TriggerKey(phrase), x->triggers_.size() - 1);
  }
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
  x->trigger_re_ = std::make_unique<RE2>("(" + alternation + ")", options);
  if (!x->trigger_re_->ok()) {
    return Status::Internal("cooperation triggers: " + x->trigger_re_->error());
  }
  x->partner_cue_ = std::make_unique<RE2>(
      R"((?:^|[^a-z0-9])(?:avec|aupres|aux cotes|en lien avec|en partenariat avec)(?: d[eu]s?)?)"
      R"((?: (?:le|la|les|l'|un|une|des|d'|ses|son|sa|leur|leurs|nos|notre|nouveaux?|nouvelles?)){0,2} ?$)");
  x->coordination_ = std::make_unique<RE2>(
      R"(^[ ,]*(?:(?:et|ou|ainsi que|avec|de|du|des|d'|le|la|les|l')[ ,]*)*$)");
  if (!x->partner_cue_->ok() || !x->coordination_->ok()) {
    return Status::Internal("cooperation cue patterns do not compile");
  }
  return std::unique_ptr<Extractor>(std::move(x));
}

const CooperationExtractor::Trigger* CooperationExtractor::FindTrigger(std::string_view folded) const {
  const Trigger* best = nullptr;
  re2::StringPiece input(folded.data(), folded.size());
  re2::StringPiece match;
  while (RE2::FindAndConsume(&input, *trigger_re_, &match)) {
    size_t begin = static_cast<size_t>(match.data() - folded.data());
    size_t end = begin + match.size();
    bool left_ok = begin == 0 || !IsWordByte(folded[begin - 1]);
    bool right_ok = end >= folded.size() || !IsWordByte(folded[end]);
    if (!left_ok || !right_ok) continue;
    auto it = by_key_.find(TriggerKey(std::string_view(match.data(), match.size())));
    if (it == by_key_.end()) continue;
    const Trigger& t = triggers_[it->second];
    if (!best || t.rank < best->rank) best = &t;
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

  // The establishment the document is about: the most named, the first on a tie.
  int focus = all.front().entity;
  for (const auto& m : all) {
    if (mention_count[m.entity] > mention_count[focus]) focus = m.entity;
  }

  // Paragraph of each sentence, and whether each sentence states a cooperation.
  auto paragraph_of = [&](Span s) -> int {
    for (size_t i = 0; i < doc.paragraphs.size(); ++i) {
      if (s.begin >= doc.paragraphs[i].begin && s.begin < doc.paragraphs[i].end + 1) return static_cast<int>(i);
    }
    return -1;
  };
  std::vector<const Trigger*> sentence_trigger(doc.sentences.size(), nullptr);
  std::vector<int> sentence_paragraph(doc.sentences.size(), -1);
  std::vector<bool> paragraph_has_trigger(doc.paragraphs.size(), false);
  for (size_t i = 0; i < doc.sentences.size(); ++i) {
    sentence_trigger[i] = FindTrigger(Fold(doc.Text(doc.sentences[i])));
    sentence_paragraph[i] = paragraph_of(doc.sentences[i]);
    if (sentence_trigger[i] && sentence_paragraph[i] >= 0) paragraph_has_trigger[sentence_paragraph[i]] = true;
  }

  std::vector<const Mention*> dates, specialties;
  for (const Mention& m : doc.mentions) {
    if (m.kind == MentionKind::kDate) dates.push_back(&m);
    if (m.kind == MentionKind::kSpecialty) specialties.push_back(&m);
  }

  std::vector<Draft> drafts;
  auto add = [&](std::vector<int> parties, const std::string& kind, Span evidence, size_t clause_begin,
                 size_t clause_end, size_t anchor) {
    std::sort(parties.begin(), parties.end());
    parties.erase(std::unique(parties.begin(), parties.end()), parties.end());
    if (parties.size() < 2) return;
    Draft d{parties, kind, {}, "", {evidence}};
    for (const Mention* s : specialties) {
      if (s->span.begin >= clause_begin && s->span.end <= clause_end &&
          std::find(d.specialties.begin(), d.specialties.end(), s->value) == d.specialties.end()) {
        d.specialties.push_back(s->value);
      }
    }
    size_t best_distance = SIZE_MAX;
    for (const Mention* m : dates) {
      if (m->span.begin < evidence.begin || m->span.end > evidence.end) continue;
      size_t distance = m->span.begin > anchor ? m->span.begin - anchor : anchor - m->span.begin;
      if (distance < best_distance) {
        best_distance = distance;
        d.date = m->value;
      }
    }
    drafts.push_back(std::move(d));
  };

  int last_principal = -1;  // the establishment the text was last speaking about
  size_t next_mention = 0;
  for (size_t si = 0; si < doc.sentences.size(); ++si) {
    Span s = doc.sentences[si];
    std::vector<EntityMention> here;
    while (next_mention < all.size() && all[next_mention].span.begin < s.begin) ++next_mention;
    for (size_t k = next_mention; k < all.size() && all[k].span.begin < s.end; ++k) here.push_back(all[k]);

    // Partners: introduced by "avec", or coordinated with one that is.
    for (size_t k = 0; k < here.size(); ++k) {
      // Folded offsets are found by folding the prefix; sentences are short.
      std::string before = Fold(doc.Text({s.begin, here[k].span.begin}));
      if (RE2::PartialMatch(before, *partner_cue_)) {
        here[k].partner = true;
      } else if (k > 0 && here[k - 1].partner) {
        std::string gap = Fold(doc.Text({here[k - 1].span.end, here[k].span.begin}));
        here[k].partner = RE2::FullMatch(gap, *coordination_);
      }
    }
    std::vector<int> principals, partners;
    for (const auto& m : here) {
      auto& list = m.partner ? partners : principals;
      if (std::find(list.begin(), list.end(), m.entity) == list.end()) list.push_back(m.entity);
    }
    for (int p : principals) partners.erase(std::remove(partners.begin(), partners.end(), p), partners.end());

    const Trigger* trigger = sentence_trigger[si];
    int para = sentence_paragraph[si];
    bool context_trigger = trigger != nullptr;
    for (size_t sj = si; !context_trigger && sj-- > 0;) {
      if (sentence_paragraph[sj] != para) break;
      context_trigger = sentence_trigger[sj] != nullptr;
    }
    if (!context_trigger && para > 0) context_trigger = paragraph_has_trigger[para - 1];
    const Trigger* kind_trigger = trigger;
    for (size_t sj = si; !kind_trigger && sj-- > 0;) {
      if (sentence_paragraph[sj] < para - 1) break;
      kind_trigger = sentence_trigger[sj];
    }
    std::string kind = kind_trigger ? kind_trigger->kind : "autre";

    if (!partners.empty() && context_trigger) {
      std::vector<int> hubs = principals;
      if (hubs.empty()) {
        int hub = last_principal >= 0 ? last_principal : focus;
        hubs.push_back(hub);
      }
      // Each partner's clause runs from the previous partner to the next one.
      std::vector<EntityMention> partner_mentions;
      for (const auto& m : here) {
        if (m.partner && std::find(principals.begin(), principals.end(), m.entity) == principals.end()) {
          partner_mentions.push_back(m);
        }
      }
      for (size_t k = 0; k < partner_mentions.size(); ++k) {
        const auto& m = partner_mentions[k];
        // Coordinated partners ("avec les CH de A, B et C") share one clause.
        size_t first = k, last = k;
        while (first > 0) {
          std::string gap = Fold(doc.Text({partner_mentions[first - 1].span.end, partner_mentions[first].span.begin}));
          if (!RE2::FullMatch(gap, *coordination_)) break;
          --first;
        }
        while (last + 1 < partner_mentions.size()) {
          std::string gap = Fold(doc.Text({partner_mentions[last].span.end, partner_mentions[last + 1].span.begin}));
          if (!RE2::FullMatch(gap, *coordination_)) break;
          ++last;
        }
        size_t clause_begin = first == 0 ? s.begin : partner_mentions[first - 1].span.end;
        size_t clause_end = last + 1 == partner_mentions.size() ? s.end : partner_mentions[last + 1].span.begin;
        if (partner_mentions.size() == 1) {
          clause_begin = s.begin;
          clause_end = s.end;
        }
        std::vector<int> parties = hubs;
        parties.push_back(m.entity);
        add(parties, kind, s, clause_begin, clause_end, m.span.begin);
      }
    } else if (principals.size() >= 2 && trigger) {
      add(principals, kind, s, s.begin, s.end, here.front().span.begin);
    }
    if (!principals.empty()) last_principal = principals.front();
  }

  // One record per set of parties and kind; a general kind gives way to a specific one.
  std::map<std::vector<int>, std::vector<Draft>> by_parties;
  for (auto& d : drafts) by_parties[d.parties].push_back(std::move(d));
  for (auto& [parties, list] : by_parties) {
    std::map<std::string, Cooperation> by_kind;
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
        if (std::find(c.evidence.begin(), c.evidence.end(), e) == c.evidence.end()) c.evidence.push_back(e);
      }
    }
    for (auto& [kind, c] : by_kind) doc.cooperations.push_back(std::move(c));
  }
  std::sort(doc.cooperations.begin(), doc.cooperations.end(), [](const Cooperation& a, const Cooperation& b) {
    return a.evidence.front().begin < b.evidence.front().begin;
  });
}

}  // namespace coopkb
