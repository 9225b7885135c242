// HtmlReader: the article text of a web page.
//
//   Result<MarkupDocument> page = ReadHtml(utf8_html);
//   page.value().text;       // "Titre de l'article\nPremier paragraphe...\n..."
//   page.value().to_source;  // text offset -> offset in utf8_html
//   page.value().title;      // og:title, else <title> (or the h1 it contains), else h1
//   page.value().published;  // article:published_time and kin, else <time datetime>
//
// libxml2's HTML parser (recovering from broken markup, no network) streams the
// page through SAX callbacks, so memory stays proportional to the text, not to
// a tree of the page. Headings, paragraphs, list items and table cells become
// lines; script, style, navigation, headers and footers, asides, forms, menus and
// elements whose class, id or role marks them as chrome (lexicons/cleaning_html.tsv,
// embedded defaults) are dropped. When the page has a <main>, only its text is
// kept; else, when it has <article>s, the one with the most text (with the page's
// h1 when it sits before it).
#pragma once

#include <string_view>

#include "pipeline/markup_text.h"
#include "pipeline/status.h"

namespace coopkb {

// `html` must be UTF-8 (see DecodeText); its own charset declarations are ignored.
Result<MarkupDocument> ReadHtml(std::string_view html);

}  // namespace coopkb
