// Shared helpers for the tests: the source tree, a pipeline built from the
// embedded lexicons, and temporary folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/knowledge_base.h"
#include "pipeline/lexicon.h"
#include "pipeline/pipeline.h"

namespace coopkb::test {

inline std::filesystem::path SourceDir() { return COOPKB_SOURCE_DIR; }
inline std::string CoopkbBinary() { return COOPKB_BINARY; }

const Lexicons& DefaultLexicons();
const Pipeline& DefaultPipeline();

std::string ReadFile(const std::filesystem::path& path);

// `text` through the whole default pipeline, as the file `source`.
Document Annotated(const std::string& source, const std::string& text);

// The sources of the hits of a full-text query, best first.
std::vector<std::string> SearchSources(const KnowledgeBase& kb, const std::string& words);

// A fresh empty folder under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Runs the coopkb binary with `args` (a shell-quoted string); returns the exit
// status and fills `out` with standard output and `err` with standard error.
int RunCoopkb(const std::string& args, std::string* out, std::string* err = nullptr);

}  // namespace coopkb::test
