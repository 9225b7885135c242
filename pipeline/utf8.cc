#include "pipeline/utf8.h"

#include <unicode/utf8.h>

namespace coopkb {
namespace {
constexpr size_t kStride = 64;
inline bool IsLead(unsigned char c) { return (c & 0xC0) != 0x80; }
}  // namespace

Utf8Index::Utf8Index(std::string_view text) : text_(text) {
  checkpoints_.reserve(text.size() / kStride + 2);
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % kStride == 0) checkpoints_.push_back(count);
    if (IsLead(static_cast<unsigned char>(text[i]))) ++count;
  }
  if (text.size() % kStride == 0) checkpoints_.push_back(count);
}

size_t Utf8Index::CodePoint(size_t byte) const {
  if (byte > text_.size()) byte = text_.size();
  size_t block = byte / kStride;
  size_t count = checkpoints_[block];
  for (size_t i = block * kStride; i < byte; ++i) {
    if (IsLead(static_cast<unsigned char>(text_[i]))) ++count;
  }
  return count;
}

bool IsValidUtf8(std::string_view s) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t len = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < len) {
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace coopkb
