// The XML and TEI reader (libxml2 SAX without entity substitution, DTD
// loading or network; MarkupText's source alignment) on any document,
// decoded to UTF-8 first as the reader does.
#include "pipeline/encoding.h"
#include "pipeline/xml_reader.h"
#include "tests/fuzz/support.h"

using namespace coopkb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoded = DecodeText(fuzz::Bytes(data, size));
  if (!decoded.ok()) return 0;
  std::string_view xml = decoded.value().text();
  auto doc = ReadXml(xml);
  if (doc.ok()) fuzz::CheckMarkup(doc.value(), xml.size());
  return 0;
}
