#include "extractors/dates/phrase_list.h"

#include "extractors/dates/folded_tokens.h"
#include "pipeline/fold.h"

namespace coopkb {

bool PhraseList::Add(std::string_view phrase, int tag) {
  std::string folded = Fold(phrase);
  Phrase p{{}, tag};
  for (Token t = NextToken(folded, 0); !t.at_end(); t = NextToken(folded, t.end)) {
    p.tokens.emplace_back(t.text);
  }
  if (p.tokens.empty()) return false;
  size_t index = phrases_.size();
  by_last_[p.tokens.back()].push_back(index);
  by_first_[p.tokens.front()].push_back(index);
  phrases_.push_back(std::move(p));
  return true;
}

std::optional<PhraseList::Match> PhraseList::MatchBefore(std::string_view folded,
                                                         size_t pos) const {
  Token last = PrevToken(folded, pos);
  if (last.at_end() || last.kind == TokenKind::kNewline) return std::nullopt;
  auto it = by_last_.find(last.text);
  if (it == by_last_.end()) return std::nullopt;
  std::optional<Match> best;
  for (size_t index : it->second) {
    const Phrase& p = phrases_[index];
    Token t = last;
    bool ok = true;
    for (size_t i = p.tokens.size() - 1; i-- > 0;) {
      t = PrevToken(folded, t.begin);
      if (!t.is(p.tokens[i]) || t.kind == TokenKind::kNewline) {
        ok = false;
        break;
      }
    }
    if (ok && (!best || t.begin < best->begin)) best = Match{t.begin, last.end, p.tag};
  }
  return best;
}

std::optional<PhraseList::Match> PhraseList::MatchAfter(std::string_view folded,
                                                        size_t pos) const {
  Token first = NextToken(folded, pos);
  if (first.at_end() || first.kind == TokenKind::kNewline) return std::nullopt;
  auto it = by_first_.find(first.text);
  if (it == by_first_.end()) return std::nullopt;
  std::optional<Match> best;
  for (size_t index : it->second) {
    const Phrase& p = phrases_[index];
    Token t = first;
    bool ok = true;
    for (size_t i = 1; i < p.tokens.size(); ++i) {
      t = NextToken(folded, t.end);
      if (!t.is(p.tokens[i]) || t.kind == TokenKind::kNewline) {
        ok = false;
        break;
      }
    }
    if (ok && (!best || t.end > best->end)) best = Match{first.begin, t.end, p.tag};
  }
  return best;
}

}  // namespace coopkb
