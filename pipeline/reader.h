// Reader: the ingest stage. Bytes of one input file in, a Document with raw text out.
//
//   Result<Document> doc = ReadDocument("corpus/a.html", bytes);
//   if (!doc.ok()) report(path + ": " + doc.status().message());  // "not a text document (PNG image)"
//   doc.value().text;          // UTF-8, one paragraph per line ('\n' between them)
//   doc.value().to_source;     // text offset -> byte offset in `bytes`
//   doc.value().format;        // "text", "html", "xml" or "tei"
//   doc.value().encoding;      // "UTF-8", "windows-1252", "UTF-16LE"...
//   doc.value().warnings;      // "3 invalid byte sequences replaced by U+FFFD"
//
// The format is sniffed from the content; the path's extension only breaks
// ties. Text is decoded from whatever encoding it is in (pipeline/encoding.h:
// BOMs, ICU charset detection for legacy 8-bit files, declared charsets of
// markup). Markup readers (pipeline/html_reader.h, pipeline/xml_reader.h) keep
// the article's content as paragraphs and read title and publication date from
// it. Plain text keeps its lines as they are (blank lines and "\r\n" included:
// the cleaner normalizes them), except that hard-wrapped paragraphs (old files
// cut at a fixed width) are joined back into one line each.
// Nothing is fetched: no network, no external entities.
//
// Errors are user errors with a short message that does not repeat the path:
// "empty file", "not a text document (PDF document)", "no text in this XML document".
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
