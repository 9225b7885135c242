#include "pipeline/mojibake.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <fmt/format.h>
#include <unicode/utf8.h>

#include "pipeline/text_normalizer.h"

namespace coopkb {
namespace {

// The byte a character of windows-1252 (or of Latin-1, for the C1 controls
// that undefined windows-1252 bytes decode to) was decoded from; -1 if none.
int ByteOf(UChar32 c) {
  if (c < 0x100) return c;
  for (int b = 0x80; b < 0xA0; ++b) {
    if (Windows1252Char(static_cast<unsigned char>(b)) == static_cast<char32_t>(c)) return b;
  }
  return -1;
}

// "\x9d" in the lexicon stands for the control character U+009D.
std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 3]))) {
      int v = std::stoi(std::string(s.substr(i + 2, 2)), nullptr, 16);
      char buf[4];
      int32_t n = 0;
      UBool error = false;
      U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, v, error);
      if (!error) out.append(buf, n);
      i += 3;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace

size_t MojibakeRepairer::FirstPair(const char* p) {
  return static_cast<size_t>(static_cast<unsigned char>(p[0])) << 8 | static_cast<unsigned char>(p[1]);
}

std::optional<RewrittenText> UndoDoubleEncoding(std::string_view text) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(text.data());
  int32_t n = static_cast<int32_t>(text.size());
  // First pass: does every character map to a byte, and do the bytes make
  // valid UTF-8 with some multi-byte character? Stops at the first misfit,
  // which for ordinary French text is its first accented letter.
  int32_t i = 0;
  size_t multibyte = 0;
  int need = 0;  // continuation bytes still expected
  while (i < n) {
    UChar32 c;
    if (p[i] < 0x80) {
      c = p[i++];
    } else {
      U8_NEXT(p, i, n, c);
    }
    int b = c < 0 ? -1 : ByteOf(c);
    if (b < 0) return std::nullopt;
    if (need > 0) {
      if ((b & 0xC0) != 0x80) return std::nullopt;
      --need;
    } else if (b >= 0x80) {
      if (b >= 0xC2 && b <= 0xDF) need = 1;
      else if (b >= 0xE0 && b <= 0xEF) need = 2;
      else if (b >= 0xF0 && b <= 0xF4) need = 3;
      else return std::nullopt;
      ++multibyte;
    }
  }
  if (need > 0 || multibyte == 0) return std::nullopt;
  // The bytes, read again now that every character is known to give one: the
  // first pass allocates nothing for the texts it rejects, nearly all of them.
  std::string bytes;
  bytes.reserve(text.size());
  for (i = 0; i < n;) {
    UChar32 c;
    if (p[i] < 0x80) {
      c = p[i++];
    } else {
      U8_NEXT(p, i, n, c);
    }
    bytes.push_back(static_cast<char>(ByteOf(c)));
  }
  // Overlong and surrogate forms pass the check above: validate for real.
  const uint8_t* q = reinterpret_cast<const uint8_t*>(bytes.data());
  int32_t m = static_cast<int32_t>(bytes.size());
  for (int32_t k = 0; k < m;) {
    UChar32 c;
    U8_NEXT(q, k, m, c);
    if (c < 0) return std::nullopt;
  }
  // Second pass: the map. Character k of the output was made of as many
  // characters of the input as it has bytes.
  OffsetMapBuilder map;
  i = 0;
  for (int32_t k = 0; k < m;) {
    int32_t start = k;
    UChar32 c;
    U8_NEXT(q, k, m, c);
    int32_t src = i;
    for (int32_t step = 0; step < k - start; ++step) {
      UChar32 ignored;
      U8_NEXT(p, i, n, ignored);
    }
    if (k - start == 1) {
      map.Copy(src, 1);
    } else {
      map.Replace(src, i - src, k - start);
    }
  }
  return RewrittenText{std::move(bytes), std::move(map).Build()};
}

Result<MojibakeRepairer> MojibakeRepairer::Create(const LexiconTable& table) {
  MojibakeRepairer r;
  auto add = [&r](std::string broken, const std::string& fixed) {
    r.first_pair_[FirstPair(broken.data())] = true;
    r.first_byte_[static_cast<unsigned char>(broken[0])] = true;
    r.min_len_ = r.min_len_ == 0 ? broken.size() : std::min(r.min_len_, broken.size());
    r.max_len_ = std::max(r.max_len_, broken.size());
    r.repairs_.emplace(std::move(broken), fixed);
  };
  for (const LexiconRow& row : table.rows()) {
    std::string broken = Unescape(row.Get("mojibake"));
    std::string fixed = Unescape(row.Get("character"));
    if (broken.size() < 2 || fixed.empty()) {
      return Status::UserError(fmt::format("{}:{}: a mojibake sequence and its character are needed",
                                           table.file(), row.line()));
    }
    // The same bytes decoded as Latin-1 rather than windows-1252 give C1
    // controls where windows-1252 has punctuation ("â\u0080\u0099" for "â€™"):
    // add every such variant of the sequence.
    std::vector<std::string> variants = {""};
    const uint8_t* p = reinterpret_cast<const uint8_t*>(broken.data());
    int32_t n = static_cast<int32_t>(broken.size());
    for (int32_t i = 0; i < n;) {
      int32_t start = i;
      UChar32 c;
      U8_NEXT(p, i, n, c);
      std::string as_written = broken.substr(start, i - start);
      int byte = c < 0 ? -1 : ByteOf(c);
      std::string as_control;
      if (byte >= 0x80 && byte < 0xA0 && c >= 0x100) {
        char buf[4];
        int32_t len = 0;
        UBool error = false;
        U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, byte, error);
        if (!error) as_control.assign(buf, len);
      }
      size_t count = variants.size();
      for (size_t v = 0; v < count; ++v) {
        if (!as_control.empty()) variants.push_back(variants[v] + as_control);
        variants[v] += as_written;
      }
    }
    for (std::string& v : variants) add(std::move(v), fixed);
  }
  int distinct = 0;
  for (int b = 0; b < 256; ++b) {
    if (r.first_byte_[b]) {
      ++distinct;
      r.single_first_byte_ = b;
    }
  }
  if (distinct != 1) r.single_first_byte_ = -1;
  return r;
}

void MojibakeRepairer::Find(std::string_view text, std::vector<Replacement>& out) const {
  if (repairs_.empty()) return;
  std::string key;
  const char* data = text.data();
  for (size_t i = 0; i + min_len_ <= text.size(); ++i) {
    if (single_first_byte_ >= 0) {
      // Every listed sequence starts with the same byte (0xC3 for the
      // windows-1252 mojibake of UTF-8): jump from one to the next.
      const void* next = std::memchr(data + i, single_first_byte_, text.size() - i);
      if (next == nullptr) break;
      i = static_cast<size_t>(static_cast<const char*>(next) - data);
      if (i + min_len_ > text.size()) break;
    }
    if (!first_byte_[static_cast<unsigned char>(data[i])] || !first_pair_[FirstPair(data + i)]) continue;
    for (size_t len = std::min(max_len_, text.size() - i); len >= min_len_; --len) {
      key.assign(text.data() + i, len);
      auto it = repairs_.find(key);
      if (it == repairs_.end()) continue;
      out.push_back({i, i + len, it->second, "mojibake"});
      i += len - 1;
      break;
    }
  }
}

}  // namespace coopkb
