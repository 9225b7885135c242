#include "pipeline/text_rewriter.h"

#include <algorithm>

namespace coopkb {

void TextRewriter::Copy(size_t begin, size_t end) {
  if (end <= begin) return;
  if (begin != position_) changed_ = true;
  out_.append(input_.data() + begin, end - begin);
  map_.Copy(begin, end - begin);
  position_ = end;
}

void TextRewriter::Replace(size_t begin, size_t end, std::string_view with) {
  if (begin != position_ || input_.substr(begin, end - begin) != with) changed_ = true;
  out_.append(with);
  if (with.size() == end - begin && input_.substr(begin, end - begin) == with) {
    map_.Copy(begin, with.size());
  } else {
    map_.Replace(begin, end - begin, with.size());
  }
  position_ = end;
}

RewrittenText TextRewriter::Finish() {
  Copy(position_, input_.size());
  return {TakeText(), TakeMap()};
}

RewrittenText Apply(std::string_view text, std::vector<Replacement>& replacements) {
  std::stable_sort(replacements.begin(), replacements.end(),
                   [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
  TextRewriter w(text);
  size_t kept = 0;
  for (size_t i = 0; i < replacements.size(); ++i) {
    Replacement& r = replacements[i];
    if (r.begin < w.position()) continue;  // overlaps the previous one
    w.Copy(w.position(), r.begin);
    w.Replace(r.begin, r.end, r.with);
    if (kept != i) replacements[kept] = std::move(r);
    ++kept;
  }
  replacements.resize(kept);
  return w.Finish();
}

}  // namespace coopkb
