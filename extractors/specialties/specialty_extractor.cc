#include "extractors/specialties/specialty_extractor.h"

#include <utility>

namespace coopkb {

Result<std::unique_ptr<Extractor>> SpecialtyExtractor::Create(const Lexicons& lexicons) {
  auto matcher = SpecialtyMatcher::Create(lexicons);
  if (!matcher.ok()) return matcher.status();
  return std::unique_ptr<Extractor>(new SpecialtyExtractor(std::move(matcher).value()));
}

void SpecialtyExtractor::Extract(Document& doc) const {
  std::vector<SpecialtyMatch> found;
  matcher_.FindAll(doc.text, found);
  for (const SpecialtyMatch& m : found) {
    Mention mention;
    mention.kind = MentionKind::kSpecialty;
    mention.span = m.span;
    mention.value = matcher_.name(m.specialty);
    doc.mentions.push_back(std::move(mention));
  }
}

}  // namespace coopkb
