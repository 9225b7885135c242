// PhraseList: short lexicon phrases ("en", "à partir de", "jusqu'en", "pour
// cent") matched token by token on folded text, right before or right after an
// offset. Rules use it to ask "is this number preceded by a date cue?" without
// running a regular expression per question.
//
//   PhraseList cues;
//   cues.Add("à partir de", /*tag=*/1);          // folded and tokenized once
//   // folded text "a partir de 2020", `year` the token "2020":
//   if (auto m = cues.MatchBefore(f, year.begin)) {
//     m->begin;  // offset of "a"
//     m->tag;    // 1
//   }
//   cues.MatchAfter(f, pos);                        // a phrase starting at pos
//
// The longest phrase wins. Tokens of a phrase may be separated by spaces but
// never by a line break; see folded_tokens.h for what a token is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace coopkb {

// A map keyed by std::string that answers lookups by std::string_view.
struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using WordMap = std::unordered_map<std::string, V, TransparentHash, std::equal_to<>>;

class PhraseList {
 public:
  struct Match {
    size_t begin = 0, end = 0;  // folded offsets of the whole phrase
    int tag = 0;
  };

  // `phrase` in any spelling: it is folded here. Returns false when it holds no token.
  bool Add(std::string_view phrase, int tag);

  std::optional<Match> MatchBefore(std::string_view folded, size_t pos) const;
  std::optional<Match> MatchAfter(std::string_view folded, size_t pos) const;
  bool empty() const { return phrases_.empty(); }

 private:
  struct Phrase {
    std::vector<std::string> tokens;
    int tag;
  };
  std::vector<Phrase> phrases_;
  WordMap<std::vector<size_t>> by_last_;   // last token -> phrases
  WordMap<std::vector<size_t>> by_first_;  // first token -> phrases
};

}  // namespace coopkb
