#include "pipeline/ingest_runner.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "pipeline/reader.h"

namespace coopkb {
namespace fs = std::filesystem;

namespace {

struct Input {
  std::string path;    // as shown to the user
  std::string source;  // as stored
  bool is_stdin = false;
};

std::string SourceName(const fs::path& p) { return p.lexically_normal().string(); }

// Expands folders; reports what cannot be walked. Order: as given, folders sorted.
std::vector<Input> CollectInputs(const std::vector<std::string>& paths, const IngestOptions& options,
                                 const std::function<void(const IngestEvent&)>& report, int* failed) {
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
      report({IngestEvent::kError, arg, ec && ec != std::errc::no_such_file_or_directory
                                           ? ec.message() : "no such file or folder"});
      ++*failed;
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<fs::path> files;
      fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec);
      if (ec) {
        report({IngestEvent::kError, arg, ec.message()});
        ++*failed;
        continue;
      }
      for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) {
          report({IngestEvent::kError, it->path().string(), ec.message()});
          ++*failed;
          ec.clear();
          continue;
        }
        std::error_code ec2;
        const fs::path& p = it->path();
        std::string name = p.filename().string();
        if (!name.empty() && name[0] == '.') {  // hidden files and folders (.git, editor backups)
          if (it->is_directory(ec2)) it.disable_recursion_pending();
          continue;
        }
        if (it->is_symlink(ec2) && fs::is_directory(p, ec2)) continue;  // never follow folder links
        if (it->is_regular_file(ec2)) files.push_back(p);
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) add(f);
    } else if (fs::is_regular_file(st)) {
      add(arg);
    } else {
      report({IngestEvent::kError, arg, "not a regular file"});
      ++*failed;
    }
  }
  return out;
}

Result<std::string> ReadAll(const Input& in, size_t max_bytes) {
  if (in.is_stdin) {
    std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return data;
  }
  std::error_code ec;
  auto size = fs::file_size(in.path, ec);
  if (ec) return Status::UserError(ec.message());
  if (size > max_bytes) {
    return Status::UserError(fmt::format("file too large ({} MB, limit {} MB)", size >> 20, max_bytes >> 20));
  }
  std::ifstream f(in.path, std::ios::binary);
  if (!f) return Status::UserError(std::strerror(errno));
  std::string data(size, '\0');
  f.read(data.data(), static_cast<std::streamsize>(size));
  if (f.gcount() != static_cast<std::streamsize>(size)) return Status::UserError("read error");
  return data;
}

struct Processed {
  std::optional<Document> doc;
  Status status;
  StoreOutcome known = StoreOutcome::kAdded;  // kUnchanged/kDuplicate when skipped early
  bool skipped = false;
  int64_t bytes = 0;
};

}  // namespace

IngestSummary IngestRunner::Run(const std::vector<std::string>& paths,
                                const std::function<void(const IngestEvent&)>& report) {
  auto started = std::chrono::steady_clock::now();
  IngestSummary summary;
  std::vector<Input> inputs = CollectInputs(paths, options_, report, &summary.failed);

  const size_t n = inputs.size();
  const int jobs = std::max(1, options_.jobs);
  const size_t window = static_cast<size_t>(jobs) * 4;  // bounds memory: results waiting to be stored
  std::mutex mu;
  std::condition_variable cv;
  std::map<size_t, Processed> ready;
  size_t next_to_store = 0;
  std::atomic<size_t> next_to_take{0};

  auto work = [&]() {
    // A read connection per worker: skips unchanged files before annotating them.
    auto reader_kb = KnowledgeBase::Open(kb_.db().path(), KnowledgeBase::kReadOnly);
    while (true) {
      size_t i = next_to_take.fetch_add(1);
      if (i >= n) return;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return i < next_to_store + window; });
      }
      Processed p;
      auto bytes = ReadAll(inputs[i], options_.max_file_bytes);
      if (!bytes.ok()) {
        p.status = bytes.status();
      } else {
        p.bytes = static_cast<int64_t>(bytes.value().size());
        std::string sha = Sha256Hex(bytes.value());
        if (reader_kb.ok()) {
          auto st = reader_kb.value().db().Prepare("SELECT source FROM documents WHERE sha256 = ?1 LIMIT 1");
          if (st.ok()) {
            st.value().Bind(1, sha);
            if (st.value().Step() == Statement::kRow) {
              p.skipped = true;
              p.known = st.value().TextView(0) == inputs[i].source ? StoreOutcome::kUnchanged
                                                                   : StoreOutcome::kDuplicate;
            }
          }
        }
        if (!p.skipped) {
          auto doc = pipeline_.Process(inputs[i].source, bytes.value());
          if (doc.ok()) p.doc = std::move(doc).value();
          else p.status = doc.status();
        }
      }
      std::lock_guard lock(mu);
      ready.emplace(i, std::move(p));
      cv.notify_all();
    }
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < jobs; ++t) threads.emplace_back(work);

  auto last_commit = std::chrono::steady_clock::now();
  bool in_batch = false;
  int batch_docs = 0;
  auto commit = [&]() {
    if (!in_batch) return;
    Status s = kb_.CommitBatch();
    in_batch = false;
    batch_docs = 0;
    if (!s.ok()) {
      report({IngestEvent::kError, kb_.db().path(), s.message()});
      summary.internal_error = summary.internal_error || s.code() == Status::kInternal;
      ++summary.failed;
    }
    last_commit = std::chrono::steady_clock::now();
  };

  for (size_t i = 0; i < n; ++i) {
    Processed p;
    {
      std::unique_lock lock(mu);
      if (ready.find(i) == ready.end() && in_batch) {
        // Nothing to store right now: make what is done durable before waiting.
        lock.unlock();
        commit();
        lock.lock();
      }
      cv.wait(lock, [&] { return ready.count(i) > 0; });
      p = std::move(ready[i]);
      ready.erase(i);
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
          report({IngestEvent::kError, in.path, s.message()});
          ++summary.failed;
          continue;
        }
        in_batch = true;
      }
      auto r = kb_.Store(*p.doc);
      if (!r.ok()) {
        report({IngestEvent::kError, in.path, r.status().message()});
        summary.internal_error = summary.internal_error || r.status().code() == Status::kInternal;
        ++summary.failed;
      } else {
        switch (r.value()) {
          case StoreOutcome::kAdded: ++summary.added; break;
          case StoreOutcome::kReplaced: ++summary.replaced; break;
          case StoreOutcome::kUnchanged: ++summary.unchanged; break;
          case StoreOutcome::kDuplicate: ++summary.duplicates; break;
        }
        ++batch_docs;
      }
      auto now = std::chrono::steady_clock::now();
      if (batch_docs >= 256 || now - last_commit > std::chrono::milliseconds(500)) commit();
    }
    report({IngestEvent::kProgress, in.path, "", i + 1, n, summary.bytes});
  }
  commit();
  for (auto& t : threads) t.join();
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace coopkb
