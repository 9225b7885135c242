#include "pipeline/paragraph_filter.h"

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace coopkb {

struct ParagraphFilter::Rules {
  Rules()
      : chrome(re2::RE2::Options(), re2::RE2::ANCHOR_BOTH),
        related_cut(re2::RE2::Options(), re2::RE2::ANCHOR_BOTH),
        related_teaser(re2::RE2::Options(), re2::RE2::ANCHOR_BOTH) {}
  re2::RE2::Set chrome, related_cut, related_teaser;
  std::vector<std::string> chrome_rule, related_rule;
  std::vector<size_t> chrome_max_chars;
  size_t longest_chrome = 0;
};

namespace {

constexpr size_t kDefaultChromeChars = 160;
constexpr size_t kMaxTeaserChars = 220;
constexpr size_t kMaxMarkerChars = 80;

size_t CountChars(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool HasLetterOrDigit(std::string_view s) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      if (std::isalnum(p[i])) return true;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c >= 0 && u_isalnum(c)) return true;
  }
  return false;
}

// Hashes of consecutive folded word pairs: what two versions of a paragraph
// share even when a few words or the punctuation differ.
struct Shingles {
  size_t words = 0;
  std::vector<uint64_t> bigrams;  // sorted, unique
};

Shingles MakeShingles(std::string_view folded) {
  Shingles s;
  uint64_t previous = 0;
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && !(std::isalnum(static_cast<unsigned char>(folded[i])) ||
                                  static_cast<unsigned char>(folded[i]) >= 0x80))
      ++i;
    size_t start = i;
    uint64_t h = 1469598103934665603ull;
    while (i < folded.size() && (std::isalnum(static_cast<unsigned char>(folded[i])) ||
                                 static_cast<unsigned char>(folded[i]) >= 0x80)) {
      h = (h ^ static_cast<unsigned char>(folded[i])) * 1099511628211ull;
      ++i;
    }
    if (i == start) break;
    if (s.words > 0) s.bigrams.push_back(previous * 31 + h);
    previous = h;
    ++s.words;
  }
  std::sort(s.bigrams.begin(), s.bigrams.end());
  s.bigrams.erase(std::unique(s.bigrams.begin(), s.bigrams.end()), s.bigrams.end());
  return s;
}

// Whether two paragraphs are versions of one: most bigrams of the shorter are
// in the longer, and the shorter is not a mere heading the longer starts with.
bool SameParagraph(const Shingles& a, const Shingles& b) {
  const Shingles& shorter = a.words <= b.words ? a : b;
  const Shingles& longer = a.words <= b.words ? b : a;
  if (shorter.words < 6) return false;
  if (shorter.words * 2 < longer.words && shorter.words < 20) return false;
  size_t common = 0;
  auto x = shorter.bigrams.begin(), y = longer.bigrams.begin();
  while (x != shorter.bigrams.end() && y != longer.bigrams.end()) {
    if (*x < *y) ++x;
    else if (*y < *x) ++y;
    else { ++common; ++x; ++y; }
  }
  return common * 10 >= shorter.bigrams.size() * 7;
}

// Length of a tail of `line` that repeats the bytes just before it (at least
// kMin bytes, two words), or 0.
size_t RepeatedTail(std::string_view line) {
  constexpr size_t kMin = 12, kMax = 400;
  size_t n = line.size();
  if (n < 2 * kMin) return 0;
  char last = line.back();
  size_t max = std::min(kMax, n / 2);
  for (size_t len = kMin; len <= max; ++len) {
    if (line[n - len - 1] != last) continue;
    size_t start = n - len;
    if ((static_cast<unsigned char>(line[start]) & 0xC0) == 0x80) continue;  // not a character start
    std::string_view tail = line.substr(start);
    if (tail.find(' ') == std::string_view::npos) continue;
    if (line.compare(start - len, len, tail) == 0) return len;
  }
  return 0;
}

struct Line {
  size_t begin, end;
};

}  // namespace

Result<ParagraphFilter> ParagraphFilter::Create(const Lexicons& lexicons) {
  auto rules = std::make_shared<Rules>();
  std::string error;
  const LexiconTable& chrome = lexicons.Table("cleaning_chrome");
  for (const LexiconRow& row : chrome.rows()) {
    if (rules->chrome.Add(row.Get("pattern"), &error) < 0) {
      return Status::UserError(fmt::format("{}:{}: {}", chrome.file(), row.line(), error));
    }
    rules->chrome_rule.push_back("chrome:" + std::string(row.Get("rule")));
    std::string_view max = row.Get("max_chars");
    size_t chars = max.empty() ? kDefaultChromeChars : std::strtoul(std::string(max).c_str(), nullptr, 10);
    rules->chrome_max_chars.push_back(chars);
    rules->longest_chrome = std::max(rules->longest_chrome, chars);
  }
  const LexiconTable& related = lexicons.Table("cleaning_related");
  for (const LexiconRow& row : related.rows()) {
    std::string pattern(row.Get("pattern"));
    // A marker line may end with a colon or an ellipsis; a teaser line has a
    // separator and a headline after the marker. Folding made » a '"'.
    if (rules->related_cut.Add("(?:" + pattern + ")[ :.]*", &error) < 0 ||
        rules->related_teaser.Add("(?:" + pattern + ") ?[:|>\"-]+ ?[^ ].*", &error) < 0) {
      return Status::UserError(fmt::format("{}:{}: {}", related.file(), row.line(), error));
    }
    rules->related_rule.push_back("related:" + std::string(row.Get("rule")));
  }
  if (!rules->chrome.Compile() || !rules->related_cut.Compile() || !rules->related_teaser.Compile()) {
    return Status::Internal("cannot compile the cleaning patterns");
  }
  ParagraphFilter f;
  f.rules_ = std::move(rules);
  return f;
}

std::string ParagraphFilter::ChromeRule(std::string_view line, std::string_view folded) const {
  std::vector<int> matched;
  if (!rules_->chrome.Match(folded, &matched)) return "";
  std::sort(matched.begin(), matched.end());
  size_t chars = CountChars(line);
  for (int i : matched) {
    if (chars <= rules_->chrome_max_chars[i]) return rules_->chrome_rule[i];
  }
  return "";
}

std::vector<Replacement> ParagraphFilter::Find(std::string_view text) const {
  std::vector<Line> lines;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back({pos, nl});
    pos = nl + 1;
  }
  // First the line-by-line rules; `rule` empty means kept.
  std::vector<std::string> rule(lines.size());
  std::vector<size_t> tail(lines.size(), 0);  // bytes cut from the end of a kept line
  size_t article_bytes = 0;
  size_t cut_at = lines.size();
  std::string cut_rule;
  std::vector<int> matched;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = text.substr(lines[i].begin, lines[i].end - lines[i].begin);
    if (!HasLetterOrDigit(line)) {
      rule[i] = "lone_punctuation";
      continue;
    }
    if (line.size() <= 4 * std::max(rules_->longest_chrome, kMaxTeaserChars)) {
      size_t chars = CountChars(line);
      std::string folded = Fold(line);
      if (chars <= kMaxMarkerChars && rules_->related_cut.Match(folded, &matched)) {
        if (article_bytes >= kMinArticleBytes) {
          cut_at = i;
          cut_rule = rules_->related_rule[*std::min_element(matched.begin(), matched.end())];
          break;
        }
        rule[i] = rules_->related_rule[*std::min_element(matched.begin(), matched.end())];
        continue;
      }
      if (chars <= kMaxTeaserChars && rules_->related_teaser.Match(folded, &matched)) {
        rule[i] = rules_->related_rule[*std::min_element(matched.begin(), matched.end())] + "_teaser";
        continue;
      }
      std::string chrome = ChromeRule(line, folded);
      if (!chrome.empty()) {
        rule[i] = std::move(chrome);
        continue;
      }
    }
    tail[i] = RepeatedTail(line);
    article_bytes += line.size();
  }

  // Then repeated paragraphs, among the lines kept so far.
  size_t previous = lines.size();
  Shingles previous_shingles;
  for (size_t i = 0; i < cut_at; ++i) {
    if (!rule[i].empty()) continue;
    std::string_view line = text.substr(lines[i].begin, lines[i].end - lines[i].begin - tail[i]);
    Shingles shingles = MakeShingles(Fold(line));
    if (previous < lines.size() && SameParagraph(previous_shingles, shingles)) {
      if (previous_shingles.words > shingles.words) {
        rule[i] = "repeated_paragraph";
        continue;
      }
      rule[previous] = "repeated_paragraph";
    }
    previous = i;
    previous_shingles = std::move(shingles);
  }

  // Deletions: a removed line takes its '\n' with it (the one before it when
  // it is the last line kept), so no empty line is left behind.
  std::vector<Replacement> out;
  size_t kept_end = lines.size();  // last kept line
  for (size_t i = 0; i < cut_at; ++i) {
    if (rule[i].empty()) kept_end = i;
  }
  for (size_t i = 0; i < cut_at; ++i) {
    if (rule[i].empty()) {
      if (tail[i] > 0) {
        out.push_back({lines[i].end - tail[i], lines[i].end, "", "repeated_tail"});
      }
      continue;
    }
    size_t end = lines[i].end < text.size() ? lines[i].end + 1 : lines[i].end;
    size_t begin = lines[i].begin;
    if (kept_end < lines.size() && i > kept_end) {
      // After the last kept line: remove the '\n' before instead of after.
      begin = lines[i].begin - 1;
      end = lines[i].end;
    }
    out.push_back({begin, end, "", rule[i]});
  }
  if (cut_at < lines.size()) {
    // Like the removed lines after the last kept one, the cut takes the '\n'
    // before it.
    size_t begin = lines[cut_at].begin;
    if (begin > 0 && kept_end < lines.size()) begin -= 1;
    out.push_back({begin, text.size(), "", cut_rule});
  }
  return out;
}

}  // namespace coopkb
