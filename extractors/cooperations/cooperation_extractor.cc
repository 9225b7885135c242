#include "extractors/cooperations/cooperation_extractor.h"

namespace coopkb {

Result<std::unique_ptr<Extractor>> CooperationExtractor::Create(const Lexicons&) {
  return std::unique_ptr<Extractor>(new CooperationExtractor());
}

void CooperationExtractor::Extract(Document&) const {}

}  // namespace coopkb
