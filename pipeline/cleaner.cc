#include "pipeline/cleaner.h"

#include <algorithm>

#include <fmt/format.h>

#include "pipeline/dateline.h"
#include "pipeline/lost_char_repair.h"
#include "pipeline/mojibake.h"
#include "pipeline/paragraph_filter.h"
#include "pipeline/text_normalizer.h"
#include "pipeline/text_rewriter.h"

namespace coopkb {

struct Cleaner::Rules {
  MojibakeRepairer mojibake;
  LostCharRepairer lost_chars;
  ParagraphFilter paragraphs;
  DatelineReader datelines;
};

namespace {

// Datelines and titles are looked for among the first lines only.
constexpr size_t kMetadataLines = 12;
constexpr size_t kMaxTitleChars = 180;
constexpr size_t kExcerptBytes = 60;
constexpr size_t kContextBytes = 12;

size_t CharStart(std::string_view s, size_t pos) {
  while (pos > 0 && pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

// Line breaks shown as ¶, so that an excerpt stays on one line of `show --explain`.
std::string OneLine(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += " \u00B6 ";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// At most `max` bytes of `s` from `begin`, cut at a character boundary.
std::string Excerpt(std::string_view s, size_t begin, size_t end, size_t max = kExcerptBytes) {
  if (end - begin <= max) return OneLine(s.substr(begin, end - begin));
  size_t cut = CharStart(s, begin + max);
  return OneLine(s.substr(begin, cut - begin)) + "…";
}

size_t CountChars(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Records the replacements found on doc.text as edits with source offsets,
// and applies them. Repairs get a little context on either side; removals an
// excerpt of what went.
enum class Pass { kRepairs, kRemovals };
void ApplyAndRecord(Document& doc, std::vector<Replacement>& found, Pass pass) {
  if (found.empty()) return;
  RewrittenText r = Apply(doc.text, found);
  const std::string& t = doc.text;
  for (const Replacement& rep : found) {
    Edit e;
    e.rule = rep.rule;
    e.source_begin = doc.to_source.ToSource(rep.begin);
    e.source_end = rep.end > rep.begin ? doc.to_source.EndToSource(rep.end) : e.source_begin;
    if (pass == Pass::kRemovals) {
      e.action = "removed";
      // Without the line breaks a removed line takes along.
      size_t b = rep.begin < t.size() && t[rep.begin] == '\n' ? rep.begin + 1 : rep.begin;
      size_t end = std::max(b, rep.end);
      if (end > b && t[end - 1] == '\n') --end;
      e.before = Excerpt(t, b, end);
    } else {
      e.action = "repaired";
      size_t cb = CharStart(t, rep.begin >= kContextBytes ? rep.begin - kContextBytes : 0);
      size_t ce = CharStart(t, std::min(t.size(), rep.end + kContextBytes));
      if (ce < rep.end) ce = rep.end;
      std::string left(t.substr(cb, rep.begin - cb)), right(t.substr(rep.end, ce - rep.end));
      e.before = OneLine(left + std::string(t.substr(rep.begin, rep.end - rep.begin)) + right);
      e.after = OneLine(left + rep.with + right);
    }
    doc.edits.push_back(std::move(e));
  }
  doc.to_source = r.map.Compose(doc.to_source);
  doc.text = std::move(r.text);
}

void Rewrite(Document& doc, RewrittenText&& r) {
  doc.to_source = r.map.Compose(doc.to_source);
  doc.text = std::move(r.text);
}

// The offset of the first " - ", " – " or " — " in `line` (the space before
// the dash), or npos. Found from the dash, which memchr skips to: a search
// for the three strings would stop at every space of a long first paragraph.
size_t FirstSpacedDash(std::string_view line) {
  auto first = [line](char dash_byte, std::string_view dash) {
    for (size_t at = line.find(dash_byte, 1); at != std::string_view::npos; at = line.find(dash_byte, at + 1)) {
      const size_t after = at + dash.size();
      if (line[at - 1] == ' ' && line.substr(at, dash.size()) == dash && after < line.size() && line[after] == ' ') {
        return at - 1;
      }
    }
    return std::string_view::npos;
  };
  return std::min({first('\xE2', "\u2013"), first('\xE2', "\u2014"), first('-', "-")});
}

// A first line that reads as a headline: short, words, no sentence punctuation at the end.
bool LooksLikeTitle(std::string_view line) {
  if (line.empty() || CountChars(line) > kMaxTitleChars) return false;
  if (line.find(' ') == std::string_view::npos) return false;
  char last = line.back();
  return last != '.' && last != ',' && last != ';' && last != ':';
}

}  // namespace

Result<Cleaner> Cleaner::Create(const Lexicons& lexicons) {
  auto mojibake = MojibakeRepairer::Create(lexicons.Table("cleaning_mojibake"));
  if (!mojibake.ok()) return mojibake.status();
  auto lost = LostCharRepairer::Create(lexicons.Table("cleaning_lost_chars"));
  if (!lost.ok()) return lost.status();
  auto paragraphs = ParagraphFilter::Create(lexicons);
  if (!paragraphs.ok()) return paragraphs.status();
  auto datelines = DatelineReader::Create(lexicons);
  if (!datelines.ok()) return datelines.status();
  Cleaner c;
  c.rules_ = std::make_shared<const Rules>(Rules{std::move(mojibake).value(), std::move(lost).value(),
                                                 std::move(paragraphs).value(),
                                                 std::move(datelines).value()});
  return c;
}

void Cleaner::Clean(Document& doc) const {
  if (doc.to_source.pieces().empty()) doc.to_source = OffsetMap::Identity(doc.text.size());

  bool whole_text_repaired = false;
  if (auto r = UndoDoubleEncoding(doc.text)) {
    Edit e;
    e.action = "repaired";
    e.rule = "mojibake:whole_text";
    e.source_begin = doc.to_source.ToSource(0);
    e.source_end = doc.to_source.EndToSource(doc.text.size());
    e.before = Excerpt(doc.text, 0, doc.text.size());
    e.after = Excerpt(r->text, 0, r->text.size());
    doc.edits.push_back(std::move(e));
    Rewrite(doc, std::move(*r));
    whole_text_repaired = true;
  }
  if (auto r = NormalizeNfc(doc.text)) Rewrite(doc, std::move(*r));
  // Before whitespace is touched: the mojibake of "à" ends in a no-break space.
  std::vector<Replacement> repairs;
  if (!whole_text_repaired) rules_->mojibake.Find(doc.text, repairs);
  ApplyAndRecord(doc, repairs, Pass::kRepairs);
  if (auto r = NormalizeCharacters(doc.text)) Rewrite(doc, std::move(*r));

  repairs.clear();
  rules_->lost_chars.Find(doc.text, repairs);
  ApplyAndRecord(doc, repairs, Pass::kRepairs);

  std::vector<Replacement> removals = rules_->paragraphs.Find(doc.text);
  ApplyAndRecord(doc, removals, Pass::kRemovals);

  // Metadata the reader could not give.
  std::string_view text = doc.text;
  size_t pos = 0;
  for (size_t line_no = 0; line_no < kMetadataLines && pos < text.size(); ++line_no) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    std::string_view head = line;
    if (CountChars(head) > DatelineReader::kMaxChars) {
      // A press release may open its first paragraph with the dateline:
      // "Châteauroux, le 30 juin 2017 – Le comité stratégique a adopté ...".
      size_t dash = FirstSpacedDash(line);
      head = dash != std::string_view::npos ? line.substr(0, dash) : std::string_view();
    }
    std::string date = !head.empty() && CountChars(head) <= DatelineReader::kMaxChars
                           ? rules_->datelines.Read(head)
                           : "";
    if (!date.empty()) {
      if (doc.published.empty()) doc.published = date;
      break;
    }
    if (line_no == 0 && doc.title.empty() && LooksLikeTitle(line) && nl < text.size()) {
      doc.title = std::string(line);
    }
    pos = nl + 1;
  }
}

}  // namespace coopkb
