// PhraseTrie: multi-word lexicon phrases matched word by word on WordTokens.
//
//   PhraseTrie trie;
//   trie.Add("Centre hospitalier d'Arras", /*payload=*/7);   // folded and split into words
//   trie.Add("CHU", 8);               // words written in capitals must be in capitals
//   std::vector<int32_t> ids = trie.Lookup(words);    // word ids of a text, -1 if unknown
//   trie.MatchAt(words, ids, i, [&](int payload, size_t end) { ... });
//
// Matching ignores case, accents and what separates words inside a phrase as
// long as it may stand inside a name (IsSoftGap): "Saint‐Etienne", "saint
// Étienne" and "SAINT-ETIENNE" are one phrase. Words are interned, so a text
// is hashed once (Lookup) and every phrase walk then compares integers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "extractors/establishments/word_tokens.h"

namespace coopkb {

class PhraseTrie {
 public:
  PhraseTrie();

  // Adds `phrase` (as written: folded here) with `payload`. Returns false when
  // the phrase has no word.
  bool Add(std::string_view phrase, int payload);

  // The id of a folded word, interning it when `intern`; -1 when unknown.
  int32_t WordId(std::string_view folded_word) const;
  int32_t InternWord(std::string_view folded_word);

  // The id of every word of `words`.
  std::vector<int32_t> Lookup(const WordTokens& words) const;

  // Calls `found(payload, end)` for every phrase that starts at word `begin`,
  // shorter phrases first; `end` is one past its last word.
  void MatchAt(const WordTokens& words, const std::vector<int32_t>& ids, size_t begin,
               const std::function<void(int payload, size_t end)>& found) const;

  // True when some phrase starts with this word (a cheap filter before MatchAt).
  bool StartsPhrase(int32_t word_id) const {
    return word_id >= 0 && static_cast<size_t>(word_id) < starts_.size() && starts_[word_id];
  }

 private:
  struct Payload {
    int value;
    uint32_t caps_mask;  // bit k: word k was written in capitals in the lexicon
  };
  struct Node {
    std::vector<Payload> payloads;
  };
  int Child(int node, int32_t word) const;

  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> vocabulary_;
  std::unordered_map<uint64_t, int> children_;  // (node << 32 | word) -> node
  std::vector<Node> nodes_;
  std::vector<bool> starts_;
};

}  // namespace coopkb
