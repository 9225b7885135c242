#include "pipeline/reader.h"

#include <openssl/evp.h>

#include "pipeline/utf8.h"

namespace coopkb {

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

Result<Document> ReadDocument(std::string source, std::string_view bytes) {
  Document doc;
  doc.source = std::move(source);
  doc.sha256 = Sha256Hex(bytes);
  doc.format = "text";
  doc.encoding = "UTF-8";
  size_t skip = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  std::string_view body = bytes.substr(skip);
  if (body.empty()) return Status::UserError("empty file");
  if (!IsValidUtf8(body)) return Status::UserError("not valid UTF-8");
  doc.text = std::string(body);
  OffsetMapBuilder b;
  b.Copy(skip, body.size());
  doc.to_source = std::move(b).Build();
  return doc;
}

}  // namespace coopkb
