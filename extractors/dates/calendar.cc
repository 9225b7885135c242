#include "extractors/dates/calendar.h"

#include <cstdlib>

#include <fmt/format.h>

namespace coopkb {
namespace {

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Days since 1970-01-01 (proleptic Gregorian), for comparing dates.
long DayNumber(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// A day that does not exist in `year` (29 February) moves to the nearest leap year's.
long DayNumberClamped(int year, int month, int day) {
  int last = DaysInMonth(year, month);
  return DayNumber(year, month, day > last ? last : day);
}

bool ReadInt(std::string_view s, size_t pos, size_t len, int* out) {
  if (pos + len > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeap(year)) return 29;
  return kDays[month - 1];
}

bool WrittenDate::valid() const {
  if (year < 1 || year > 9999) return false;
  if (month == 0) return day == 0 && hour < 0;
  if (month < 1 || month > 12) return false;
  if (day == 0) return hour < 0;
  if (day < 1 || day > DaysInMonth(year, month)) return false;
  if (hour < 0) return minute < 0;
  return hour <= 23 && minute >= 0 && minute <= 59;
}

std::string WrittenDate::Iso() const {
  if (month == 0) return fmt::format("{:04d}", year);
  if (day == 0) return fmt::format("{:04d}-{:02d}", year, month);
  if (hour < 0) return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}", year, month, day, hour,
                     minute < 0 ? 0 : minute);
}

std::optional<WrittenDate> ParsePublished(std::string_view iso) {
  WrittenDate d;
  if (!ReadInt(iso, 0, 4, &d.year)) return std::nullopt;
  if (iso.size() >= 7 && iso[4] == '-' && ReadInt(iso, 5, 2, &d.month)) {
    if (iso.size() >= 10 && iso[7] == '-') ReadInt(iso, 8, 2, &d.day);
  }
  WrittenDate check = d;
  check.hour = check.minute = -1;
  if (!check.valid()) return std::nullopt;
  return check;
}

int ResolveYear(int day, int month, const WrittenDate& published, YearHint hint) {
  if (published.month == 0) return published.year;
  int pub_day = published.day == 0 ? 15 : published.day;
  long pub = DayNumber(published.year, published.month, pub_day);
  int best = published.year;
  long best_distance = -1;
  for (int year = published.year - 1; year <= published.year + 1; ++year) {
    long delta = DayNumberClamped(year, month, day) - pub;
    if (hint == YearHint::kPast && delta > 0) continue;
    if (hint == YearHint::kFuture && delta < 0) continue;
    long distance = std::labs(delta);
    if (best_distance < 0 || distance < best_distance) {
      best = year;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace coopkb
