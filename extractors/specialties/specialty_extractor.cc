#include "extractors/specialties/specialty_extractor.h"

namespace coopkb {

Result<std::unique_ptr<Extractor>> SpecialtyExtractor::Create(const Lexicons&) {
  return std::unique_ptr<Extractor>(new SpecialtyExtractor());
}

void SpecialtyExtractor::Extract(Document&) const {}

}  // namespace coopkb
