// Folding: Fold(), FoldInto() and FoldsEqual() give what the per-character
// reference (FoldedText, which folds through the same table one character at
// a time) gives, on texts with every kind of character folding treats apart.
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "pipeline/fold.h"

namespace coopkb {
namespace {

const std::vector<std::string>& Samples() {
  static const std::vector<std::string> samples = {
      "",
      "Le Centre Hospitalier d\xE2\x80\x99" "Arras \xE2\x80\x93 \xC5\x92uvre",
      "600\xE2\x80\xAF" "000 patients, 22\xC2\xA0janvier\xC2\xA0" "2001\xE2\x80\xA6",
      "soft\xC2\xADhyphen, \xC3\x89T\xC3\x89 \xE2\x80\xA2 1\xE1\xB5\x89\xCA\xB3 \xF0\x9F\x98\x80 ok",
      "bad \xC3 byte\n\x01 control \x7F \xE2\x82\xAC \xC2\xB0 m\xC2\xB2",
      "trailing soft hyphen\xC2\xAD",
      "zero\xE2\x80\x8Bwidth",
      "STRA\xC3\x9F" "E \xC3\x86sop",
      "truncated \xE2\x80",
  };
  return samples;
}

TEST_CASE("Fold and FoldInto give the reference folding", "[fold]") {
  std::string buffer = "left over from an earlier, longer line";
  for (const std::string& text : Samples()) {
    INFO(text);
    FoldedText reference(text);
    CHECK(Fold(text) == reference.folded());
    FoldInto(text, buffer);
    CHECK(buffer == reference.folded());
  }
}

TEST_CASE("FoldsEqual compares the folded forms", "[fold]") {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"CHU de Lille", "chu de lille"},
      {"CHU de Lille", "CHU de Lilles"},
      {"\xC3\x89t\xC3\xA9", "ete"},
      {"\xC3\x89t\xC3\xA9", "et"},
      {"abc", "abc\xC2\xAD"},          // a soft hyphen folds to nothing
      {"abc\xC2\xAD", "abc"},
      {"a\xE2\x80\x8B" "b", "ab"},     // so does a zero-width space
      {"\xC5\x93uvre", "oeuvre"},      // one character, two folded bytes
      {"\xC5\x93uvre", "oeuvrx"},
      {"\xE2\x80\xA6", "..."},
      {"bad \xC3", "bad \xEF\xBF\xBD"},  // an invalid byte folds to U+FFFD
      {"", ""},
      {"", "\xC2\xAD"},
      {"x", ""},
  };
  for (const auto& [a, b] : pairs) {
    INFO(a << " | " << b);
    CHECK(FoldsEqual(a, b) == (Fold(a) == Fold(b)));
  }
  for (const std::string& a : Samples()) {
    for (const std::string& b : Samples()) CHECK(FoldsEqual(a, b) == (Fold(a) == Fold(b)));
  }
}

TEST_CASE("Fold agrees with the reference on random byte strings", "[fold]") {
  std::mt19937 rng(7);
  // ASCII around the capitals' edges ('@' 'A' 'Z' '[' '`' 'z' '{'), DEL and
  // controls, in runs long enough for the eight-byte path.
  const std::string pieces[] = {"a", "Z", " ", "\n", "\t", "\xC3\xA9", "\xC3\x89", "\xC2\xAD", "\xE2\x80\x99",
                                "\xE2\x80\xA6", "\xC5\x92", "\xF0\x9F\x98\x80", "\xC3", "\x80", "\xE2\x80",
                                "@AZ[`az{", "Hello World", "~\x7F", "\x1F", "0123456789", "MiXeD CaSe TeXt"};
  for (int round = 0; round < 4000; ++round) {
    std::string a, b;
    for (int k = static_cast<int>(rng() % 12); k > 0; --k) a += pieces[rng() % std::size(pieces)];
    for (int k = static_cast<int>(rng() % 12); k > 0; --k) b += pieces[rng() % std::size(pieces)];
    INFO(a << " | " << b);
    REQUIRE(Fold(a) == FoldedText(a).folded());
    REQUIRE(FoldsEqual(a, b) == (Fold(a) == Fold(b)));
    REQUIRE(FoldsEqual(a, a));
  }
}

TEST_CASE("eight ASCII bytes fold a word at a time as one by one", "[fold]") {
  for (int c = 0; c < 128; ++c) {
    for (int at = 0; at < 8; ++at) {
      std::string in = "aZ@[`{~m";
      in[static_cast<size_t>(at)] = static_cast<char>(c);
      char out[8] = {};
      bool printable = c >= 0x20 && c < 0x7F;
      INFO("byte " << c << " at " << at);
      REQUIRE(FoldEightAscii(in.data(), out) == printable);
      if (printable) CHECK(std::string(out, 8) == Fold(in));
    }
  }
}

}  // namespace
}  // namespace coopkb
