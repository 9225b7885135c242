#include "pipeline/encoding.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <memory>
#include <vector>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

namespace coopkb {

std::string DecodedText::TakeText() && {
  if (converted_) return std::move(*converted_);
  return std::string(view_);
}

namespace {

constexpr char kReplacementUtf8[] = "\xEF\xBF\xBD";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// Counts of a UTF-8 validity scan: multi-byte sequences that decode, sequences
// that do not, and how many of those read as windows-1252 text would (an
// accented letter next to a letter, or French punctuation).
struct Utf8Scan {
  size_t multibyte = 0;
  size_t invalid = 0;
  size_t textlike = 0;
};

bool IsAsciiLetter(uint8_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// Whether byte `b` of a legacy 8-bit French text would be ordinary text:
// a Latin-1 letter touching an ASCII letter ("\xE9quipe", "h\xF4pital"), or
// windows-1252 punctuation (’ « » – — … “ ” no-break space, °, €).
bool LooksLikeLegacyText(uint8_t b, uint8_t before, uint8_t after) {
  switch (b) {
    case 0x80: case 0x85: case 0x92: case 0x93: case 0x94: case 0x96: case 0x97:
    case 0xA0: case 0xAB: case 0xB0: case 0xBB:
      return true;
    default:
      break;
  }
  bool letter = (b >= 0xC0 && b != 0xD7 && b != 0xF7) || b == 0x8C || b == 0x9C;
  return letter && (IsAsciiLetter(before) || IsAsciiLetter(after));
}

// Whether the 8 bytes at `p` are all ASCII.
bool AsciiWord(const uint8_t* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return (word & 0x8080808080808080ull) == 0;
}

Utf8Scan ScanUtf8(std::string_view s) {
  Utf8Scan scan;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t len = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < len) {
    if (i + 8 <= len && AsciiWord(p + i)) {
      i += 8;
      continue;
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c >= 0) {
      ++scan.multibyte;
      continue;
    }
    ++scan.invalid;
    uint8_t before = start > 0 ? p[start - 1] : ' ';
    uint8_t after = start + 1 < len ? p[start + 1] : ' ';
    scan.textlike += LooksLikeLegacyText(p[start], before, after);
  }
  return scan;
}

// UTF-8 with each invalid sequence replaced by U+FFFD.
void DecodeUtf8WithReplacement(std::string_view bytes, size_t start, std::string& out,
                               OffsetMapBuilder& map, size_t& invalid) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  int32_t len = static_cast<int32_t>(bytes.size());
  int32_t i = static_cast<int32_t>(start);
  int32_t run = i;  // start of the valid run being copied
  out.reserve(bytes.size() - start + 16);
  while (i < len) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    int32_t char_start = i;
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c >= 0) continue;
    out.append(bytes.data() + run, char_start - run);
    map.Copy(run, char_start - run);
    out.append(kReplacementUtf8, 3);
    map.Replace(char_start, i - char_start, 3);
    ++invalid;
    run = i;
  }
  out.append(bytes.data() + run, len - run);
  map.Copy(run, len - run);
}

// UTF-16 written without a BOM: one half of most code unit pairs is zero.
std::string_view SniffBomlessUtf16(std::string_view bytes) {
  size_t n = std::min<size_t>(bytes.size(), 4096) & ~size_t{1};
  if (n < 8) return {};
  size_t zero_even = 0, zero_odd = 0;
  for (size_t i = 0; i < n; i += 2) {
    zero_even += bytes[i] == 0;
    zero_odd += bytes[i + 1] == 0;
  }
  size_t pairs = n / 2;
  if (zero_odd * 10 >= pairs * 3 && zero_even * 20 <= pairs) return "UTF-16LE";
  if (zero_even * 10 >= pairs * 3 && zero_odd * 20 <= pairs) return "UTF-16BE";
  return {};
}

// ISO-8859-15 differs from windows-1252 where Latin-9 put œ, Œ and €: in French
// text those bytes next to letters or digits only make sense as Latin-9 when
// the windows-1252 range 0x80-0x9F is unused.
bool LooksLikeLatin9(std::string_view bytes) {
  auto is_letter = [](unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
  bool suggestive = false;
  for (size_t i = 0; i < bytes.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x80 && c <= 0x9F) return false;
    unsigned char before = i > 0 ? static_cast<unsigned char>(bytes[i - 1]) : ' ';
    unsigned char after = i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) : ' ';
    if ((c == 0xBC || c == 0xBD) && (is_letter(before) || is_letter(after))) suggestive = true;
    if (c == 0xA4 && (std::isdigit(before) || (before == ' ' && i > 1 && std::isdigit(
                                                                  static_cast<unsigned char>(bytes[i - 2])))))
      suggestive = true;
  }
  return suggestive;
}

// The charset a detector or a declaration names, as we convert it: US-ASCII and
// ISO-8859-1 labels are read as windows-1252, their superset, as browsers do.
std::string ConverterName(std::string_view name) {
  static constexpr std::string_view kLatin1Aliases[] = {
      "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp1252",
      "windows-1252", "x-cp1252", "iso_8859-1", "cp819", "ibm819"};
  for (std::string_view alias : kLatin1Aliases) {
    if (EqualsIgnoreCase(name, alias)) return "windows-1252";
  }
  return std::string(name);
}

std::string DetectLegacyCharset(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  // Opening a detector builds all its recognizers: one per thread is enough.
  thread_local std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> det(ucsdet_open(&status),
                                                                              ucsdet_close);
  if (!det) return "windows-1252";
  int32_t sample = static_cast<int32_t>(std::min<size_t>(bytes.size(), 1 << 16));
  ucsdet_setText(det.get(), bytes.data(), sample, &status);
  int32_t found = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(det.get(), &found, &status);
  if (U_FAILURE(status) || found == 0) return "windows-1252";
  std::string best;
  for (int32_t i = 0; i < found; ++i) {
    const char* name = ucsdet_getName(matches[i], &status);
    int32_t confidence = ucsdet_getConfidence(matches[i], &status);
    if (U_FAILURE(status) || name == nullptr) break;
    std::string_view n(name);
    // Unicode encodings were ruled out before detection ran.
    if (StartsWith(n, "UTF-") || n == "UTF-8") continue;
    // French archives are overwhelmingly Latin-1/windows-1252: take that
    // family whenever the detector finds it plausible at all.
    if ((n == "ISO-8859-1" || n == "windows-1252") && confidence >= 10) return "windows-1252";
    if (best.empty() && confidence >= 50) best = std::string(n);
  }
  return best.empty() ? "windows-1252" : ConverterName(best);
}

// ICU substitutes U+001A for some legacy charsets; we want U+FFFD, and a count.
struct SubstitutionCounter {
  size_t count = 0;
};

void U_CALLCONV SubstituteAndCount(const void* context, UConverterToUnicodeArgs* args,
                                   const char*, int32_t, UConverterCallbackReason reason,
                                   UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;
  ++static_cast<SubstitutionCounter*>(const_cast<void*>(context))->count;
  static const UChar kReplacement = 0xFFFD;
  *err = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

// Decodes bytes[start..] from `charset` through ICU, chunk by chunk so that
// memory stays proportional to the input, mapping each character back to its
// first byte.
Status ConvertWithIcu(std::string_view bytes, size_t start, const std::string& charset,
                      std::string& out, OffsetMapBuilder& map, size_t& invalid) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> cnv(ucnv_open(charset.c_str(), &status),
                                                         ucnv_close);
  if (U_FAILURE(status)) return Status::UserError("unknown encoding " + charset);
  SubstitutionCounter counter;
  ucnv_setToUCallBack(cnv.get(), SubstituteAndCount, &counter, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return Status::Internal("cannot set up the " + charset + " converter");

  out.reserve((bytes.size() - start) * 11 / 10 + 16);
  constexpr int32_t kChunk = 1 << 14;
  std::vector<UChar> units(kChunk);
  std::vector<int32_t> offsets(kChunk);

  // A character is emitted once the next one's offset tells where it ends.
  char pending[4];
  int32_t pending_len = 0;
  size_t pending_src = 0;
  auto flush = [&](size_t next_src) {
    if (pending_len == 0) return;
    size_t src_len = next_src > pending_src ? next_src - pending_src : 0;
    out.append(pending, pending_len);
    if (src_len == 1 && pending_len == 1 && bytes[pending_src] == pending[0]) {
      map.Copy(pending_src, 1);
    } else {
      map.Replace(pending_src, src_len, pending_len);
    }
    pending_len = 0;
  };

  const char* source = bytes.data() + start;
  const char* limit = bytes.data() + bytes.size();
  size_t last_src = start;
  UChar lead = 0;  // a lead surrogate whose trail is in the next chunk
  size_t lead_src = 0;
  for (;;) {
    UChar* target = units.data();
    const char* chunk_start = source;
    status = U_ZERO_ERROR;
    ucnv_toUnicode(cnv.get(), &target, units.data() + kChunk, &source, limit, offsets.data(),
                   /*flush=*/true, &status);
    size_t base = static_cast<size_t>(chunk_start - bytes.data());
    int32_t n = static_cast<int32_t>(target - units.data());
    for (int32_t i = 0; i < n; ++i) {
      UChar32 c = units[i];
      size_t src = offsets[i] >= 0 ? base + offsets[i] : last_src;
      if (lead != 0) {
        if (U16_IS_TRAIL(c)) {
          c = U16_GET_SUPPLEMENTARY(lead, c);
          src = lead_src;
        } else {
          // An unpaired lead surrogate cannot be encoded in UTF-8.
          flush(lead_src);
          pending_src = lead_src;
          std::memcpy(pending, kReplacementUtf8, 3);
          pending_len = 3;
          ++counter.count;
        }
        lead = 0;
      } else if (U16_IS_LEAD(c)) {
        lead = static_cast<UChar>(c);
        lead_src = src;
        continue;
      }
      // Lone surrogates cannot be encoded; a C1 control is a byte the charset
      // leaves undefined (windows-1252's 0x81, 0x8D...), never text.
      if (U16_IS_SURROGATE(c) || (c >= 0x80 && c < 0xA0)) {
        c = 0xFFFD;
        ++counter.count;
      }
      flush(src);
      pending_src = src;
      int32_t len = 0;
      UBool error = false;
      U8_APPEND(reinterpret_cast<uint8_t*>(pending), len, 4, c, error);
      pending_len = error ? 0 : len;
      last_src = src;
    }
    if (status == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(status)) return Status::UserError("cannot decode the file as " + charset);
    break;
  }
  flush(bytes.size());
  invalid += counter.count;
  return Status::Ok();
}

}  // namespace

std::string_view BinarySignature(std::string_view bytes) {
  struct Signature {
    std::string_view magic;
    std::string_view name;
  };
  static constexpr Signature kSignatures[] = {
      {"\x89PNG\r\n\x1A\n", "PNG image"},
      {"\xFF\xD8\xFF", "JPEG image"},
      {"GIF87a", "GIF image"},
      {"GIF89a", "GIF image"},
      {"%PDF-", "PDF document"},
      {"\x7F" "ELF", "ELF executable"},
      {"MZ", "Windows executable"},
      {std::string_view("PK\x03\x04", 4), "ZIP archive"},
      {"\x1F\x8B", "gzip archive"},
      {"BZh", "bzip2 archive"},
      {"\xFD" "7zXZ", "xz archive"},
      {"7z\xBC\xAF\x27\x1C", "7-Zip archive"},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "Microsoft Office document"},
      {std::string_view("SQLite format 3\0", 16), "SQLite database"},
      {"{\\rtf", "RTF document"},
      {"II*", "TIFF image"},
      {"MM\x00*", "TIFF image"},
      {"OggS", "Ogg media"},
      {"ID3", "MP3 audio"},
      {"\xCA\xFE\xBA\xBE", "Java class"},
      {"\xCF\xFA\xED\xFE", "Mach-O executable"},
  };
  for (const Signature& s : kSignatures) {
    if (!StartsWith(bytes, s.magic)) continue;
    // "MZ" and "BZh" also start ordinary words: require a binary byte nearby.
    if (s.magic == "MZ" || s.magic == "BZh" || s.magic == "II*") {
      std::string_view head = bytes.substr(0, 64);
      if (std::none_of(head.begin(), head.end(), [](char c) {
            unsigned char u = static_cast<unsigned char>(c);
            return u < 0x09 || (u > 0x0D && u < 0x20);
          }))
        continue;
    }
    return s.name;
  }
  if (bytes.size() >= 12 && StartsWith(bytes, "RIFF")) return "RIFF media";
  return {};
}

std::string DeclaredCharset(std::string_view bytes) {
  std::string head(bytes.substr(0, 4096));
  for (char& c : head) c = AsciiLower(c);
  auto read_name = [&](size_t pos) {
    while (pos < head.size() && (head[pos] == ' ' || head[pos] == '=' || head[pos] == '"' ||
                                 head[pos] == '\'' || head[pos] == '\t'))
      ++pos;
    size_t end = pos;
    while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) ||
                                 head[end] == '-' || head[end] == '_' || head[end] == '.' ||
                                 head[end] == ':'))
      ++end;
    return std::string(bytes.substr(pos, end - pos));
  };
  if (StartsWith(head, "<?xml")) {
    size_t close = head.find("?>");
    size_t enc = head.find("encoding", 5);
    if (enc != std::string::npos && enc < close) return read_name(enc + 8);
  }
  for (size_t meta = head.find("<meta"); meta != std::string::npos;
       meta = head.find("<meta", meta + 5)) {
    size_t close = head.find('>', meta);
    size_t cs = head.find("charset", meta);
    if (cs != std::string::npos && cs < close) return read_name(cs + 7);
  }
  return {};
}

Result<DecodedText> DecodeText(std::string_view bytes, std::string_view declared_charset) {
  DecodedText d;
  OffsetMapBuilder map;
  // 1. Byte order marks. UTF-32 before UTF-16: FF FE 00 00 starts both.
  struct Bom {
    std::string_view bytes, charset;
  };
  static constexpr Bom kBoms[] = {
      {"\xEF\xBB\xBF", "UTF-8"},
      {std::string_view("\xFF\xFE\0\0", 4), "UTF-32LE"},
      {std::string_view("\0\0\xFE\xFF", 4), "UTF-32BE"},
      {"\xFF\xFE", "UTF-16LE"},
      {"\xFE\xFF", "UTF-16BE"},
  };
  for (const Bom& bom : kBoms) {
    if (!StartsWith(bytes, bom.bytes)) continue;
    d.encoding = std::string(bom.charset);
    d.converted_.emplace();
    if (bom.charset == "UTF-8") {
      DecodeUtf8WithReplacement(bytes, bom.bytes.size(), *d.converted_, map, d.invalid);
    } else {
      Status s = ConvertWithIcu(bytes, bom.bytes.size(), d.encoding, *d.converted_, map, d.invalid);
      if (!s.ok()) return s;
    }
    d.to_source = std::move(map).Build();
    return d;
  }

  // 2. Binary content.
  if (std::string_view kind = BinarySignature(bytes); !kind.empty()) {
    return Status::UserError("not a text document (" + std::string(kind) + ")");
  }
  if (bytes.find('\0') != std::string_view::npos) {
    std::string_view utf16 = SniffBomlessUtf16(bytes);
    if (utf16.empty()) return Status::UserError("not a text document (binary content: NUL bytes)");
    d.encoding = std::string(utf16);
    d.converted_.emplace();
    Status s = ConvertWithIcu(bytes, 0, d.encoding, *d.converted_, map, d.invalid);
    if (!s.ok()) return s;
    d.to_source = std::move(map).Build();
    return d;
  }

  // 3. UTF-8, the common case: no copy at all when it is valid.
  Utf8Scan scan = ScanUtf8(bytes);
  if (scan.invalid == 0) {
    d.encoding = "UTF-8";
    d.view_ = bytes;
    d.to_source = OffsetMap::Identity(bytes.size());
    return d;
  }
  // UTF-8 with damage, or legacy text? Legacy 8-bit text seldom forms a valid
  // multi-byte sequence by chance ("SANTÉ" + no-break space does), and its
  // invalid bytes are accented letters inside words and French punctuation;
  // damage is random bytes and cut sequences.
  if (scan.multibyte > 0 && (scan.multibyte >= scan.invalid || scan.textlike * 2 < scan.invalid)) {
    d.encoding = "UTF-8";
    d.converted_.emplace();
    DecodeUtf8WithReplacement(bytes, 0, *d.converted_, map, d.invalid);
    d.to_source = std::move(map).Build();
    return d;
  }

  // 4-5. A legacy 8-bit charset: declared, else detected.
  std::string charset;
  if (!declared_charset.empty()) {
    std::string name = ConverterName(declared_charset);
    UErrorCode status = U_ZERO_ERROR;
    UConverter* probe = ucnv_open(name.c_str(), &status);
    // A UTF-8 label on bytes that are not UTF-8 is a mislabel: detect instead.
    if (U_SUCCESS(status) && ucnv_getType(probe) != UCNV_UTF8) charset = name;
    ucnv_close(probe);
  }
  // French legacy text is windows-1252 or Latin-9 almost always, and its
  // bytes show it (accented letters inside words): ICU's detection, costly
  // n-gram statistics over a dozen charsets, is for the other cases.
  if (charset.empty()) {
    charset = scan.textlike * 2 >= scan.invalid ? "windows-1252" : DetectLegacyCharset(bytes);
  }
  if (charset == "windows-1252" && LooksLikeLatin9(bytes)) charset = "ISO-8859-15";
  d.encoding = charset;
  d.converted_.emplace();
  Status s = ConvertWithIcu(bytes, 0, charset, *d.converted_, map, d.invalid);
  if (!s.ok()) return s;
  d.to_source = std::move(map).Build();
  return d;
}

}  // namespace coopkb
