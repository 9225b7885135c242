#include "pipeline/iso_date.h"

#include <fmt/format.h>

namespace coopkb {
namespace {

// Reads exactly `n` digits at `pos`; -1 when they are not there.
int Digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t k = 0; k < n; ++k) {
    char c = s[pos + k];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::string IsoDate(int year, int month, int day, int hour, int minute) {
  if (year < 1000 || year > 2999) return "";
  if (month < 0) return fmt::format("{:04d}", year);
  if (month < 1 || month > 12) return "";
  if (day < 0) return fmt::format("{:04d}-{:02d}", year, month);
  if (day < 1 || day > DaysInMonth(year, month)) return "";
  if (hour < 0) return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
  if (hour > 23 || minute > 59) return "";
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}", year, month, day, hour,
                     minute < 0 ? 0 : minute);
}

std::string NormalizeIsoDate(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\n'))
    value.remove_suffix(1);
  size_t pos = 0;
  int year = Digits(value, pos, 4);
  if (year < 0) return "";
  auto separator = [&] {
    if (pos < value.size() && (value[pos] == '-' || value[pos] == '/' || value[pos] == '.')) {
      ++pos;
      return true;
    }
    return false;
  };
  int month = -1, day = -1, hour = -1, minute = -1;
  if (separator()) {
    month = Digits(value, pos, 2);
    if (month < 0) return "";
    if (separator()) {
      day = Digits(value, pos, 2);
      if (day < 0) return "";
      if (pos < value.size() && (value[pos] == 'T' || value[pos] == ' ')) {
        ++pos;
        size_t before = pos;
        hour = Digits(value, pos, 2);
        if (hour >= 0 && pos < value.size() && value[pos] == ':') {
          ++pos;
          minute = Digits(value, pos, 2);
        }
        if (hour < 0 || minute < 0) {
          hour = minute = -1;
          pos = before;
        }
        // Seconds, fractions and a time zone may follow; they are dropped.
        pos = value.size();
      }
    }
  }
  if (pos != value.size() && !(pos < value.size() && (value[pos] == 'Z' || value[pos] == '+'))) {
    return "";
  }
  return IsoDate(year, month, day, hour, minute);
}

}  // namespace coopkb
