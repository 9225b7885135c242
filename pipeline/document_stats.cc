#include "pipeline/document_stats.h"

#include <fmt/format.h>

#include <algorithm>

namespace coopkb {
namespace {

constexpr size_t kStatBytes = 12;
constexpr int kBlockBytes = static_cast<int>(kDocumentsPerBlock * kStatBytes);

void PutU32(unsigned char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

uint32_t GetU32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

// Reads the digits of s[pos, pos + n) into *out.
bool Digits(std::string_view s, size_t pos, size_t n, int32_t* out) {
  if (s.size() < pos + n) return false;
  int32_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Year, month and day of `iso` and how many of them it gives (0 when none).
int ParseIsoDate(std::string_view iso, int32_t* year, int32_t* month, int32_t* day) {
  *month = *day = 0;
  if (!Digits(iso, 0, 4, year) || (iso.size() > 4 && iso[4] != '-')) return 0;
  if (iso.size() == 4) return 1;
  if (!Digits(iso, 5, 2, month) || *month < 1 || *month > 12 || (iso.size() > 7 && iso[7] != '-')) return 0;
  if (iso.size() == 7) return 2;
  if (!Digits(iso, 8, 2, day) || *day < 1 || *day > 31 || (iso.size() > 10 && iso[10] != 'T')) return 0;
  return 3;
}

}  // namespace

int32_t PackIsoDate(std::string_view iso) {
  int32_t year = 0, month = 0, day = 0;
  if (ParseIsoDate(iso, &year, &month, &day) == 0) return 0;
  return year * 10000 + month * 100 + day;
}

int32_t PackedUntilBound(std::string_view iso) {
  int32_t year = 0, month = 0, day = 0;
  int parts = ParseIsoDate(iso, &year, &month, &day);
  if (parts == 0 || (parts == 3 && iso.size() > 10)) return 0;
  static constexpr int32_t kUnit[] = {0, 10000, 100, 1};
  return year * 10000 + month * 100 + day + kUnit[parts];
}

DocumentStatsWriter::~DocumentStatsWriter() {
  sqlite3_finalize(create_block_);
  sqlite3_finalize(read_docsize_);
}

Status DocumentStatsWriter::Error() const {
  return Status::Internal(fmt::format("document stats: {}", sqlite3_errmsg(db_)));
}

Status DocumentStatsWriter::Prepare(sqlite3_stmt** stmt, const char* sql) {
  if (!*stmt && sqlite3_prepare_v2(db_, sql, -1, stmt, nullptr) != SQLITE_OK) return Error();
  sqlite3_reset(*stmt);
  return Status::Ok();
}

Status DocumentStatsWriter::Write(int64_t id, const DocumentStat& stat) {
  if (id < 0) return Status::Internal(fmt::format("document id {} has no stats block", id));
  int64_t block = id / kDocumentsPerBlock;
  if (Status s = Prepare(&create_block_,
                         "INSERT INTO document_stats(block, data) VALUES (?1, zeroblob(?2)) "
                         "ON CONFLICT(block) DO NOTHING");
      !s.ok()) {
    return s;
  }
  sqlite3_bind_int64(create_block_, 1, block);
  sqlite3_bind_int(create_block_, 2, kBlockBytes);
  int rc = sqlite3_step(create_block_);
  sqlite3_reset(create_block_);
  if (rc != SQLITE_DONE) return Error();

  unsigned char bytes[kStatBytes];
  PutU32(bytes, stat.tokens);
  PutU32(bytes + 4, static_cast<uint32_t>(stat.first_day));
  PutU32(bytes + 8, static_cast<uint32_t>(stat.last_day));
  sqlite3_blob* blob = nullptr;
  rc = sqlite3_blob_open(db_, "main", "document_stats", "data", block, 1, &blob);
  if (rc == SQLITE_OK) {
    int offset = static_cast<int>((id % kDocumentsPerBlock) * static_cast<int64_t>(kStatBytes));
    rc = sqlite3_blob_write(blob, bytes, kStatBytes, offset);
  }
  Status result = rc == SQLITE_OK ? Status::Ok() : Error();
  sqlite3_blob_close(blob);
  return result;
}

Result<uint32_t> DocumentStatsWriter::IndexedTokens(int64_t id) {
  if (Status s = Prepare(&read_docsize_, "SELECT sz FROM documents_fts_docsize WHERE id = ?1"); !s.ok()) return s;
  sqlite3_bind_int64(read_docsize_, 1, id);
  int rc = sqlite3_step(read_docsize_);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(read_docsize_);
    if (rc == SQLITE_DONE) return uint32_t{0};
    return Error();
  }
  // One varint per column (FTS5's record format: big-endian groups of 7 bits).
  const auto* sz = static_cast<const unsigned char*>(sqlite3_column_blob(read_docsize_, 0));
  int n = sqlite3_column_bytes(read_docsize_, 0);
  uint64_t total = 0, value = 0;
  for (int i = 0; i < n; ++i) {
    value = value << 7 | (sz[i] & 0x7f);
    if (!(sz[i] & 0x80)) {
      total += value;
      value = 0;
    }
  }
  sqlite3_reset(read_docsize_);
  return static_cast<uint32_t>(std::min<uint64_t>(total, UINT32_MAX));
}

DocumentStatsReader::~DocumentStatsReader() { sqlite3_finalize(read_block_); }

const std::vector<DocumentStat>* DocumentStatsReader::Block(int64_t block) {
  auto found = blocks_.find(block);
  if (found != blocks_.end()) return &found->second;
  std::vector<DocumentStat>& stats = blocks_[block];
  if (!read_block_ &&
      sqlite3_prepare_v2(db_, "SELECT data FROM document_stats WHERE block = ?1", -1, &read_block_, nullptr) !=
          SQLITE_OK) {
    return &stats;
  }
  sqlite3_reset(read_block_);
  sqlite3_bind_int64(read_block_, 1, block);
  if (sqlite3_step(read_block_) == SQLITE_ROW) {
    const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(read_block_, 0));
    size_t n = static_cast<size_t>(sqlite3_column_bytes(read_block_, 0)) / kStatBytes;
    stats.resize(n);
    for (size_t i = 0; i < n; ++i, data += kStatBytes) {
      stats[i] = {GetU32(data), static_cast<int32_t>(GetU32(data + 4)), static_cast<int32_t>(GetU32(data + 8))};
    }
  }
  sqlite3_reset(read_block_);
  return &stats;
}

const DocumentStat* DocumentStatsReader::Find(int64_t id) {
  if (id < 0) return nullptr;
  const std::vector<DocumentStat>* stats = Block(id / kDocumentsPerBlock);
  size_t slot = static_cast<size_t>(id % kDocumentsPerBlock);
  if (slot >= stats->size() || (*stats)[slot].tokens == 0) return nullptr;
  return &(*stats)[slot];
}

Status DocumentStatsReader::ScanAll(const std::function<void(int64_t, const std::vector<DocumentStat>&)>& fn) {
  sqlite3_stmt* scan = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT block FROM document_stats ORDER BY block", -1, &scan, nullptr) != SQLITE_OK) {
    return Status::Internal(fmt::format("document stats: {}", sqlite3_errmsg(db_)));
  }
  int rc;
  while ((rc = sqlite3_step(scan)) == SQLITE_ROW) {
    int64_t block = sqlite3_column_int64(scan, 0);
    fn(block, *Block(block));
  }
  sqlite3_finalize(scan);
  if (rc != SQLITE_DONE) return Status::Internal(fmt::format("document stats: {}", sqlite3_errmsg(db_)));
  return Status::Ok();
}

}  // namespace coopkb
