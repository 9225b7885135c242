// Mojibake: undoing double-encoded UTF-8 ("Ã©" for "é", "â€™" for "’").
//
//   if (auto fixed = UndoDoubleEncoding(text)) text = fixed->text;   // the whole text at once
//
//   auto repairer = MojibakeRepairer::Create(lexicons.Table("cleaning_mojibake"));
//   std::vector<Replacement> found;
//   repairer.value().Find(text, found);    // "Ã©" -> "é" wherever listed sequences occur
//
// UndoDoubleEncoding applies when the whole text is mojibake: every character
// maps back to a windows-1252 (or Latin-1) byte, and those bytes are valid
// UTF-8 with at least one multi-byte character. Text with even one genuine
// accented letter fails that test, which is what makes it safe. For text that
// mixes good and broken parts, MojibakeRepairer replaces the sequences listed
// in lexicons/cleaning_mojibake.tsv, in their windows-1252 form and in the
// Latin-1 form where C1 controls stand for windows-1252 punctuation. Run it
// before whitespace normalization: "à" turns into "Ã" and a no-break space.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/status.h"
#include "pipeline/text_rewriter.h"

namespace coopkb {

std::optional<RewrittenText> UndoDoubleEncoding(std::string_view text);

class MojibakeRepairer {
 public:
  static Result<MojibakeRepairer> Create(const LexiconTable& table);
  // Appends a replacement for every listed sequence in `text`.
  void Find(std::string_view text, std::vector<Replacement>& out) const;

 private:
  // The first two bytes of `p`, as an index of first_pair_.
  static size_t FirstPair(const char* p);

  std::unordered_map<std::string, std::string> repairs_;  // mojibake -> character
  std::vector<bool> first_pair_ = std::vector<bool>(1 << 16);  // how mojibake can start
  bool first_byte_[256] = {};
  int single_first_byte_ = -1;  // the only possible first byte, if there is one
  size_t min_len_ = 0, max_len_ = 0;
};

}  // namespace coopkb
