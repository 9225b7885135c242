#include "extractors/dates/date_extractor.h"

namespace coopkb {

Result<std::unique_ptr<Extractor>> DateExtractor::Create(const Lexicons&) {
  return std::unique_ptr<Extractor>(new DateExtractor());
}

void DateExtractor::Extract(Document&) const {}

}  // namespace coopkb
