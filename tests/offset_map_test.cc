// Offset maps: building, looking up, composing, and the TextRewriter that the
// reader and cleaner use to produce them. The property checked throughout: a
// byte of the final text that was copied maps to the same byte of the source.
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "pipeline/offset_map.h"
#include "pipeline/text_rewriter.h"

namespace coopkb {
namespace {

TEST_CASE("copies and replacements map output offsets to input offsets", "[offset_map][reader]") {
  OffsetMapBuilder b;
  b.Copy(0, 5);         // "Hello"
  b.Replace(5, 3, 1);   // "..." -> "…" would be 3 bytes; here 1 to test unequal lengths
  b.Copy(8, 4);
  b.Replace(12, 0, 1);  // an inserted byte
  OffsetMap map = std::move(b).Build();
  CHECK(map.output_size() == 11);
  CHECK(map.ToSource(0) == 0);
  CHECK(map.ToSource(4) == 4);
  CHECK(map.ToSource(5) == 5);
  CHECK(map.EndToSource(6) == 8);
  CHECK(map.ToSource(6) == 8);
  CHECK(map.ToSource(9) == 11);
  CHECK(map.ToSource(10) == 12);
  CHECK(map.EndToSource(11) == 12);
  CHECK(map.ToSource(100) == 12);  // past the end: the end of the input
  // Adjacent copies merge into one piece.
  OffsetMapBuilder m;
  m.Copy(0, 3);
  m.Copy(3, 4);
  CHECK(std::move(m).Build().pieces().size() == 1);
}

TEST_CASE("an empty map is the identity", "[offset_map][reader]") {
  OffsetMap empty;
  CHECK(empty.ToSource(7) == 7);
  CHECK(empty.EndToSource(7) == 7);
  OffsetMap outer = OffsetMap::Identity(10);
  CHECK(outer.Compose(empty).ToSource(4) == 4);
}

TEST_CASE("compose chains maps through a copy that straddles replaced pieces", "[offset_map][reader]") {
  // Source "aXXbcYde" -> A = "a" + "x" (from XX) + "bc" + "yy" (from Y) + "de"
  OffsetMapBuilder ab;
  ab.Copy(0, 1);
  ab.Replace(1, 2, 1);
  ab.Copy(3, 2);
  ab.Replace(5, 1, 2);
  ab.Copy(6, 2);
  OffsetMap a_to_source = std::move(ab).Build();  // A has 8 bytes
  // B copies A[1, 7): "xbcyyd".
  OffsetMapBuilder bb;
  bb.Copy(1, 6);
  OffsetMap b_to_a = std::move(bb).Build();
  OffsetMap b_to_source = b_to_a.Compose(a_to_source);
  CHECK(b_to_source.output_size() == 6);
  CHECK(b_to_source.ToSource(0) == 1);       // x <- XX
  CHECK(b_to_source.EndToSource(1) == 3);
  CHECK(b_to_source.ToSource(1) == 3);       // b
  CHECK(b_to_source.ToSource(2) == 4);       // c
  CHECK(b_to_source.ToSource(3) == 5);       // yy <- Y
  CHECK(b_to_source.ToSource(4) == 5);
  CHECK(b_to_source.ToSource(5) == 6);       // d
  CHECK(b_to_source.EndToSource(6) == 7);
}

TEST_CASE("TextRewriter and Apply", "[offset_map][reader]") {
  std::string text = "la mise en ?uvre de l?offre";
  std::vector<Replacement> reps = {{21, 22, "\xE2\x80\x99", "b"}, {11, 12, "\xC5\x93", "a"}, {11, 13, "x", "overlap"}};
  RewrittenText r = Apply(text, reps);
  CHECK(r.text == "la mise en \xC5\x93uvre de l\xE2\x80\x99offre");
  REQUIRE(reps.size() == 2);  // sorted, the overlapping one dropped
  CHECK(reps[0].rule == "a");
  CHECK(reps[1].rule == "b");
  CHECK(r.map.ToSource(11) == 11);
  CHECK(r.map.ToSource(12) == 11);
  CHECK(r.map.EndToSource(13) == 12);
  CHECK(r.map.ToSource(13) == 12);  // "uvre" copied
  CHECK(r.map.EndToSource(r.text.size()) == text.size());

  TextRewriter same(text);
  same.Copy(0, text.size());
  CHECK_FALSE(same.changed());
  TextRewriter deleting(text);
  deleting.Copy(0, 3);
  deleting.Copy(8, text.size());
  CHECK(deleting.changed());
  CHECK(deleting.text() == "la en ?uvre de l?offre");
}

// Random rewriting passes over a random text; every copied byte must still
// point at an equal byte of the source after composing all the maps.
TEST_CASE("composed maps of random rewrites keep copied bytes in place", "[offset_map][reader]") {
  std::mt19937 rng(20240611);
  const std::string alphabet = "abcdefgh \n";
  for (int round = 0; round < 200; ++round) {
    std::string source;
    size_t len = 1 + rng() % 200;
    for (size_t i = 0; i < len; ++i) source.push_back(alphabet[rng() % alphabet.size()]);
    std::string text = source;
    OffsetMap to_source = OffsetMap::Identity(source.size());
    // Which source byte each text byte is a copy of, or -1.
    std::vector<long> origin(source.size());
    for (size_t i = 0; i < origin.size(); ++i) origin[i] = static_cast<long>(i);
    for (int pass = 0; pass < 4; ++pass) {
      TextRewriter w(text);
      std::vector<long> next_origin;
      size_t pos = 0;
      while (pos < text.size()) {
        size_t n = 1 + rng() % 8;
        n = std::min(n, text.size() - pos);
        switch (rng() % 4) {
          case 0:
            w.Delete(pos, pos + n);
            break;
          case 1: {  // replace with 0-3 new bytes
            std::string with(rng() % 4, 'Z');
            w.Replace(pos, pos + n, with);
            next_origin.insert(next_origin.end(), with.size(), -1);
            break;
          }
          default:  // copy
            w.Copy(pos, pos + n);
            next_origin.insert(next_origin.end(), origin.begin() + pos, origin.begin() + pos + n);
        }
        pos += n;
      }
      RewrittenText r = w.Finish();
      to_source = r.map.Compose(to_source);
      text = std::move(r.text);
      origin = std::move(next_origin);
      REQUIRE(origin.size() == text.size());
    }
    for (size_t i = 0; i < text.size(); ++i) {
      if (origin[i] < 0) continue;
      INFO("round " << round << " byte " << i);
      CHECK(to_source.ToSource(i) == static_cast<size_t>(origin[i]));
    }
  }
}

}  // namespace
}  // namespace coopkb
