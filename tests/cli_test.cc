// The coopkb command as a user runs it: exit statuses, idempotent ingest,
// search output, export contract.
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace coopkb {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string CorpusDir() { return Quote((test::SourceDir() / "corpus").string()); }

}  // namespace

TEST_CASE("ingest of the corpus twice leaves the same number of documents", "[cli]") {
  test::TempDir dir;
  std::string db = Quote((dir / "kb.sqlite").string());
  std::string out, err;
  REQUIRE(test::RunCoopkb("ingest --db " + db + " " + CorpusDir(), &out, &err) == 0);
  CHECK(out.find("5 added") != std::string::npos);
  REQUIRE(test::RunCoopkb("ingest --db " + db + " " + CorpusDir(), &out, &err) == 0);
  CHECK(out.find("0 added") != std::string::npos);
  CHECK(out.find("5 unchanged") != std::string::npos);
  REQUIRE(test::RunCoopkb("stats --format json --db " + db, &out, &err) == 0);
  CHECK(nlohmann::json::parse(out)["documents"] == 5);
}

TEST_CASE("exit statuses: 0 success, 1 user error", "[cli]") {
  test::TempDir dir;
  std::string db = Quote((dir / "kb.sqlite").string());
  std::string out, err;
  CHECK(test::RunCoopkb("--help", &out, &err) == 0);
  CHECK(test::RunCoopkb("frobnicate", &out, &err) == 1);
  CHECK(test::RunCoopkb("search --db " + db + " anything", &out, &err) == 1);  // no base yet
  CHECK(err.find("run `coopkb ingest` first") != std::string::npos);
  REQUIRE(test::RunCoopkb("ingest --db " + db + " " + CorpusDir(), &out, &err) == 0);
  CHECK(test::RunCoopkb("search --db " + db + " '\"unbalanced'", &out, &err) == 1);
  CHECK(err.find("invalid search query") != std::string::npos);
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);
  CHECK(test::RunCoopkb("show --db " + db + " 999", &out, &err) == 1);
  CHECK(test::RunCoopkb("search --db " + db + " --limit 0 lille", &out, &err) == 1);
  // A missing input is reported by name and the others still go in.
  CHECK(test::RunCoopkb("ingest --db " + db + " /nonexistent/file.txt " + CorpusDir(), &out, &err) == 1);
  CHECK(err.find("/nonexistent/file.txt: no such file") != std::string::npos);
}

TEST_CASE("search prints ranked hits with source, title and highlighted snippet", "[cli]") {
  test::TempDir dir;
  std::string db = Quote((dir / "kb.sqlite").string());
  std::string out, err;
  REQUIRE(test::RunCoopkb("ingest --db " + db + " " + CorpusDir(), &out, &err) == 0);
  REQUIRE(test::RunCoopkb("search --db " + db + " neurochirurgie", &out, &err) == 0);
  CHECK(out.find("  1. ") != std::string::npos);
  CHECK(out.find("001_ba0069c7e0d068b0.txt") != std::string::npos);
  CHECK(out.find("003_e9ef0ab0e64de565.txt") != std::string::npos);
  CHECK(out.find("[neurochirurgie]") != std::string::npos);
  REQUIRE(test::RunCoopkb("search --format json --db " + db + " neurochirurgie", &out, &err) == 0);
  auto hits = nlohmann::json::parse(out);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0]["rank"] == 1);
}

TEST_CASE("export documents --format jsonl writes one contract object per line", "[cli][export]") {
  test::TempDir dir;
  std::string db = Quote((dir / "kb.sqlite").string());
  std::string out, err;
  REQUIRE(test::RunCoopkb("ingest --db " + db + " " + CorpusDir(), &out, &err) == 0);
  REQUIRE(test::RunCoopkb("export documents --format jsonl --db " + db, &out, &err) == 0);
  std::istringstream lines(out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    for (const char* f : {"source", "text", "establishments", "dates", "specialties", "counts", "cooperations"}) {
      CHECK(j.contains(f));
    }
    CHECK(j["establishments"].is_array());
    CHECK(j["cooperations"].is_array());
    ++n;
  }
  CHECK(n == 5);
}

}  // namespace coopkb

namespace coopkb {

TEST_CASE("search --establishment finds the seeds by any alias of the establishment", "[cli][search]") {
  test::TempDir dir;
  std::string db = Quote((dir / "kb.sqlite").string());
  std::string out, err;
  REQUIRE(test::RunCoopkb("ingest --db " + db + " " + CorpusDir(), &out, &err) == 0);
  auto sources = [&](const std::string& alias) {
    REQUIRE(test::RunCoopkb("search --format json --db " + db + " --establishment " + Quote(alias), &out, &err) == 0);
    std::set<std::string> names;
    for (const auto& h : nlohmann::json::parse(out)) {
      names.insert(std::filesystem::path(h["source"].get<std::string>()).filename().string());
    }
    return names;
  };
  const std::set<std::string> lille = {"001_ba0069c7e0d068b0.txt", "003_e9ef0ab0e64de565.txt"};
  for (const char* alias : {"CHRU de Lille", "Centre Hospitalier Régional Universitaire de LILLE", "chu lille"}) {
    INFO(alias);
    CHECK(sources(alias) == lille);
  }
  const std::set<std::string> dijon = {"000_4b1393cdf8af512f.txt", "002_527f1b3cf2cd7156.txt"};
  for (const char* alias : {"CHU Dijon Bourgogne", "CHRU de Dijon", "Centre Hospitalier Universitaire Dijon Bourgogne"}) {
    INFO(alias);
    CHECK(sources(alias) == dijon);
  }
  // The option takes one value: the words after it are the query, not a second establishment.
  REQUIRE(test::RunCoopkb("search --format json --db " + db + " --establishment 'chu lille' neurochirurgie", &out, &err) == 0);
  std::set<std::string> with_query;
  for (const auto& h : nlohmann::json::parse(out)) {
    with_query.insert(std::filesystem::path(h["source"].get<std::string>()).filename().string());
  }
  CHECK(with_query == lille);
  CHECK(test::RunCoopkb("search --db " + db + " --establishment 'CHU de Nulle-Part'", &out, &err) == 1);
  CHECK(err.find("no establishment") != std::string::npos);
}

}  // namespace coopkb
