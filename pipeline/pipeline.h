// Pipeline: every stage from bytes to an annotated Document, built once.
//
//   auto pipeline = Pipeline::Create(lexicons);          // compiles every rule once
//   Result<Document> doc = pipeline.value().Process("a.txt", bytes);
//
// Stages run in order: read (ingest), clean (normalize), segment, then the
// extractors: specialties, establishments, dates, counts, cooperations (later
// extractors may read the mentions of earlier ones). A Pipeline is immutable
// after Create(), so one instance serves many threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/document.h"
#include "pipeline/lexicon.h"
#include "pipeline/segmenter.h"
#include "pipeline/status.h"

namespace coopkb {

class Pipeline {
 public:
  static Result<Pipeline> Create(const Lexicons& lexicons);

  // The whole chain on one input.
  Result<Document> Process(std::string source, std::string_view bytes) const;
  // The stages after reading, on a Document whose text is already set
  // (tests and the extractor corpora start here).
  void Annotate(Document& doc) const;
  // Only segmentation and the extractors, on already clean text. A text
  // longer than kPartBytes goes through the extractors in parts of whole
  // paragraphs, so that their working memory stays bounded whatever the
  // file: no cooperation is read across parts, and establishments and
  // cooperations found in several parts are merged.
  void Extract(Document& doc) const;
  static constexpr size_t kPartBytes = size_t{1} << 20;

  const std::vector<std::shared_ptr<const Extractor>>& extractors() const { return extractors_; }

 private:
  Pipeline(Cleaner cleaner, Segmenter segmenter) : cleaner_(cleaner), segmenter_(segmenter) {}
  void RunExtractors(Document& doc) const;
  void ExtractInParts(Document& doc) const;
  Cleaner cleaner_;
  Segmenter segmenter_;
  std::vector<std::shared_ptr<const Extractor>> extractors_;
};

}  // namespace coopkb
