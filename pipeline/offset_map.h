// OffsetMap: where a byte of a rewritten text came from in the text it was made of.
//
//   OffsetMapBuilder b;
//   b.Copy(/*src=*/0, /*len=*/5);          // "Hello" kept as is
//   b.Replace(/*src=*/5, /*src_len=*/3, /*dst_len=*/1);  // "..." became "…"
//   OffsetMap map = std::move(b).Build();
//   map.ToSource(6);                       // -> 8
//
// Each stage that rewrites text (decoding, HTML reading, cleaning) records how its
// output was made from its input; Compose() chains the maps so that a span of the
// final cleaned text points back to byte offsets in the original file.
#pragma once

#include <cstddef>
#include <vector>

namespace coopkb {

class OffsetMap {
 public:
  // A piece of the output [dst, dst+dst_len) made from input [src, src+src_len).
  // When the lengths are equal the piece was copied and maps byte for byte;
  // otherwise every output byte of it maps to the start of its input range.
  struct Piece {
    size_t dst, dst_len, src, src_len;
  };

  OffsetMap() = default;
  // The map of a text copied unchanged.
  static OffsetMap Identity(size_t len);

  // Input offset of output offset `dst` (an end offset maps to the end of the
  // input piece). Offsets past the end map to the end of the input.
  size_t ToSource(size_t dst) const;
  // Input offset for an exclusive end offset: the end of the piece before `dst`.
  size_t EndToSource(size_t dst) const;

  // this: B -> A, inner: A -> original.  Result: B -> original.
  OffsetMap Compose(const OffsetMap& inner) const;

  const std::vector<Piece>& pieces() const { return pieces_; }
  size_t output_size() const;

 private:
  friend class OffsetMapBuilder;
  std::vector<Piece> pieces_;  // sorted by dst, contiguous
};

class OffsetMapBuilder {
 public:
  // Output grows by `len` bytes copied from input offset `src`.
  void Copy(size_t src, size_t len);
  // Output grows by `dst_len` bytes standing for input [src, src+src_len).
  void Replace(size_t src, size_t src_len, size_t dst_len);
  size_t output_size() const { return dst_; }
  OffsetMap Build() &&;

 private:
  OffsetMap map_;
  size_t dst_ = 0;
};

}  // namespace coopkb
