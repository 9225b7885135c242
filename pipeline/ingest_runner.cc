#include "pipeline/ingest_runner.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pipeline/fts_tokenizer.h"
#include "pipeline/reader.h"

namespace coopkb {
namespace fs = std::filesystem;

namespace {

struct Input {
  std::string path;    // as shown to the user
  std::string source;  // as stored
  bool is_stdin = false;
};

using Reporter = std::function<void(const IngestEvent&)>;

std::string SourceName(const fs::path& p) { return p.lexically_normal().string(); }

std::string_view KindOf(fs::file_type t) {
  switch (t) {
    case fs::file_type::fifo: return "FIFO";
    case fs::file_type::socket: return "socket";
    case fs::file_type::block:
    case fs::file_type::character: return "device";
    default: return "special file";
  }
}

// A link whose target folder contains the link: following it would never end.
bool LinkLoops(const fs::path& link) {
  std::error_code ec1, ec2;
  fs::path target = fs::canonical(link, ec1);
  fs::path parent = fs::canonical(link.parent_path(), ec2);
  if (ec1 || ec2) return false;
  auto [t, p] = std::mismatch(target.begin(), target.end(), parent.begin(), parent.end());
  return t == target.end();
}

std::string LinkError(const std::error_code& ec) {
  if (ec == std::errc::too_many_symbolic_link_levels) return "symbolic link loop (not followed)";
  if (ec == std::errc::no_such_file_or_directory) return "broken symbolic link (its target does not exist)";
  return ec.message();
}

// The knowledge base's own files (kb.sqlite, kb.sqlite-wal, -shm, -journal),
// which may sit in the folder being ingested.
class OwnFiles {
 public:
  explicit OwnFiles(const std::string& db) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(db, ec);
    if (ec) return;
    name_ = p.filename().string();
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) paths_.insert(p.string() + suffix);
  }
  bool Contains(const fs::path& p) const {
    if (name_.empty() || p.filename().string().rfind(name_, 0) != 0) return false;
    std::error_code ec;
    return paths_.count(fs::weakly_canonical(p, ec).string()) > 0 && !ec;
  }

 private:
  std::string name_;
  std::set<std::string> paths_;
};

// Every regular file under `root`, hidden ones and the base's own aside. Walks
// with an explicit stack so that one unreadable folder is reported and the walk goes on.
void WalkFolder(const fs::path& root, const OwnFiles& own, std::vector<fs::path>& files,
                const Reporter& report, IngestSummary& summary) {
  auto error = [&](const fs::path& p, std::string message) {
    report({IngestEvent::kError, p.string(), std::move(message)});
    ++summary.failed;
  };
  auto warning = [&](const fs::path& p, std::string message) {
    report({IngestEvent::kWarning, p.string(), std::move(message)});
    ++summary.warnings;
  };
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      error(dir, "cannot read this folder: " + ec.message());
      continue;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const fs::path& p = it->path();
      std::string name = p.filename().string();
      if (!name.empty() && name[0] == '.') continue;  // hidden files and folders (.git, editor backups)
      std::error_code e1;
      fs::file_status st = it->symlink_status(e1);
      if (e1) {
        error(p, e1.message());
        continue;
      }
      if (fs::is_symlink(st)) {
        std::error_code e2;
        st = fs::status(p, e2);
        if (e2) {
          error(p, LinkError(e2));
          continue;
        }
        if (fs::is_directory(st)) {
          warning(p, LinkLoops(p) ? "symbolic link loop to a folder above it, not followed"
                                  : "symbolic link to a folder, not followed");
          continue;
        }
      }
      if (fs::is_directory(st)) {
        pending.push_back(p);
      } else if (fs::is_regular_file(st)) {
        if (!own.Contains(p)) files.push_back(p);
      } else {
        warning(p, fmt::format("not a regular file ({}), skipped", KindOf(st.type())));
      }
    }
    if (ec) error(dir, "cannot read this folder: " + ec.message());
  }
}

// Expands folders; reports what cannot be walked. Order: as given, folders sorted.
std::vector<Input> CollectInputs(const std::vector<std::string>& paths, const IngestOptions& options,
                                 const OwnFiles& own, const Reporter& report, IngestSummary& summary) {
  std::vector<Input> out;
  std::set<std::string> seen;
  auto add = [&](const fs::path& p) {
    std::string source = SourceName(p);
    if (seen.insert(source).second) out.push_back({p.string(), source, false});
  };
  for (const std::string& arg : paths) {
    if (arg == "-") {
      out.push_back({"-", options.stdin_source, true});
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) {
      std::error_code lec;
      bool is_link = fs::is_symlink(fs::symlink_status(arg, lec));
      std::string message = is_link && ec ? LinkError(ec)
                            : ec && ec != std::errc::no_such_file_or_directory ? ec.message()
                                                                                : "no such file or folder";
      report({IngestEvent::kError, arg, message});
      ++summary.failed;
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<fs::path> files;
      WalkFolder(arg, own, files, report, summary);
      std::sort(files.begin(), files.end());
      for (const auto& f : files) add(f);
    } else if (fs::is_regular_file(st)) {
      if (own.Contains(arg)) {
        report({IngestEvent::kError, arg, "this is the knowledge base itself"});
        ++summary.failed;
        continue;
      }
      add(arg);
    } else {
      report({IngestEvent::kError, arg, fmt::format("not a regular file ({})", KindOf(st.type()))});
      ++summary.failed;
    }
  }
  return out;
}

std::string TooLarge(uint64_t size, size_t max_bytes) {
  return fmt::format("file too large ({} MB, limit {} MB; see --max-size)", (size + (1 << 20) - 1) >> 20,
                     max_bytes >> 20);
}

// Reads at most max_bytes + 1 bytes of `fd`: what is over the limit is refused
// without holding it all in memory.
Result<std::string> ReadBounded(int fd, size_t max_bytes, size_t expected) {
  std::string data;
  data.reserve(std::min(expected, max_bytes) + 1);
  char buffer[1 << 16];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::UserError(fmt::format("cannot read: {}", std::strerror(errno)));
    }
    data.append(buffer, static_cast<size_t>(n));
    if (data.size() > max_bytes) return Status::UserError(TooLarge(data.size(), max_bytes));
  }
  return data;
}

Result<std::string> ReadAll(const Input& in, size_t max_bytes) {
  if (in.is_stdin) {
    auto r = ReadBounded(STDIN_FILENO, max_bytes, 1 << 16);
    if (!r.ok() && r.status().message().rfind("file too large", 0) == 0) {
      return Status::UserError(fmt::format("input too large (over {} MB; see --max-size)", max_bytes >> 20));
    }
    return r;
  }
  // Non-blocking open: a FIFO put in place of a file must not hang the run.
  int fd = open(in.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return Status::UserError(fmt::format("cannot read: {}", std::strerror(errno)));
  struct FdCloser {
    int fd;
    ~FdCloser() { close(fd); }
  } closer{fd};
  struct stat st {};
  if (fstat(fd, &st) != 0) return Status::UserError(fmt::format("cannot read: {}", std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) return Status::UserError("not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return Status::UserError(TooLarge(static_cast<uint64_t>(st.st_size), max_bytes));
  }
  return ReadBounded(fd, max_bytes, static_cast<size_t>(st.st_size));
}

constexpr auto kIdleBeforeCommit = std::chrono::milliseconds(50);
constexpr size_t kLongestPretokenizedText = size_t{1} << 20;
// The base indexes a batch's texts when it commits (KnowledgeBase::IndexPending):
// their streams wait until then, within this much memory.
constexpr size_t kMostBytesWaitingForIndex = size_t{32} << 20;
// Made by the workers and not yet taken by the writer.
constexpr size_t kMostBytesWaitingToBeStored = size_t{32} << 20;

struct Processed {
  std::optional<Document> doc;
  // The FTS5 tokens of the title and text, made by the worker so that the
  // writer's insert replays them instead of tokenizing.
  TokenStream title_tokens, text_tokens;
  bool pretokenized = false;  // else the writer's FTS5 insert tokenizes
  Status status;
  StoreOutcome known = StoreOutcome::kAdded;  // kUnchanged/kDuplicate when skipped early
  bool skipped = false;
  int64_t bytes = 0;
  size_t memory = 0;  // MemoryBytes() when it was made ready
  // About what it holds: its texts twice (document, offsets and edits) and its tokens.
  size_t MemoryBytes() const {
    size_t text = doc ? doc->text.size() + doc->title.size() : 0;
    return 2 * text + title_tokens.bytes() + text_tokens.bytes();
  }
};

// A message from the base may already start with its path.
std::string WithoutPrefix(std::string message, const std::string& path) {
  if (message.rfind(path + ": ", 0) == 0) message.erase(0, path.size() + 2);
  return message;
}

}  // namespace

IngestSummary IngestRunner::Run(const std::vector<std::string>& paths,
                                const std::function<void(const IngestEvent&)>& report) {
  auto started = std::chrono::steady_clock::now();
  IngestSummary summary;
  std::vector<Input> inputs = CollectInputs(paths, options_, OwnFiles(kb_.db().path()), report, summary);

  const size_t n = inputs.size();
  const int jobs = std::max(1, options_.jobs);
  // Results waiting to be stored, bounded in number and in memory. Room for
  // many: while the writer commits a batch (tens of milliseconds), the
  // workers go on instead of waiting for it.
  const size_t window = static_cast<size_t>(jobs) * 64;
  size_t ready_bytes = 0;  // of the results in `ready`
  std::mutex mu;
  std::condition_variable cv;
  std::map<size_t, Processed> ready;
  size_t next_to_store = 0;
  bool stopping = false;  // the writer gave up: workers take nothing more
  std::atomic<size_t> next_to_take{0};

  // `known_sha` looks a file's SHA-256 up in the base (a worker's own statement).
  auto process = [&](const Input& in, Statement* known_sha, DocumentTokenizer* tokenizer) {
    Processed p;
    auto bytes = ReadAll(in, options_.max_file_bytes);
    if (!bytes.ok()) {
      p.status = bytes.status();
      return p;
    }
    p.bytes = static_cast<int64_t>(bytes.value().size());
    std::string sha = Sha256Hex(bytes.value());
    if (known_sha) {
      known_sha->Bind(1, sha);
      bool known = known_sha->Step() == Statement::kRow;
      if (known) {
        p.skipped = true;
        p.known = known_sha->TextView(0) == in.source ? StoreOutcome::kUnchanged : StoreOutcome::kDuplicate;
      }
      // Reset at once: a statement left open would hold its read snapshot.
      known_sha->Reset();
      if (known) return p;
    }
    auto doc = pipeline_.Process(in.source, bytes.value());
    if (doc.ok()) p.doc = std::move(doc).value();
    else p.status = doc.status();
    // A long text's tokens would take several times its size while waiting
    // for the writer: the writer tokenizes those itself.
    if (p.doc && tokenizer && p.doc->text.size() <= kLongestPretokenizedText) {
      p.title_tokens = tokenizer->Tokenize(p.doc->title);
      p.text_tokens = tokenizer->Tokenize(p.doc->text);
      p.pretokenized = true;
    }
    return p;
  };

  auto work = [&]() {
    // A read connection per worker: skips unchanged files before annotating them.
    auto reader_kb = KnowledgeBase::Open(kb_.db().path(), KnowledgeBase::kReadOnly);
    // Prepared once: preparing it for every file cost about 1 % of the ingest.
    std::optional<Statement> known_sha;
    if (reader_kb.ok()) {
      auto st = reader_kb.value().db().Prepare("SELECT source FROM documents WHERE sha256 = ?1 LIMIT 1");
      if (st.ok()) known_sha = std::move(st).value();
    }
    // Without one (no memory), the writer tokenizes: slower, same index.
    auto tokenizer = DocumentTokenizer::Create();
    while (true) {
      size_t i = next_to_take.fetch_add(1);
      if (i >= n) return;
      {
        std::unique_lock lock(mu);
        // The one the writer waits for never waits.
        cv.wait(lock, [&] {
          return stopping || i == next_to_store ||
                 (i < next_to_store + window && ready_bytes < kMostBytesWaitingToBeStored);
        });
        if (stopping) return;
      }
      Processed p;
      try {
        p = process(inputs[i], known_sha ? &*known_sha : nullptr, tokenizer.ok() ? tokenizer.value().get() : nullptr);
      } catch (const std::exception& e) {
        // One file's failure, whatever stage threw: the others go on.
        p = Processed();
        p.status = Status::Internal(fmt::format("internal error while processing it: {}", e.what()));
      }
      std::lock_guard lock(mu);
      p.memory = p.MemoryBytes();
      ready_bytes += p.memory;
      ready.emplace(i, std::move(p));
      cv.notify_all();
    }
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < jobs; ++t) threads.emplace_back(work);

  // Outcomes of the open batch, taken back if it cannot be committed.
  struct Batch {
    int added = 0, replaced = 0, docs = 0;
  } batch;
  bool in_batch = false;
  std::optional<Status> storage_failure;
  auto last_commit = std::chrono::steady_clock::now();

  // The texts of the open batch with their tokens, replayed when it commits.
  struct WaitingForIndex {
    std::string title, text;
    TokenStream title_tokens, text_tokens;
  };
  std::deque<WaitingForIndex> waiting;  // a deque: the views in `pretokenized` stay valid
  size_t waiting_bytes = 0;
  PretokenizedTexts pretokenized;
  ScopedPretokenized replay(pretokenized);
  auto forget_waiting = [&]() {
    pretokenized.Clear();
    waiting.clear();
    waiting_bytes = 0;
  };

  int lost = 0;  // documents that were stored, then rolled back with their batch
  auto drop_batch = [&]() {
    kb_.AbandonBatch();
    summary.added -= batch.added;
    summary.replaced -= batch.replaced;
    summary.failed += batch.added + batch.replaced;
    lost += batch.added + batch.replaced;
    batch = Batch();
    in_batch = false;
    forget_waiting();
  };
  auto commit = [&]() -> Status {
    if (!in_batch) return Status::Ok();
    Status s = kb_.CommitBatch();
    if (!s.ok()) {
      drop_batch();
      return s;
    }
    forget_waiting();
    in_batch = false;
    batch = Batch();
    last_commit = std::chrono::steady_clock::now();
    return s;
  };

  size_t i = 0;
  for (; i < n && !storage_failure; ++i) {
    Processed p;
    {
      std::unique_lock lock(mu);
      // Nothing to store right now: make what is done durable before waiting
      // long. Not at once: when the workers are only a little behind, a
      // commit per document would rewrite the same index pages each time.
      if (in_batch && ready.find(i) == ready.end() &&
          !cv.wait_for(lock, kIdleBeforeCommit, [&] { return ready.count(i) > 0; })) {
        lock.unlock();
        Status s = commit();
        lock.lock();
        if (!s.ok()) {
          storage_failure = s;
          break;
        }
      }
      cv.wait(lock, [&] { return ready.count(i) > 0; });
      p = std::move(ready[i]);
      ready.erase(i);
      ready_bytes -= p.memory;
      next_to_store = i + 1;
      cv.notify_all();
    }
    const Input& in = inputs[i];
    summary.bytes += p.bytes;
    if (p.skipped) {
      (p.known == StoreOutcome::kUnchanged ? summary.unchanged : summary.duplicates)++;
    } else if (!p.status.ok() || !p.doc) {
      report({IngestEvent::kError, in.path, p.status.message()});
      summary.internal_error = summary.internal_error || p.status.code() == Status::kInternal;
      ++summary.failed;
    } else {
      for (const std::string& w : p.doc->warnings) {
        report({IngestEvent::kWarning, in.path, w});
        ++summary.warnings;
      }
      if (!in_batch) {
        Status s = kb_.BeginBatch();
        if (!s.ok()) {
          ++summary.failed;
          ++lost;
          storage_failure = s;
          ++i;
          break;
        }
        in_batch = true;
      }
      Result<StoreOutcome> r = Status::Internal("not stored");
      const size_t offered = pretokenized.size();
      try {
        // Offered at once too: a replacement may index the batch so far.
        if (p.pretokenized) {
          pretokenized.Add(p.doc->title, &p.title_tokens);
          pretokenized.Add(p.doc->text, &p.text_tokens);
        }
        r = kb_.Store(*p.doc);
        // The views into `p` go; those into its moved copy stay until the commit.
        pretokenized.Truncate(offered);
        if (p.pretokenized && r.ok() && (r.value() == StoreOutcome::kAdded || r.value() == StoreOutcome::kReplaced)) {
          waiting.push_back({std::move(p.doc->title), std::move(p.doc->text), std::move(p.title_tokens),
                             std::move(p.text_tokens)});
          const WaitingForIndex& w = waiting.back();
          waiting_bytes += w.title.size() + w.text.size() + w.title_tokens.bytes() + w.text_tokens.bytes();
          pretokenized.Add(w.title, &w.title_tokens);
          pretokenized.Add(w.text, &w.text_tokens);
        }
      } catch (const std::exception& e) {
        // The document's savepoint is rolled back; the batch goes on.
        pretokenized.Truncate(offered);
        r = Status::Internal(fmt::format("internal error while storing it: {}", e.what()));
        report({IngestEvent::kError, in.path, r.status().message()});
        summary.internal_error = true;
        ++summary.failed;
        continue;
      }
      if (!r.ok()) {
        // SQLite failed: the base, not this document, is the problem. Keep
        // the batch when it still commits, and stop.
        ++summary.failed;
        ++lost;
        (void)commit();  // on failure the batch is dropped and counted
        storage_failure = r.status();
        ++i;
        break;
      }
      switch (r.value()) {
        case StoreOutcome::kAdded: ++summary.added; ++batch.added; break;
        case StoreOutcome::kReplaced: ++summary.replaced; ++batch.replaced; break;
        case StoreOutcome::kUnchanged: ++summary.unchanged; break;
        case StoreOutcome::kDuplicate: ++summary.duplicates; break;
      }
      ++batch.docs;
      auto now = std::chrono::steady_clock::now();
      if (batch.docs >= 256 || waiting_bytes > kMostBytesWaitingForIndex ||
          now - last_commit > std::chrono::milliseconds(500)) {
        if (Status s = commit(); !s.ok()) {
          storage_failure = s;
          ++i;
          break;
        }
      }
    }
    report({IngestEvent::kProgress, in.path, "", i + 1, n, summary.bytes});
  }
  if (!storage_failure) {
    if (Status s = commit(); !s.ok()) storage_failure = s;
  }
  if (storage_failure) {
    if (in_batch) drop_batch();
    // Files after the failure were not tried: they count as failed too.
    int untried = static_cast<int>(n - std::min(n, i));
    summary.failed += untried;
    lost += untried;
    summary.stopped = true;
    summary.internal_error = summary.internal_error || storage_failure->code() == Status::kInternal;
    const std::string& db = kb_.db().path();
    report({IngestEvent::kError, db,
            fmt::format("{}; ingest stopped, {} file{} not stored", WithoutPrefix(storage_failure->message(), db),
                        lost, lost == 1 ? "" : "s")});
    std::lock_guard lock(mu);
    stopping = true;
    cv.notify_all();
  }
  for (auto& t : threads) t.join();
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace coopkb
