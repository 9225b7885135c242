#include "extractors/counts/count_words.h"

#include <charconv>

#include <fmt/format.h>

#include "pipeline/fold.h"

namespace coopkb {
namespace {

Status RowError(const LexiconTable& table, const LexiconRow& row, std::string_view what) {
  return Status::UserError(fmt::format("{}:{}: {}", table.file(), row.line(), what));
}

bool ParseInt(std::string_view s, long long* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size() && *out > 0;
}

// The folded items of a '|'-separated cell.
std::vector<std::string> FoldedItems(std::string_view cell) {
  std::vector<std::string> out;
  for (std::string_view item : SplitBars(cell)) out.push_back(Fold(item));
  return out;
}

}  // namespace

Result<CountWords> CountWords::Load(const Lexicons& lexicons) {
  CountWords w;
  for (Status s : {RequireColumns(lexicons.Table("number_words"), {"word", "value", "role", "ambiguous"}),
                   RequireColumns(lexicons.Table("count_phrase_stops"), {"form", "kind"}),
                   RequireColumns(lexicons.Table("count_pre_nominal"), {"word"}),
                   RequireColumns(lexicons.Table("count_not_units"), {"word", "only_after"}),
                   RequireColumns(lexicons.Table("count_identifier_cues"), {"word"}),
                   RequireColumns(lexicons.Table("count_symbols"), {"symbol", "unit", "scale"}),
                   RequireColumns(lexicons.Table("months"), {"name"}),
                   RequireColumns(lexicons.Table("weekdays"), {"name"})}) {
    if (!s.ok()) return s;
  }
  static const std::pair<std::string_view, NumberRole> kRoles[] = {
      {"article", NumberRole::kArticle},   {"unit", NumberRole::kUnit},
      {"ten", NumberRole::kTen},           {"hundred", NumberRole::kHundred},
      {"thousand", NumberRole::kThousand}, {"multiplier", NumberRole::kMultiplier}};
  const LexiconTable& numbers = lexicons.Table("number_words");
  for (const LexiconRow& row : numbers.rows()) {
    long long value = 0;
    if (!ParseInt(row.Get("value"), &value)) return RowError(numbers, row, "bad value");
    const NumberRole* role = nullptr;
    for (const auto& [name, r] : kRoles) {
      if (name == row.Get("role")) role = &r;
    }
    if (!role) return RowError(numbers, row, fmt::format("unknown role '{}'", row.Get("role")));
    std::string_view ambiguous = row.Get("ambiguous");
    if (ambiguous != "" && ambiguous != "yes" && ambiguous != "no") {
      return RowError(numbers, row, "ambiguous must be yes, no or empty");
    }
    w.numbers_.Set(Fold(row.Get("word")), NumberWord{value, *role, ambiguous == "yes"});
  }
  const LexiconTable& stops = lexicons.Table("count_phrase_stops");
  for (const LexiconRow& row : stops.rows()) {
    std::string form = Fold(row.Get("form"));
    if (row.Get("kind") == "word") {
      w.stop_words_.Insert(form, true);
    } else if (row.Get("kind") == "suffix") {
      w.stop_suffixes_.push_back(form);
    } else {
      return RowError(stops, row, "kind must be word or suffix");
    }
  }
  for (const LexiconRow& row : lexicons.Table("count_pre_nominal").rows()) {
    w.pre_nominal_.Insert(Fold(row.Get("word")), true);
  }
  for (const LexiconRow& row : lexicons.Table("count_not_units").rows()) {
    w.not_units_.Set(Fold(row.Get("word")), FoldedItems(row.Get("only_after")));
  }
  for (const LexiconRow& row : lexicons.Table("count_identifier_cues").rows()) {
    w.identifier_cues_.Insert(Fold(row.Get("word")), true);
  }
  const LexiconTable& symbols = lexicons.Table("count_symbols");
  for (const LexiconRow& row : symbols.rows()) {
    long long scale = 0;
    if (!ParseInt(row.Get("scale"), &scale)) return RowError(symbols, row, "bad scale");
    int tag = static_cast<int>(w.symbol_units_.size());
    if (!w.symbols_.Add(row.Get("symbol"), tag)) return RowError(symbols, row, "empty symbol");
    w.symbol_units_.push_back(CountSymbol{std::string(row.Get("unit")), scale});
  }
  for (const char* table : {"months", "weekdays"}) {
    for (const LexiconRow& row : lexicons.Table(table).rows()) {
      w.date_words_.Insert(Fold(row.Get("name")), true);
    }
  }
  return w;
}

bool CountWords::IsStopWord(std::string_view folded_word) const {
  return stop_words_.Contains(folded_word);
}

bool CountWords::IsStop(std::string_view folded_word) const {
  if (IsStopWord(folded_word)) return true;
  for (const std::string& suffix : stop_suffixes_) {
    if (folded_word.size() > suffix.size() + 1 && folded_word.ends_with(suffix)) return true;
  }
  return false;
}

bool CountWords::IsPreNominal(std::string_view folded_word) const {
  return pre_nominal_.Contains(folded_word);
}

bool CountWords::IsNotUnit(std::string_view word, std::string_view before) const {
  const std::vector<std::string>* after = not_units_.Find(word);
  if (!after) return false;
  if (after->empty()) return true;
  for (const std::string& b : *after) {
    if (b == before) return true;
  }
  return false;
}

bool CountWords::IsIdentifierCue(std::string_view folded_word) const {
  return identifier_cues_.Contains(folded_word);
}

bool CountWords::IsDateWord(std::string_view folded_word) const {
  return date_words_.Contains(folded_word);
}

}  // namespace coopkb
