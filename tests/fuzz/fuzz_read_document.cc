// ReadDocument on any bytes: encoding detection and conversion, format
// sniffing, the plain-text reader (hard-wrap unwrapping) and, through the
// sniffing, the markup readers. The first byte picks the file name, since the
// extension breaks format ties.
#include "pipeline/encoding.h"
#include "pipeline/reader.h"
#include "tests/fuzz/support.h"

using namespace coopkb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kNames[] = {"input.txt", "input.html", "input.xml", "input.tei", "input"};
  if (size == 0) return 0;
  const char* name = kNames[data[0] % 5];
  std::string_view bytes = fuzz::Bytes(data + 1, size - 1);

  auto decoded = DecodeText(bytes, DeclaredCharset(bytes));
  if (decoded.ok()) {
    fuzz::CheckMarkup({std::string(decoded.value().text()), decoded.value().to_source, "", "", "", {}},
                      bytes.size());
  }
  auto doc = ReadDocument(name, bytes);
  if (doc.ok()) {
    fuzz::Require(!doc.value().format.empty(), "a read document has a format");
    fuzz::CheckDocument(doc.value(), bytes.size());
  } else {
    const std::string& m = doc.status().message();
    fuzz::Require(!m.empty() && m.find('\n') == std::string::npos, "errors are one line");
  }
  return 0;
}
