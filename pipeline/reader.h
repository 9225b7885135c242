// Reader: the ingest stage. Bytes of one input file in, a Document with raw text out.
//
//   Result<Document> doc = ReadDocument("corpus/a.html", bytes);
//   if (!doc.ok()) report(doc.status().message());   // "not a text document (PNG image)"
//   doc.value().text;          // UTF-8, paragraphs separated by blank lines
//   doc.value().to_source;     // text offset -> byte offset in `bytes`
//
// The format is sniffed from the content (the path only breaks ties): plain
// text, HTML, XML (TEI or any other). Text is decoded from whatever encoding it
// is in (BOMs, ICU charset detection for legacy 8-bit files); invalid sequences
// become U+FFFD and are counted in one warning. Markup readers keep the
// article's content as paragraphs and read title and publication date from it.
// Nothing is fetched: no network, no external entities.
#pragma once

#include <string>
#include <string_view>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace coopkb {

Result<Document> ReadDocument(std::string source, std::string_view bytes);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

}  // namespace coopkb
