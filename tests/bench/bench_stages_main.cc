// coopkb_bench_stages: Google Benchmark micro-benchmarks of each stage, in
// bytes per second, on generated articles held in memory.
//
//   coopkb_bench_stages                                    # 300 articles, seed 1
//   coopkb_bench_stages --corpus_docs=1000 --benchmark_filter='Extract'
//
// Stages: read (ReadDocument: sniffing, decoding, markup), clean (Cleaner),
// segment (Segmenter), each extractor alone on documents that already carry
// the mentions of the extractors before it (as in the pipeline), annotate
// (the whole of Pipeline::Annotate), load (KnowledgeBase::Store in batched
// transactions into a temporary base) and, for scale, fts5_only: the same texts
// into a bare FTS5 table with the coopkb_fr tokenizer. Rates are per CPU second
// of the benchmark thread (Google Benchmark's default), so neighbours on a
// shared machine disturb them less than wall time would.
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "pipeline/cleaner.h"
#include "pipeline/fts_tokenizer.h"
#include "pipeline/knowledge_base.h"
#include "pipeline/lexicon.h"
#include "pipeline/pipeline.h"
#include "pipeline/reader.h"
#include "pipeline/segmenter.h"
#include "tests/bench/article_generator.h"
#include "tests/bench/bench_support.h"

namespace fs = std::filesystem;
using namespace coopkb;

namespace {

// Documents at every point of the chain, made once before the benchmarks run.
struct Corpus {
  std::unique_ptr<Lexicons> lexicons;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<Cleaner> cleaner;
  std::unique_ptr<Segmenter> segmenter;
  std::vector<GeneratedFile> files;
  std::vector<Document> read, cleaned, segmented, annotated;
  std::vector<std::vector<Document>> before_extractor;  // [i]: extractors 0..i-1 have run
  int64_t file_bytes = 0, read_bytes = 0, clean_bytes = 0;
  std::string temp_dir;
};

int64_t TextBytes(const std::vector<Document>& docs) {
  int64_t n = 0;
  for (const auto& d : docs) n += static_cast<int64_t>(d.text.size());
  return n;
}

Status Build(Corpus& c, int docs, uint64_t seed) {
  auto lex = Lexicons::Load();
  if (!lex.ok()) return lex.status();
  c.lexicons = std::make_unique<Lexicons>(std::move(lex).value());
  auto pipeline = Pipeline::Create(*c.lexicons);
  if (!pipeline.ok()) return pipeline.status();
  c.pipeline = std::make_unique<Pipeline>(std::move(pipeline).value());
  auto cleaner = Cleaner::Create(*c.lexicons);
  if (!cleaner.ok()) return cleaner.status();
  c.cleaner = std::make_unique<Cleaner>(std::move(cleaner).value());
  auto segmenter = Segmenter::Create(*c.lexicons);
  if (!segmenter.ok()) return segmenter.status();
  c.segmenter = std::make_unique<Segmenter>(std::move(segmenter).value());
  auto gen = ArticleGenerator::Create(*c.lexicons, seed);
  if (!gen.ok()) return gen.status();

  for (int i = 0; i < docs; ++i) {
    GeneratedFile f = gen.value().Generate(static_cast<uint64_t>(i));
    auto doc = ReadDocument(f.name, f.bytes);
    if (!doc.ok()) return Status::Internal(f.name + ": " + doc.status().message());
    c.file_bytes += static_cast<int64_t>(f.bytes.size());
    c.files.push_back(std::move(f));
    c.read.push_back(std::move(doc).value());
  }
  c.read_bytes = TextBytes(c.read);
  c.cleaned = c.read;
  for (Document& d : c.cleaned) c.cleaner->Clean(d);
  c.clean_bytes = TextBytes(c.cleaned);
  c.segmented = c.cleaned;
  for (Document& d : c.segmented) c.segmenter->Segment(d);
  std::vector<Document> current = c.segmented;
  for (const auto& e : c.pipeline->extractors()) {
    c.before_extractor.push_back(current);
    for (Document& d : current) e->Extract(d);
  }
  c.annotated = std::move(current);

  char tmpl[] = "/tmp/coopkb_bench_stages_XXXXXX";
  if (!mkdtemp(tmpl)) return Status::Internal(std::string("mkdtemp: ") + std::strerror(errno));
  c.temp_dir = tmpl;
  return Status::Ok();
}

// Runs `stage` over a fresh copy of `input` per iteration; the copy is not timed.
template <class Stage>
void OverCopies(benchmark::State& state, const std::vector<Document>& input, int64_t bytes, Stage stage) {
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Document> docs = input;
    state.ResumeTiming();
    for (Document& d : docs) stage(d);
    benchmark::DoNotOptimize(docs.data());
    state.PauseTiming();
    docs.clear();  // freed untimed
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(input.size()));
}

// KnowledgeBase::Store of annotated documents, 256 to a transaction as the ingest runner does.
void BenchLoad(benchmark::State& state, const Corpus& c, const std::string& path) {
  auto kb = KnowledgeBase::Open(path, KnowledgeBase::kReadWrite);
  if (!kb.ok()) {
    state.SkipWithError(kb.status().message().c_str());
    return;
  }
  int64_t round = 0;
  std::vector<Document> docs = c.annotated;
  for (auto _ : state) {
    // New sources and digests each round, or Store would find them unchanged.
    state.PauseTiming();
    ++round;
    for (size_t i = 0; i < docs.size(); ++i) {
      docs[i].source = fmt::format("round{}/{}", round, c.annotated[i].source);
      docs[i].sha256 = fmt::format("{}-{}", c.annotated[i].sha256, round);
    }
    state.ResumeTiming();
    for (size_t i = 0; i < docs.size(); ++i) {
      if (i % 256 == 0) {
        if (i > 0) (void)kb.value().CommitBatch();
        (void)kb.value().BeginBatch();
      }
      auto r = kb.value().Store(docs[i]);
      if (!r.ok()) {
        state.SkipWithError(r.status().message().c_str());
        return;
      }
    }
    (void)kb.value().CommitBatch();
  }
  state.SetBytesProcessed(state.iterations() * c.clean_bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(docs.size()));
  state.counters["base_bytes_per_text_byte"] =
      static_cast<double>(SqliteFileBytes(path)) / static_cast<double>(round * c.clean_bytes);
}

// The floor: the same cleaned texts into a bare FTS5 table with the same tokenizer.
void BenchFts5Only(benchmark::State& state, const Corpus& c, const std::string& path) {
  auto db = SqliteDb::Open(path, false);
  Status s = db.ok() ? RegisterFrenchTokenizer(db.value().handle()) : db.status();
  if (s.ok()) s = db.value().Exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; "
      "PRAGMA wal_autocheckpoint = 16384");
  if (s.ok()) s = db.value().Exec("CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize='coopkb_fr')");
  auto insert = s.ok() ? db.value().Prepare("INSERT INTO fts(title, text) VALUES (?1, ?2)") : Result<Statement>(s);
  if (!insert.ok()) {
    state.SkipWithError(insert.status().message().c_str());
    return;
  }
  for (auto _ : state) {
    for (size_t i = 0; i < c.cleaned.size(); ++i) {
      if (i % 256 == 0) (void)db.value().Exec(i == 0 ? "BEGIN IMMEDIATE" : "COMMIT; BEGIN IMMEDIATE");
      insert.value().Reset();
      insert.value().BindOptional(1, c.cleaned[i].title).Bind(2, c.cleaned[i].text);
      if (Status r = insert.value().Run(); !r.ok()) {
        state.SkipWithError(r.message().c_str());
        return;
      }
    }
    (void)db.value().Exec("COMMIT");
  }
  state.SetBytesProcessed(state.iterations() * c.clean_bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(c.cleaned.size()));
}

void RegisterAll(Corpus& c) {
  benchmark::RegisterBenchmark("read", [&c](benchmark::State& state) {
    for (auto _ : state) {
      for (const GeneratedFile& f : c.files) {
        auto doc = ReadDocument(f.name, f.bytes);
        benchmark::DoNotOptimize(doc);
      }
    }
    state.SetBytesProcessed(state.iterations() * c.file_bytes);
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(c.files.size()));
  });
  benchmark::RegisterBenchmark("clean", [&c](benchmark::State& state) {
    OverCopies(state, c.read, c.read_bytes, [&](Document& d) { c.cleaner->Clean(d); });
  });
  benchmark::RegisterBenchmark("segment", [&c](benchmark::State& state) {
    OverCopies(state, c.cleaned, c.clean_bytes, [&](Document& d) { c.segmenter->Segment(d); });
  });
  const auto& extractors = c.pipeline->extractors();
  for (size_t i = 0; i < extractors.size(); ++i) {
    std::string name = "extract/" + std::string(extractors[i]->name());
    benchmark::RegisterBenchmark(name.c_str(), [&c, i](benchmark::State& state) {
      const Extractor& e = *c.pipeline->extractors()[i];
      OverCopies(state, c.before_extractor[i], c.clean_bytes, [&](Document& d) { e.Extract(d); });
    });
  }
  benchmark::RegisterBenchmark("annotate", [&c](benchmark::State& state) {
    OverCopies(state, c.read, c.read_bytes, [&](Document& d) { c.pipeline->Annotate(d); });
  });
  benchmark::RegisterBenchmark("load", [&c](benchmark::State& state) {
    std::string path = c.temp_dir + "/load.sqlite";
    RemoveSqliteFiles(path);
    BenchLoad(state, c, path);
    RemoveSqliteFiles(path);
  });
  benchmark::RegisterBenchmark("fts5_only", [&c](benchmark::State& state) {
    std::string path = c.temp_dir + "/fts5.sqlite";
    RemoveSqliteFiles(path);
    BenchFts5Only(state, c, path);
    RemoveSqliteFiles(path);
  });
}

// Takes --corpus_docs=N and --seed=S out of argv before Google Benchmark reads it.
bool TakeFlag(int& argc, char** argv, const char* name, int64_t* value) {
  std::string prefix = std::string("--") + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0) {
      *value = std::stoll(argv[i] + prefix.size());
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t docs = 300, seed = 1;
  TakeFlag(argc, argv, "corpus_docs", &docs);
  TakeFlag(argc, argv, "seed", &seed);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  Corpus corpus;
  Status s = Build(corpus, static_cast<int>(docs), static_cast<uint64_t>(seed));
  if (!s.ok()) {
    std::cerr << "coopkb_bench_stages: " << s.message() << "\n";
    return 1;
  }
  std::cerr << fmt::format("corpus: {} generated articles (seed {}), {} of files, {} read, {} cleaned\n", docs, seed,
                           Megabytes(corpus.file_bytes), Megabytes(corpus.read_bytes),
                           Megabytes(corpus.clean_bytes));
  RegisterAll(corpus);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(corpus.temp_dir, ec);
  return 0;
}
