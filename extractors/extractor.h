// Extractor: one kind of knowledge read off a cleaned, segmented Document.
//
//   Lexicons lex = Lexicons::LoadDefaults().value();
//   auto dates = DateExtractor::Create(lex);      // Result<std::unique_ptr<Extractor>>
//   dates.value()->Extract(doc);                  // appends Mentions of kind kDate
//
// Extractors only read doc.text, doc.sentences, doc.paragraphs, doc.published and
// mentions appended by extractors that ran before them; they know nothing of
// ingestion or storage. Create() compiles rules once; Extract() is const and
// thread-safe, so one instance serves every worker.
#pragma once

#include <memory>
#include <string_view>

#include "pipeline/document.h"

namespace coopkb {

class Extractor {
 public:
  virtual ~Extractor() = default;
  virtual std::string_view name() const = 0;
  virtual void Extract(Document& doc) const = 0;
};

}  // namespace coopkb
