// SmallWordMap: a map from short folded words to values, bucketed by first
// byte and length so that a look-up is one bucket and a memcmp or two, with no
// hashing. Lexicon word lists (number words, stop words) are looked up for
// nearly every word near a number, so this is on the hot path of counts.
//
//   SmallWordMap<int> numbers;
//   numbers.Insert("deux", 2);
//   if (const int* v = numbers.Find("deux")) ...   // 2
//   numbers.Find("deuxieme");                       // nullptr
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coopkb {

template <typename V>
class SmallWordMap {
 public:
  // Keeps the first value given for a word.
  void Insert(std::string_view word, V value) {
    if (word.empty()) return;
    auto& bucket = buckets_[Bucket(word)];
    for (const auto& [w, v] : bucket) {
      if (w == word) return;
    }
    bucket.emplace_back(std::string(word), std::move(value));
    shapes_[static_cast<unsigned char>(word[0])] |= 1u << LengthSlot(word);
    ++size_;
  }
  // Replaces the value of a word already present, or inserts it.
  void Set(std::string_view word, V value) {
    if (word.empty()) return;
    for (auto& [w, v] : buckets_[Bucket(word)]) {
      if (w == word) {
        v = std::move(value);
        return;
      }
    }
    Insert(word, std::move(value));
  }
  // False when no word of the map has this first byte and length: a test
  // cheap enough for every word of a text.
  bool MayContain(std::string_view word) const {
    return !word.empty() &&
           (shapes_[static_cast<unsigned char>(word[0])] >> LengthSlot(word)) & 1u;
  }
  const V* Find(std::string_view word) const {
    if (!MayContain(word)) return nullptr;
    for (const auto& [w, v] : buckets_[Bucket(word)]) {
      if (w == word) return &v;
    }
    return nullptr;
  }
  bool Contains(std::string_view word) const { return Find(word) != nullptr; }
  size_t size() const { return size_; }

  template <typename F>
  void ForEach(F&& f) const {
    for (const auto& bucket : buckets_) {
      for (const auto& [w, v] : bucket) f(w, v);
    }
  }

 private:
  static constexpr size_t kLengths = 16;
  static size_t LengthSlot(std::string_view word) {
    return word.size() < kLengths ? word.size() : kLengths - 1;
  }
  static size_t Bucket(std::string_view word) {
    return static_cast<unsigned char>(word[0]) * kLengths + LengthSlot(word);
  }
  std::array<std::vector<std::pair<std::string, V>>, 256 * kLengths> buckets_;
  std::array<uint32_t, 256> shapes_{};  // per first byte, a bit per length slot
  size_t size_ = 0;
};

}  // namespace coopkb
