// PhraseTrie (namespace coopkb::specialties): phrases as paths of words, walked
// one word at a time.
//
//   PhraseTrie trie;
//   int node = PhraseTrie::kRoot;
//   for (std::string_view w : {"chirurgie", "cardiaque"}) node = trie.AddChild(node, w);
//   // ... remember what phrase ends at `node` ...
//
//   int n = trie.Child(PhraseTrie::kRoot, "chirurgie");   // kNone: no phrase starts so
//   n = trie.Child(n, "cardiaque");                        // == node
//   trie.Child(PhraseTrie::kRoot, "neuro", "radiologie");  // the word "neuroradiologie",
//                                                          // given in two pieces
//
// Nodes are small integers (kRoot is 0, then 1, 2, ... in creation order), so
// callers keep what belongs to a node in a plain vector. All edges live in one
// open-addressing hash table keyed by (parent node, word): a lookup costs one
// hash of the word (eight bytes at a time) and usually one probe, whatever the
// size of the lexicon, which is what lets the extractor try every word of a text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coopkb::specialties {

class PhraseTrie {
 public:
  static constexpr int kRoot = 0;
  static constexpr int kNone = -1;

  PhraseTrie();

  // The child of `node` by `word`, created when missing.
  int AddChild(int node, std::string_view word);
  // The child of `node` by `word`, or kNone.
  int Child(int node, std::string_view word) const;
  // The child of `node` by the word head+tail, or kNone.
  int Child(int node, std::string_view head, std::string_view tail) const;
  // Number of nodes, the root included.
  int size() const { return nodes_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    int32_t parent = kNone;
    int32_t child = kNone;  // kNone: the slot is free
    uint32_t offset = 0;    // the word, in words_
    uint32_t length = 0;
  };
  static uint64_t Hash(int node, std::string_view word);
  void Grow();

  std::vector<Slot> slots_;  // size is a power of two, at most half full
  std::string words_;
  int nodes_ = 1;
  int edges_ = 0;
};

}  // namespace coopkb::specialties
