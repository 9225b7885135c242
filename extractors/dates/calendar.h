// Calendar: written dates at the precision they were written, validated and
// rendered as ISO 8601, and the resolution of a day written without its year.
//
//   WrittenDate d{.year = 2020, .month = 11, .day = 9, .hour = 11, .minute = 30};
//   d.valid();                                   // true
//   d.Iso();                                     // "2020-11-09T11:30"
//   WrittenDate m{.year = 2000, .month = 3};     // "2000-03"
//
//   // "le 2 décembre" in an article published on 2021-01-05:
//   auto pub = ParsePublished("2021-01-05");     // std::optional<WrittenDate>
//   ResolveYear(2, 12, *pub, YearHint::kNearest);  // 2020
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace coopkb {

struct WrittenDate {
  int year = 0;     // 0 = not written
  int month = 0;    // 1-12, 0 = not written
  int day = 0;      // 1-31, 0 = not written
  int hour = -1;    // -1 = not written
  int minute = -1;  // -1 = not written (0 when only the hour is written)

  // Calendar-valid at its precision: a year, a year and month, a full date
  // (31 avril and 29 février 2021 are not), optionally with a time of day.
  bool valid() const;
  // ISO 8601 at the written precision: "2001", "2000-03", "2001-01-22",
  // "2020-11-09T11:30".
  std::string Iso() const;
};

int DaysInMonth(int year, int month);

// The publication date of a document, from its ISO 8601 string at any
// precision ("2020-11-09", "2020-11-09T11:30:00Z", "2020-11", "2020");
// nullopt when empty or unreadable.
std::optional<WrittenDate> ParsePublished(std::string_view iso);

// How a day and month without year relate to the publication date.
enum class YearHint {
  kNearest,  // no hint: the occurrence nearest to publication
  kPast,     // "le 2 décembre dernier": the last one on or before publication
  kFuture,   // "le 2 décembre prochain": the first one on or after publication
};

// The year of day/month given the publication date. When publication is only
// known to the year, that year.
int ResolveYear(int day, int month, const WrittenDate& published, YearHint hint);

}  // namespace coopkb
