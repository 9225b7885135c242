// Reliability and security of the coopkb command (issue 7): hostile inputs,
// crashes, full disks, read-only bases, concurrent use and hostile queries.
// Every case runs the real binary as a child process and then looks at the
// knowledge base through its own read-only SQLite connection: nothing stored
// may be lost, the file must pass PRAGMA integrity_check, and every failure
// must be one line on standard error naming the file.
//
// Tests run as root in CI, where permissions do not bind: the cases about
// unreadable files and read-only bases then run the binary as "nobody".
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <libxml/xmlmemory.h>
#include <nlohmann/json.hpp>

#include "pipeline/knowledge_base.h"
#include "pipeline/reader.h"
#include "tests/test_support.h"

namespace coopkb {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr uid_t kNobody = 65534;

// ---- files ------------------------------------------------------------------

void WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

// A short press release of our own, different for every `i`, naming two
// establishments, a date, counts and specialties, so that every extractor
// has something to store.
std::string Article(int i) {
  static const char* const kPairs[][2] = {
      {"CHU de Lille", "centre hospitalier d'Arras"},  {"CHU de Rennes", "centre hospitalier de Saint-Malo"},
      {"CHU de Nantes", "centre hospitalier de Cholet"}, {"CHU d'Amiens", "centre hospitalier d'Abbeville"},
      {"CHU de Rouen", "centre hospitalier de Dieppe"},  {"CHU de Brest", "centre hospitalier de Morlaix"}};
  static const char* const kSpecialties[] = {"neurochirurgie", "cardiologie", "oncologie", "pédiatrie",
                                             "radiothérapie", "urologie"};
  static const char* const kMonths[] = {"janvier", "mars", "mai", "juin", "septembre", "novembre"};
  const auto& pair = kPairs[i % 6];
  const char* spec = kSpecialties[(i / 6) % 6];
  return fmt::format(
      "Communiqué numéro {0}\n"
      "Le {1} {2} {3}, le {4} et le {5} ont signé une convention de coopération en {6}.\n"
      "Cette coopération concerne {7} patients par an et {8} consultations avancées.\n"
      "Les équipes de {6} du {4} assureront une permanence au {5} à partir de {2} {9}.\n",
      i, 1 + i % 28, kMonths[i % 6], 2010 + i % 12, pair[0], pair[1], spec, 100 + i, 10 + i % 50,
      2011 + i % 12);
}

// `n` articles as files art-00000.txt... in `dir`.
void WriteArticles(const fs::path& dir, int n, int first = 0) {
  fs::create_directories(dir);
  for (int i = first; i < first + n; ++i) {
    WriteFile(dir / fmt::format("art-{:05}.txt", i), Article(i));
  }
}

// Paths may hold newlines: the CLI shows them escaped, on one line.
std::string Shown(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// ---- child processes ---------------------------------------------------------

struct RunResult {
  int status = -1;  // exit status, or -signal
  std::string out, err;
};

// The coopkb binary with `args` (no shell: any byte may be in an argument).
// `in_child` runs between fork and exec (limits, identity).
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::function<void()>& in_child = {}) {
    static std::atomic<int> counter{0};
    int k = counter++;
    out_ = tmp_ / fmt::format("out{}", k);
    err_ = tmp_ / fmt::format("err{}", k);
    chmod(tmp_.path().c_str(), 0777);  // writable by "nobody" too
    // COOPKB_TEST_BINARY runs these cases against another build (an older one,
    // to see which protections it lacks).
    const char* other = std::getenv("COOPKB_TEST_BINARY");
    std::string bin = other && *other ? other : test::CoopkbBinary();
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      int in = open("/dev/null", O_RDONLY);
      int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
      int err = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
      if (in < 0 || out < 0 || err < 0) _exit(126);
      dup2(in, 0);
      dup2(out, 1);
      dup2(err, 2);
      if (in_child) in_child();
      std::vector<char*> argv;
      argv.push_back(bin.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !done_) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }
  pid_t pid() const { return pid_; }
  bool Running() {
    if (done_) return false;
    int st = 0;
    if (waitpid(pid_, &st, WNOHANG) == pid_) Finish(st);
    return !done_;
  }
  RunResult Wait() {
    if (!done_) {
      int st = 0;
      while (waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
      }
      Finish(st);
    }
    return {status_, test::ReadFile(out_), test::ReadFile(err_)};
  }
  void Kill9() { kill(pid_, SIGKILL); }

 private:
  void Finish(int st) {
    done_ = true;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1;
  }
  test::TempDir tmp_;
  fs::path out_, err_;
  pid_t pid_ = -1;
  bool done_ = false;
  int status_ = -1;
};

RunResult Run(const std::vector<std::string>& args, const std::function<void()>& in_child = {}) {
  return Child(args, in_child).Wait();
}

// Permissions only bind for an ordinary user: as root, run the child as nobody.
bool RunningAsRoot() { return geteuid() == 0; }
void BecomeNobody() {
  if (geteuid() != 0) return;
  if (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 || setuid(kNobody) != 0) _exit(125);
}

// ---- the base, seen from outside ----------------------------------------------

class Probe {
 public:
  explicit Probe(const fs::path& db) {
    std::string uri = "file:" + db.string() + "?mode=ro";
    REQUIRE(sqlite3_open_v2(uri.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db_, 10000);
  }
  ~Probe() { sqlite3_close_v2(db_); }
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;

  // The first column of the first row as text; "" when there is none.
  std::string Text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    if (rc != SQLITE_OK) return std::string("prepare error: ") + sqlite3_errmsg(db_);
    std::string out;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      out = std::string("step error: ") + sqlite3_errmsg(db_);
    }
    sqlite3_finalize(st);
    return out;
  }
  // -1 while the base cannot answer (being created, for instance).
  int64_t TryCount(const std::string& sql) {
    std::string t = Text(sql);
    return !t.empty() && t.find_first_not_of("0123456789") == std::string::npos ? std::stoll(t) : -1;
  }
  int64_t Count(const std::string& sql) {
    std::string t = Text(sql);
    try {
      return std::stoll(t);
    } catch (const std::exception&) {
      FAIL("count failed: " << t);
      return -1;
    }
  }
  int64_t Documents() { return Count("SELECT count(*) FROM documents"); }
  std::string Integrity() { return Text("PRAGMA integrity_check"); }

 private:
  sqlite3* db_ = nullptr;
};

// The base passes integrity_check, holds no duplicate, and every stored
// document carries exactly the annotations that processing its file gives
// (a document stored half-way would miss some).
void CheckBaseWhole(const fs::path& db) {
  {
    Probe probe(db);
    REQUIRE(probe.Integrity() == "ok");
    CHECK(probe.Count("SELECT count(*) - count(DISTINCT sha256) FROM documents") == 0);
    CHECK(probe.Count("SELECT count(*) - count(DISTINCT source) FROM documents") == 0);
    CHECK(probe.Count("SELECT count(*) FROM mentions WHERE document_id NOT IN (SELECT id FROM documents)") == 0);
    // The filters' rows are exactly those the stored mentions give.
    const char* kNamed =
        "SELECT DISTINCT entity_id, document_id FROM mentions WHERE entity_id IS NOT NULL";
    const char* kNamedSpecialties = "SELECT DISTINCT value, document_id FROM mentions WHERE kind = 2";
    CHECK(probe.Count(fmt::format("SELECT count(*) FROM ({} EXCEPT SELECT * FROM document_entities)", kNamed)) == 0);
    CHECK(probe.Count(fmt::format("SELECT count(*) FROM (SELECT * FROM document_entities EXCEPT {})", kNamed)) == 0);
    CHECK(probe.Count(fmt::format("SELECT count(*) FROM ({} EXCEPT SELECT * FROM document_specialties)",
                                  kNamedSpecialties)) == 0);
    CHECK(probe.Count(fmt::format("SELECT count(*) FROM (SELECT * FROM document_specialties EXCEPT {})",
                                  kNamedSpecialties)) == 0);
    CHECK(probe.Count("SELECT count(*) FROM documents_fts_docsize") == probe.Documents());
  }
  auto kb = KnowledgeBase::Open(db.string(), KnowledgeBase::kReadOnly);
  REQUIRE(kb.ok());
  Status s = kb.value().ForEachDocument([](const StoredDocument& sd) {
    std::string bytes = test::ReadFile(sd.doc.source);
    auto fresh = test::DefaultPipeline().Process(sd.doc.source, bytes);
    INFO(sd.doc.source);
    REQUIRE(fresh.ok());
    CHECK(sd.doc.sha256 == fresh.value().sha256);
    CHECK(sd.doc.text == fresh.value().text);
    CHECK(sd.doc.mentions.size() == fresh.value().mentions.size());
    CHECK(sd.doc.cooperations.size() == fresh.value().cooperations.size());
    return Status::Ok();
  });
  REQUIRE(s.ok());
}

// "ingested 12 files into ...: 3 added, ..." -> 3
int64_t Summary(const std::string& out, const std::string& what) {
  auto pos = out.find(" " + what);
  if (pos == std::string::npos) return -1;
  auto start = out.rfind(' ', pos - 1);
  return std::stoll(out.substr(start + 1, pos - start - 1));
}

// A base holding three documents, and a way to run an ingest next to them.
class Bench {
 public:
  Bench() {
    WriteArticles(dir_ / "before", 3);
    RunResult r = Ingest({(dir_ / "before").string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(Probe(db_).Documents() == 3);
  }
  const fs::path& db() const { return db_; }
  fs::path operator/(const std::string& name) const { return dir_ / name; }
  RunResult Ingest(std::vector<std::string> paths, const std::function<void()>& in_child = {}) {
    std::vector<std::string> args = {"ingest", "-q", "--db", db_.string()};
    args.insert(args.end(), paths.begin(), paths.end());
    return Run(args, in_child);
  }
  // Ingests `bad` beside a good new article: returns what happened; checks
  // that the good one went in and nothing earlier was lost.
  RunResult IngestBeside(const fs::path& bad, int good_id = 100) {
    fs::path good = dir_ / fmt::format("good-{}.txt", good_id);
    WriteFile(good, Article(good_id));
    int64_t before = Probe(db_).Documents();
    RunResult r = Ingest({bad.string(), good.string()});
    Probe probe(db_);
    CHECK(probe.Integrity() == "ok");
    CHECK(probe.Documents() >= before + 1);
    CHECK(probe.Count("SELECT count(*) FROM documents WHERE source LIKE '%/before/art-%'") == 3);
    CHECK(probe.Count("SELECT count(*) FROM documents WHERE source = '" + good.string() + "'") == 1);
    return r;
  }

 private:
  test::TempDir dir_;
  fs::path db_ = dir_ / "kb.sqlite";
};

// Exactly one line of standard error, and it names `path`.
void CheckOneLineAbout(const RunResult& r, const fs::path& path, const std::string& words = "") {
  INFO("stderr: " << r.err);
  auto lines = Lines(r.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find(Shown(path.string()) + ": ") != std::string::npos);
  if (!words.empty()) CHECK(lines[0].find(words) != std::string::npos);
}

}  // namespace

// ============================================================================
// Bad inputs
// ============================================================================

TEST_CASE("an empty file: one-line error naming it, the others go in, status 1", "[reliability]") {
  Bench bench;
  WriteFile(bench / "vide.txt", "");
  RunResult r = bench.IngestBeside(bench / "vide.txt");
  CHECK(r.status == 1);
  CheckOneLineAbout(r, bench / "vide.txt", "empty file");
  CHECK(Summary(r.out, "added") == 1);
  CHECK(Summary(r.out, "failed") == 1);
}

TEST_CASE("binary files (PNG, ELF) are refused by name", "[reliability]") {
  Bench bench;
  static const char kPngHeader[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
  std::string png(kPngHeader, sizeof kPngHeader - 1);  // embedded NULs: the length is the array's
  for (int i = 0; i < 200; ++i) png += static_cast<char>((i * 37) & 0xff);
  WriteFile(bench / "image.txt", png);  // the extension lies
  RunResult r = bench.IngestBeside(bench / "image.txt", 101);
  CHECK(r.status == 1);
  CheckOneLineAbout(r, bench / "image.txt", "PNG");

  // The start of this very test program: an ELF header and machine code.
  std::string exe = test::ReadFile("/proc/self/exe");
  WriteFile(bench / "programme.html", std::string_view(exe).substr(0, 256 * 1024));
  r = bench.IngestBeside(bench / "programme.html", 102);
  CHECK(r.status == 1);
  CheckOneLineAbout(r, bench / "programme.html", "ELF");
  CHECK(Probe(bench.db()).Documents() == 5);
}

TEST_CASE("invalid UTF-8 is stored with a one-line warning naming the file", "[reliability]") {
  Bench bench;
  // UTF-8 text (many accented letters) with a few bytes that are not: a
  // stray 0xFF, a cut sequence, an encoded surrogate.
  WriteFile(bench / "abime.txt",
            "Le CHU de Lille et le centre hospitalier d'Arras coopèrent depuis 2015 : équipes, médecins, "
            "infirmières et secrétaires médicales se réunissent chaque année \xff à Arras.\n"
            "Un second paragraphe, écrit à la hâte, où la coopération \xc3 est décrite \xed\xa0\x80 en détail.\n");
  RunResult r = bench.IngestBeside(bench / "abime.txt");
  CHECK(r.status == 0);
  CheckOneLineAbout(r, bench / "abime.txt", "warning:");
  Probe probe(bench.db());
  CHECK(probe.Documents() == 5);
  // Stored text is valid UTF-8 (the replacement character stands for the bad bytes).
  CHECK(probe.Count("SELECT count(*) FROM documents WHERE text LIKE '%' || char(65533) || '%'") == 1);
}

TEST_CASE("a NUL byte in text: one line naming the file, never a truncated text", "[reliability]") {
  Bench bench;
  std::string text = Article(7);
  text.insert(text.size() / 2, 1, '\0');
  WriteFile(bench / "nul.txt", text);
  RunResult r = bench.IngestBeside(bench / "nul.txt");
  CheckOneLineAbout(r, bench / "nul.txt");
  Probe probe(bench.db());
  if (r.status == 1) {  // refused as binary
    CHECK(probe.Documents() == 4);
  } else {  // or kept with a warning: then whole, without the NUL
    CHECK(r.status == 0);
    CHECK(r.err.find("warning") != std::string::npos);
    CHECK(probe.Count("SELECT count(*) FROM documents WHERE instr(text, char(0)) > 0") == 0);
    CHECK(probe.Count("SELECT max(length(text)) FROM documents") > 200);
  }
}

TEST_CASE("a 200 MB file is refused quickly by its size", "[reliability]") {
  Bench bench;
  fs::path big = bench / "enorme.txt";
  {
    std::ofstream out(big, std::ios::binary);
    std::string block;
    for (int i = 0; block.size() < (1 << 20); ++i) block += Article(i);
    block.resize(1 << 20);
    for (int i = 0; i < 200; ++i) out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  REQUIRE(fs::file_size(big) == 200u << 20);
  auto started = Clock::now();
  RunResult r = bench.IngestBeside(big);
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  CHECK(r.status == 1);
  CheckOneLineAbout(r, big, "too large");
  CHECK(seconds < 30);
  CHECK(Probe(bench.db()).Documents() == 4);
  // A smaller limit can be asked for, and standard input is bounded too.
  WriteFile(bench / "moyen.txt", std::string(3 << 20, 'a') + " fin du texte.\n");
  r = Run({"ingest", "-q", "--max-size", "2", "--db", bench.db().string(), (bench / "moyen.txt").string()});
  CHECK(r.status == 1);
  CheckOneLineAbout(r, bench / "moyen.txt", "too large");
  const char* other = std::getenv("COOPKB_TEST_BINARY");
  std::string cmd = "'" + (other && *other ? std::string(other) : test::CoopkbBinary()) + "' ingest -q --max-size 2 --db '" + bench.db().string() +
                    "' - < '" + (bench / "moyen.txt").string() + "' 2>'" + (bench / "stdin.err").string() + "' >/dev/null";
  int rc = std::system(cmd.c_str());
  CHECK(WEXITSTATUS(rc) == 1);
  CHECK(test::ReadFile(bench / "stdin.err").find("too large") != std::string::npos);
}

TEST_CASE("HTML with 100 000 nested tags neither hangs nor crashes", "[reliability]") {
  Bench bench;
  std::string page = "<!DOCTYPE html><html><body>";
  for (int i = 0; i < 100000; ++i) page += "<div>";
  page += "<p>Le CHU de Rennes et le centre hospitalier de Saint-Malo coopèrent en cardiologie.</p>";
  for (int i = 0; i < 100000; ++i) page += "</div>";
  page += "</body></html>";
  WriteFile(bench / "profond.html", page);
  std::string inline_page = "<html><body><p>";
  for (int i = 0; i < 100000; ++i) inline_page += "<b>";
  inline_page += "Le CHU de Nantes et le centre hospitalier de Cholet.";
  WriteFile(bench / "gras.html", inline_page);
  auto started = Clock::now();
  for (const char* name : {"profond.html", "gras.html"}) {
    INFO(name);
    RunResult r = bench.IngestBeside(bench / name, name[0] == 'p' ? 100 : 101);
    CHECK((r.status == 0 || r.status == 1));
    if (r.status == 1) CheckOneLineAbout(r, bench / name);
    if (r.status == 0 && !r.err.empty()) CheckOneLineAbout(r, bench / name, "warning:");
  }
  CHECK(std::chrono::duration<double>(Clock::now() - started).count() < 60);
}

TEST_CASE("XML with 100 000 nested elements gives a clear error or its text", "[reliability]") {
  Bench bench;
  std::string xml = "<?xml version=\"1.0\"?>";
  for (int i = 0; i < 100000; ++i) xml += "<e>";
  xml += "texte";
  for (int i = 0; i < 100000; ++i) xml += "</e>";
  WriteFile(bench / "profond.xml", xml);
  RunResult r = bench.IngestBeside(bench / "profond.xml");
  CHECK((r.status == 0 || r.status == 1));
  if (r.status == 1 || !r.err.empty()) CheckOneLineAbout(r, bench / "profond.xml");
}

TEST_CASE("truncated HTML and XML: recovered with a warning or refused, one line each", "[reliability]") {
  Bench bench;
  std::string html =
      "<!DOCTYPE html><html><head><title>Coopération</title></head><body><article>"
      "<h1>Une convention</h1><p>Le CHU d'Amiens et le centre hospitalier d'Abbeville signent une "
      "convention en urologie.</p><p>Depuis 2014, 300 patients";
  WriteFile(bench / "coupe.html", html + "<a hr");
  RunResult r = bench.IngestBeside(bench / "coupe.html", 100);
  CHECK((r.status == 0 || r.status == 1));
  if (r.status == 1 || !r.err.empty()) CheckOneLineAbout(r, bench / "coupe.html");
  Probe probe(bench.db());
  if (r.status == 0) {
    CHECK(probe.Count("SELECT count(*) FROM documents WHERE text LIKE '%Abbeville signent%'") == 1);
  }

  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader>"
      "<fileDesc><titleStmt><title>Accord</title></titleStmt></fileDesc></teiHeader><text><body>"
      "<p>Le CHU de Brest et le centre hospitalier de Morlaix coopèrent en oncologie.</p><p>En 20";
  WriteFile(bench / "coupe.xml", xml);
  r = bench.IngestBeside(bench / "coupe.xml", 101);
  CHECK((r.status == 0 || r.status == 1));
  CheckOneLineAbout(r, bench / "coupe.xml");  // an error, or a warning that it was cut
  WriteFile(bench / "balise.xml", "<?xml version=\"1.0\"?><doc><p>Un texte <b att=\"");
  r = bench.IngestBeside(bench / "balise.xml", 102);
  CHECK((r.status == 0 || r.status == 1));
  CheckOneLineAbout(r, bench / "balise.xml");
}

TEST_CASE("XML external entities pointing at a local file are never read", "[reliability]") {
  Bench bench;
  const std::string marker = "SECRET-7f3a9c-NE-DOIT-PAS-SORTIR";
  fs::path secret = bench / "secret.txt";
  WriteFile(secret, marker + "\n");
  WriteFile(bench / "secret.dtd", "<!ENTITY fuite \"" + marker + "\">\n<!ENTITY % interne \"" + marker + "\">\n");
  fs::path attacks = bench / "attaques";
  fs::create_directories(attacks);
  // A general entity, a parameter entity loading a DTD that defines one, an
  // external DTD subset, an entity in an attribute, and XInclude.
  WriteFile(attacks / "general.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE doc [<!ENTITY x SYSTEM \"file://" + secret.string() +
                "\">]>\n<doc><p>Le CHU de Lille : &x; fin.</p></doc>\n");
  WriteFile(attacks / "relatif.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE doc [<!ENTITY x SYSTEM \"../secret.txt\">]>\n"
            "<doc><p>Début &x; fin.</p></doc>\n");
  WriteFile(attacks / "parametre.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE doc [<!ENTITY % p SYSTEM \"" + (bench / "secret.dtd").string() +
                "\"> %p;]>\n<doc><p>Début &fuite; fin.</p></doc>\n");
  WriteFile(attacks / "dtd.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE doc SYSTEM \"" + (bench / "secret.dtd").string() +
                "\">\n<doc><p>Début &fuite; fin.</p></doc>\n");
  WriteFile(attacks / "tei.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM \"" + secret.string() +
                "\">]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt>"
                "<title>&x;</title></titleStmt></fileDesc></teiHeader><text><body><p>Corps &x;.</p>"
                "</body></text></TEI>\n");
  WriteFile(attacks / "xinclude.xml",
            "<?xml version=\"1.0\"?>\n<doc xmlns:xi=\"http://www.w3.org/2001/XInclude\"><p>Début "
            "<xi:include href=\"" + secret.string() + "\" parse=\"text\"/> fin.</p></doc>\n");
  WriteFile(attacks / "page.html",
            "<!DOCTYPE html [<!ENTITY x SYSTEM \"" + secret.string() + "\">]><html><body><p>Début &x; "
            "<iframe src=\"" + secret.string() + "\"></iframe><object data=\"" + secret.string() +
            "\"></object> fin.</p></body></html>\n");
  RunResult r = bench.Ingest({attacks.string()});
  INFO(r.err);
  CHECK((r.status == 0 || r.status == 1));
  CHECK(r.out.find(marker) == std::string::npos);
  CHECK(r.err.find(marker) == std::string::npos);
  // Nowhere in the base (file and WAL) nor in any export.
  for (const char* suffix : {"", "-wal"}) {
    fs::path f = bench.db().string() + suffix;
    if (fs::exists(f)) CHECK(test::ReadFile(f).find(marker) == std::string::npos);
  }
  for (const char* format : {"jsonl", "csv", "tei"}) {
    RunResult e = Run({"export", "documents", "--format", format, "--db", bench.db().string()});
    INFO(format);
    CHECK(e.status == 0);
    CHECK(e.out.find(marker) == std::string::npos);
  }
  RunResult e = Run({"export", "mentions", "--db", bench.db().string()});
  CHECK(e.out.find(marker) == std::string::npos);
  CHECK(Probe(bench.db()).Integrity() == "ok");
}

namespace {

// libxml2 allocations minus frees, through its replaceable allocator.
std::atomic<long> xml_live{0};
void* CountedMalloc(size_t n) {
  ++xml_live;
  return std::malloc(n);
}
void* CountedRealloc(void* p, size_t n) {
  if (!p) ++xml_live;
  return std::realloc(p, n);
}
void CountedFree(void* p) {
  if (p) --xml_live;
  std::free(p);
}
char* CountedStrdup(const char* s) {
  ++xml_live;
  return strdup(s);
}

}  // namespace

TEST_CASE("the XML reader frees what libxml2 builds for entity declarations", "[reliability][leak]") {
  // Found by fuzz_xml (LeakSanitizer): a DTD declaring entities made libxml2
  // keep a document of its own that nobody freed, once per file ingested.
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY a \"ha\"><!ENTITY b \"&a;&a;\">"
      "<!ENTITY e SYSTEM \"file:///etc/hostname\">]>\n<d><p>Le CHU de Caen &b; &e; fin.</p></d>\n";
  REQUIRE(ReadDocument("d.xml", xml).ok());  // libxml2's own one-time set-up happens here
  xmlFreeFunc old_free;
  xmlMallocFunc old_malloc;
  xmlReallocFunc old_realloc;
  xmlStrdupFunc old_strdup;
  REQUIRE(xmlMemGet(&old_free, &old_malloc, &old_realloc, &old_strdup) == 0);
  REQUIRE(xmlMemSetup(CountedFree, CountedMalloc, CountedRealloc, CountedStrdup) == 0);
  xml_live = 0;
  for (int i = 0; i < 10; ++i) REQUIRE(ReadDocument("d.xml", xml).ok());
  long live = xml_live;
  xmlMemSetup(old_free, old_malloc, old_realloc, old_strdup);
  CHECK(live == 0);
}

TEST_CASE("a count too large for 64 bits is dropped, never wrapped around", "[reliability][fuzz]") {
  // Found by fuzz_counts (UBSan: signed overflow in Decimal::Scale).
  for (const char* text : {"Le projet concerne 10 000 000 000 000 millions de patients.",
                           "Un budget de 90 000 000 000 000 000 M€ est annoncé.",
                           "Il y aurait 12 345 678 901 234 milliards d'habitants."}) {
    auto doc = test::DefaultPipeline().Process("grand.txt", text);
    REQUIRE(doc.ok());
    for (const Mention& m : doc.value().mentions) {
      if (m.kind != MentionKind::kCount) continue;
      INFO(text << " -> " << m.value);
      // No count spans the multiplier: the product does not exist in 64 bits.
      std::string_view span = doc.value().Text(m.span);
      CHECK(span.find("millions") == std::string_view::npos);
      CHECK(span.find("milliards") == std::string_view::npos);
      CHECK(span.find("M€") == std::string_view::npos);
      CHECK(m.value.find('-') == std::string::npos);
    }
  }
}

TEST_CASE("a billion-laughs entity bomb is not expanded", "[reliability]") {
  Bench bench;
  std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE bombe [\n<!ENTITY r0 \"ha\">\n";
  for (int i = 1; i <= 12; ++i) {
    xml += fmt::format("<!ENTITY r{} \"", i);
    for (int k = 0; k < 10; ++k) xml += fmt::format("&r{};", i - 1);
    xml += "\">\n";
  }
  xml += "]>\n<doc><p>Le CHU de Rouen et le centre hospitalier de Dieppe.</p><p>&r12;</p>"
         "<p title=\"&r12;\">fin</p></doc>\n";
  WriteFile(bench / "bombe.xml", xml);
  auto started = Clock::now();
  RunResult r = bench.IngestBeside(bench / "bombe.xml");
  CHECK(std::chrono::duration<double>(Clock::now() - started).count() < 30);
  CHECK((r.status == 0 || r.status == 1));
  CheckOneLineAbout(r, bench / "bombe.xml");
  Probe probe(bench.db());
  CHECK(probe.Count("SELECT max(length(text)) FROM documents") < 10000);
  CHECK(fs::file_size(bench.db()) < (8u << 20));
}

TEST_CASE("a folder with symbolic link loops is walked once, loops reported", "[reliability]") {
  Bench bench;
  fs::path tree = bench / "arbre";
  WriteArticles(tree / "a" / "b", 2, 200);
  fs::create_directory_symlink("../..", tree / "a" / "b" / "retour");  // loop to an ancestor
  fs::create_directory_symlink(".", tree / "ici");                      // loop to itself
  fs::create_symlink("boucle2", tree / "boucle1");                       // file links in a cycle
  fs::create_symlink("boucle1", tree / "boucle2");
  fs::create_symlink(tree / "a" / "b" / "art-00200.txt", tree / "lien.txt");  // a link to a file: read
  auto started = Clock::now();
  RunResult r = bench.Ingest({tree.string()});
  CHECK(std::chrono::duration<double>(Clock::now() - started).count() < 60);
  INFO(r.err);
  CHECK(r.status == 1);  // the cycle of file links cannot be read
  CHECK(Summary(r.out, "added") == 2);
  CHECK(Summary(r.out, "duplicates") == 1);  // lien.txt: same bytes as art-00200.txt
  auto lines = Lines(r.err);
  CHECK(lines.size() == 4);
  for (const auto& line : lines) CHECK(line.rfind(Shown(tree.string()) + "/", 0) == 0);
  CHECK(r.err.find("boucle1: ") != std::string::npos);
  CHECK(r.err.find("boucle2: ") != std::string::npos);
  CHECK(r.err.find("retour: warning: ") != std::string::npos);
  CHECK(r.err.find("ici: warning: ") != std::string::npos);
  Probe probe(bench.db());
  CHECK(probe.Documents() == 5);
  CHECK(probe.Integrity() == "ok");
  // A loop given on the command line is an error too, not a hang.
  r = bench.Ingest({(tree / "boucle1").string()});
  CHECK(r.status == 1);
  CheckOneLineAbout(r, tree / "boucle1");
}

TEST_CASE("an unreadable file or folder is reported by name, the others go in", "[reliability]") {
  Bench bench;
  fs::path tree = bench / "arbre";
  WriteArticles(tree, 2, 300);
  WriteFile(tree / "interdit.txt", Article(310));
  chmod((tree / "interdit.txt").c_str(), 0);
  fs::create_directories(tree / "ferme");
  WriteFile(tree / "ferme" / "cache.txt", Article(311));
  chmod((tree / "ferme").c_str(), 0);
  REQUIRE(mkfifo((tree / "tube.txt").c_str(), 0666) == 0);  // would block a naive reader
  // The base and the tree must be reachable by the child's user.
  chmod(bench.db().parent_path().c_str(), 0777);
  chmod(tree.c_str(), 0777);
  chmod(bench.db().c_str(), 0666);
  for (const char* s : {"-wal", "-shm"}) chmod((bench.db().string() + s).c_str(), 0666);
  chmod((bench / "before").c_str(), 0777);
  if (RunningAsRoot()) WARN("running as root: the ingest runs as nobody so that permissions bind");
  auto started = Clock::now();
  RunResult r = bench.Ingest({tree.string(), (tree / "tube.txt").string()}, BecomeNobody);
  CHECK(std::chrono::duration<double>(Clock::now() - started).count() < 60);
  INFO(r.err);
  if (r.status == 125) {
    WARN("cannot switch to the nobody user here: skipped");
    return;
  }
  CHECK(r.status == 1);
  CHECK(Summary(r.out, "added") == 2);
  auto lines = Lines(r.err);
  REQUIRE(lines.size() == 4);
  CHECK(r.err.find(Shown((tree / "interdit.txt").string()) + ": ") != std::string::npos);
  CHECK(r.err.find("ermission denied") != std::string::npos);
  CHECK(r.err.find(Shown((tree / "ferme").string()) + ": ") != std::string::npos);
  CHECK(r.err.find(Shown((tree / "tube.txt").string()) + ": warning: ") != std::string::npos);  // in the walk
  CHECK(r.err.find(Shown((tree / "tube.txt").string()) + ": not a regular file") != std::string::npos);
  chmod((tree / "ferme").c_str(), 0755);
  Probe probe(bench.db());
  CHECK(probe.Documents() == 5);
  CHECK(probe.Integrity() == "ok");
}

TEST_CASE("paths with spaces, quotes, newlines and SQL in them", "[reliability]") {
  Bench bench;
  fs::path dir = bench / "noms étranges";
  fs::create_directories(dir);
  const std::vector<std::string> names = {
      "un article.txt", "l'article \"cité\".txt", "retour\nà la ligne.txt", "x'; DROP TABLE documents; --.txt",
      "100% 'sûr' _ %.txt", "tab\there.txt"};
  for (size_t i = 0; i < names.size(); ++i) WriteFile(dir / names[i], Article(400 + static_cast<int>(i)));
  WriteFile(dir / "vide\net 'cité'.txt", "");
  RunResult r = bench.Ingest({dir.string()});
  CHECK(r.status == 1);
  CheckOneLineAbout(r, dir / "vide\net 'cité'.txt", "empty file");
  CHECK(r.err.find("vide\\net 'cité'.txt: empty file") != std::string::npos);
  CHECK(Summary(r.out, "added") == static_cast<int64_t>(names.size()));
  CHECK(Probe(bench.db()).Documents() == 3 + static_cast<int64_t>(names.size()));
  // Each is stored under its real name and found again by it.
  for (const auto& name : names) {
    INFO(name);
    RunResult s = Run({"show", "--format", "json", "--db", bench.db().string(), (dir / name).string()});
    REQUIRE(s.status == 0);
    CHECK(json::parse(s.out)["source"] == (dir / name).string());
  }
  RunResult e = Run({"export", "documents", "--format", "jsonl", "--db", bench.db().string()});
  CHECK(e.status == 0);
  std::set<std::string> sources;
  for (const auto& line : Lines(e.out)) sources.insert(json::parse(line)["source"].get<std::string>());
  for (const auto& name : names) CHECK(sources.count((dir / name).string()) == 1);
  RunResult c = Run({"export", "documents", "--format", "csv", "--db", bench.db().string()});
  CHECK(c.status == 0);
  CheckBaseWhole(bench.db());
}

TEST_CASE("the base's own files in an ingested folder are skipped, named ones refused", "[reliability]") {
  test::TempDir dir;
  WriteArticles(dir.path(), 3);
  fs::path db = dir / "kb.sqlite";
  RunResult r = Run({"ingest", "-q", "--db", db.string(), dir.path().string()});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(Summary(r.out, "added") == 3);
  r = Run({"ingest", "-q", "--db", db.string(), dir.path().string()});  // the base now exists beside them
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(Summary(r.out, "unchanged") == 3);
  r = Run({"ingest", "-q", "--db", db.string(), db.string()});
  CHECK(r.status == 1);
  CheckOneLineAbout(r, db, "knowledge base itself");
  CHECK(Probe(db).Documents() == 3);
}

TEST_CASE("a file name that is not UTF-8 is stored and exported without a crash", "[reliability]") {
  Bench bench;
  fs::path name = bench / "caf\xe9 cr\xe8me.txt";  // Latin-1 bytes in the name
  WriteFile(name, Article(500));
  RunResult r = bench.Ingest({name.string()});
  INFO(r.err);
  CHECK(r.status == 0);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"export", "documents", "--format", "jsonl"},
        std::vector<std::string>{"export", "documents", "--format", "csv"},
        std::vector<std::string>{"export", "documents", "--format", "tei"},
        std::vector<std::string>{"export", "mentions", "--format", "jsonl"},
        std::vector<std::string>{"export", "cooperations", "--format", "jsonl"},
        std::vector<std::string>{"search", "--format", "json", "coopération"},
        std::vector<std::string>{"search", "coopération"},
        std::vector<std::string>{"cooperations", "--format", "json"},
        std::vector<std::string>{"show", "--format", "json", name.string()}}) {
    std::vector<std::string> a = args;
    a.insert(a.begin() + 1, {"--db", bench.db().string()});
    RunResult e = Run(a);
    INFO(args[0] << " " << args[1]);
    CHECK(e.status == 0);
    CHECK(e.err.empty());
  }
}

// ============================================================================
// Crashes
// ============================================================================

TEST_CASE("kill -9 during a long ingest loses nothing committed; a rerun completes it", "[reliability][crash]") {
  test::TempDir dir;
  const int total = 3000;
  WriteArticles(dir / "corpus", total);
  fs::path db = dir / "kb.sqlite";
  std::vector<std::string> args = {"ingest", "-q", "-j", "2", "--db", db.string(), (dir / "corpus").string()};
  int64_t committed = 0;
  {
    Child child(args);
    auto deadline = Clock::now() + std::chrono::seconds(300);
    while (child.Running() && Clock::now() < deadline) {
      if (fs::exists(db)) {
        Probe probe(db);
        committed = probe.TryCount("SELECT count(*) FROM documents");
        if (committed > 0) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(child.Running());
    child.Kill9();
    RunResult r = child.Wait();
    CHECK(r.status == -SIGKILL);
  }
  int64_t after = Probe(db).Documents();
  INFO("committed when killed: " << committed << ", found after: " << after);
  CHECK(after >= committed);
  CHECK(after < total);
  CheckBaseWhole(db);

  RunResult again = Run(args);
  INFO(again.err);
  REQUIRE(again.status == 0);
  CHECK(Summary(again.out, "added") == total - after);
  CHECK(Summary(again.out, "unchanged") == after);
  Probe probe(db);
  CHECK(probe.Documents() == total);
  CHECK(probe.Integrity() == "ok");
  CHECK(probe.Count("SELECT count(DISTINCT source) FROM documents") == total);
  CHECK(probe.Count("SELECT count(DISTINCT sha256) FROM documents") == total);
}

TEST_CASE("a full disk stops the ingest with one clear error, the base stays whole", "[reliability][crash]") {
  Bench bench;
  WriteArticles(bench / "suite", 400, 1000);
  struct stat st {};
  REQUIRE(stat(bench.db().c_str(), &st) == 0);
  // No file may grow past the base's size plus a little: the WAL fills it first.
  rlim_t limit = static_cast<rlim_t>(st.st_size) + 64 * 1024;
  RunResult r = bench.Ingest({(bench / "suite").string()}, [limit] {
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl {limit, limit};
    setrlimit(RLIMIT_FSIZE, &rl);
  });
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  auto lines = Lines(r.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find(bench.db().string() + ": ") != std::string::npos);
  CHECK((lines[0].find("disk full") != std::string::npos || lines[0].find("cannot write") != std::string::npos));
  Probe probe(bench.db());
  int64_t docs = probe.Documents();
  CHECK(docs >= 3);
  CHECK(docs < 403);
  // What the summary says was added is what the base holds.
  CHECK(Summary(r.out, "added") == docs - 3);
  CheckBaseWhole(bench.db());
}

TEST_CASE("a full file system (tmpfs) gives a clear error, not a corrupt base", "[reliability][crash]") {
  test::TempDir dir;
  fs::path mnt = dir / "petit";
  fs::create_directories(mnt);
  if (mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=2m") != 0) {
    WARN("cannot mount a tmpfs here (" << std::strerror(errno) << "): covered by the RLIMIT_FSIZE case");
    return;
  }
  struct Unmount {
    fs::path p;
    ~Unmount() { umount2(p.c_str(), MNT_DETACH); }
  } unmount{mnt};
  WriteArticles(dir / "corpus", 1500);
  fs::path db = mnt / "kb.sqlite";
  RunResult r = Run({"ingest", "-q", "--db", db.string(), (dir / "corpus").string()});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  auto lines = Lines(r.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("disk full") != std::string::npos);
  int64_t docs = Probe(db).Documents();
  CHECK(docs < 1500);
  CHECK(Summary(r.out, "added") == docs);
  CheckBaseWhole(db);
  // Searching the full base still works; an export to the full disk fails
  // in one line and leaves no partial file behind.
  RunResult s = Run({"search", "--db", db.string(), "coopération"});
  CHECK(s.status == 0);
  RunResult e = Run({"export", "documents", "--db", db.string(), "-o", (mnt / "export.jsonl").string()});
  CHECK(e.status == 1);
  CheckOneLineAbout(e, mnt / "export.jsonl");
  CHECK(!fs::exists(mnt / "export.jsonl"));
  CHECK(!fs::exists(mnt / "export.jsonl.partial"));
}

TEST_CASE("a read-only base or folder: clear error on ingest, searches still work", "[reliability][crash]") {
  if (RunningAsRoot()) WARN("running as root: the commands run as nobody so that permissions bind");
  Bench bench;
  fs::path base_dir = bench.db().parent_path();
  WriteFile(bench / "nouveau.txt", Article(600));
  chmod((bench / "nouveau.txt").c_str(), 0644);
  chmod(base_dir.c_str(), 0777);
  std::vector<std::string> ingest = {"ingest", "-q", "--db", bench.db().string(), (bench / "nouveau.txt").string()};
  // The ingest is refused in one line naming the base as read-only.
  auto CheckRefusedReadOnly = [&bench](const RunResult& r) {
    INFO(r.err);
    CHECK(r.status == 1);
    auto lines = Lines(r.err);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find(bench.db().string() + ": ") != std::string::npos);
    CHECK(lines[0].find("read-only") != std::string::npos);
  };

  SECTION("the base file is read-only") {
    chmod(bench.db().c_str(), 0444);
    RunResult r = Run(ingest, BecomeNobody);
    if (r.status == 125) {
      WARN("cannot switch to nobody: skipped");
      return;
    }
    CheckRefusedReadOnly(r);
    RunResult s = Run({"search", "--db", bench.db().string(), "coopération"}, BecomeNobody);
    INFO(s.err);
    CHECK(s.status == 0);
    CHECK(s.out.find("art-0000") != std::string::npos);
  }
  SECTION("the folder is read-only") {
    chmod(bench.db().c_str(), 0666);
    chmod(base_dir.c_str(), 0555);
    RunResult r = Run(ingest, BecomeNobody);
    chmod(base_dir.c_str(), 0777);
    if (r.status == 125) {
      WARN("cannot switch to nobody: skipped");
      return;
    }
    CheckRefusedReadOnly(r);
    chmod(base_dir.c_str(), 0555);
    RunResult s = Run({"search", "--format", "json", "--db", bench.db().string(), "coopération"}, BecomeNobody);
    RunResult x = Run({"export", "documents", "--db", bench.db().string()}, BecomeNobody);
    chmod(base_dir.c_str(), 0777);
    INFO(s.err << x.err);
    CHECK(s.status == 0);
    CHECK(json::parse(s.out).size() == 3);
    CHECK(x.status == 0);
    CHECK(Lines(x.out).size() == 3);
  }
  SECTION("a new base in a read-only folder") {
    fs::path ro = bench / "lecture-seule";
    fs::create_directories(ro);
    chmod(ro.c_str(), 0555);
    RunResult r = Run({"ingest", "-q", "--db", (ro / "kb.sqlite").string(), (bench / "nouveau.txt").string()},
                      BecomeNobody);
    chmod(ro.c_str(), 0777);
    if (r.status == 125) {
      WARN("cannot switch to nobody: skipped");
      return;
    }
    CHECK(r.status == 1);
    CheckOneLineAbout(r, ro / "kb.sqlite");
    CHECK(!fs::exists(ro / "kb.sqlite"));
  }
  chmod(bench.db().c_str(), 0644);
  Probe probe(bench.db());
  CHECK(probe.Documents() == 3);
  CHECK(probe.Integrity() == "ok");
}

// ============================================================================
// Concurrency
// ============================================================================

TEST_CASE("searches, stats and exports while an ingest runs: no error, whole snapshots", "[reliability][concurrency]") {
  test::TempDir dir;
  const int total = 2000;
  WriteArticles(dir / "corpus", total);
  fs::path db = dir / "kb.sqlite";
  // Half of it first, so that readers have a base from the start.
  WriteArticles(dir / "premiers", 200, 0);
  REQUIRE(Run({"ingest", "-q", "--db", db.string(), (dir / "premiers").string()}).status == 0);
  Child ingest({"ingest", "-q", "--db", db.string(), (dir / "corpus").string()});
  int rounds = 0;
  size_t last_export = 0;
  while (ingest.Running()) {
    ++rounds;
    RunResult s = Run({"search", "--format", "json", "-n", "5000", "--db", db.string(), "coopération"});
    INFO(s.err);
    REQUIRE(s.status == 0);
    CHECK(json::parse(s.out).size() >= 200);
    RunResult st = Run({"stats", "--format", "json", "--db", db.string()});
    REQUIRE(st.status == 0);
    CHECK(json::parse(st.out)["documents"] >= 200);
    RunResult e = Run({"export", "documents", "--db", db.string()});
    INFO(e.err);
    REQUIRE(e.status == 0);
    std::set<std::string> sources;
    size_t n = 0;
    for (const auto& line : Lines(e.out)) {
      json j = json::parse(line);
      sources.insert(j["source"].get<std::string>());
      ++n;
    }
    CHECK(sources.size() == n);  // never the same document twice
    CHECK(n >= last_export);     // and never fewer than a moment ago
    last_export = n;
  }
  RunResult r = ingest.Wait();
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(rounds >= 1);
  CheckBaseWhole(db);
}

TEST_CASE("an export during an ingest that replaces documents is one snapshot", "[reliability][concurrency]") {
  test::TempDir dir;
  const int total = 1500;
  WriteArticles(dir / "corpus", total);
  fs::path db = dir / "kb.sqlite";
  REQUIRE(Run({"ingest", "-q", "--db", db.string(), (dir / "corpus").string()}).status == 0);
  // Every file changes: the next ingest replaces each document (new id).
  for (int i = 0; i < total; ++i) WriteFile(dir / "corpus" / fmt::format("art-{:05}.txt", i), Article(i) + "Mise à jour.\n");
  Child ingest({"ingest", "-q", "-j", "1", "--db", db.string(), (dir / "corpus").string()});
  int rounds = 0;
  while (ingest.Running()) {
    RunResult e = Run({"export", "documents", "--db", db.string()});
    REQUIRE(e.status == 0);
    std::set<std::string> sources;
    size_t n = 0;
    for (const auto& line : Lines(e.out)) {
      sources.insert(json::parse(line)["source"].get<std::string>());
      ++n;
    }
    CHECK(n == static_cast<size_t>(total));
    CHECK(sources.size() == n);
    ++rounds;
  }
  CHECK(ingest.Wait().status == 0);
  CHECK(rounds >= 1);
  Probe probe(db);
  CHECK(probe.Documents() == total);
  CHECK(probe.Count("SELECT count(*) FROM documents WHERE text LIKE '%Mise à jour.'") == total);
}

TEST_CASE("two ingests at once on one new base: no corruption, no duplicate", "[reliability][concurrency]") {
  test::TempDir dir;
  const int total = 1200;
  WriteArticles(dir / "corpus", total);
  // The second also sees copies of the first 300 under other names.
  fs::create_directories(dir / "copies");
  for (int i = 0; i < 300; ++i) {
    fs::copy_file(dir / "corpus" / fmt::format("art-{:05}.txt", i), dir / "copies" / fmt::format("copie-{:05}.txt", i));
  }
  fs::path db = dir / "kb.sqlite";
  Child a({"ingest", "-q", "-j", "1", "--db", db.string(), (dir / "corpus").string()});
  Child b({"ingest", "-q", "-j", "1", "--db", db.string(), (dir / "copies").string(), (dir / "corpus").string()});
  RunResult ra = a.Wait(), rb = b.Wait();
  INFO(ra.err << rb.err);
  CHECK(ra.status == 0);
  CHECK(rb.status == 0);
  CHECK(Summary(ra.out, "added") + Summary(rb.out, "added") == total);
  Probe probe(db);
  CHECK(probe.Documents() == total);
  CheckBaseWhole(db);
}

// ============================================================================
// Queries
// ============================================================================

namespace {

// A base of a few articles of our own, built in process.
class QueryBase {
 public:
  QueryBase() {
    auto kb = KnowledgeBase::Open(db_.string(), KnowledgeBase::kReadWrite);
    REQUIRE(kb.ok());
    for (int i = 0; i < 12; ++i) {
      fs::path p = dir_ / fmt::format("art-{:02}.txt", i);
      WriteFile(p, Article(i));
      auto doc = test::DefaultPipeline().Process(p.string(), Article(i));
      REQUIRE(doc.ok());
      REQUIRE(kb.value().Store(doc.value()).ok());
    }
  }
  const fs::path& db() const { return db_; }

 private:
  test::TempDir dir_;
  fs::path db_ = dir_ / "kb.sqlite";
};

// SQL and FTS metacharacters, control characters and a long value: each
// must reach SQLite as a bound parameter, or be refused in one line.
const std::vector<std::string>& HostileValues() {
  static const std::vector<std::string> values = {
      "'", "%", "' OR '1'='1", "\"; DROP TABLE documents; --", "_\\", "line\nbreak\x01", "2019-13-45",
      "NEAR(a b) title:", std::string(3000, 'x')};
  return values;
}

void CheckCleanOutcome(const RunResult& r, const std::string& what) {
  INFO(what << "\nstdout: " << r.out << "\nstderr: " << r.err);
  CHECK((r.status == 0 || r.status == 1));
  if (r.status == 1) {
    REQUIRE(Lines(r.err).size() == 1);
    CHECK(r.err.rfind("coopkb: ", 0) == 0);
  }
  for (const char* sql : {"SELECT ", "sqlite", "SQL logic", "fts5:", "internal error"}) {
    CHECK(r.err.find(sql) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("hostile values in every filter: correct results or one clear line", "[reliability][queries]") {
  QueryBase base;
  std::string db = base.db().string();
  const std::vector<std::vector<std::string>> commands = {
      {"search", "--establishment"}, {"search", "--specialty"},   {"search", "--since"},
      {"search", "--until"},         {"cooperations", "--with"},  {"cooperations", "--specialty"},
      {"cooperations", "--kind"},    {"cooperations", "--since"}, {"cooperations", "--until"},
      {"cooperations", "--region"},  {"establishments", "--region"}, {"establishments", "--kind"}};
  for (const auto& cmd : commands) {
    for (const auto& value : HostileValues()) {
      std::vector<std::string> args = {cmd[0], "--db", db, cmd[1], value};
      if (cmd[0] == "search") args.push_back("coopération");
      CheckCleanOutcome(Run(args), cmd[0] + " " + cmd[1] + " " + Shown(value));
    }
  }
  // Wildcards and quotes are data, not syntax: they match nothing here.
  RunResult r = Run({"cooperations", "--db", db, "--format", "json", "--kind", "%"});
  REQUIRE(r.status == 0);
  CHECK(json::parse(r.out).empty());
  r = Run({"establishments", "--db", db, "--format", "json", "--region", "%"});
  REQUIRE(r.status == 0);
  CHECK(json::parse(r.out).empty());
  r = Run({"search", "--db", db, "--format", "json", "--specialty", "' OR '1'='1", "coopération"});
  REQUIRE(r.status == 0);
  CHECK(json::parse(r.out).empty());
  // Dates must be dates.
  for (const char* bad : {"2019' OR '1'='1", "hier", "2019-13", "2019-02-30x", "%"}) {
    for (const char* cmd : {"search", "cooperations"}) {
      for (const char* opt : {"--since", "--until"}) {
        std::vector<std::string> args = {cmd, "--db", db, opt, bad};
        if (std::string(cmd) == "search") args.push_back("coopération");
        RunResult d = Run(args);
        INFO(cmd << " " << opt << " " << bad);
        CHECK(d.status == 1);
        CHECK(d.err.find("invalid date") != std::string::npos);
        CHECK(Lines(d.err).size() == 1);
      }
    }
  }
  // Correct results with ordinary values: the filters still filter.
  r = Run({"search", "--db", db, "--format", "json", "-n", "100", "--since", "2020", "--until", "2021-12", "coopération"});
  REQUIRE(r.status == 0);
  CHECK(!json::parse(r.out).empty());
  CHECK(json::parse(r.out).size() < 12);
  Probe probe(base.db());
  CHECK(probe.Documents() == 12);
  CHECK(probe.Integrity() == "ok");
}

TEST_CASE("full-text syntax: errors are one clear line, operators work", "[reliability][queries]") {
  QueryBase base;
  std::string db = base.db().string();
  for (std::string q : {"\"unbalanced", "(", ")", "NEAR(", "NEAR(a b", "NEAR(a b, x)", "AND", "OR OR", "NOT",
                               "*", "title:", "text:\"", "\"\"", "a AND", "- ^ + :", "NEAR(a b, 99999999999999999999)",
                               "\"a\" \"", "x' OR 1=1; --", "%", "';", "\\", "{title text}: a", "a NOT NOT b",
                               "CHU de Lille)) OR ((1"}) {
    RunResult r = Run({"search", "--db", db, q});
    CheckCleanOutcome(r, "search " + q);
  }
  auto hits = [&](const std::string& q) {
    RunResult r = Run({"search", "--db", db, "--format", "json", "-n", "100", q});
    INFO(q << ": " << r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out).size();
  };
  CHECK(hits("\"CHU de Lille\"") == 2);  // articles 0 and 6
  CHECK(hits("\"centre hospitalier d'Arras\"") == 2);
  CHECK(hits("NEAR(Lille Arras, 10)") == 2);
  CHECK(hits("NEAR(Lille Morlaix, 10)") == 0);
  CHECK(hits("Lille OR Rennes") == 4);
  CHECK(hits("Lille NOT neurochirurgie") == 1);
  CHECK(hits("title:Communiqué") ==
        static_cast<size_t>(Probe(base.db()).Count("SELECT count(*) FROM documents WHERE title LIKE 'Communiqué%'")));
  CHECK(hits("title:Lille") == 0);
  CHECK(hits("neuro*") == 6);
  CHECK(hits("l'hôpital' OR Lille") == 2);
  CHECK(hits("100%") == 1);  // "100 patients": the % is not a wildcard
}

TEST_CASE("random query strings never crash and never leak SQL", "[reliability][queries]") {
  QueryBase base;
  auto kb = KnowledgeBase::Open(base.db().string(), KnowledgeBase::kReadOnly);
  REQUIRE(kb.ok());
  const std::vector<std::string> pieces = {
      "\"", "'", "(", ")", "*", ":", ",", ";", "--", "%", "^", "+", "-", "NEAR", "NEAR(", "AND", "OR", "NOT",
      "title:", "text:", "lille", "CHU", "de", "coopération", "5", "0", "\\", "{", "}", " ", " ", " ", "é", "\x01",
      "\xff", "\xc3", "rowid", "documents_fts", "MATCH", "SELECT", "*)", "\"\""};
  std::mt19937 rng(20240607);
  int errors = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string q;
    int n = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) q += pieces[rng() % pieces.size()];
    SearchQuery sq;
    sq.query = q;
    sq.limit = 5;
    auto r = kb.value().Search(sq);
    if (r.ok()) continue;
    ++errors;
    INFO("query: " << Shown(q) << " -> " << r.status().message());
    CHECK(r.status().code() == Status::kUserError);
    CHECK(r.status().message().rfind("invalid search query", 0) == 0);
    CHECK(r.status().message().find('\n') == std::string::npos);
    CHECK(r.status().message().find("SELECT") == std::string::npos);
  }
  CHECK(errors > 0);
  CHECK(errors < 3000);
}

}  // namespace coopkb
