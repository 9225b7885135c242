#include "pipeline/dateline.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "pipeline/fold.h"
#include "pipeline/iso_date.h"

namespace coopkb {
namespace {

// Longest first, so that "mis a jour le" wins over "le".
std::string Alternation(std::vector<std::string> words) {
  std::sort(words.begin(), words.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += '|';
    out += re2::RE2::QuoteMeta(w);
  }
  return out;
}

Status RequireColumns(const LexiconTable& table, std::initializer_list<std::string_view> columns) {
  for (std::string_view c : columns) {
    if (table.ColumnIndex(c) < 0) {
      return Status::UserError(fmt::format("{}: the dateline reader needs a column '{}'", table.file(), c));
    }
  }
  return Status::Ok();
}

// Whether `s` holds four ASCII digits in a row. Both dateline patterns need
// the year's "(\\d{4})", so a line without them cannot match, and most lines
// read for a dateline (a title, a lead) have none: the capturing full match,
// thousands of instructions a line, is then not run at all.
bool HasFourDigitsInARow(std::string_view s) {
  int run = 0;
  for (char c : s) {
    run = c >= '0' && c <= '9' ? run + 1 : 0;
    if (run == 4) return true;
  }
  return false;
}

}  // namespace

Result<DatelineReader> DatelineReader::Create(const Lexicons& lexicons) {
  DatelineReader r;
  const LexiconTable& months = lexicons.Table("months");
  const LexiconTable& weekdays = lexicons.Table("weekdays");
  const LexiconTable& words = lexicons.Table("cleaning_dateline");
  for (const Status& s : {RequireColumns(months, {"name", "number"}), RequireColumns(weekdays, {"name"}),
                          RequireColumns(words, {"kind", "value"})}) {
    if (!s.ok()) return s;
  }
  std::vector<std::string> month_names, weekday_names, leads, times, tails;
  bool has_abbreviations = months.ColumnIndex("abbreviations") >= 0;
  for (const LexiconRow& row : months.rows()) {
    int number = std::atoi(std::string(row.Get("number")).c_str());
    if (number < 1 || number > 12) {
      return Status::UserError(fmt::format("{}:{}: month number must be 1-12", months.file(), row.line()));
    }
    std::vector<std::string> names = {Fold(row.Get("name"))};
    if (has_abbreviations) {
      std::string_view abbr = row.Get("abbreviations");
      for (size_t pos = 0; pos < abbr.size();) {
        size_t bar = abbr.find('|', pos);
        if (bar == std::string_view::npos) bar = abbr.size();
        if (bar > pos) names.push_back(Fold(abbr.substr(pos, bar - pos)));
        pos = bar + 1;
      }
    }
    for (auto& n : names) {
      r.months_[n] = number;
      month_names.push_back(std::move(n));
    }
  }
  for (const LexiconRow& row : weekdays.rows()) weekday_names.push_back(Fold(row.Get("name")));
  for (const LexiconRow& row : words.rows()) {
    std::string_view kind = row.Get("kind");
    std::string value = Fold(row.Get("value"));
    if (kind == "lead") leads.push_back(std::move(value));
    else if (kind == "time") times.push_back(std::move(value));
    else if (kind == "tail") tails.push_back(std::move(value));
    else return Status::UserError(fmt::format("{}:{}: unknown kind '{}'", words.file(), row.line(), kind));
  }
  // A press release's dateline starts with its place: "Rennes, le 12 octobre 2021",
  // "Saint-Brieuc (22), le ...": up to three words, then a comma.
  std::string place = "(?:[a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2}(?: \\(\\d{2,3}\\))?,\\s*)?";
  // A byline may come first: "Par la rédaction | Mis à jour le 15 septembre 2022",
  // "Par Jean Martin - 14.03.2024", or a name of up to four words without
  // "par" ("Rédaction – 14 mars 2024", "Jeanne Martin | 2 mai 2023"); or the
  // kind of text: "Communiqué de presse – Nancy, le 4 février 2014".
  const std::string separator = "(?:\\||-|\u2013|\u2014)";
  place = "(?:par [^|0-9]{1,60}?\\s*" + separator + "\\s*|[a-z][a-z'.-]*(?: [a-z][a-z'.-]*){0,3}\\s*" + separator +
          "\\s*|(?:communique(?: de presse)?|dossier de presse|information presse)\\s*[-:|]?\\s*)?" + place;
  std::string lead = place + fmt::format("(?:(?:{})\\s*:?\\s*)?(?:(?:{})\\.?,?\\s+)?", Alternation(leads),
                                         Alternation(weekday_names));
  std::string time = fmt::format("(?:\\s*(?:{})?\\s*(\\d{{1,2}})\\s*(?:h|:)\\s*(\\d{{2}})?)?", Alternation(times));
  std::string tail = fmt::format("\\s*(?:(?:{}).*)?", Alternation(tails));
  re2::RE2::Options quiet;
  quiet.set_log_errors(false);
  r.named_month_ = std::make_shared<re2::RE2>(
      lead + "(\\d{1,2})(?:er)?\\s+(" + Alternation(month_names) + ")\\.?\\s+(\\d{4})" + time + tail, quiet);
  r.numeric_ = std::make_shared<re2::RE2>(lead + "(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4})" + time + tail, quiet);
  if (!r.named_month_->ok() || !r.numeric_->ok()) {
    return Status::UserError("cleaning_dateline.tsv: the dateline pattern does not compile: " +
                             r.named_month_->error() + r.numeric_->error());
  }
  return r;
}

std::string DatelineReader::Read(std::string_view line) const {
  if (line.size() > kMaxChars * 2) return "";
  std::string folded = Fold(line);
  if (!HasFourDigitsInARow(folded)) return "";
  std::string day, month, year, hour, minute;
  int month_number = -1;
  if (re2::RE2::FullMatch(folded, *named_month_, &day, &month, &year, &hour, &minute)) {
    auto it = months_.find(month);
    if (it == months_.end()) return "";
    month_number = it->second;
  } else if (re2::RE2::FullMatch(folded, *numeric_, &day, &month, &year, &hour, &minute)) {
    month_number = std::atoi(month.c_str());
  } else {
    return "";
  }
  int h = hour.empty() ? -1 : std::atoi(hour.c_str());
  int m = h < 0 ? -1 : minute.empty() ? 0 : std::atoi(minute.c_str());
  return IsoDate(std::atoi(year.c_str()), month_number, std::atoi(day.c_str()), h, m);
}

}  // namespace coopkb
