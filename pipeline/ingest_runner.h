// IngestRunner: files in, documents stored — the ingest command's engine.
//
//   IngestOptions opt{.jobs = 2};
//   IngestRunner runner(pipeline, kb, opt);
//   IngestSummary s = runner.Run({"corpus/"}, reporter);
//
// Paths are files, folders (walked recursively, symlinked folders not
// followed, so loops cannot trap it) or "-" for standard input. Workers read
// and annotate files in parallel; one writer stores them in input order, each
// document in its own transaction (savepoint) inside batched commits. A bad
// file is reported through the reporter and the others go on.
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
  size_t max_file_bytes = size_t{1} << 30;
};

struct IngestSummary {
  int added = 0, replaced = 0, unchanged = 0, duplicates = 0, failed = 0, warnings = 0;
  int64_t bytes = 0;
  double seconds = 0;
  bool internal_error = false;  // a failure that is not the input's fault
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
