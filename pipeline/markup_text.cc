#include "pipeline/markup_text.h"

#include <algorithm>
#include <cstring>

#include <libxml/HTMLparser.h>
#include <unicode/utf8.h>

namespace coopkb {
namespace {

// How far ahead the cursor may jump to find text it lost.
constexpr size_t kResyncWindow = 1 << 16;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsAsciiLetter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

void AppendUtf8(uint32_t c, std::string& out) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, static_cast<UChar32>(c), error);
  if (!error) out.append(buf, n);
}

}  // namespace

MarkupText::MarkupText(std::string_view source, References references)
    : source_(source), references_(references) {
  // The text is at most about the size of the markup: reserving it avoids
  // copying a growing buffer, and untouched reserved pages cost no memory.
  text_.reserve(source.size() + 16);
}

void MarkupText::Break() {
  if (line_has_text_) pending_break_ = true;
  pending_space_ = false;
}

void MarkupText::CancelBreak() {
  if (!pending_break_) return;
  pending_break_ = false;
  // The space stands for the element boundary: map it to where the text resumes.
  pending_space_ = true;
  space_src_ = cursor_;
  space_src_len_ = 0;
  space_is_literal_ = false;
}

void MarkupText::Space() {
  if (!line_has_text_ || pending_break_ || pending_space_) return;
  pending_space_ = true;
  space_src_ = cursor_;
  space_src_len_ = 0;
  space_is_literal_ = false;
}

std::vector<MarkupText::Line> MarkupText::Lines() const {
  std::vector<Line> lines;
  lines.reserve(line_starts_.size());
  for (size_t i = 0; i < line_starts_.size(); ++i) {
    size_t end = i + 1 < line_starts_.size() ? line_starts_[i + 1].first - 1 : text_.size();
    lines.push_back({line_starts_[i].first, end, line_starts_[i].second});
  }
  return lines;
}

void MarkupText::EmitNonSpace(std::string_view data, size_t src, size_t src_len, bool copied) {
  if (pending_break_) {
    text_.push_back('\n');
    map_.Replace(src, 0, 1);
    pending_break_ = false;
    pending_space_ = false;
    line_has_text_ = false;
  }
  if (!line_has_text_) {
    line_starts_.emplace_back(text_.size(), tag_);
    line_has_text_ = true;
    pending_space_ = false;
  }
  if (pending_space_) {
    text_.push_back(' ');
    if (space_is_literal_) {
      map_.Copy(space_src_, 1);
    } else {
      map_.Replace(space_src_len_ ? space_src_ : src, space_src_len_, 1);
    }
    pending_space_ = false;
  }
  text_.append(data);
  if (copied) {
    map_.Copy(src, data.size());
  } else {
    map_.Replace(src, src_len, data.size());
  }
}

// Splits kept data at whitespace: runs of it become one pending space (or
// breaks, in preformatted mode), everything else is appended.
void MarkupText::Emit(std::string_view data, size_t src, size_t src_len, bool copied) {
  size_t i = 0;
  while (i < data.size()) {
    if (IsSpace(data[i])) {
      if (preformatted_ && data[i] == '\n') {
        Break();
      } else if (line_has_text_ && !pending_space_ && !pending_break_) {
        pending_space_ = true;
        space_src_ = copied ? src + i : src;
        space_src_len_ = copied ? 1 : src_len;
        space_is_literal_ = copied && data[i] == ' ';
      }
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < data.size() && !IsSpace(data[j])) ++j;
    if (copied) {
      EmitNonSpace(data.substr(i, j - i), src + i, j - i, true);
    } else {
      EmitNonSpace(data.substr(i, j - i), src, src_len, false);
    }
    i = j;
  }
}

void MarkupText::Output(std::string_view data, size_t src, size_t src_len, bool copied, bool keep) {
  if (keep) Emit(data, src, src_len, copied);
}

size_t MarkupText::SkipMarkup(size_t pos) {
  std::string_view s = source_;
  auto find_from = [&](std::string_view what, size_t from) {
    size_t f = s.find(what, from);
    return f == std::string_view::npos ? s.size() : f + what.size();
  };
  if (pos + 1 >= s.size()) return pos;
  char next = s[pos + 1];
  if (s.compare(pos, 4, "<!--") == 0) return find_from("-->", pos + 4);
  if (s.compare(pos, 9, "<![CDATA[") == 0) return pos + 9;  // the data follows verbatim
  if (next == '!') {
    // <!DOCTYPE ...> with an optional [internal subset].
    size_t bracket = s.find('[', pos);
    size_t close = s.find('>', pos);
    if (bracket != std::string_view::npos && bracket < close) {
      size_t subset_end = s.find(']', bracket);
      if (subset_end == std::string_view::npos) return s.size();
      return find_from(">", subset_end);
    }
    return close == std::string_view::npos ? s.size() : close + 1;
  }
  if (next == '?') {
    size_t close = s.find("?>", pos);
    if (close != std::string_view::npos) return close + 2;
    return find_from(">", pos);
  }
  if (!(IsAsciiLetter(next) || (next == '/' && pos + 2 < s.size() && IsAsciiLetter(s[pos + 2])))) {
    return pos;
  }
  // A tag: up to the '>' outside quoted attribute values.
  for (size_t k = pos + 1; k < s.size(); ++k) {
    char c = s[k];
    if (c == '>') return k + 1;
    if (c == '"' || c == '\'') {
      size_t q = s.find(c, k + 1);
      size_t gt = s.find('>', k + 1);
      // An unbalanced quote in broken markup: the tag ends at the next '>'.
      if (q == std::string_view::npos || q - k > kResyncWindow) {
        return gt == std::string_view::npos ? s.size() : gt + 1;
      }
      k = q;
    }
  }
  return s.size();
}

size_t MarkupText::DecodeReference(size_t pos, std::string& decoded) const {
  decoded.clear();
  std::string_view s = source_;
  size_t semi = s.find(';', pos + 1);
  if (semi == std::string_view::npos || semi - pos > 40 || semi == pos + 1) return 0;
  std::string_view body = s.substr(pos + 1, semi - pos - 1);
  if (body[0] == '#') {
    uint32_t value = 0;
    bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    size_t digits = 0;
    for (size_t k = hex ? 2 : 1; k < body.size(); ++k, ++digits) {
      char c = body[k];
      int d = c >= '0' && c <= '9' ? c - '0'
              : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                               : -1;
      if (d < 0) return 0;
      value = value * (hex ? 16 : 10) + d;
      if (value > 0x10FFFF) return 0;
    }
    if (digits == 0) return 0;
    if (value != 0 && !(value >= 0xD800 && value <= 0xDFFF)) AppendUtf8(value, decoded);
    return semi + 1 - pos;
  }
  for (char c : body) {
    if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) return 0;
  }
  if (references_ == kXml) {
    static constexpr std::pair<std::string_view, char> kPredefined[] = {
        {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    for (const auto& [name, c] : kPredefined) {
      if (body == name) decoded.push_back(c);
    }
    // Other entities are never expanded: the reference stands for nothing.
    return semi + 1 - pos;
  }
  char name[48];
  std::memcpy(name, body.data(), body.size());
  name[body.size()] = '\0';
  const htmlEntityDesc* entity = htmlEntityLookup(reinterpret_cast<const xmlChar*>(name));
  // An unknown HTML entity is passed on literally by the parser.
  if (entity == nullptr) return 0;
  AppendUtf8(entity->value, decoded);
  return semi + 1 - pos;
}

void MarkupText::Characters(std::string_view chars, bool keep) {
  std::string_view s = source_;
  size_t i = 0;
  while (i < chars.size()) {
    if (cursor_ >= s.size()) {
      Output(chars.substr(i), s.size(), 0, false, keep);
      return;
    }
    char c = s[cursor_];
    if (c == '<') {
      size_t after = SkipMarkup(cursor_);
      if (after != cursor_) {
        cursor_ = after;
        continue;
      }
    } else if (c == '&') {
      size_t len = DecodeReference(cursor_, decoded_);
      if (len > 0) {
        if (!decoded_.empty() && chars.compare(i, decoded_.size(), decoded_) == 0) {
          Output(decoded_, cursor_, len, false, keep);
          i += decoded_.size();
        }
        // Otherwise the parser dropped the reference: skip it.
        cursor_ += len;
        continue;
      }
    } else if (c == ']' && s.compare(cursor_, 3, "]]>") == 0 && chars[i] != ']') {
      cursor_ += 3;  // end of a CDATA section
      continue;
    }
    if (c == chars[i]) {
      size_t n = 1;
      size_t max = std::min(chars.size() - i, s.size() - cursor_);
      while (n < max && chars[i + n] == s[cursor_ + n] && s[cursor_ + n] != '<' &&
             s[cursor_ + n] != '&')
        ++n;
      Output(chars.substr(i, n), cursor_, n, true, keep);
      i += n;
      cursor_ += n;
      continue;
    }
    if (IsSpace(c)) {  // whitespace the parser dropped (or a \r it folded)
      ++cursor_;
      continue;
    }
    if (IsSpace(chars[i])) {  // whitespace the parser made up
      Output(chars.substr(i, 1), cursor_, 0, false, keep);
      ++i;
      continue;
    }
    // Lost: look for the rest of the data a little further on.
    std::string_view probe = chars.substr(i, std::min<size_t>(32, chars.size() - i));
    size_t found = s.substr(cursor_, kResyncWindow).find(probe);
    if (found != std::string_view::npos) {
      cursor_ += found;
      continue;
    }
    // Not in the source as such (text the parser made up): map the rest of
    // the data to the cursor rather than searching again for every character.
    Output(chars.substr(i), cursor_, 0, false, keep);
    return;
  }
}

void MarkupText::RawCharacters(std::string_view chars, bool keep) {
  if (chars.empty()) return;
  std::string_view s = source_;
  std::string_view probe = chars.substr(0, std::min<size_t>(64, chars.size()));
  size_t found = s.substr(std::min(cursor_, s.size()), kResyncWindow).find(probe);
  if (found == std::string_view::npos) {
    Output(chars, std::min(cursor_, s.size()), 0, false, keep);
    return;
  }
  cursor_ += found;
  size_t n = 0;
  size_t max = std::min(chars.size(), s.size() - cursor_);
  while (n < max && chars[n] == s[cursor_ + n]) ++n;
  Output(chars.substr(0, n), cursor_, n, true, keep);
  cursor_ += n;
  if (n < chars.size()) Output(chars.substr(n), cursor_, 0, false, keep);
}

}  // namespace coopkb
