#include "extractors/establishments/phrase_trie.h"

#include <algorithm>

namespace coopkb {

PhraseTrie::PhraseTrie() {
  nodes_.emplace_back();
  slots_.resize(1024);
  filter_.assign(1 << 10, 0);  // 64K bits
}

const PhraseTrie::Slot* PhraseTrie::FindSlot(std::string_view word, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.hash == 0) return &s;
    if (s.hash == hash && s.length == word.size() &&
        std::string_view(pool_).substr(s.offset, s.length) == word) {
      return &s;
    }
  }
}

void PhraseTrie::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot());
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.hash == 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].hash != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

int32_t PhraseTrie::InternWord(std::string_view folded_word) {
  uint64_t hash = WordHash(folded_word);
  const Slot* found = FindSlot(folded_word, hash);
  if (found->hash != 0) return found->id;
  if ((words_ + 1) * 4 > slots_.size()) {
    Grow();
    found = FindSlot(folded_word, hash);
  }
  Slot& s = const_cast<Slot&>(*found);
  s.hash = hash;
  s.offset = static_cast<uint32_t>(pool_.size());
  s.length = static_cast<uint32_t>(folded_word.size());
  s.id = static_cast<int32_t>(words_++);
  uint64_t bit = (hash >> 20) & (filter_.size() * 64 - 1);
  filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
  pool_.append(folded_word);
  longest_word_ = std::max(longest_word_, folded_word.size());
  starts_.push_back(false);
  return s.id;
}

int PhraseTrie::Child(int node, int32_t word) const {
  auto it = children_.find((static_cast<uint64_t>(node) << 32) | static_cast<uint32_t>(word));
  return it == children_.end() ? -1 : it->second;
}

bool PhraseTrie::Add(std::string_view phrase, int payload) {
  FoldedView folded(phrase);
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
  for (size_t i = 0; i < words.size(); ++i) ids[i] = WordId(words.folded(i), words.hash(i));
  return ids;
}

bool PhraseTrie::CapsMatch(const WordTokens& words, size_t begin, size_t end,
                           uint32_t mask) const {
  for (size_t k = 0; begin + k < end && k < 32; ++k) {
    if (((mask >> k) & 1u) && !words.AllCaps(begin + k)) return false;
  }
  return true;
}

}  // namespace coopkb
