// Counts: a number and the noun phrase it counts.
#pragma once

#include <memory>

#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class CountExtractor : public Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const Lexicons& lexicons);
  std::string_view name() const override { return "counts"; }
  void Extract(Document& doc) const override;
};

}  // namespace coopkb
