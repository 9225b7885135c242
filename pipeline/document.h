// Document: the one object passed through every stage.
//
//   Document doc;                       // ingest fills source, sha256, format, raw
//   doc.text = ...;                     // clean fills text, to_source, edits, title, published
//   Segment(doc);                       // fills paragraphs and sentences
//   dates.Extract(doc);                 // extractors append mentions
//   kb.Store(doc);                      // load writes it all in one transaction
//
// Every annotation is a Span of byte offsets into `text` (UTF-8, end exclusive).
// Exports convert to code point offsets (see Utf8Index in pipeline/utf8.h), and
// `to_source` maps any offset back to a byte of the original input file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/offset_map.h"

namespace coopkb {

struct Span {
  size_t begin = 0;
  size_t end = 0;  // exclusive
  size_t size() const { return end - begin; }
  bool operator==(const Span&) const = default;
};

enum class MentionKind { kEstablishment, kDate, kSpecialty, kCount };
std::string_view MentionKindName(MentionKind kind);  // "establishment", "date", ...

struct Mention {
  MentionKind kind;
  Span span;
  // The normalized value: ISO 8601 date at the written precision ("2000-03");
  // canonical specialty name; count as a decimal number ("600000", "4.2");
  // canonical establishment name.
  std::string value;
  std::string unit;  // counts: the counted noun phrase as written
  int entity = -1;   // establishments: index into Document::establishments
};

// A canonical establishment. `key` is stable across documents and runs
// ("chu:lille", "ch:arras"): the same key is the same entity in the knowledge base.
struct Establishment {
  std::string key;
  std::string name;  // "CHU de Lille"
  std::string kind;  // CHU, CHR, CH, CLINIQUE, CLCC, AUTRE
  std::string city, departement, region;
};

struct Cooperation {
  std::vector<int> parties;  // indices into Document::establishments, two or more
  std::string kind;          // "convention cadre", "GCS", ... or "autre"
  std::vector<std::string> specialties;  // canonical names
  std::string date;                      // ISO 8601 or empty
  std::vector<Span> evidence;            // sentences that state it
};

// What cleaning removed or repaired, for `show --explain`.
struct Edit {
  std::string action;  // "removed", "repaired", ...
  std::string rule;    // which lexicon rule or marker
  size_t source_begin = 0, source_end = 0;  // byte offsets in the original input
  std::string before, after;                // short excerpts
};

struct Document {
  // Ingest.
  std::string source;  // path as given (or "-" for standard input)
  std::string sha256;  // of the original bytes
  std::string format;  // "text", "html", "xml", "tei"
  std::string encoding;  // detected input encoding ("UTF-8", "windows-1252", ...)

  // Metadata, from markup or a dateline; may stay empty.
  std::string title;
  std::string published;  // ISO 8601 at the precision found

  // Clean.
  std::string text;       // cleaned UTF-8 text every span indexes into
  OffsetMap to_source;    // text offset -> byte offset in the original input
  std::vector<Edit> edits;
  std::vector<std::string> warnings;  // one line each, shown to the user

  // Segment.
  std::vector<Span> paragraphs;
  std::vector<Span> sentences;

  // Extract.
  std::vector<Mention> mentions;
  std::vector<Establishment> establishments;
  std::vector<Cooperation> cooperations;

  std::string_view Text(Span s) const { return std::string_view(text).substr(s.begin, s.size()); }
};

}  // namespace coopkb
