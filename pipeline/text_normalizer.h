// TextNormalizer: the character-level normalization of the cleaning stage.
//
//   std::optional<RewrittenText> nfc = NormalizeNfc(text);          // nullopt: already NFC
//   std::optional<RewrittenText> out = NormalizeCharacters(text);   // nullopt: nothing to do
//   if (out) { text = out->text; map = out->map.Compose(map); }
//
// NormalizeCharacters makes the text one paragraph per line: "\r\n", "\r",
// form feeds and Unicode line separators become "\n"; lines are trimmed; empty
// lines disappear; whitespace runs (tabs, no-break and narrow no-break spaces
// included) become one space, except that a lone no-break space stays where
// French typography puts one (before ":", ";", "?", "!", "»", "%", after "«",
// between digit groups). Control characters,
// zero-width spaces, BOMs and soft hyphens are dropped, and a C1 control
// (U+0080..U+009F) becomes the windows-1252 character of the same byte, since
// that is what it always is in text: a windows-1252 byte decoded as Latin-1.
#pragma once

#include <optional>
#include <string_view>

#include "pipeline/text_rewriter.h"

namespace coopkb {

std::optional<RewrittenText> NormalizeNfc(std::string_view text);
std::optional<RewrittenText> NormalizeCharacters(std::string_view text);

// The windows-1252 character of byte 0x80..0x9F, or 0 for the five bytes
// windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
char32_t Windows1252Char(unsigned char byte);

}  // namespace coopkb
