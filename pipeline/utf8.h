// UTF-8 helpers: code point offsets for exports, validity checks.
//
//   Utf8Index index(doc.text);
//   size_t cp = index.CodePoint(span.begin);   // byte offset -> code point offset
//
// Spans are byte offsets internally; the export contract counts code points.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace coopkb {

class Utf8Index {
 public:
  explicit Utf8Index(std::string_view text);
  // Code point offset of byte offset `byte` (must be on a character boundary
  // or the text's end; inside a character it counts that character).
  size_t CodePoint(size_t byte) const;

 private:
  // Code point count at every 64th byte, and the text to walk the rest.
  std::vector<size_t> checkpoints_;
  std::string_view text_;
};

bool IsValidUtf8(std::string_view s);

}  // namespace coopkb
