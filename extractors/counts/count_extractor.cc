#include "extractors/counts/count_extractor.h"

namespace coopkb {

Result<std::unique_ptr<Extractor>> CountExtractor::Create(const Lexicons&) {
  return std::unique_ptr<Extractor>(new CountExtractor());
}

void CountExtractor::Extract(Document&) const {}

}  // namespace coopkb
