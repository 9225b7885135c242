// Specialties: canonical medical and surgical specialty names.
#pragma once

#include <memory>

#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class SpecialtyExtractor : public Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const Lexicons& lexicons);
  std::string_view name() const override { return "specialties"; }
  void Extract(Document& doc) const override;
};

}  // namespace coopkb
