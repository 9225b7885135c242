#include "pipeline/cli.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pipeline/document_json.h"
#include "pipeline/exporters.h"
#include "pipeline/ingest_runner.h"
#include "pipeline/knowledge_base.h"
#include "pipeline/lexicon.h"
#include "pipeline/pipeline.h"
#include "pipeline/queries.h"

namespace coopkb {
namespace {

using json = nlohmann::json;

// Exit statuses.
constexpr int kExitOk = 0;
constexpr int kExitUser = 1;
constexpr int kExitInternal = 2;

int ExitFor(const Status& s) { return s.code() == Status::kInternal ? kExitInternal : kExitUser; }

// Paths may hold newlines or control characters: show them escaped, on one line.
std::string ShowPath(const std::string& p) {
  std::string out;
  for (unsigned char c : p) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

// Messages quote what the user gave (names, paths): always one line.
int Fail(const Status& s) {
  std::cerr << "coopkb: " << ShowPath(s.message()) << "\n";
  return ExitFor(s);
}

// JSON output must not throw on a file name that is not UTF-8.
std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// --since and --until: YEAR, YEAR-MM or YEAR-MM-DD, as dates are stored.
Status CheckDateBound(const char* option, const std::string& value) {
  if (value.empty()) return Status::Ok();
  auto digits = [&](size_t pos, size_t n) {
    if (value.size() < pos + n) return false;
    for (size_t k = pos; k < pos + n; ++k) {
      if (value[k] < '0' || value[k] > '9') return false;
    }
    return true;
  };
  auto number = [&](size_t pos) { return (value[pos] - '0') * 10 + (value[pos + 1] - '0'); };
  bool ok = digits(0, 4) && (value.size() == 4 ||
                             (value.size() >= 7 && value[4] == '-' && digits(5, 2) && number(5) >= 1 &&
                              number(5) <= 12 &&
                              (value.size() == 7 || (value.size() == 10 && value[7] == '-' && digits(8, 2) &&
                                                     number(8) >= 1 && number(8) <= 31))));
  if (ok) return Status::Ok();
  return Status::UserError(
      fmt::format("invalid date for {}: '{}' (expected YEAR, YEAR-MM or YEAR-MM-DD)", option, value));
}

std::string DefaultDb() {
  const char* env = std::getenv("COOPKB_DB");
  return env && *env ? env : "output/coopkb.sqlite";
}

std::string DefaultLexiconDir() {
  const char* env = std::getenv("COOPKB_LEXICONS");
  return env ? env : "";
}

std::string HumanBytes(int64_t n) {
  if (n < 1024) return fmt::format("{} B", n);
  if (n < 1024 * 1024) return fmt::format("{:.1f} KB", n / 1024.0);
  if (n < int64_t{1024} * 1024 * 1024) return fmt::format("{:.1f} MB", n / (1024.0 * 1024));
  return fmt::format("{:.2f} GB", n / (1024.0 * 1024 * 1024));
}

struct Common {
  std::string db = DefaultDb();
};

void AddDbOption(CLI::App* cmd, Common& c) {
  cmd->add_option("--db", c.db, "knowledge base file (default: $COOPKB_DB or output/coopkb.sqlite)");
}

// ---- ingest ---------------------------------------------------------------

int CmdIngest(const Common& c, const std::vector<std::string>& paths, const std::string& lexicon_dir,
              int jobs, const std::string& stdin_name, bool quiet, int max_size_mb) {
  auto lex = Lexicons::Load(lexicon_dir);
  if (!lex.ok()) return Fail(lex.status());
  auto pipeline = Pipeline::Create(lex.value());
  if (!pipeline.ok()) return Fail(pipeline.status());
  auto kb = KnowledgeBase::Open(c.db, KnowledgeBase::kReadWrite);
  if (!kb.ok()) return Fail(kb.status());
  IngestOptions options;
  options.jobs = jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.stdin_source = stdin_name;
  options.max_file_bytes = static_cast<size_t>(max_size_mb) << 20;
  IngestRunner runner(pipeline.value(), kb.value(), options);
  const bool tty = isatty(STDERR_FILENO) && !quiet;
  auto started = std::chrono::steady_clock::now();
  bool progress_shown = false;
  auto report = [&](const IngestEvent& e) {
    if (e.kind == IngestEvent::kProgress) {
      if (!tty) return;
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      double mbps = secs > 0 ? e.bytes_done / secs / 1e6 : 0;
      double eta = e.done ? secs * (e.total - e.done) / e.done : 0;
      int width = 30;
      int filled = e.total ? static_cast<int>(width * e.done / e.total) : width;
      std::cerr << fmt::format("\r[{}{}] {}/{} documents  {:.1f} MB/s  ETA {:.0f}s ",
                               std::string(filled, '#'), std::string(width - filled, '.'), e.done,
                               e.total, mbps, eta);
      progress_shown = true;
      return;
    }
    if (progress_shown) {
      std::cerr << "\r\x1b[K";
      progress_shown = false;
    }
    std::cerr << ShowPath(e.path) << (e.kind == IngestEvent::kWarning ? ": warning: " : ": ")
              << ShowPath(e.message) << "\n";
  };
  IngestSummary s = runner.Run(paths, report);
  if (progress_shown) std::cerr << "\r\x1b[K";
  std::cout << fmt::format(
      "ingested {} files into {}: {} added, {} replaced, {} unchanged, {} duplicates, {} failed, "
      "{} warnings ({} in {:.2f} s)\n",
      s.added + s.replaced + s.unchanged + s.duplicates + s.failed, c.db, s.added, s.replaced,
      s.unchanged, s.duplicates, s.failed, s.warnings, HumanBytes(s.bytes), s.seconds);
  if (s.internal_error) return kExitInternal;
  return s.failed ? kExitUser : kExitOk;
}

// ---- search ---------------------------------------------------------------

int CmdSearch(const Common& c, const std::string& query, int limit, const std::string& format,
              const std::vector<std::string>& establishments, const std::string& specialty,
              const std::string& since, const std::string& until, const std::string& lexicon_dir) {
  for (Status s : {CheckDateBound("--since", since), CheckDateBound("--until", until)}) {
    if (!s.ok()) return Fail(s);
  }
  auto kb = KnowledgeBase::Open(c.db, KnowledgeBase::kReadOnly);
  if (!kb.ok()) return Fail(kb.status());
  SearchQuery q;
  q.query = query;
  q.limit = limit;
  q.since = since;
  q.until = until;
  q.highlight_ansi = format == "table" && isatty(STDOUT_FILENO);
  if (!establishments.empty() || !specialty.empty()) {
    auto lex = Lexicons::Load(lexicon_dir);
    if (!lex.ok()) return Fail(lex.status());
    QueryResolver resolver(lex.value(), kb.value());
    if (!establishments.empty()) {
      q.entity_filter = true;
      for (const auto& name : establishments) {
        auto ids = resolver.Establishments(name);
        if (!ids.ok()) return Fail(ids.status());
        q.entity_ids.insert(q.entity_ids.end(), ids.value().begin(), ids.value().end());
      }
    }
    if (!specialty.empty()) q.specialty = resolver.Specialty(specialty);
  }
  auto hits = kb.value().Search(q);
  if (!hits.ok()) return Fail(hits.status());
  if (format == "json") {
    json out = json::array();
    int rank = 1;
    for (const auto& h : hits.value()) {
      out.push_back({{"rank", rank++}, {"id", h.id}, {"score", h.score}, {"source", h.source},
                     {"title", h.title}, {"published", h.published.empty() ? json(nullptr) : json(h.published)},
                     {"snippet", h.snippet}});
    }
    std::cout << Dump(out) << "\n";
    return kExitOk;
  }
  if (hits.value().empty()) {
    std::cout << "no document matches\n";
    return kExitOk;
  }
  int rank = 1;
  for (const auto& h : hits.value()) {
    std::string snippet = h.snippet;
    for (char& ch : snippet) {
      if (ch == '\n') ch = ' ';
    }
    std::cout << fmt::format("{:>3}. {}  [doc {}]{}\n     {}\n     {}\n", rank++, ShowPath(h.source),
                             h.id, h.published.empty() ? "" : "  " + h.published,
                             h.title.empty() ? "(untitled)" : h.title, snippet);
  }
  return kExitOk;
}

// ---- show -----------------------------------------------------------------

int CmdShow(const Common& c, const std::string& id, bool explain, bool annotations,
            const std::string& format) {
  auto kb = KnowledgeBase::Open(c.db, KnowledgeBase::kReadOnly);
  if (!kb.ok()) return Fail(kb.status());
  auto sd = kb.value().Load(id);
  if (!sd.ok()) return Fail(sd.status());
  const StoredDocument& s = sd.value();
  if (format == "json") {
    std::cout << Dump(DocumentJson(s)) << "\n";
    return kExitOk;
  }
  const Document& d = s.doc;
  std::cout << fmt::format("document {}\nsource:    {}\ntitle:     {}\npublished: {}\nformat:    {} ({})\n"
                           "sha256:    {}\ningested:  {}\n",
                           s.id, ShowPath(d.source), d.title.empty() ? "-" : d.title,
                           d.published.empty() ? "-" : d.published, d.format,
                           d.encoding.empty() ? "?" : d.encoding, d.sha256, s.ingested_at);
  for (const auto& w : d.warnings) std::cout << "warning:   " << w << "\n";
  std::cout << "\n" << d.text << "\n";
  if (annotations) {
    std::cout << "\nannotations (byte offsets in the text above; source offsets in the original file):\n";
    for (const Mention& m : d.mentions) {
      std::string extra;
      if (m.kind == MentionKind::kCount) extra = " unit=\"" + m.unit + "\"";
      if (m.kind == MentionKind::kEstablishment && m.entity >= 0) {
        const Establishment& e = d.establishments[m.entity];
        extra = fmt::format(" [{} {}{}]", e.kind, e.key, e.city.empty() ? "" : ", " + e.city);
      }
      std::cout << fmt::format("  {:<13} {:>6}-{:<6} (src {:>6}) \"{}\" -> {}{}\n", MentionKindName(m.kind),
                               m.span.begin, m.span.end, d.to_source.ToSource(m.span.begin),
                               d.Text(m.span), m.value, extra);
    }
    for (const Cooperation& co : d.cooperations) {
      std::string parties;
      for (int p : co.parties) parties += (parties.empty() ? "" : " + ") + d.establishments[p].name;
      std::string specs;
      for (const auto& sp : co.specialties) specs += (specs.empty() ? "" : ", ") + sp;
      std::cout << fmt::format("  cooperation   {} ({}{}{})\n", parties, co.kind,
                               co.date.empty() ? "" : ", " + co.date, specs.empty() ? "" : "; " + specs);
    }
  }
  if (explain) {
    std::cout << "\ncleaning (offsets are bytes of the original file):\n";
    if (d.edits.empty()) std::cout << "  nothing removed or repaired\n";
    for (const Edit& e : d.edits) {
      std::cout << fmt::format("  {:<9} {:>6}-{:<6} {:<24} \"{}\"{}\n", e.action, e.source_begin,
                               e.source_end, e.rule, e.before,
                               e.after.empty() ? "" : " -> \"" + e.after + "\"");
    }
  }
  return kExitOk;
}

// ---- stats ----------------------------------------------------------------

int CmdStats(const Common& c, const std::string& format) {
  auto kb = KnowledgeBase::Open(c.db, KnowledgeBase::kReadOnly);
  if (!kb.ok()) return Fail(kb.status());
  auto s = kb.value().Stats();
  if (!s.ok()) return Fail(s.status());
  const KbStats& st = s.value();
  if (format == "json") {
    std::cout << Dump(json{{"documents", st.documents}, {"mentions", st.mentions},
                           {"establishments", st.establishments}, {"cooperations", st.cooperations},
                           {"text_bytes", st.text_bytes}, {"file_bytes", st.file_bytes},
                           {"last_ingest", st.last_ingest}})
              << "\n";
    return kExitOk;
  }
  std::cout << fmt::format(
      "knowledge base: {}\ndocuments:      {}\ntext:           {}\nfile size:      {}\n"
      "mentions:       {}\nestablishments: {}\ncooperations:   {}\nlast ingest:    {}\n",
      c.db, st.documents, HumanBytes(st.text_bytes), HumanBytes(st.file_bytes), st.mentions,
      st.establishments, st.cooperations, st.last_ingest.empty() ? "never" : st.last_ingest);
  return kExitOk;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"coopkb: a knowledge base of hospital cooperations read from French texts"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "coopkb 0.1.0");
  Common common;
  std::string lexicon_dir = DefaultLexiconDir();
  const char* lexicon_help = "folder of edited lexicon TSV files overriding the embedded ones (default: $COOPKB_LEXICONS)";

  // ingest
  auto* ingest = app.add_subcommand("ingest", "read files, annotate them and store them");
  std::vector<std::string> paths;
  int jobs = 0;
  std::string stdin_name = "stdin";
  bool quiet = false;
  int max_size_mb = static_cast<int>(IngestOptions().max_file_bytes >> 20);
  ingest->add_option("paths", paths, "files, folders (recursive) or - for standard input")->required();
  AddDbOption(ingest, common);
  ingest->add_option("--lexicons", lexicon_dir, lexicon_help);
  ingest->add_option("-j,--jobs", jobs, "worker threads (default: the number of cores)");
  ingest->add_option("--stdin-name", stdin_name, "source name stored for standard input (default: stdin)");
  ingest->add_flag("-q,--quiet", quiet, "no progress bar");
  ingest->add_option("--max-size", max_size_mb,
                     fmt::format("refuse files larger than this many MB (default {})", max_size_mb))
      ->check(CLI::Range(1, 4096));

  // search
  auto* search = app.add_subcommand("search", "full-text search, ranked by bm25");
  std::string query, format = "table", specialty, since, until;
  std::vector<std::string> establishments;
  int limit = 10;
  search->add_option("query", query,
                     "words, \"phrases\", AND OR NOT, NEAR(a b, 5), prefix*, title:word; may be empty with filters");
  AddDbOption(search, common);
  search->add_option("-n,--limit", limit, "number of hits (default 10)")->check(CLI::Range(1, 100000));
  search->add_option("--format", format, "table or json")->check(CLI::IsMember({"table", "json"}));
  // One value per occurrence: a repeatable option must not swallow the query after it.
  search->add_option("--establishment", establishments, "only documents naming this establishment (any alias)")
      ->allow_extra_args(false);
  search->add_option("--specialty", specialty, "only documents mentioning this specialty");
  search->add_option("--since", since, "only documents dated or mentioning a date from YEAR[-MM[-DD]]");
  search->add_option("--until", until, "only documents dated or mentioning a date up to YEAR[-MM[-DD]]");
  search->add_option("--lexicons", lexicon_dir, lexicon_help);

  // show
  auto* show = app.add_subcommand("show", "a stored document: metadata, text, annotations");
  std::string doc_id;
  bool explain = false, no_annotations = false;
  std::string show_format = "text";
  show->add_option("doc", doc_id, "document id or source path")->required();
  AddDbOption(show, common);
  show->add_flag("--explain", explain, "list what cleaning removed or repaired, with source offsets");
  show->add_flag("--no-annotations", no_annotations, "only metadata and text");
  show->add_option("--format", show_format, "text or json")->check(CLI::IsMember({"text", "json"}));

  // export
  auto* exp = app.add_subcommand("export", "write a dataset: documents, establishments, mentions, cooperations");
  ExportOptions export_options;
  exp->add_option("dataset", export_options.dataset, "documents, establishments, mentions or cooperations")
      ->required()
      ->check(CLI::IsMember({"documents", "establishments", "mentions", "cooperations"}));
  exp->add_option("--format", export_options.format, "jsonl, csv or tei (tei: documents only)")
      ->check(CLI::IsMember({"jsonl", "csv", "tei"}));
  exp->add_option("-o,--out", export_options.out, "output file (default: standard output)");
  exp->add_flag("--excel", export_options.excel, "CSV for French spreadsheets: UTF-8 BOM and ';' separators");
  AddDbOption(exp, common);

  // stats
  auto* stats = app.add_subcommand("stats", "documents, size, last ingest");
  std::string stats_format = "text";
  AddDbOption(stats, common);
  stats->add_option("--format", stats_format, "text or json")->check(CLI::IsMember({"text", "json"}));

  // cooperations
  auto* coops = app.add_subcommand("cooperations", "cooperation records, filtered");
  CooperationFilter coop_filter;
  std::string coop_format = "table";
  coops->add_option("--with", coop_filter.with, "a party (any alias or loose form); twice: cooperations between them")
      ->allow_extra_args(false);
  coops->add_option("--specialty", coop_filter.specialty, "a specialty (any synonym)");
  coops->add_option("--kind", coop_filter.kind, "convention cadre, GCS, charte, ...");
  coops->add_option("--since", coop_filter.since, "from this YEAR[-MM[-DD]] (cooperation date, else document date)");
  coops->add_option("--until", coop_filter.until, "up to this YEAR[-MM[-DD]]");
  coops->add_option("--region", coop_filter.region, "a party is in this région");
  coops->add_option("--format", coop_format, "table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}));
  coops->add_option("--lexicons", lexicon_dir, lexicon_help);
  AddDbOption(coops, common);

  // establishments
  auto* ests = app.add_subcommand("establishments", "canonical establishments with their documents and cooperations");
  EstablishmentFilter est_filter;
  std::string est_format = "table";
  ests->add_option("--region", est_filter.region, "only this région");
  ests->add_option("--kind", est_filter.kind, "CHU, CHR, CH, CLINIQUE, CLCC or AUTRE");
  ests->add_option("--format", est_format, "table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}));
  AddDbOption(ests, common);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUser;
  }

  try {
    if (*ingest) return CmdIngest(common, paths, lexicon_dir, jobs, stdin_name, quiet, max_size_mb);
    if (*search) {
      return CmdSearch(common, query, limit, format, establishments, specialty, since, until, lexicon_dir);
    }
    if (*show) return CmdShow(common, doc_id, explain, !no_annotations, show_format);
    if (*stats) return CmdStats(common, stats_format);
    if (*exp) {
      auto kb = KnowledgeBase::Open(common.db, KnowledgeBase::kReadOnly);
      if (!kb.ok()) return Fail(kb.status());
      Status s = RunExport(kb.value(), export_options);
      return s.ok() ? kExitOk : Fail(s);
    }
    if (*coops || *ests) {
      for (Status s : {CheckDateBound("--since", coop_filter.since), CheckDateBound("--until", coop_filter.until)}) {
        if (!s.ok()) return Fail(s);
      }
      auto kb = KnowledgeBase::Open(common.db, KnowledgeBase::kReadOnly);
      if (!kb.ok()) return Fail(kb.status());
      auto lex = Lexicons::Load(lexicon_dir);
      if (!lex.ok()) return Fail(lex.status());
      QueryResolver resolver(lex.value(), kb.value());
      Status s = *coops ? ListCooperations(kb.value(), resolver, coop_filter, coop_format, std::cout)
                        : ListEstablishments(kb.value(), est_filter, est_format, std::cout);
      return s.ok() ? kExitOk : Fail(s);
    }
  } catch (const std::exception& e) {
    std::cerr << "coopkb: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitUser;
}

}  // namespace coopkb
