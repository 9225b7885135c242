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
  int32_t WordId(std::string_view folded_word) const {
    return WordId(folded_word, WordHash(folded_word));
  }
  int32_t WordId(std::string_view folded_word, uint64_t hash) const {
    if (folded_word.size() > longest_word_) return -1;
    uint64_t bit = (hash >> 20) & (filter_.size() * 64 - 1);
    if (!((filter_[bit >> 6] >> (bit & 63)) & 1)) return -1;
    return FindSlot(folded_word, hash)->id;
  }
  int32_t InternWord(std::string_view folded_word);

  // The id of every word of `words`.
  std::vector<int32_t> Lookup(const WordTokens& words) const;

  // Calls `found(payload, end)` for every phrase that starts at word `begin`,
  // shorter phrases first; `end` is one past its last word.
  template <typename Found>
  void MatchAt(const WordTokens& words, const std::vector<int32_t>& ids, size_t begin,
               Found&& found) const;

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

  bool CapsMatch(const WordTokens& words, size_t begin, size_t end, uint32_t mask) const;

  // Open addressing on a power-of-two table: every word of every text is
  // looked up, and nearly all of them are absent, so a miss must be cheap.
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0, length = 0;  // in pool_
    int32_t id = -1;
  };
  const Slot* FindSlot(std::string_view word, uint64_t hash) const;
  void Grow();
  std::vector<Slot> slots_;
  std::vector<uint64_t> filter_;  // one bit per hash value modulo its size: most words miss here
  std::string pool_;
  size_t words_ = 0;
  size_t longest_word_ = 0;

  std::unordered_map<uint64_t, int> children_;  // (node << 32 | word) -> node
  std::vector<Node> nodes_;
  std::vector<bool> starts_;
};

template <typename Found>
void PhraseTrie::MatchAt(const WordTokens& words, const std::vector<int32_t>& ids, size_t begin,
                         Found&& found) const {
  int node = 0;
  for (size_t i = begin; i < words.size(); ++i) {
    if (ids[i] < 0) return;
    if (i > begin && !IsSoftGap(words.gap_before(i))) return;
    node = Child(node, ids[i]);
    if (node < 0) return;
    for (const Payload& p : nodes_[node].payloads) {
      if (p.caps_mask == 0 || CapsMatch(words, begin, i + 1, p.caps_mask)) found(p.value, i + 1);
    }
  }
}

}  // namespace coopkb
