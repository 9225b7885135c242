// XmlReader: the text of an XML document, TEI or any other.
//
//   Result<MarkupDocument> doc = ReadXml(utf8_xml);
//   doc.value().format;      // "tei" (root TEI or teiCorpus) or "xml"
//   doc.value().text;        // TEI: the <body> of each <text> (without notes); other XML: all text
//   doc.value().title;       // TEI: teiHeader's titleStmt/title; XML: first <title>/<titre>/<headline>
//   doc.value().published;   // TEI: a <date> of publicationStmt, sourceDesc or creation
//
// Text comes in document order, one paragraph per line. An element is a
// paragraph unless it sits in mixed content (text beside it in its parent, as
// <hi> in a <p>): so <p>, <head>, <item> or any record-like <field> get their
// own line and inline markup does not break the text.
//
// Safety: libxml2 parses without network access (XML_PARSE_NONET), without
// loading any DTD and without substituting entities (no XML_PARSE_NOENT). The
// reader does not even register the document's entity declarations, so an
// external entity (XXE) is never read and an entity bomb (billion laughs) is
// never expanded: a reference to a declared entity stands for nothing and is
// reported in a warning. Predefined entities and character references work.
#pragma once

#include <string_view>

#include "pipeline/markup_text.h"
#include "pipeline/status.h"

namespace coopkb {

// `xml` must be UTF-8 (see DecodeText); its encoding declaration is ignored.
Result<MarkupDocument> ReadXml(std::string_view xml);

}  // namespace coopkb
