// Encoding: the bytes of an input file, whatever their encoding, as UTF-8 text
// with a map back to the bytes.
//
//   Result<DecodedText> d = DecodeText(bytes);
//   if (!d.ok()) fail(d.status().message());    // "not a text document (PNG image)"
//   d.value().text();          // UTF-8 (a view of `bytes` when they already were)
//   d.value().to_source;       // text offset -> offset in `bytes`
//   d.value().encoding;        // "UTF-8", "UTF-16LE", "windows-1252", "ISO-8859-15"...
//   d.value().invalid;         // byte sequences replaced by U+FFFD
//
// How the encoding is chosen, first rule that applies:
//   1. a byte order mark (UTF-8, UTF-16, UTF-32);
//   2. a binary signature (PNG, PDF, ELF, ZIP...) or NUL bytes: an error, unless
//      the NULs are the zero half of UTF-16 text written without a BOM;
//   3. valid UTF-8, or UTF-8 with some valid multi-byte characters and
//      invalid sequences that are fewer, or do not look like legacy text
//      (legacy French text has accented letters inside words where UTF-8
//      damage has random bytes);
//   4. the charset the document declares (`declared_charset`, see DeclaredCharset);
//   5. windows-1252 when most non-ASCII bytes read as French text in it
//      (accented letters inside words, French punctuation), else ICU's charset
//      detection (ucsdet); ISO-8859-1 is read as its superset windows-1252, and
//      as ISO-8859-15 when the bytes only make sense as œ/Œ/€.
// Conversion goes through an ICU converter with offsets, so every UTF-8 byte
// maps back to the first byte of the character it was decoded from.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/offset_map.h"
#include "pipeline/status.h"

namespace coopkb {

class DecodedText {
 public:
  // The UTF-8 text: a view of the input bytes when no conversion was needed.
  std::string_view text() const { return converted_ ? std::string_view(*converted_) : view_; }
  // The text as an owned string (moves out the conversion when there is one).
  std::string TakeText() &&;

  OffsetMap to_source;
  std::string encoding;
  size_t invalid = 0;  // invalid or unmappable sequences replaced by U+FFFD

 private:
  friend Result<DecodedText> DecodeText(std::string_view, std::string_view);
  std::string_view view_;
  std::optional<std::string> converted_;
};

Result<DecodedText> DecodeText(std::string_view bytes, std::string_view declared_charset = {});

// "PNG image", "PDF document"... when `bytes` start with a known binary
// signature; empty otherwise.
std::string_view BinarySignature(std::string_view bytes);

// The charset a markup document declares near its start (<meta charset>,
// <meta http-equiv content="...; charset=">, <?xml encoding="...">), or "".
std::string DeclaredCharset(std::string_view bytes);

}  // namespace coopkb
