#include "pipeline/offset_map.h"

#include <algorithm>

namespace coopkb {

OffsetMap OffsetMap::Identity(size_t len) {
  OffsetMapBuilder b;
  b.Copy(0, len);
  return std::move(b).Build();
}

size_t OffsetMap::output_size() const {
  return pieces_.empty() ? 0 : pieces_.back().dst + pieces_.back().dst_len;
}

namespace {
// Index of the piece holding output offset `dst` (the last piece starting at or before it).
size_t PieceAt(const std::vector<OffsetMap::Piece>& pieces, size_t dst) {
  auto it = std::upper_bound(pieces.begin(), pieces.end(), dst,
                             [](size_t d, const OffsetMap::Piece& p) { return d < p.dst; });
  return it == pieces.begin() ? 0 : static_cast<size_t>(it - pieces.begin()) - 1;
}
}  // namespace

size_t OffsetMap::ToSource(size_t dst) const {
  if (pieces_.empty()) return dst;
  const Piece& p = pieces_[PieceAt(pieces_, dst)];
  if (dst >= p.dst + p.dst_len) return p.src + p.src_len;
  if (p.dst_len == p.src_len) return p.src + (dst - p.dst);
  return p.src;
}

size_t OffsetMap::EndToSource(size_t dst) const {
  if (pieces_.empty()) return dst;
  if (dst == 0) return ToSource(0);
  const Piece& p = pieces_[PieceAt(pieces_, dst - 1)];
  if (p.dst_len == p.src_len) return p.src + (dst - p.dst);
  return p.src + p.src_len;
}

OffsetMap OffsetMap::Compose(const OffsetMap& inner) const {
  OffsetMapBuilder b;
  for (const Piece& p : pieces_) {
    if (p.dst_len != p.src_len || p.dst_len == 0) {
      size_t src = inner.ToSource(p.src);
      size_t src_end = inner.EndToSource(p.src + p.src_len);
      b.Replace(src, src_end > src ? src_end - src : 0, p.dst_len);
      continue;
    }
    // A copied piece may straddle several inner pieces: split it at their borders.
    size_t a = p.src, end = p.src + p.src_len;
    while (a < end) {
      const Piece& q = inner.pieces_.empty() ? Piece{a, end - a, a, end - a}
                                             : inner.pieces_[PieceAt(inner.pieces_, a)];
      size_t q_end = std::max(q.dst + q.dst_len, a + 1);
      size_t stop = std::min(end, q_end);
      if (q.dst_len == q.src_len || inner.pieces_.empty()) {
        b.Copy(inner.ToSource(a), stop - a);
      } else {
        b.Replace(q.src, q.src_len, stop - a);
      }
      a = stop;
    }
  }
  return std::move(b).Build();
}

void OffsetMapBuilder::Copy(size_t src, size_t len) {
  if (len == 0) return;
  auto& pieces = map_.pieces_;
  if (!pieces.empty()) {
    OffsetMap::Piece& last = pieces.back();
    if (last.dst_len == last.src_len && last.dst + last.dst_len == dst_ &&
        last.src + last.src_len == src) {
      last.dst_len += len;
      last.src_len += len;
      dst_ += len;
      return;
    }
  }
  pieces.push_back({dst_, len, src, len});
  dst_ += len;
}

void OffsetMapBuilder::Replace(size_t src, size_t src_len, size_t dst_len) {
  if (dst_len == 0) return;  // a deletion leaves nothing in the output to map
  // An equal-length replacement maps byte for byte, which is right for a
  // character repaired in place.
  map_.pieces_.push_back({dst_, dst_len, src, src_len});
  dst_ += dst_len;
}

OffsetMap OffsetMapBuilder::Build() && { return std::move(map_); }

}  // namespace coopkb
