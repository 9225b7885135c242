#include "extractors/dates/date_words.h"

#include <charconv>

#include <fmt/format.h>

#include "pipeline/fold.h"

namespace coopkb {
namespace {

Status RowError(const LexiconTable& table, const LexiconRow& row, std::string_view what) {
  return Status::UserError(fmt::format("{}:{}: {}", table.file(), row.line(), what));
}

bool ParseInt(std::string_view s, int* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Status RequireColumns(const LexiconTable& table, std::initializer_list<std::string_view> columns) {
  for (std::string_view column : columns) {
    if (table.ColumnIndex(column) < 0) {
      return Status::UserError(fmt::format("{}: missing column '{}'", table.file(), column));
    }
  }
  return Status::Ok();
}

Result<DateWords> DateWords::Load(const Lexicons& lexicons) {
  DateWords w;
  const LexiconTable& months = lexicons.Table("months");
  const LexiconTable& weekdays = lexicons.Table("weekdays");
  const LexiconTable& cues = lexicons.Table("date_cues");
  for (Status s : {RequireColumns(months, {"name", "number", "abbreviations"}),
                   RequireColumns(weekdays, {"name", "number"}),
                   RequireColumns(cues, {"cue", "role", "needs_accent"})}) {
    if (!s.ok()) return s;
  }
  for (const LexiconRow& row : months.rows()) {
    int number = 0;
    if (!ParseInt(row.Get("number"), &number) || number < 1 || number > 12) {
      return RowError(months, row, "number must be 1-12");
    }
    w.months_[Fold(row.Get("name"))] = number;
    for (std::string_view abbr : SplitBars(row.Get("abbreviations"))) {
      w.months_.emplace(Fold(abbr), -number);
    }
  }
  for (const LexiconRow& row : weekdays.rows()) {
    int number = 0;
    if (!ParseInt(row.Get("number"), &number) || number < 1 || number > 7) {
      return RowError(weekdays, row, "number must be 1-7");
    }
    w.weekdays_[Fold(row.Get("name"))] = number;
  }
  static const std::pair<std::string_view, CueRole> kRoles[] = {
      {"before", CueRole::kBefore}, {"qualifier", CueRole::kQualifier},
      {"link", CueRole::kLink},     {"time", CueRole::kTime},
      {"past", CueRole::kPast},     {"future", CueRole::kFuture},
      {"joiner", CueRole::kJoiner}, {"hour", CueRole::kHour},
      {"open_range", CueRole::kOpenRange}};
  for (const LexiconRow& row : cues.rows()) {
    std::string_view role = row.Get("role");
    const CueRole* found = nullptr;
    for (const auto& [name, r] : kRoles) {
      if (name == role) found = &r;
    }
    if (!found) return RowError(cues, row, fmt::format("unknown role '{}'", role));
    std::string_view accent = row.Get("needs_accent");
    if (accent != "" && accent != "yes" && accent != "no") {
      return RowError(cues, row, "needs_accent must be yes, no or empty");
    }
    int tag = accent == "yes" ? kNeedsAccent : 0;
    if (!w.cues_[static_cast<int>(*found)].Add(row.Get("cue"), tag)) {
      return RowError(cues, row, "empty cue");
    }
  }
  return w;
}

int DateWords::Month(std::string_view folded_word) const {
  auto it = months_.find(folded_word);
  if (it == months_.end()) return 0;
  return it->second < 0 ? -it->second : it->second;
}

bool DateWords::IsAbbreviation(std::string_view folded_word) const {
  auto it = months_.find(folded_word);
  return it != months_.end() && it->second < 0;
}

bool DateWords::IsWeekday(std::string_view folded_word) const {
  return weekdays_.count(folded_word) != 0;
}

bool HasAccent(std::string_view original) {
  for (char c : original) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

}  // namespace coopkb
