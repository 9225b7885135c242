// MarkupText: the one-paragraph-per-line text of a markup document, built from
// the character data a streaming parser delivers, and mapped back to the bytes
// of the markup source.
//
//   MarkupText out(source, MarkupText::kHtml);
//   // from the parser's callbacks, in document order:
//   out.Characters(chars, /*keep=*/true);      // character data the parser decoded
//   out.RawCharacters(chars, /*keep=*/false);  // verbatim data: <script>, CDATA
//   out.Break();                               // a block element starts or ends
//   ...
//   out.text();          // "Titre\nPremier paragraphe.\nSecond paragraphe."
//   out.map();           // text offset -> offset in `source`
//
// Parsers do not say where their text came from, so MarkupText finds it: it
// walks the source from a cursor, skipping tags, comments and declarations,
// decoding character and entity references, and resynchronizing on the rare
// piece it cannot find. Every piece of character data, kept or not, must be
// passed in order so that the cursor follows the parser.
//
// Whitespace follows HTML rendering: runs collapse to one space, lines are
// trimmed, and breaks never make empty lines. In preformatted mode each
// newline of the data is a break.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/offset_map.h"

namespace coopkb {

// What a markup reader makes of a document.
struct MarkupDocument {
  std::string text;       // one paragraph per line
  OffsetMap to_source;    // text offset -> offset in the markup given to the reader
  std::string format;     // "html", "xml", "tei"
  std::string title;      // from the markup's metadata, "" when none
  std::string published;  // ISO 8601, "" when none
  std::vector<std::string> warnings;
};

class MarkupText {
 public:
  // Which references the source may contain: the HTML entity table, or only
  // XML's predefined entities (other entities are never expanded).
  enum References { kHtml, kXml };

  MarkupText(std::string_view source, References references);
  MarkupText(const MarkupText&) = delete;
  MarkupText& operator=(const MarkupText&) = delete;

  // Character data as the parser decoded it. With keep=false the data only
  // moves the cursor (script, menus, metadata).
  void Characters(std::string_view chars, bool keep);
  // Data the parser passes verbatim from the source (script and style
  // content, CDATA sections).
  void RawCharacters(std::string_view chars, bool keep);

  // The next kept text starts a new line. CancelBreak() takes a pending break
  // back (it becomes a space), for elements that turn out to be inline.
  void Break();
  void CancelBreak();
  // A word boundary that is markup, not text (TEI's <lb/>): a space unless
  // the line is empty or breaks anyway.
  void Space();
  void SetPreformatted(bool on) { preformatted_ = on; }

  // Lines started from now on carry `tag` (readers use it to select lines).
  void SetLineTag(int tag) { tag_ = tag; }
  struct Line {
    size_t begin, end;  // end exclusive, before the '\n'
    int tag;
  };
  std::vector<Line> Lines() const;

  const std::string& text() const { return text_; }
  std::string TakeText() { return std::move(text_); }
  OffsetMap TakeMap() { return std::move(map_).Build(); }

 private:
  // Appends kept data that came from source[src, src+src_len); `copied` when it
  // is the source bytes themselves.
  void Emit(std::string_view data, size_t src, size_t src_len, bool copied);
  void EmitNonSpace(std::string_view data, size_t src, size_t src_len, bool copied);
  void Output(std::string_view data, size_t src, size_t src_len, bool copied, bool keep);
  // Position after the markup construct starting at `pos` ('<'), or `pos`
  // when it does not start one.
  size_t SkipMarkup(size_t pos);
  // Length of the character or entity reference at `pos` ('&'), 0 when there
  // is none; its decoded UTF-8 in `decoded` (empty for an unknown entity).
  size_t DecodeReference(size_t pos, std::string& decoded) const;

  std::string_view source_;
  References references_;
  size_t cursor_ = 0;

  std::string text_;
  OffsetMapBuilder map_;
  std::vector<std::pair<size_t, int>> line_starts_;  // (offset, tag)
  bool line_has_text_ = false;
  bool pending_break_ = false;
  bool pending_space_ = false;
  size_t space_src_ = 0;
  size_t space_src_len_ = 0;
  bool space_is_literal_ = false;
  bool preformatted_ = false;
  int tag_ = 0;
  std::string decoded_;  // scratch for references
};

}  // namespace coopkb
