// IsoDate: publication dates of metadata in the one form Document::published uses.
//
//   NormalizeIsoDate("2020-11-09T11:30:00+01:00")  // "2020-11-09T11:30"
//   NormalizeIsoDate("2016-01")                    // "2016-01"
//   NormalizeIsoDate("2020/11/09")                 // "2020-11-09"
//   NormalizeIsoDate("le 9 novembre")              // "" (not a date we can read)
//   IsoDate(2020, 11, 9, 11, 30)                   // "2020-11-09T11:30"
//
// The precision is the one written, down to minutes: seconds and time zones
// are dropped (the local time as written is what a reader of the article saw).
#pragma once

#include <string>
#include <string_view>

namespace coopkb {

std::string NormalizeIsoDate(std::string_view value);

// From parts; month, day, hour or minute < 0 stops the precision there.
// Returns "" when a part is out of range.
std::string IsoDate(int year, int month = -1, int day = -1, int hour = -1, int minute = -1);

}  // namespace coopkb
