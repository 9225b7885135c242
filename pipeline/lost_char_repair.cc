#include "pipeline/lost_char_repair.h"

#include <algorithm>

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace coopkb {
namespace {

constexpr std::string_view kOe = "\xC5\x93";         // œ
constexpr std::string_view kOeCapital = "\xC5\x92";  // Œ
constexpr std::string_view kApostrophe = "\xE2\x80\x99";
constexpr std::string_view kOpenQuote = "\xC2\xAB";   // «
constexpr std::string_view kCloseQuote = "\xC2\xBB";  // »
constexpr std::string_view kEnDash = "\xE2\x80\x93";

// The code point before / at a byte offset of `s` (-1 at the edges).
UChar32 CharBefore(std::string_view s, size_t pos, size_t floor) {
  if (pos <= floor) return -1;
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), static_cast<int32_t>(floor), i, c);
  return c;
}

UChar32 CharAt(std::string_view s, size_t pos, size_t limit) {
  if (pos >= limit) return -1;
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(limit), c);
  return c;
}

bool IsLetter(UChar32 c) { return c >= 0 && u_isalpha(c); }
bool IsUpper(UChar32 c) { return c >= 0 && u_isupper(c); }
bool IsLower(UChar32 c) { return c >= 0 && u_islower(c); }
bool IsSpace(UChar32 c) { return c == ' ' || c == 0xA0 || c == 0x202F || c == '\t'; }

// Start of the run of letters ending at `pos`.
size_t LettersBefore(std::string_view s, size_t pos, size_t floor) {
  while (pos > floor) {
    int32_t i = static_cast<int32_t>(pos);
    UChar32 c;
    U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), static_cast<int32_t>(floor), i, c);
    if (!IsLetter(c)) break;
    pos = static_cast<size_t>(i);
  }
  return pos;
}

// End of the run of letters starting at `pos`.
size_t LettersAfter(std::string_view s, size_t pos, size_t limit) {
  while (pos < limit) {
    int32_t i = static_cast<int32_t>(pos);
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(limit), c);
    if (!IsLetter(c)) break;
    pos = static_cast<size_t>(i);
  }
  return pos;
}

size_t Utf8Len(UChar32 c) { return c < 0 ? 0 : U8_LENGTH(c); }

}  // namespace

Result<LostCharRepairer> LostCharRepairer::Create(const LexiconTable& table) {
  LostCharRepairer r;
  for (const LexiconRow& row : table.rows()) {
    std::string_view cls = row.Get("class");
    std::string entry = Fold(row.Get("entry"));
    if (cls == "oe") {
      if (entry.find("oe") == std::string::npos) {
        return Status::UserError(fmt::format("{}:{}: an oe word must contain oe", table.file(), row.line()));
      }
      r.oe_stems_.push_back(std::move(entry));
    } else if (cls == "elision") {
      r.elisions_.insert(std::move(entry));
    } else if (cls == "prefix") {
      r.prefixes_.insert(std::move(entry));
    } else if (cls == "starter") {
      r.starters_.insert(std::move(entry));
    } else {
      return Status::UserError(fmt::format("{}:{}: unknown class '{}'", table.file(), row.line(), cls));
    }
  }
  return r;
}

bool LostCharRepairer::IsOeWord(std::string_view before, std::string_view after) const {
  std::string word = Fold(before);
  size_t stem_floor = word.size() + 2;
  word += "oe";
  word += Fold(after);
  for (const std::string& stem : oe_stems_) {
    if (stem.size() >= stem_floor && word.compare(0, stem.size(), stem) == 0) return true;
  }
  return false;
}

void LostCharRepairer::Find(std::string_view text, std::vector<Replacement>& out) const {
  FindWrappedCompounds(text, out);
  if (text.find('?') == std::string_view::npos) return;
  // A "?" glued to a following letter anywhere shows the text lost characters.
  bool lost_chars_seen = false;
  for (size_t q = text.find('?'); q != std::string_view::npos && !lost_chars_seen;
       q = text.find('?', q + 1)) {
    lost_chars_seen = IsLetter(CharAt(text, q + 1, text.size()));
  }
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    if (text.substr(begin, end - begin).find('?') != std::string_view::npos) {
      FindInLine(text, begin, end, lost_chars_seen, out);
    }
    begin = end + 1;
  }
}

void LostCharRepairer::FindInLine(std::string_view text, size_t begin, size_t end,
                                  bool lost_chars_seen, std::vector<Replacement>& out) const {
  // " ? " between capitalized words, kept until we know whether the pattern repeats.
  std::vector<size_t> dash_candidates;
  size_t open_quote = std::string_view::npos;
  std::vector<Replacement> line_out;

  for (size_t p = text.find('?', begin); p != std::string_view::npos && p < end;
       p = text.find('?', p + 1)) {
    UChar32 prev = CharBefore(text, p, begin);
    UChar32 next = CharAt(text, p + 1, end);
    if (IsLetter(next)) {
      size_t word_begin = LettersBefore(text, p, begin);
      size_t word_end = LettersAfter(text, p + 1, end);
      std::string_view left = text.substr(word_begin, p - word_begin);
      std::string_view right = text.substr(p + 1, word_end - p - 1);
      if (IsOeWord(left, right)) {
        bool capital = IsUpper(next) && (left.empty() || IsUpper(CharBefore(text, p, begin)));
        line_out.push_back({p, p + 1, std::string(capital ? kOeCapital : kOe), "lost_char:oe"});
      } else if (!left.empty() && elisions_.count(Fold(left))) {
        line_out.push_back({p, p + 1, std::string(kApostrophe), "lost_char:apostrophe"});
      } else if (left.empty() && open_quote == std::string_view::npos) {
        open_quote = p;  // may open a pair of quotes
      }
      continue;
    }
    if (IsSpace(prev) && IsSpace(next)) {
      size_t w1_end = p - Utf8Len(prev);
      size_t w1_begin = LettersBefore(text, w1_end, begin);
      size_t w2_begin = p + 1 + Utf8Len(next);
      size_t w2_end = LettersAfter(text, w2_begin, end);
      std::string_view w1 = text.substr(w1_begin, w1_end - w1_begin);
      std::string_view w2 = text.substr(w2_begin, w2_end - w2_begin);
      if (!w1.empty() && !w2.empty() && IsLower(CharAt(text, w2_begin, end)) &&
          prefixes_.count(Fold(w1)) && !starters_.count(Fold(w2))) {
        line_out.push_back({w1_end, w2_begin, "-", "lost_char:hyphen"});
        continue;
      }
      if (!w1.empty() && !w2.empty() && IsUpper(CharAt(text, w1_begin, end)) &&
          IsUpper(CharAt(text, w2_begin, end)) && !starters_.count(Fold(w2))) {
        dash_candidates.push_back(p);
        continue;
      }
    }
    if (open_quote != std::string_view::npos && prev >= 0 && !IsLetter(next)) {
      line_out.push_back({open_quote, open_quote + 1, std::string(kOpenQuote), "lost_char:quote"});
      line_out.push_back({p, p + 1, std::string(kCloseQuote), "lost_char:quote"});
      open_quote = std::string_view::npos;
      continue;
    }
    if (p == begin && IsSpace(next) && lost_chars_seen) {
      line_out.push_back({p, p + 1, std::string(kEnDash), "lost_char:dash"});  // a list bullet
    }
  }
  if (lost_chars_seen || dash_candidates.size() >= 2) {
    for (size_t p : dash_candidates) line_out.push_back({p, p + 1, std::string(kEnDash), "lost_char:dash"});
  }
  for (auto& r : line_out) out.push_back(std::move(r));
}

void LostCharRepairer::FindWrappedCompounds(std::string_view text, std::vector<Replacement>& out) const {
  for (size_t h = text.find("- "); h != std::string_view::npos; h = text.find("- ", h + 1)) {
    size_t w1_begin = LettersBefore(text, h, 0);
    if (w1_begin == h) continue;
    if (!IsLower(CharAt(text, h + 2, text.size()))) continue;
    if (!prefixes_.count(Fold(text.substr(w1_begin, h - w1_begin)))) continue;
    // "pré- et postopératoire" suspends the hyphen on purpose.
    size_t w2_end = LettersAfter(text, h + 2, text.size());
    if (starters_.count(Fold(text.substr(h + 2, w2_end - h - 2)))) continue;
    out.push_back({h + 1, h + 2, "", "hyphen_space"});
  }
}

}  // namespace coopkb
