// IngestRunner: files in, documents stored — the ingest command's engine.
//
//   IngestOptions opt{.jobs = 2};
//   IngestRunner runner(pipeline, kb, opt);
//   IngestSummary s = runner.Run({"corpus/"}, reporter);
//
// Paths are files, folders (walked recursively) or "-" for standard input.
// Workers read and annotate files in parallel; one writer stores them in input
// order, each document in its own transaction (savepoint) inside batched
// commits. A bad file is reported through the reporter and the others go on.
//
// Hostile inputs: links to folders are not followed (a warning says so, and
// whether they loop), so a walk always ends; broken links, link cycles,
// unreadable files and folders are errors naming them; FIFOs, sockets and
// devices in a folder are skipped with a warning and never opened for
// reading; a file over max_file_bytes (standard input too) is refused before
// it is read whole. A stage that throws fails its file only.
// When the knowledge base cannot be written (disk full, read-only, I/O
// error, busy), the run stops at once with one error naming the base: the
// documents of the open batch are rolled back and counted as failed with
// the files not reached, so the summary says exactly what the base holds.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pipeline/knowledge_base.h"
#include "pipeline/pipeline.h"

namespace coopkb {

struct IngestOptions {
  int jobs = 1;
  std::string stdin_source = "stdin";  // source name of "-" input
  // Larger files are refused unread: far above any article, and a bound on
  // the memory each worker may take (about ten times the file while annotating).
  size_t max_file_bytes = size_t{64} << 20;
};

struct IngestSummary {
  int added = 0, replaced = 0, unchanged = 0, duplicates = 0, failed = 0, warnings = 0;
  int64_t bytes = 0;
  double seconds = 0;
  bool internal_error = false;  // a failure that is not the input's fault
  bool stopped = false;         // the base could not be written: the rest was not tried
};

struct IngestEvent {
  enum Kind { kError, kWarning, kProgress } kind;
  std::string path;
  std::string message;     // for errors and warnings
  size_t done = 0, total = 0;
  int64_t bytes_done = 0;
};

class IngestRunner {
 public:
  IngestRunner(const Pipeline& pipeline, KnowledgeBase& kb, IngestOptions options)
      : pipeline_(pipeline), kb_(kb), options_(std::move(options)) {}
  IngestSummary Run(const std::vector<std::string>& paths,
                    const std::function<void(const IngestEvent&)>& report);

 private:
  const Pipeline& pipeline_;
  KnowledgeBase& kb_;
  IngestOptions options_;
};

}  // namespace coopkb
