#include "extractors/specialties/phrase_trie.h"

#include <cstring>

namespace coopkb::specialties {

PhraseTrie::PhraseTrie() : slots_(256) {}

uint64_t PhraseTrie::Hash(int node, std::string_view head, std::string_view tail) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : head) h = (h ^ c) * 1099511628211ULL;
  for (unsigned char c : tail) h = (h ^ c) * 1099511628211ULL;
  h ^= static_cast<uint64_t>(node) * 0x9E3779B97F4A7C15ULL;
  h ^= h >> 31;  // FNV leaves the low bits, which index the table, poorly mixed
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 29;
  return h;
}

int PhraseTrie::Child(int node, std::string_view head, std::string_view tail) const {
  const uint64_t h = Hash(node, head, tail);
  const size_t mask = slots_.size() - 1;
  const size_t length = head.size() + tail.size();
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.child == kNone) return kNone;
    if (s.hash != h || s.parent != node || s.length != length) continue;
    const char* w = words_.data() + s.offset;
    if ((head.empty() || std::memcmp(w, head.data(), head.size()) == 0) &&
        (tail.empty() || std::memcmp(w + head.size(), tail.data(), tail.size()) == 0)) {
      return s.child;
    }
  }
}

int PhraseTrie::AddChild(int node, std::string_view word) {
  int existing = Child(node, word);
  if (existing != kNone) return existing;
  if (2 * (edges_ + 1) > static_cast<int>(slots_.size())) Grow();
  Slot slot;
  slot.hash = Hash(node, word, {});
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
