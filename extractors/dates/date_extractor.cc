#include "extractors/dates/date_extractor.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "extractors/dates/calendar.h"
#include "extractors/dates/folded_tokens.h"
#include "extractors/dates/folded_view.h"

namespace coopkb {
namespace {

// Bare years are read between these bounds; a year inside a written day or
// month ("30 septembre 1898") may be older.
constexpr int kBareYearMin = 1900;
constexpr int kWrittenYearMin = 1800;
constexpr int kYearMax = 2099;
// The second year of a range is later than the first, and not absurdly so.
constexpr int kMaxRangeYears = 100;

struct FoundDate {
  size_t begin, end;  // folded offsets
  WrittenDate date;
};

// A day and month, perhaps with year and time, read at one number.
struct DayMonth {
  size_t begin = 0, end = 0;
  WrittenDate date;
  YearHint hint = YearHint::kNearest;
};

int Value(const Token& t) {
  int v = 0;
  for (char c : t.text) v = v * 10 + (c - '0');
  return v;
}

bool IsNumber(const Token& t, size_t min_len, size_t max_len) {
  return t.is_number() && t.text.size() >= min_len && t.text.size() <= max_len;
}

bool IsMark(const Token& t, char c) {
  return t.kind == TokenKind::kMark && t.text.size() == 1 && t.text[0] == c;
}

bool IsJoiningMark(const Token& t) {
  return t.kind == TokenKind::kMark && t.text.size() == 1 &&
         (t.text[0] == '-' || t.text[0] == '/' || t.text[0] == '.' || t.text[0] == ',' ||
          t.text[0] == ':');
}

// A byte of a word, for the month scan: an ASCII letter or any non-ASCII byte.
bool InWord(unsigned char c) { return IsAsciiLetter(static_cast<char>(c)) || c >= 0x80; }

// The first offset at or after `pos` where a word starts with a byte marked
// in `initials` (ASCII letters only), that is where that byte follows no byte
// of a word; text.size() when there is none. Word starts are found eight bytes
// at a time, and only they are looked up: the scan for months reads a whole
// text, one word start in six bytes or so.
size_t NextWordStartingWith(std::string_view text, size_t pos, const std::array<bool, 256>& initials) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  // Whether the byte before the chunk is in a word: read once, then carried
  // over from the chunk before.
  uint64_t before_chunk = pos > 0 && InWord(p[pos - 1]) ? 0x80 : 0;
  for (; pos + 8 <= text.size(); pos += 8) {
    uint64_t x;
    std::memcpy(&x, p + pos, 8);
    const uint64_t high = x & kHigh, low7 = x & ~kHigh;
    // 'a'..'z' per byte: low7 + 0x1F reaches 0x80 from 'a' on, low7 + 0x05
    // from '{' on; neither carries into the next byte.
    const uint64_t lower = (low7 + 0x1F * kOnes) & ~(low7 + 0x05 * kOnes) & kHigh & ~high;
    const uint64_t in_word = lower | high;
    const uint64_t after_word = in_word << 8 | before_chunk;
    before_chunk = in_word >> 56;
    for (uint64_t starts = lower & ~after_word; starts != 0; starts &= starts - 1) {
      const size_t at = pos + static_cast<size_t>(__builtin_ctzll(starts)) / 8;
      if (initials[p[at]]) return at;
    }
  }
  for (; pos < text.size(); ++pos) {
    if (initials[p[pos]] && !(pos > 0 && InWord(p[pos - 1]))) return pos;
  }
  return text.size();
}

// The rules for one document: reads candidates left to right and collects dates.
class DateReader {
 public:
  DateReader(const DateWords& words, const FoldedView& folded, std::string_view original,
             std::optional<WrittenDate> published)
      : w_(words), ft_(folded), f_(folded.folded()), original_(original),
        published_(published) {}

  std::vector<FoundDate> Run() {
    size_t n = f_.size();
    size_t i = 0;
    while ((i = FindAsciiDigit(f_, i)) < n) {
      Token num = NextToken(f_, i);
      if (!(TryNumeric(num) || TryDayMonth(num) || TryYear(num))) {
        consumed_ = std::max(consumed_, num.end);
      }
      i = std::max(consumed_, num.end);
    }
    if (published_ && published_->month) ReadMonthsWithoutYear();
    std::sort(found_.begin(), found_.end(),
              [](const FoundDate& a, const FoundDate& b) { return a.begin < b.begin; });
    return std::move(found_);
  }

 private:
  void Emit(size_t begin, size_t end, const WrittenDate& d) {
    if (!d.valid()) return;
    for (const FoundDate& f : found_) {
      if (f.begin == begin && f.end == end) return;
    }
    found_.push_back(FoundDate{begin, end, d});
  }

  // A cue of `role` ending at `pos` (or starting at `pos` when `after`), with the
  // accent confirmed on the original text when its folded form is ambiguous.
  std::optional<PhraseList::Match> Cue(CueRole role, size_t pos, bool after) const {
    const PhraseList& list = w_.cues(role);
    auto m = after ? list.MatchAfter(f_, pos) : list.MatchBefore(f_, pos);
    if (m && m->tag == kNeedsAccent) {
      Span s = ft_.ToOriginal(Span{m->begin, m->end});
      if (!HasAccent(original_.substr(s.begin, s.size()))) return std::nullopt;
    }
    return m;
  }

  bool GluedBefore(const Token& t) const { return coopkb::GluedBefore(f_, t); }
  bool GluedAfter(size_t end) const { return coopkb::GluedAfter(f_, end); }

  // The start of a run of qualifiers ending right before `pos` ("début d'année",
  // "mi-", "au début de l'exercice", "fin de"), or `pos` when there is none.
  size_t QualifiedStart(size_t pos) const {
    size_t start = pos;
    for (int steps = 0; steps < 4; ++steps) {
      Token p = PrevToken(f_, start);
      if (IsMark(p, '-') && p.end == start) {  // "mi-2020"
        auto q = Cue(CueRole::kQualifier, p.begin, false);
        if (q && q->end == p.begin) {
          start = q->begin;
          continue;
        }
        break;
      }
      if (auto q = Cue(CueRole::kQualifier, start, false)) {
        start = q->begin;
        continue;
      }
      // A joiner stands between two qualifiers ("début d'année 2016") or
      // between a qualifier and the year ("au début de 2023", "fin de 2023").
      auto j = Cue(CueRole::kJoiner, start, false);
      if (!j) break;
      auto q = Cue(CueRole::kQualifier, j->begin, false);
      if (!q) break;
      start = q->begin;
    }
    return start;
  }

  // A month name at `t`, possibly abbreviated with its period, or as the second
  // half of "mi-mars". Returns the month and sets *end past it.
  int MonthAt(const Token& t, size_t* end) const {
    if (!t.is_word()) return 0;
    int m = w_.Month(t.text);
    if (m == 0) {
      size_t dash = t.text.find('-');
      if (dash == std::string_view::npos) return 0;
      std::string_view head = t.text.substr(0, dash);
      m = w_.Month(t.text.substr(dash + 1));
      auto q = w_.cues(CueRole::kQualifier).MatchAfter(head, 0);
      if (m == 0 || !q || q->end != head.size()) return 0;
    }
    *end = t.end;
    if (w_.IsAbbreviation(t.text)) {
      Token dot = NextToken(f_, t.end);
      if (IsMark(dot, '.') && Attached(t, dot)) *end = dot.end;
    }
    return m;
  }

  // The month whose name (or abbreviation and period) ends right before `pos`;
  // sets *begin and *end to its extent.
  int MonthBefore(size_t pos, size_t* begin, size_t* end) const {
    Token p = PrevToken(f_, pos);
    if (IsMark(p, '.')) {
      Token a = PrevToken(f_, p.begin);
      if (Attached(a, p) && w_.IsAbbreviation(a.text)) {
        *begin = a.begin;
        *end = p.end;
        return w_.Month(a.text);
      }
      return 0;
    }
    int m = MonthAt(p, end);
    if (m) *begin = p.begin;
    return m;
  }

  // A day number 1-31, written "1er" for the first; sets *end past it.
  int DayAt(const Token& t, size_t* end) const {
    if (!IsNumber(t, 1, 2)) return 0;
    int day = Value(t);
    if (day < 1 || day > 31) return 0;
    Token p = PrevToken(f_, t.begin);
    bool range_dash = IsMark(p, '-') && PrevToken(f_, p.begin).is_number();  // "2-3 mars"
    if (GluedBefore(t) && !range_dash) return 0;
    *end = t.end;
    Token s = NextToken(f_, t.end);
    if (Attached(t, s)) {
      if (day == 1 && s.is_word() && (s.is("er") || s.is("\xe1\xb5\x89\xca\xb3"))) {
        *end = s.end;  // "1er", "1ᵉʳ"
      } else if (s.is_word() || s.is_number()) {
        return 0;  // "3e", "2eme": an ordinal, not a day
      }
    }
    return day;
  }

  // The time after a full date: "à 11h30", ", 14 h", "vers 9 heures", "à 10:15".
  bool ReadTime(size_t pos, WrittenDate* d, size_t* end) const {
    size_t p = pos;
    if (auto cue = Cue(CueRole::kTime, pos, true)) p = cue->end;
    Token h = NextToken(f_, p);
    if (!IsNumber(h, 1, 2) || Value(h) > 23) return false;
    Token mark = NextToken(f_, h.end);
    int minute = 0;
    size_t e = 0;
    if (mark.is_word() && w_.cues(CueRole::kHour).MatchAfter(f_, mark.begin)) {
      e = mark.end;
      Token m = NextToken(f_, mark.end);
      if (IsNumber(m, 2, 2) && Value(m) <= 59 && !GluedAfter(m.end)) {
        minute = Value(m);
        e = m.end;
      } else if (GluedAfter(mark.end)) {
        return false;  // "24h/24"
      }
    } else if (IsMark(mark, ':') && Attached(h, mark)) {
      Token m = NextToken(f_, mark.end);
      if (!IsNumber(m, 2, 2) || !Attached(mark, m) || Value(m) > 59) return false;
      minute = Value(m);
      e = m.end;
    } else {
      return false;
    }
    d->hour = Value(h);
    d->minute = minute;
    *end = e;
    return true;
  }

  // "22 janvier 2001", "1er janvier", "30 sept. 2009 à 11h30", without side effects.
  std::optional<DayMonth> ReadDayMonth(const Token& num) const {
    DayMonth r;
    size_t day_end = 0;
    r.date.day = DayAt(num, &day_end);
    if (!r.date.day) return std::nullopt;
    r.begin = num.begin;
    Token month = NextToken(f_, day_end);
    if (month.kind == TokenKind::kNewline) return std::nullopt;
    r.date.month = MonthAt(month, &r.end);
    if (!r.date.month) return std::nullopt;
    Token year = NextToken(f_, r.end);
    if (IsNumber(year, 4, 4) && Value(year) >= kWrittenYearMin && Value(year) <= kYearMax &&
        !GluedAfter(year.end)) {
      r.date.year = Value(year);
      r.end = year.end;
      size_t time_end = 0;
      if (ReadTime(r.end, &r.date, &time_end)) r.end = time_end;
    } else if (IsNumber(year, 2, 2) && !GluedAfter(year.end) && !NextToken(f_, year.end).is_word() &&
               !NextToken(f_, year.end).is_number()) {
      r.date.year = TwoDigitYear(year);  // "3 mars 22."
      r.end = year.end;
    } else if (auto past = Cue(CueRole::kPast, r.end, true)) {
      r.hint = YearHint::kPast;
      r.end = past->end;
    } else if (auto future = Cue(CueRole::kFuture, r.end, true)) {
      r.hint = YearHint::kFuture;
      r.end = future->end;
    } else {
      r.hint = ClauseTense(num.begin);
    }
    Token weekday = PrevToken(f_, num.begin);
    if (weekday.is_word() && w_.IsWeekday(weekday.text)) r.begin = weekday.begin;
    return r;
  }

  // "22/01/2001", "22.01.2001", "2001-01-22", "2020-11-09T11:30", "01/2001".
  bool TryNumeric(const Token& a) {
    if (GluedBefore(a)) return false;
    Token s1 = NextToken(f_, a.end);
    if (!Attached(a, s1) || !IsJoiningMark(s1) || s1.is(",") || s1.is(":")) return false;
    Token b = NextToken(f_, s1.end);
    if (!Attached(s1, b) || !b.is_number()) return false;
    Token s2 = NextToken(f_, b.end);
    Token c = NextToken(f_, s2.end);
    bool three = Attached(b, s2) && s2.text == s1.text && Attached(s2, c) && c.is_number();
    WrittenDate d;
    size_t end = 0;
    if (three && a.text.size() == 4 && s1.is("-") && b.text.size() == 2 && c.text.size() == 2) {
      d = WrittenDate{Value(a), Value(b), Value(c)};
      end = c.end;
      Token t = NextToken(f_, end);
      if (Attached(c, t) && t.is("t")) {
        Token h = NextToken(f_, t.end);
        Token colon = NextToken(f_, h.end);
        Token m = NextToken(f_, colon.end);
        if (IsNumber(h, 2, 2) && IsMark(colon, ':') && IsNumber(m, 2, 2)) {
          d.hour = Value(h);
          d.minute = Value(m);
          end = m.end;
          Token sec_colon = NextToken(f_, end);
          Token sec = NextToken(f_, sec_colon.end);
          if (IsMark(sec_colon, ':') && Attached(m, sec_colon) && IsNumber(sec, 2, 2)) {
            end = sec.end;
          }
        }
      }
    } else if (three && IsNumber(a, 1, 2) && IsNumber(b, 1, 2) &&
               (c.text.size() == 4 || (c.text.size() == 2 && !s1.is("-")))) {
      d = WrittenDate{TwoDigitYear(c), Value(b), Value(a)};
      end = c.end;
      if (GluedAfter(end)) return false;
      size_t time_end = 0;
      if (ReadTime(end, &d, &time_end)) end = time_end;
    } else if (s1.is("/") && IsNumber(a, 1, 2) && b.text.size() == 4 && !GluedAfter(b.end) &&
               Value(b) >= kBareYearMin && Value(b) <= kYearMax) {
      d = WrittenDate{Value(b), Value(a)};
      end = b.end;
    } else {
      return false;
    }
    if (!d.valid() || d.year < kWrittenYearMin || d.year > kYearMax) return false;
    Emit(a.begin, end, d);
    consumed_ = end;
    return true;
  }

  // A year written with two digits ("15/03/21") is in the century that puts it
  // no later than a year after publication (or than 2069 when unknown).
  int TwoDigitYear(const Token& t) const {
    int y = Value(t);
    if (t.text.size() != 2) return y;
    int pivot = published_ ? published_->year + 1 : 2069;
    return 2000 + y <= pivot ? 2000 + y : 1900 + y;
  }

  bool TryDayMonth(const Token& num) {
    auto dm = ReadDayMonth(num);
    if (!dm) return false;
    consumed_ = dm->end;
    WrittenDate d = dm->date;
    if (d.year == 0) {
      // "du 30 novembre au 2 décembre 2020": the year comes with the range's end.
      if (auto link = Cue(CueRole::kLink, dm->end, true)) {
        Token next = NextToken(f_, link->end);
        if (auto end = ReadDayMonth(next); end && end->date.year) {
          d.year = end->date.year - (d.month > end->date.month ? 1 : 0);
        }
      }
    }
    if (d.year == 0 && published_) {
      d.year = ResolveYear(d.day, d.month, *published_, dm->hint);
    }
    if (d.year == 0) return true;  // never guessed
    Emit(dm->begin, dm->end, d);
    // "du 2 au 5 mars 2020", "les 2 et 3 mars 2020": the range's first day.
    if (auto link = Cue(CueRole::kLink, dm->begin, false)) {
      Token p = PrevToken(f_, link->begin);
      if (p.is("er")) p = PrevToken(f_, p.begin);
      size_t first_end = 0;
      int first = p.is_number() ? DayAt(p, &first_end) : 0;
      if (first && first < d.day) {
        WrittenDate f = d;
        f.day = first;
        f.hour = f.minute = -1;
        Emit(p.begin, first_end, f);
      }
    }
    return true;
  }

  bool TryYear(const Token& num) {
    if (!IsNumber(num, 4, 4)) return false;
    int year = Value(num);
    if (year < kWrittenYearMin || year > kYearMax) return false;
    size_t month_begin = 0, month_end = 0;
    if (int month = MonthBefore(num.begin, &month_begin, &month_end);
        month && !GluedAfter(num.end)) {
      return EmitMonthYear(month, month_begin, num);
    }
    if (year < kBareYearMin) return false;
    size_t start = QualifiedStart(num.begin);
    bool qualified = start != num.begin;
    if (!qualified && GluedBefore(num)) return false;
    // "de 2009 à 2012", "entre 2009 et 2012", "2015-2020": both ends are dates.
    if (auto link = Cue(CueRole::kLink, num.end, true)) {
      Token second = NextToken(f_, link->end);
      if (IsNumber(second, 4, 4) && Value(second) > year &&
          Value(second) <= year + kMaxRangeYears && !GluedAfter(second.end)) {
        Emit(start, num.end, WrittenDate{year});
        Emit(second.begin, second.end, WrittenDate{Value(second)});
        consumed_ = second.end;
        return true;
      }
    }
    if (GluedAfter(num.end)) return false;
    bool cued = qualified || Cue(CueRole::kBefore, start, false).has_value() ||
                OpensRange(num) || HeadsLine(num);
    if (!cued) return false;
    Emit(start, num.end, WrittenDate{year});
    consumed_ = num.end;
    return true;
  }

  // "en avril", "depuis janvier", "fin mars", "septembre dernier": a month
  // without a year, in a dated text, is the one nearest to its publication
  // (the last one or the next one when a cue says so). Only after a cue or a
  // qualifier: a month name alone is too often something else ("Mars").
  void ReadMonthsWithoutYear() {
    std::vector<Span> taken;
    for (const FoundDate& d : found_) taken.push_back({d.begin, d.end});
    // Words are looked at only where one starts with a month's first three
    // letters: tokenizing every word of the text cost more than the rest of
    // the extractor.
    auto pack = [](const char* p) {
      return static_cast<uint32_t>(static_cast<unsigned char>(p[0])) << 16 |
             static_cast<uint32_t>(static_cast<unsigned char>(p[1])) << 8 | static_cast<unsigned char>(p[2]);
    };
    static const uint32_t kMonthHeads[] = {pack("jan"), pack("fev"), pack("mar"), pack("avr"), pack("mai"), pack("jui"),
                                           pack("aou"), pack("sep"), pack("oct"), pack("nov"), pack("dec")};
    // The first letters of the months, so that most bytes cost one lookup.
    static const std::array<bool, 256> kMonthInitial = [] {
      std::array<bool, 256> t{};
      for (unsigned char c : std::string_view("jfmasond")) t[c] = true;
      return t;
    }();
    for (size_t i = NextWordStartingWith(f_, 0, kMonthInitial); i + 3 <= f_.size();
         i = NextWordStartingWith(f_, i + 1, kMonthInitial)) {
      uint32_t head = pack(f_.data() + i);
      if (std::find(std::begin(kMonthHeads), std::end(kMonthHeads), head) == std::end(kMonthHeads)) continue;
      Token t = NextToken(f_, i);
      i = t.end - 1;
      if (!t.is_word() || t.text.size() > 9) continue;
      size_t month_end = 0;
      int month = MonthAt(t, &month_end);
      if (!month) continue;
      if (std::any_of(taken.begin(), taken.end(), [&](const Span& s) { return t.begin < s.end && s.begin < month_end; })) {
        continue;
      }
      Token next = NextToken(f_, month_end);
      if (next.is_number()) continue;  // "avril 2010" or "avril 10" is read from its number
      size_t begin = QualifiedStart(t.begin);
      if (begin == t.begin && !Cue(CueRole::kBefore, t.begin, false)) continue;
      YearHint hint = YearHint::kNearest;
      size_t end = month_end;
      if (auto past = Cue(CueRole::kPast, month_end, true)) {
        hint = YearHint::kPast;
        end = past->end;
      } else if (auto future = Cue(CueRole::kFuture, month_end, true)) {
        hint = YearHint::kFuture;
        end = future->end;
      } else if (PrevToken(f_, t.begin).is("depuis")) {
        hint = YearHint::kPast;
      } else {
        hint = ClauseTense(t.begin);
      }
      // The month of publication is that month, whatever the tense.
      int year = month == published_->month ? published_->year : ResolveYear(15, month, *published_, hint);
      Emit(begin, end, WrittenDate{year, month});
    }
  }

  // The tense of the clause around `pos`, for a date written without its
  // year: "a ouvert en avril" is the April before publication, "ouvrira en
  // avril" the one after. The verb nearest to the date tells ("a adopté le
  // 27 juin le projet qui organisera ..."); kNearest when none does.
  YearHint ClauseTense(size_t pos) const {
    auto stops = [](char c) { return c == '.' || c == ';' || c == '!' || c == '?' || c == '\n'; };
    size_t begin = pos, end = pos;
    while (begin > 0 && !stops(f_[begin - 1])) --begin;
    while (end < f_.size() && !stops(f_[end])) ++end;
    YearHint tense = YearHint::kNearest;
    size_t nearest = SIZE_MAX;
    auto consider = [&](const Token& verb, YearHint t) {
      size_t distance = verb.begin > pos ? verb.begin - pos : pos - verb.begin;
      if (distance < nearest) {
        nearest = distance;
        tense = t;
      }
    };
    Token before, before_that;  // the two words before the current one
    for (size_t i = begin; i < end;) {
      Token t = NextToken(f_, i);
      if (t.end <= i || t.begin >= end) break;
      i = t.end;
      if (!t.is_word()) continue;
      if (FutureVerb(t.text) && !Capitalized(t)) {  // "Sandra" is no verb
        consider(t, YearHint::kFuture);
      } else if (before.is_word() && Participle(t)) {
        // "a signé", "ont ouvert", "s'est tenue"; not "à Lille", "est effective".
        bool has = (before.is("a") && !HasAccent(Original(before))) || before.is("ont") || before.is("avait") ||
                   before.is("avaient") || before.is("ete");
        bool reflexive = (before.is("est") || before.is("sont")) && before_that.is_word() &&
                         (before_that.is("s'") || before_that.is("se") || before_that.is("s"));
        if (has || reflexive) consider(t, YearHint::kPast);
      }
      before_that = before;
      before = t;
    }
    return tense;
  }

  std::string_view Original(const Token& t) const {
    Span s = ft_.ToOriginal(Span{t.begin, t.end});
    return original_.substr(s.begin, s.size());
  }

  bool Capitalized(const Token& t) const {
    std::string_view original = Original(t);
    return original.empty() || (original[0] >= 'A' && original[0] <= 'Z');
  }

  // A past participle in lower case: "signé(e)(s)", "ouvert", "conclu", "établi".
  bool Participle(const Token& t) const {
    std::string_view w = t.text;
    if (w.size() < 3 || Capitalized(t)) return false;
    for (std::string_view ending : {"e", "es", "ee", "ees", "i", "is", "ie", "ies", "u", "us", "ue", "ues", "t", "ts", "te", "tes"}) {
      if (w.ends_with(ending)) return true;
    }
    return false;
  }

  // A verb in the simple future: "ouvrira", "débuteront", "sera".
  static bool FutureVerb(std::string_view w) {
    for (std::string_view not_verb : {"extra", "ultra", "opera", "camera", "front", "affront", "mantra"}) {
      if (w == not_verb) return false;
    }
    if (w == "sera" || w == "seront" || w == "aura" || w == "auront" || w == "fera" || w == "feront") return true;
    return w.size() >= 5 && (w.ends_with("era") || w.ends_with("eront") || w.ends_with("ira") || w.ends_with("iront") ||
                             w.ends_with("rra") || w.ends_with("rront") || w.ends_with("dra") || w.ends_with("dront") ||
                             w.ends_with("vra") || w.ends_with("vront"));
  }

  // "de 2009 à aujourd'hui": a range start whose end is not a number.
  bool OpensRange(const Token& year) const {
    if (!Cue(CueRole::kOpenRange, year.begin, false)) return false;
    auto link = Cue(CueRole::kLink, year.end, true);
    return link && NextToken(f_, link->end).is_word();
  }

  // A year heading a line, after bullets if any: "2016 : signature", "- 2016 - ...".
  bool HeadsLine(const Token& year) const {
    Token n = NextToken(f_, year.end);
    if (!(IsMark(n, ':') || IsMark(n, '-'))) return false;
    for (size_t i = year.begin; i > 0 && f_[i - 1] != '\n'; --i) {
      if (IsAsciiLetter(f_[i - 1]) || IsAsciiDigit(f_[i - 1])) return false;
    }
    return true;
  }

  // "mars 2000", "fin mars 2000", "mi-mars 2000", "premier janvier 2020", and the
  // first month of "de mars à juin 2010".
  bool EmitMonthYear(int month, size_t month_begin, const Token& year) {
    WrittenDate d{Value(year), month};
    size_t begin = QualifiedStart(month_begin);
    Token p = PrevToken(f_, begin);
    if (begin == month_begin && p.is("premier")) {  // "le premier janvier 2020"
      d.day = 1;
      begin = p.begin;
    }
    Emit(begin, year.end, d);
    consumed_ = year.end;
    if (d.day) return true;
    if (auto link = Cue(CueRole::kLink, begin, false)) {
      size_t first_begin = 0, first_end = 0;
      int first = MonthBefore(link->begin, &first_begin, &first_end);
      if (first && first < month) {
        // Not the month of a written day ("du 2 mars au 5 avril 2020" is read
        // at its days).
        Token before = PrevToken(f_, first_begin);
        size_t unused = 0;
        if (!(before.is_number() && DayAt(before, &unused))) {
          Emit(QualifiedStart(first_begin), first_end, WrittenDate{d.year, first});
        }
      }
    }
    return true;
  }

  const DateWords& w_;
  const FoldedView& ft_;
  std::string_view f_;
  std::string_view original_;
  std::optional<WrittenDate> published_;
  std::vector<FoundDate> found_;
  size_t consumed_ = 0;
};

}  // namespace

Result<std::unique_ptr<Extractor>> DateExtractor::Create(const Lexicons& lexicons) {
  auto words = DateWords::Load(lexicons);
  if (!words.ok()) return words.status();
  return std::unique_ptr<Extractor>(new DateExtractor(std::move(words).value()));
}

void DateExtractor::Extract(Document& doc) const {
  const FoldedView& folded = SharedFoldedView(doc.text);
  DateReader reader(words_, folded, doc.text, ParsePublished(doc.published));
  for (const FoundDate& d : reader.Run()) {
    Mention m;
    m.kind = MentionKind::kDate;
    m.span = folded.ToOriginal(Span{d.begin, d.end});
    m.value = d.date.Iso();
    doc.mentions.push_back(std::move(m));
  }
}

}  // namespace coopkb
