// Cooperations: who cooperates with whom, on what, since when.
#pragma once

#include <memory>

#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class CooperationExtractor : public Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const Lexicons& lexicons);
  std::string_view name() const override { return "cooperations"; }
  void Extract(Document& doc) const override;
};

}  // namespace coopkb
