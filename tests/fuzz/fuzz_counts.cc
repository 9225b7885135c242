// The counts extractor on cleaned, segmented text, after the extractors that
// run before it in the pipeline (pipeline/pipeline.h).
#include "tests/fuzz/support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  coopkb::fuzz::RunExtractorsThrough("counts", coopkb::fuzz::Bytes(data, size));
  return 0;
}
