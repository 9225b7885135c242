#include "pipeline/html_reader.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include <libxml/HTMLparser.h>

#include "pipeline/fold.h"
#include "pipeline/iso_date.h"
#include "pipeline/lexicon.h"
#include "pipeline/text_rewriter.h"

namespace coopkb {
namespace {

using NameSet = std::unordered_set<std::string>;

// The rules of lexicons/cleaning_html.tsv, parsed once from the embedded copy
// (ReadDocument takes no lexicons, so overrides do not reach the HTML reader).
struct HtmlRules {
  NameSet block, preformatted, drop, drop_outside, drop_role, drop_class, drop_class_outside, main,
      article, title_meta, date_meta;

  static const HtmlRules& Get() {
    static const HtmlRules* rules = [] {
      auto* r = new HtmlRules();
      for (const EmbeddedLexicon& e : EmbeddedLexicons()) {
        if (std::string_view(e.name) != "cleaning_html") continue;
        auto table = LexiconTable::Parse("cleaning_html.tsv", std::string_view(e.data, e.size));
        if (!table.ok()) {
          fprintf(stderr, "%s\n", table.status().message().c_str());
          std::abort();
        }
        for (const LexiconRow& row : table.value().rows()) {
          std::string_view rule = row.Get("rule");
          std::string value(row.Get("value"));
          NameSet* set = rule == "block"          ? &r->block
                         : rule == "preformatted" ? &r->preformatted
                         : rule == "drop"         ? &r->drop
                         : rule == "drop_outside" ? &r->drop_outside
                         : rule == "drop_role"    ? &r->drop_role
                         : rule == "drop_class"   ? &r->drop_class
                         : rule == "drop_class_outside" ? &r->drop_class_outside
                         : rule == "main"         ? &r->main
                         : rule == "article"      ? &r->article
                         : rule == "title_meta"   ? &r->title_meta
                         : rule == "date_meta"    ? &r->date_meta
                                                  : nullptr;
          if (set == nullptr) {
            fprintf(stderr, "cleaning_html.tsv:%zu: unknown rule %s\n", row.line(),
                    std::string(rule).c_str());
            std::abort();
          }
          set->insert(std::move(value));
        }
      }
      return r;
    }();
    return *rules;
  }
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

struct Region {
  bool main = false;
  size_t bytes = 0;
};

// The SAX state of one page.
class HtmlWalker {
 public:
  explicit HtmlWalker(std::string_view html)
      : rules_(HtmlRules::Get()), out_(html, MarkupText::kHtml) {
    regions_.push_back({});  // region 0: outside any main or article
  }

  void Start(std::string_view name, const xmlChar** atts) {
    Open open;
    open.name = std::string(name);
    std::string_view role, klass, id, style, datetime, meta_key, content, type;
    bool hidden = false;
    for (int i = 0; atts != nullptr && atts[i] != nullptr; i += 2) {
      std::string_view attr(reinterpret_cast<const char*>(atts[i]));
      std::string_view value = atts[i + 1] ? reinterpret_cast<const char*>(atts[i + 1]) : "";
      if (attr == "role") role = value;
      else if (attr == "class") klass = value;
      else if (attr == "id") id = value;
      else if (attr == "style") style = value;
      else if (attr == "datetime") datetime = value;
      else if (attr == "type") type = value;
      else if (attr == "hidden") hidden = true;
      else if (attr == "aria-hidden" && Lower(value) == "true") hidden = true;
      else if (attr == "property" || attr == "name" || attr == "itemprop") {
        if (meta_key.empty() || attr == "property") meta_key = value;
      } else if (attr == "content") content = value;
    }
    if (name == "meta" && !meta_key.empty()) {
      std::string key = Lower(meta_key);
      if (og_title_.empty() && rules_.title_meta.count(key)) og_title_ = CollapseSpaces(content);
      if (meta_date_.empty() && rules_.date_meta.count(key)) meta_date_ = NormalizeIsoDate(content);
    }
    if (name == "time" && !datetime.empty() && drop_depth_ == 0 && time_date_.empty()) {
      time_date_ = NormalizeIsoDate(datetime);
    }
    if (name == "title" && title_text_.empty() && !in_body_) open.capture_title = true;
    if (name == "script" && Lower(type) == "application/ld+json") open.capture_json = true;
    if (name == "body") in_body_ = true;

    bool in_region = region_ != 0;
    if (rules_.drop.count(open.name) || (!in_region && rules_.drop_outside.count(open.name)) ||
        (!role.empty() && rules_.drop_role.count(Lower(role))) || hidden ||
        StyleHides(style) || HasToken(klass, rules_.drop_class) || HasToken(id, rules_.drop_class) ||
        (!in_region && (HasToken(klass, rules_.drop_class_outside) || HasToken(id, rules_.drop_class_outside)))) {
      open.drops = true;
      ++drop_depth_;
    }
    std::string lrole = Lower(role);
    if (region_ == 0 && drop_depth_ == 0) {
      bool is_main = rules_.main.count(open.name) || lrole == "main";
      if (is_main || rules_.article.count(open.name) || lrole == "article") {
        open.starts_region = true;
        regions_.push_back({is_main, 0});
        region_ = static_cast<int>(regions_.size()) - 1;
      }
    }
    if (name == "h1" && drop_depth_ == 0 && !h1_done_ && capture_h1_ == 0) open.capture_h1 = true;
    open.block = rules_.block.count(open.name) > 0;
    if (open.block) out_.Break();
    if (rules_.preformatted.count(open.name)) {
      open.preformatted = true;
      out_.SetPreformatted(++preformatted_depth_ > 0);
    }
    capture_h1_ += open.capture_h1;
    capture_title_ += open.capture_title;
    capture_json_ += open.capture_json;
    out_.SetLineTag(Tag());
    stack_.push_back(std::move(open));
  }

  void End(std::string_view name) {
    // libxml2 reports ends in order; tolerate a mismatch by closing up to the name.
    auto it = std::find_if(stack_.rbegin(), stack_.rend(),
                           [&](const Open& o) { return o.name == name; });
    if (it == stack_.rend()) return;
    size_t keep = stack_.size() - (it - stack_.rbegin()) - 1;
    while (stack_.size() > keep) {
      Open& open = stack_.back();
      if (open.block) out_.Break();
      if (open.drops) --drop_depth_;
      if (open.starts_region) region_ = 0;
      if (open.preformatted) out_.SetPreformatted(--preformatted_depth_ > 0);
      if (open.capture_h1) {
        --capture_h1_;
        h1_done_ = !h1_text_.empty();
      }
      capture_title_ -= open.capture_title;
      if (open.capture_json) ReadJsonLd();
      capture_json_ -= open.capture_json;
      stack_.pop_back();
      out_.SetLineTag(Tag());
    }
  }

  void Characters(std::string_view chars) {
    if (capture_title_ > 0) title_text_.append(chars);
    bool keep = drop_depth_ == 0 && in_body_;
    if (capture_h1_ > 0 && keep) h1_text_.append(chars);
    out_.Characters(chars, keep);
  }

  void Raw(std::string_view chars) {
    if (capture_json_ > 0) json_.append(chars);
    out_.RawCharacters(chars, drop_depth_ == 0 && in_body_);
  }

  MarkupDocument Finish() {
    MarkupDocument doc;
    doc.format = "html";
    std::vector<MarkupText::Line> lines = out_.Lines();
    SelectLines(lines, doc);
    std::string h1 = CollapseSpaces(h1_text_);
    std::string title = CollapseSpaces(title_text_);
    if (!og_title_.empty()) {
      doc.title = og_title_;
    } else if (!h1.empty() && (title.empty() || Fold(title).find(Fold(h1)) != std::string::npos)) {
      doc.title = h1;
    } else {
      doc.title = title;
    }
    doc.published = !meta_date_.empty() ? meta_date_ : time_date_;
    return doc;
  }

 private:
  struct Open {
    std::string name;
    bool block = false, drops = false, starts_region = false, preformatted = false;
    bool capture_h1 = false, capture_title = false, capture_json = false;
  };

  // Schema.org metadata in a <script type="application/ld+json">: the first
  // string value of a date or title key, read without a JSON parser (only
  // "key": "value" pairs matter, and a malformed block must not fail the page).
  void ReadJsonLd() {
    std::string lower = Lower(json_);
    auto value_of = [&](const NameSet& keys) -> std::string {
      for (const std::string& key : keys) {
        std::string quoted = "\"" + key + "\"";
        for (size_t at = lower.find(quoted); at != std::string::npos; at = lower.find(quoted, at + 1)) {
          size_t pos = at + quoted.size();
          while (pos < json_.size() && (json_[pos] == ' ' || json_[pos] == '\n' || json_[pos] == '\t')) ++pos;
          if (pos >= json_.size() || json_[pos] != ':') continue;
          ++pos;
          while (pos < json_.size() && (json_[pos] == ' ' || json_[pos] == '\n' || json_[pos] == '\t')) ++pos;
          if (pos >= json_.size() || json_[pos] != '"') continue;
          size_t end = json_.find('"', pos + 1);
          if (end == std::string::npos) continue;
          return json_.substr(pos + 1, end - pos - 1);
        }
      }
      return "";
    };
    if (meta_date_.empty()) meta_date_ = NormalizeIsoDate(value_of(rules_.date_meta));
    if (og_title_.empty()) og_title_ = CollapseSpaces(value_of(rules_.title_meta));
    json_.clear();
  }

  // Tag of the lines being written: region * 2, plus 1 inside the page's h1.
  int Tag() const { return region_ * 2 + (capture_h1_ > 0 ? 1 : 0); }

  static bool StyleHides(std::string_view style) {
    if (style.empty()) return false;
    std::string s = Lower(style);
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    return s.find("display:none") != std::string::npos ||
           s.find("visibility:hidden") != std::string::npos;
  }

  // Whether a token of a class or id attribute is in `tokens`.
  static bool HasToken(std::string_view attr, const NameSet& tokens) {
    std::string token;
    for (size_t i = 0; i <= attr.size(); ++i) {
      char c = i < attr.size() ? attr[i] : ' ';
      if (std::isalnum(static_cast<unsigned char>(c))) {
        token.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        continue;
      }
      if (!token.empty() && tokens.count(token)) return true;
      token.clear();
    }
    return false;
  }

  // Keeps the main content when the page marks it, and writes the text.
  void SelectLines(const std::vector<MarkupText::Line>& lines, MarkupDocument& doc) {
    for (const auto& line : lines) regions_[line.tag / 2].bytes += line.end - line.begin;
    int chosen = -1;  // -1: every line
    bool any_main = false;
    for (size_t r = 1; r < regions_.size(); ++r) any_main |= regions_[r].main && regions_[r].bytes > 0;
    if (!any_main) {
      size_t best = 0;
      for (size_t r = 1; r < regions_.size(); ++r) {
        if (regions_[r].bytes > best) {
          best = regions_[r].bytes;
          chosen = static_cast<int>(r);
        }
      }
    }
    auto selected = [&](const MarkupText::Line& line) {
      int r = line.tag / 2;
      if (any_main) return regions_[r].main;
      return chosen < 0 || r == chosen;
    };
    // The page's h1 is the article's title even when the template puts it
    // before the <article> or <main>.
    int h1_index = -1;
    size_t first_selected = lines.size();
    for (size_t i = 0; i < lines.size(); ++i) {
      if (selected(lines[i])) {
        first_selected = std::min(first_selected, i);
        if (lines[i].tag % 2) h1_index = -2;  // already inside
      } else if (h1_index == -1 && lines[i].tag % 2 == 1) {
        h1_index = static_cast<int>(i);
      }
    }
    if (h1_index >= 0 && static_cast<size_t>(h1_index) > first_selected) h1_index = -1;

    bool everything = h1_index < 0 && std::all_of(lines.begin(), lines.end(), selected);
    if (everything) {
      doc.to_source = out_.TakeMap();
      doc.text = out_.TakeText();
      return;
    }
    TextRewriter w(out_.text());
    size_t previous_end = std::string::npos;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (!(selected(lines[i]) || static_cast<int>(i) == h1_index)) continue;
      if (previous_end != std::string::npos) {
        if (previous_end + 1 == lines[i].begin) {
          w.Copy(previous_end, lines[i].begin);  // the '\n' between them
        } else {
          w.Replace(lines[i].begin, lines[i].begin, "\n");
        }
      }
      w.Copy(lines[i].begin, lines[i].end);
      previous_end = lines[i].end;
    }
    OffsetMap map = out_.TakeMap();
    if (w.changed()) {
      doc.to_source = w.TakeMap().Compose(map);
      doc.text = w.TakeText();
    } else {
      doc.to_source = std::move(map);
      doc.text = out_.TakeText();
    }
  }

  const HtmlRules& rules_;
  MarkupText out_;
  std::vector<Open> stack_;
  std::vector<Region> regions_;
  int region_ = 0;
  int drop_depth_ = 0;
  int preformatted_depth_ = 0;
  int capture_h1_ = 0;
  int capture_title_ = 0;
  int capture_json_ = 0;
  std::string json_;
  bool h1_done_ = false;
  bool in_body_ = false;
  std::string og_title_, meta_date_, time_date_, title_text_, h1_text_;
};

HtmlWalker* Walker(void* ctx) { return static_cast<HtmlWalker*>(ctx); }

}  // namespace

Result<MarkupDocument> ReadHtml(std::string_view html) {
  HtmlWalker walker(html);
  htmlSAXHandler sax{};
  sax.startElement = [](void* ctx, const xmlChar* name, const xmlChar** atts) {
    Walker(ctx)->Start(reinterpret_cast<const char*>(name), atts);
  };
  sax.endElement = [](void* ctx, const xmlChar* name) {
    Walker(ctx)->End(reinterpret_cast<const char*>(name));
  };
  sax.characters = [](void* ctx, const xmlChar* ch, int len) {
    Walker(ctx)->Characters(std::string_view(reinterpret_cast<const char*>(ch), len));
  };
  sax.ignorableWhitespace = sax.characters;
  sax.cdataBlock = [](void* ctx, const xmlChar* ch, int len) {
    Walker(ctx)->Raw(std::string_view(reinterpret_cast<const char*>(ch), len));
  };

  // The push parser reads the page in chunks: libxml2 then never holds a copy
  // of the whole input, only the part it is parsing.
  std::unique_ptr<htmlParserCtxt, decltype(&htmlFreeParserCtxt)> ctxt(
      htmlCreatePushParserCtxt(&sax, &walker, nullptr, 0, nullptr, XML_CHAR_ENCODING_UTF8),
      htmlFreeParserCtxt);
  if (!ctxt) return Status::Internal("cannot create an HTML parser");
  htmlCtxtUseOptions(ctxt.get(), HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                     HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC);
  constexpr size_t kChunk = 1 << 16;
  for (size_t pos = 0; pos < html.size(); pos += kChunk) {
    size_t n = std::min(kChunk, html.size() - pos);
    htmlParseChunk(ctxt.get(), html.data() + pos, static_cast<int>(n), 0);
  }
  htmlParseChunk(ctxt.get(), nullptr, 0, 1);
  MarkupDocument doc = walker.Finish();
  if (doc.text.empty()) return Status::UserError("no article text in this HTML page");
  return doc;
}

}  // namespace coopkb
