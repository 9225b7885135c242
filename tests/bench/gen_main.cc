// coopkb_gen: writes the scale corpus, N generated articles, into a folder.
//
//   coopkb_gen --count 100000 --seed 1 --out /tmp/coopkb-corpus   # about 400 MB
//
// The same count and seed always give the same bytes (see article_generator.h).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "pipeline/lexicon.h"
#include "tests/bench/article_generator.h"
#include "tests/bench/bench_support.h"

namespace fs = std::filesystem;
using namespace coopkb;

int main(int argc, char** argv) {
  CLI::App app{"coopkb_gen: a deterministic corpus of French hospital-cooperation articles"};
  uint64_t count = 1000, seed = 1;
  std::string out;
  app.add_option("--count", count, "number of articles (default 1000)");
  app.add_option("--seed", seed, "random seed (default 1)");
  app.add_option("--out", out, "output folder (created)")->required();
  CLI11_PARSE(app, argc, argv);

  auto lex = Lexicons::Load();
  if (!lex.ok()) {
    std::cerr << "coopkb_gen: " << lex.status().message() << "\n";
    return 1;
  }
  auto gen = ArticleGenerator::Create(lex.value(), seed);
  if (!gen.ok()) {
    std::cerr << "coopkb_gen: " << gen.status().message() << "\n";
    return 1;
  }
  Stopwatch watch;
  int64_t bytes = 0;
  std::map<std::string, int64_t> formats;
  std::string folder;
  for (uint64_t i = 0; i < count; ++i) {
    GeneratedFile f = gen.value().Generate(i);
    fs::path path = fs::path(out) / f.name;
    if (path.parent_path().string() != folder) {
      folder = path.parent_path().string();
      std::error_code ec;
      fs::create_directories(folder, ec);
      if (ec) {
        std::cerr << "coopkb_gen: " << folder << ": " << ec.message() << "\n";
        return 1;
      }
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(f.bytes.data(), static_cast<std::streamsize>(f.bytes.size()));
    if (!file) {
      std::cerr << "coopkb_gen: " << path.string() << ": write failed\n";
      return 1;
    }
    bytes += static_cast<int64_t>(f.bytes.size());
    ++formats[f.format];
  }
  std::string mix;
  for (const auto& [format, n] : formats) mix += fmt::format("{}{} {}", mix.empty() ? "" : ", ", n, format);
  std::cout << fmt::format("wrote {} articles ({}; {:.0f} bytes on average; {}) to {} in {:.1f} s\n", count,
                           Megabytes(bytes), count ? static_cast<double>(bytes) / count : 0.0, mix, out,
                           watch.Seconds());
  return 0;
}
