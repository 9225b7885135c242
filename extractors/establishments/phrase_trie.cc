#include "extractors/establishments/phrase_trie.h"

namespace coopkb {

PhraseTrie::PhraseTrie() { nodes_.emplace_back(); }

int32_t PhraseTrie::WordId(std::string_view folded_word) const {
  auto it = vocabulary_.find(folded_word);
  return it == vocabulary_.end() ? -1 : it->second;
}

int32_t PhraseTrie::InternWord(std::string_view folded_word) {
  auto it = vocabulary_.find(folded_word);
  if (it != vocabulary_.end()) return it->second;
  int32_t id = static_cast<int32_t>(vocabulary_.size());
  vocabulary_.emplace(std::string(folded_word), id);
  starts_.push_back(false);
  return id;
}

int PhraseTrie::Child(int node, int32_t word) const {
  auto it = children_.find((static_cast<uint64_t>(node) << 32) | static_cast<uint32_t>(word));
  return it == children_.end() ? -1 : it->second;
}

bool PhraseTrie::Add(std::string_view phrase, int payload) {
  FoldedText folded(phrase);
  WordTokens words(folded, phrase);
  if (words.size() == 0) return false;
  int node = 0;
  uint32_t caps = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    int32_t id = InternWord(words.folded(i));
    if (i == 0) starts_[id] = true;
    if (i < 32 && words.AllCaps(i)) caps |= 1u << i;
    uint64_t k = (static_cast<uint64_t>(node) << 32) | static_cast<uint32_t>(id);
    auto it = children_.find(k);
    if (it == children_.end()) {
      nodes_.emplace_back();
      it = children_.emplace(k, static_cast<int>(nodes_.size() - 1)).first;
    }
    node = it->second;
  }
  nodes_[node].payloads.push_back({payload, caps});
  return true;
}

std::vector<int32_t> PhraseTrie::Lookup(const WordTokens& words) const {
  std::vector<int32_t> ids(words.size());
  for (size_t i = 0; i < words.size(); ++i) ids[i] = WordId(words.folded(i));
  return ids;
}

void PhraseTrie::MatchAt(const WordTokens& words, const std::vector<int32_t>& ids, size_t begin,
                         const std::function<void(int payload, size_t end)>& found) const {
  int node = 0;
  for (size_t i = begin; i < words.size(); ++i) {
    if (ids[i] < 0) return;
    if (i > begin && !IsSoftGap(words.gap_before(i))) return;
    node = Child(node, ids[i]);
    if (node < 0) return;
    for (const Payload& p : nodes_[node].payloads) {
      bool caps_ok = true;
      for (size_t k = 0; k <= i - begin && k < 32 && caps_ok; ++k) {
        if ((p.caps_mask >> k) & 1u) caps_ok = words.AllCaps(begin + k);
      }
      if (caps_ok) found(p.value, i + 1);
    }
  }
}

}  // namespace coopkb
