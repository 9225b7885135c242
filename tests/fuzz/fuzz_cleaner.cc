// Cleaner::Clean (double-encoding repair, NFC, character normalization,
// lost-character repairs, paragraph filters, title and dateline) on decoded
// text; its map, composed with the decoder's, must still reach the input.
#include "tests/fuzz/support.h"

using namespace coopkb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes = fuzz::Bytes(data, size);
  Document doc = fuzz::DecodedDocument(bytes);
  fuzz::Stages().cleaner.Clean(doc);
  fuzz::CheckDocument(doc, bytes.size());
  fuzz::Stages().segmenter.Segment(doc);
  fuzz::CheckDocument(doc, bytes.size());
  return 0;
}
