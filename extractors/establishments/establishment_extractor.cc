#include "extractors/establishments/establishment_extractor.h"

namespace coopkb {

Result<std::unique_ptr<Extractor>> EstablishmentExtractor::Create(const Lexicons&) {
  return std::unique_ptr<Extractor>(new EstablishmentExtractor());
}

void EstablishmentExtractor::Extract(Document&) const {}

}  // namespace coopkb
