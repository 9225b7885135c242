// SentenceBreaks against ICU's sentence iterator, which it replaces: on any
// line of valid UTF-8, the same breaks (tests/segmenter_test.cc does the same
// on the bundled texts). Invalid UTF-8 only has to stay in bounds.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include "pipeline/sentence_breaks.h"
#include "tests/fuzz/support.h"

using namespace coopkb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string line(fuzz::Bytes(data, size));
  std::vector<size_t> own;
  SentenceBreaks(line, own);
  size_t previous = 0;
  for (size_t b : own) {
    if (b <= previous || b >= line.size()) std::abort();
    previous = b;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(line);
  std::string round_trip;
  u.toUTF8String(round_trip);
  if (round_trip != line) return 0;
  UErrorCode status = U_ZERO_ERROR;
  static const std::unique_ptr<icu::BreakIterator> prototype(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getFrench(), status));
  std::unique_ptr<icu::BreakIterator> it(prototype->clone());
  it->setText(u);
  std::vector<size_t> icu_breaks;
  for (int32_t b = it->next(); b != icu::BreakIterator::DONE && b < u.length(); b = it->next()) {
    std::string prefix;
    u.tempSubString(0, b).toUTF8String(prefix);
    icu_breaks.push_back(prefix.size());
  }
  if (own != icu_breaks) std::abort();
  return 0;
}
