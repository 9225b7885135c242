#include "extractors/specialties/phrase_trie.h"

#include <cstring>

namespace coopkb::specialties {

PhraseTrie::PhraseTrie() : slots_(256) {}

uint64_t PhraseTrie::Hash(int node, std::string_view word) {
  // Words are short: eight bytes at a time, then a final mix so that the low
  // bits, which index the table, depend on every byte.
  uint64_t h = 0x9E3779B97F4A7C15ULL * (static_cast<uint64_t>(node) + 1) ^ word.size();
  const char* p = word.data();
  size_t n = word.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
  }
  if (n > 0) {
    uint64_t v = 0;
    for (size_t k = 0; k < n; ++k) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[k])) << (8 * k);
    h = (h ^ v) * 0xC4CEB9FE1A85EC53ULL;
  }
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 32;
  return h;
}

int PhraseTrie::Child(int node, std::string_view word) const {
  const uint64_t h = Hash(node, word);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.child == kNone) return kNone;
    if (s.hash == h && s.parent == node && s.length == word.size() &&
        (word.empty() || std::memcmp(words_.data() + s.offset, word.data(), word.size()) == 0)) {
      return s.child;
    }
  }
}

int PhraseTrie::Child(int node, std::string_view head, std::string_view tail) const {
  char buffer[64];  // longer than any word of a lexicon phrase
  if (head.size() + tail.size() > sizeof(buffer)) return kNone;
  std::memcpy(buffer, head.data(), head.size());
  if (!tail.empty()) std::memcpy(buffer + head.size(), tail.data(), tail.size());
  return Child(node, std::string_view(buffer, head.size() + tail.size()));
}

int PhraseTrie::AddChild(int node, std::string_view word) {
  int existing = Child(node, word);
  if (existing != kNone) return existing;
  if (2 * (edges_ + 1) > static_cast<int>(slots_.size())) Grow();
  Slot slot;
  slot.hash = Hash(node, word);
  slot.parent = node;
  slot.child = nodes_++;
  slot.offset = static_cast<uint32_t>(words_.size());
  slot.length = static_cast<uint32_t>(word.size());
  words_.append(word);
  const size_t mask = slots_.size() - 1;
  size_t i = slot.hash & mask;
  while (slots_[i].child != kNone) i = (i + 1) & mask;
  slots_[i] = slot;
  ++edges_;
  return slot.child;
}

void PhraseTrie::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.child == kNone) continue;
    size_t i = s.hash & mask;
    while (slots_[i].child != kNone) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace coopkb::specialties
