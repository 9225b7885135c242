// Dates: ISO 8601 values at the precision written.
#pragma once

#include <memory>

#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class DateExtractor : public Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const Lexicons& lexicons);
  std::string_view name() const override { return "dates"; }
  void Extract(Document& doc) const override;
};

}  // namespace coopkb
