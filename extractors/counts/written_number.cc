#include "extractors/counts/written_number.h"

#include <string>
#include <vector>

namespace coopkb {
namespace {

bool IsMarkToken(const Token& t, char c) {
  return t.kind == TokenKind::kMark && t.text.size() == 1 && t.text[0] == c;
}

std::optional<WrittenNumber> ReadDigits(std::string_view f, const Token& first) {
  WrittenNumber n;
  n.begin = first.begin;
  n.end = first.end;
  std::string integer(first.text);
  std::string_view fraction;
  n.leading_zero = first.text.size() > 1 && first.text[0] == '0';
  n.plain = true;
  if (first.text.size() <= 3) {
    // Thousands groups: "600 000" (any folded space), "1.500.000".
    for (char sep : {' ', '.'}) {
      size_t end = n.end;
      std::string grouped = integer;
      while (true) {
        Token mark = sep == '.' ? NextToken(f, end) : Token{};
        size_t group_pos = end;
        if (sep == '.') {
          if (!IsMarkToken(mark, '.') || mark.begin != end) break;
          group_pos = mark.end;
        } else {
          size_t p = end;
          while (p < f.size() && f[p] == ' ') ++p;
          if (p == end || p - end > 2) break;
          group_pos = p;
        }
        Token group = NextToken(f, group_pos);
        if (!group.is_number() || group.begin != group_pos || group.text.size() != 3) break;
        Token after = NextToken(f, group.end);
        // "1.500,5" or a further group is fine; "1.500.3" or "12 345-6" is a code.
        if (after.begin == group.end && after.is_word()) break;
        grouped += group.text;
        end = group.end;
      }
      if (end != n.end) {
        integer = grouped;
        n.end = end;
        n.plain = false;
        break;
      }
    }
  }
  // Decimals: "4,2"; "2.5" when not a thousands group.
  Token mark = NextToken(f, n.end);
  if (mark.begin == n.end && (IsMarkToken(mark, ',') || (n.plain && IsMarkToken(mark, '.')))) {
    Token frac = NextToken(f, mark.end);
    if (frac.is_number() && frac.begin == mark.end &&
        (IsMarkToken(mark, ',') || frac.text.size() <= 2)) {
      fraction = frac.text;
      n.end = frac.end;
      n.plain = false;
    }
  }
  n.digits = integer.size();
  if (!Decimal::Parse(integer, fraction, &n.value)) return std::nullopt;
  return n;
}

std::vector<std::string_view> SplitHyphens(std::string_view word) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dash = word.find('-', start);
    parts.push_back(word.substr(start, dash == std::string_view::npos ? word.npos : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  return parts;
}

// Adds number words to a running French cardinal. French compounds are read
// left to right: units and tens add, "cent" multiplies the group, "mille"
// closes the thousands, "quatre-vingt" is four twenties, "et" only joins a ten
// and "un"/"onze".
class CardinalBuilder {
 public:
  explicit CardinalBuilder(const CountWords& words) : words_(&words) {}

  // False when `part` cannot continue the number.
  bool Add(std::string_view part) {
    if (part == "et") {
      if (pending_et_ || current_ % 10 != 0 || current_ % 100 < 20 || last_ != kTen) return false;
      pending_et_ = true;
      return true;
    }
    const NumberWord* w = words_->Number(part);
    if (!w || w->role == NumberRole::kMultiplier) return false;
    if (pending_et_ && !(w->value == 1 || w->value == 11)) return false;
    switch (w->role) {
      case NumberRole::kArticle:
        if (!pending_et_) return false;
        current_ += 1;
        last_ = kUnit;
        break;
      case NumberRole::kUnit:
        // "dix-sept", "soixante-douze", "deux cent trois"; not "deux trois".
        if (last_ == kUnit && !(current_ % 100 % 20 == 10 && w->value < 10)) return false;
        if (last_ == kTen && current_ % 10 != 0) return false;
        current_ += w->value;
        last_ = kUnit;
        break;
      case NumberRole::kTen:
        if (w->value == 20 && last_ == kUnit && current_ % 100 == 4) {
          current_ += 76;  // quatre-vingt(s)
        } else if (last_ == kUnit || last_ == kTen) {
          return false;
        } else {
          current_ += w->value;
        }
        last_ = kTen;
        break;
      case NumberRole::kHundred:
        if (last_ == kHundred || current_ % 100 >= 10 || current_ >= 100) return false;
        current_ = (current_ == 0 ? 1 : current_) * 100;
        last_ = kHundred;
        break;
      case NumberRole::kThousand:
        if (last_ == kThousand || total_ != 0) return false;
        total_ = (current_ == 0 ? 1 : current_) * 1000;
        current_ = 0;
        last_ = kThousand;
        break;
      case NumberRole::kMultiplier:
        return false;
    }
    pending_et_ = false;
    return true;
  }

  bool complete() const { return !pending_et_ && value() > 0; }
  long long value() const { return total_ + current_; }

 private:
  enum Last { kNone, kUnit, kTen, kHundred, kThousand };
  const CountWords* words_;
  long long total_ = 0, current_ = 0;
  Last last_ = kNone;
  bool pending_et_ = false;
};

std::optional<WrittenNumber> ReadWords(std::string_view f, const Token& first,
                                       const CountWords& words) {
  CardinalBuilder cardinal(words);
  WrittenNumber n;
  n.begin = first.begin;
  n.in_words = true;
  long long value = 0;
  Token t = first;
  while (t.is_word()) {
    // A hyphenated word is a number as a whole or not at all: "Deux-Sèvres".
    CardinalBuilder trial = cardinal;
    bool ok = true;
    for (std::string_view part : SplitHyphens(t.text)) ok = ok && trial.Add(part);
    if (!ok) {
      if (t.begin == first.begin) return std::nullopt;
      break;
    }
    cardinal = trial;
    if (cardinal.complete()) {
      n.end = t.end;
      value = cardinal.value();
    }
    t = NextToken(f, t.end);
  }
  if (value == 0) return std::nullopt;
  n.value = Decimal(value);
  return n;
}

}  // namespace

std::optional<WrittenNumber> ReadWrittenNumber(std::string_view folded, const Token& first,
                                               const CountWords& words) {
  if (first.is_number()) return ReadDigits(folded, first);
  if (first.is_word()) return ReadWords(folded, first, words);
  return std::nullopt;
}

}  // namespace coopkb
