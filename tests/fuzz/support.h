// Shared by the libFuzzer targets of tests/fuzz: the stages built once from
// the embedded lexicons, fuzz bytes turned into what a stage receives in the
// pipeline, and checks of the promises every stage makes (UTF-8 text, spans
// inside the text on character boundaries, offset maps inside the input).
//
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
//     std::string_view bytes = fuzz::Bytes(data, size);
//     Document doc = fuzz::DecodedDocument(bytes);   // what the reader would pass on
//     fuzz::Stages().cleaner.Clean(doc);
//     fuzz::CheckDocument(doc, bytes.size());        // aborts on a broken promise
//     return 0;
//   }
//
// A broken promise aborts with a one-line reason on stderr, so libFuzzer keeps
// the input as a crash.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/document.h"
#include "pipeline/lexicon.h"
#include "pipeline/markup_text.h"
#include "pipeline/segmenter.h"

namespace coopkb::fuzz {

struct StageSet {
  Lexicons lexicons;
  Cleaner cleaner;
  Segmenter segmenter;
  // In pipeline order: specialties, establishments, dates, counts, cooperations.
  std::vector<std::unique_ptr<Extractor>> extractors;
};
const StageSet& Stages();

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// `bytes` decoded to UTF-8 as the reader decodes a plain text file, with the
// map back to the bytes: the Document a markup-free input reaches the cleaner as.
Document DecodedDocument(std::string_view bytes);

// Cleans and segments `bytes`, then runs the extractors in pipeline order up
// to and including the one called `last`; checks the whole Document.
void RunExtractorsThrough(std::string_view last, std::string_view bytes);

void Require(bool condition, const char* what);
// text is UTF-8; the map stays inside [0, input_size]; every annotation is a
// span of the text on character boundaries; indices point at what exists.
void CheckDocument(const Document& doc, size_t input_size);
void CheckMarkup(const MarkupDocument& m, size_t input_size);

}  // namespace coopkb::fuzz
