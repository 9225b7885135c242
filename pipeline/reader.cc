#include "pipeline/reader.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <libxml/parser.h>
#include <openssl/evp.h>

#include "pipeline/encoding.h"
#include "pipeline/html_reader.h"
#include "pipeline/text_rewriter.h"
#include "pipeline/xml_reader.h"

namespace coopkb {
namespace {

enum class Format { kText, kHtml, kXml };

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string Extension(std::string_view path) {
  size_t slash = path.find_last_of('/');
  size_t dot = path.find_last_of('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  return LowerAscii(path.substr(dot + 1));
}

// Markup is recognised by how the content starts; the extension decides only
// between HTML and XML when the content does not, and lets an .html file that
// starts with text still be read as HTML.
Format SniffFormat(std::string_view text, std::string_view path) {
  size_t start = 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\t' || text[start] == '\n' ||
                                 text[start] == '\r'))
    ++start;
  if (text.compare(start, 3, "\xEF\xBB\xBF") == 0) start += 3;
  std::string head = LowerAscii(text.substr(start, 4096));
  std::string ext = Extension(path);
  bool html_ext = ext == "html" || ext == "htm" || ext == "xhtml" || ext == "shtml";
  bool xml_ext = ext == "xml" || ext == "tei";
  auto mentions_html = [&] {
    return head.find("<!doctype html") != std::string::npos || head.find("<html") != std::string::npos;
  };
  if (head.empty() || head[0] != '<') {
    if (html_ext && (head.find("<p") != std::string::npos || head.find("<br") != std::string::npos ||
                     head.find("<div") != std::string::npos))
      return Format::kHtml;
    return Format::kText;
  }
  if (StartsWith(head, "<?xml") || StartsWith(head, "<!doctype") || StartsWith(head, "<!--")) {
    if (mentions_html()) return Format::kHtml;
    if (html_ext) return Format::kHtml;
    return StartsWith(head, "<!--") && !xml_ext && head.find("<body") != std::string::npos
               ? Format::kHtml
               : Format::kXml;
  }
  if (head.size() < 2 || !((head[1] >= 'a' && head[1] <= 'z'))) return Format::kText;
  size_t end = 1;
  while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == ':' ||
                               head[end] == '-' || head[end] == '_'))
    ++end;
  std::string tag = head.substr(1, end - 1);
  static constexpr std::string_view kHtmlTags[] = {
      "html", "head", "body", "meta", "title", "div", "p", "article", "section", "main", "header",
      "nav", "span", "h1", "h2", "h3", "table", "ul", "ol", "a", "link", "script", "style", "br",
      "img", "figure", "aside", "footer", "form", "blockquote"};
  for (std::string_view t : kHtmlTags) {
    if (tag == t) return xml_ext && tag != "html" ? Format::kXml : Format::kHtml;
  }
  return html_ext ? Format::kHtml : Format::kXml;
}

// Control characters other than line and tab breaks mean binary data that
// slipped past the signatures (after decoding, so UTF-16 text is fine).
bool LooksBinary(std::string_view text) {
  std::string_view sample = text.substr(0, 1 << 16);
  size_t controls = 0;
  for (char c : sample) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v') ++controls;
  }
  return controls * 50 > sample.size();
}

size_t Utf8Chars(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool StartsListItem(std::string_view line) {
  if (line.empty()) return true;
  unsigned char c = static_cast<unsigned char>(line[0]);
  if (c == '-' || c == '*' || c == '>' || c == '|') return true;
  if (StartsWith(line, "\xE2\x80\x93") || StartsWith(line, "\xE2\x80\x94") ||  // – —
      StartsWith(line, "\xE2\x80\xA2"))                                         // •
    return true;
  size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  return digits > 0 && digits < line.size() && (line[digits] == '.' || line[digits] == ')');
}

// Old text files often cut paragraphs at a fixed width. They are recognised
// by lines that nearly all stop short of a width no line exceeds, several of
// them continued by a line starting in lower case; a line then joins the next
// when it is full (within a word of the width), does not end a sentence or
// announce a list, and the next is no list item.
constexpr size_t kMaxWrapWidth = 100;

void UnwrapHardWrappedLines(std::string& text, OffsetMap& map) {
  struct Line {
    size_t begin, end, chars;  // end before "\r\n" or "\n"
  };
  std::vector<Line> lines;
  size_t max_chars = 0;
  for (size_t pos = 0; pos <= text.size();) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl;
    size_t content_end = end > pos && text[end - 1] == '\r' ? end - 1 : end;
    size_t chars = Utf8Chars(std::string_view(text).substr(pos, content_end - pos));
    // One long line is enough to tell the file is not hard-wrapped.
    if (chars > kMaxWrapWidth) return;
    lines.push_back({pos, content_end, chars});
    max_chars = std::max(max_chars, chars);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  if (max_chars < 40) return;
  size_t full_threshold = max_chars * 3 / 4;
  size_t non_empty = 0, full = 0, continued = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].chars == 0) continue;
    ++non_empty;
    if (lines[i].chars >= full_threshold) {
      ++full;
      if (i + 1 < lines.size() && lines[i + 1].chars > 0) {
        unsigned char next = static_cast<unsigned char>(text[lines[i + 1].begin]);
        if (next >= 'a' && next <= 'z') ++continued;
      }
    }
  }
  if (non_empty < 8 || full * 2 < non_empty || continued < 3) return;

  TextRewriter w(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    w.Copy(lines[i].begin, lines[i].end);
    if (i + 1 == lines.size()) break;
    size_t next_begin = lines[i + 1].begin;
    std::string_view next(text.data() + next_begin, lines[i + 1].end - next_begin);
    // A full line that ends a sentence before a capital may end its
    // paragraph: splitting a paragraph there costs less than merging two.
    char last = text[lines[i].end - 1];
    unsigned char first = next.empty() ? ' ' : static_cast<unsigned char>(next[0]);
    bool sentence_end = (last == '.' || last == '!' || last == '?') && !(first >= 'a' && first <= 'z');
    bool join = lines[i].chars >= full_threshold && lines[i + 1].chars > 0 && !StartsListItem(next) &&
                last != ':' && !sentence_end;
    w.Replace(lines[i].end, next_begin, join ? " " : "\n");
  }
  if (!w.changed()) return;
  map = w.TakeMap().Compose(map);
  text = w.TakeText();
}

void AppendWarnings(std::vector<std::string>& to, std::vector<std::string>& from) {
  for (auto& w : from) to.push_back(std::move(w));
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

Result<Document> ReadDocument(std::string source, std::string_view bytes) {
  // libxml2 wants its global state set up once, before threads parse.
  static const bool xml_ready = [] {
    xmlInitParser();
    return true;
  }();
  (void)xml_ready;
  Document doc;
  doc.source = std::move(source);
  doc.sha256 = Sha256Hex(bytes);
  if (bytes.empty()) return Status::UserError("empty file");

  // A charset declared by markup can only be read before decoding when the
  // encoding is ASCII-compatible, which is when the declaration matters.
  std::string declared;
  std::string_view head = bytes.substr(0, 1024);
  if (head.find('<') != std::string_view::npos) declared = DeclaredCharset(bytes);
  auto decoded = DecodeText(bytes, declared);
  if (!decoded.ok()) return decoded.status();
  DecodedText& d = decoded.value();
  doc.encoding = d.encoding;
  if (d.invalid > 0) {
    doc.warnings.push_back(fmt::format("{} invalid byte sequence{} replaced by U+FFFD", d.invalid,
                                       d.invalid > 1 ? "s" : ""));
  }
  std::string_view text = d.text();
  if (LooksBinary(text)) return Status::UserError("not a text document (binary content)");

  Format format = SniffFormat(text, doc.source);
  if (format == Format::kText) {
    if (text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) {
      return Status::UserError("no text in this file");
    }
    doc.format = "text";
    doc.to_source = std::move(d.to_source);
    doc.text = std::move(d).TakeText();
    UnwrapHardWrappedLines(doc.text, doc.to_source);
    return doc;
  }
  auto markup = format == Format::kHtml ? ReadHtml(text) : ReadXml(text);
  if (!markup.ok()) return markup.status();
  MarkupDocument& m = markup.value();
  doc.format = m.format;
  doc.title = std::move(m.title);
  doc.published = std::move(m.published);
  AppendWarnings(doc.warnings, m.warnings);
  const auto& decoded_pieces = d.to_source.pieces();
  bool identity = decoded_pieces.size() == 1 && decoded_pieces[0].src == 0 &&
                  decoded_pieces[0].dst_len == decoded_pieces[0].src_len;
  doc.to_source = identity ? std::move(m.to_source) : m.to_source.Compose(d.to_source);
  doc.text = std::move(m.text);
  return doc;
}

}  // namespace coopkb
