#include "pipeline/pipeline.h"

#include "extractors/cooperations/cooperation_extractor.h"
#include "extractors/counts/count_extractor.h"
#include "extractors/dates/date_extractor.h"
#include "extractors/establishments/establishment_extractor.h"
#include "extractors/specialties/specialty_extractor.h"
#include "pipeline/reader.h"

namespace coopkb {

Result<Pipeline> Pipeline::Create(const Lexicons& lexicons) {
  auto cleaner = Cleaner::Create(lexicons);
  if (!cleaner.ok()) return cleaner.status();
  auto segmenter = Segmenter::Create(lexicons);
  if (!segmenter.ok()) return segmenter.status();
  Pipeline p(std::move(cleaner).value(), std::move(segmenter).value());
  using Factory = Result<std::unique_ptr<Extractor>> (*)(const Lexicons&);
  for (Factory make : {&SpecialtyExtractor::Create, &EstablishmentExtractor::Create,
                       &DateExtractor::Create, &CountExtractor::Create,
                       &CooperationExtractor::Create}) {
    auto e = make(lexicons);
    if (!e.ok()) return e.status();
    p.extractors_.push_back(std::move(e).value());
  }
  return p;
}

Result<Document> Pipeline::Process(std::string source, std::string_view bytes) const {
  auto doc = ReadDocument(std::move(source), bytes);
  if (!doc.ok()) return doc.status();
  Annotate(doc.value());
  return doc;
}

void Pipeline::Annotate(Document& doc) const {
  cleaner_.Clean(doc);
  Extract(doc);
}

void Pipeline::Extract(Document& doc) const {
  segmenter_.Segment(doc);
  for (const auto& e : extractors_) e->Extract(doc);
}

}  // namespace coopkb
