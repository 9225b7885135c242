// The HTML reader (libxml2's recovering SAX parser, MarkupText's source
// alignment, article selection) on any page, decoded to UTF-8 first as the
// reader does.
#include "pipeline/encoding.h"
#include "pipeline/html_reader.h"
#include "tests/fuzz/support.h"

using namespace coopkb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoded = DecodeText(fuzz::Bytes(data, size));
  if (!decoded.ok()) return 0;
  std::string_view html = decoded.value().text();
  auto page = ReadHtml(html);
  if (page.ok()) fuzz::CheckMarkup(page.value(), html.size());
  return 0;
}
