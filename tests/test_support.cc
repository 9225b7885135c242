#include "tests/test_support.h"

#include <unistd.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <catch2/catch.hpp>

namespace coopkb::test {

const Lexicons& DefaultLexicons() {
  static const Lexicons lex = [] {
    auto l = Lexicons::Load();
    if (!l.ok()) {
      fprintf(stderr, "lexicons: %s\n", l.status().message().c_str());
      std::abort();
    }
    return std::move(l).value();
  }();
  return lex;
}

const Pipeline& DefaultPipeline() {
  static const Pipeline p = [] {
    auto r = Pipeline::Create(DefaultLexicons());
    if (!r.ok()) {
      fprintf(stderr, "pipeline: %s\n", r.status().message().c_str());
      std::abort();
    }
    return std::move(r).value();
  }();
  return p;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("coopkb-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int RunCoopkb(const std::string& args, std::string* out, std::string* err) {
  TempDir tmp;
  std::string cmd = "'" + CoopkbBinary() + "' " + args + " >'" + (tmp / "out").string() +
                    "' 2>'" + (tmp / "err").string() + "' </dev/null";
  int rc = std::system(cmd.c_str());
  if (out) *out = ReadFile(tmp / "out");
  if (err) *err = ReadFile(tmp / "err");
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

Document Annotated(const std::string& source, const std::string& text) {
  auto doc = DefaultPipeline().Process(source, text);
  REQUIRE(doc.ok());
  return std::move(doc).value();
}

std::vector<std::string> SearchSources(const KnowledgeBase& kb, const std::string& words) {
  SearchQuery q;
  q.query = words;
  auto hits = kb.Search(q);
  REQUIRE(hits.ok());
  std::vector<std::string> out;
  for (const SearchHit& h : hits.value()) out.push_back(h.source);
  return out;
}

}  // namespace coopkb::test
