#include "pipeline/segmenter.h"

#include <memory>

#include <unicode/brkiter.h>
#include <unicode/utext.h>

namespace coopkb {

Result<Segmenter> Segmenter::Create(const Lexicons&) { return Segmenter(); }

void Segmenter::Segment(Document& doc) const {
  doc.paragraphs.clear();
  doc.sentences.clear();
  const std::string& t = doc.text;
  size_t pos = 0;
  while (pos < t.size()) {
    size_t nl = t.find('\n', pos);
    size_t end = nl == std::string::npos ? t.size() : nl;
    if (end > pos) doc.paragraphs.push_back({pos, end});
    pos = end + 1;
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getFrench(), status));
  if (U_FAILURE(status)) {
    doc.sentences = doc.paragraphs;
    return;
  }
  for (const Span& p : doc.paragraphs) {
    UText* ut = utext_openUTF8(nullptr, t.data() + p.begin, static_cast<int64_t>(p.size()), &status);
    it->setText(ut, status);
    int32_t start = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
      size_t b = p.begin + start, e = p.begin + end;
      while (e > b && (t[e - 1] == ' ')) --e;
      if (e > b) doc.sentences.push_back({b, e});
    }
    utext_close(ut);
  }
}

}  // namespace coopkb
