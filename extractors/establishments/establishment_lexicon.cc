#include "extractors/establishments/establishment_lexicon.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "pipeline/fold.h"

namespace coopkb {
namespace {

constexpr int kKindPayload = static_cast<int>(PhraseType::kKind) << 24;
constexpr int kKnownPayload = static_cast<int>(PhraseType::kKnown) << 24;
constexpr int kBlockerPayload = static_cast<int>(PhraseType::kBlocker) << 24;

Status RowError(const LexiconTable& table, const LexiconRow& row, std::string_view what) {
  return Status::UserError(fmt::format("{}:{}: {}", table.file(), row.line(), what));
}

Status RequireColumns(const LexiconTable& table, std::initializer_list<const char*> columns) {
  for (const char* c : columns) {
    if (table.ColumnIndex(c) < 0) {
      return Status::UserError(fmt::format("{}: missing column '{}'", table.file(), c));
    }
  }
  return Status::Ok();
}

bool ParseComplement(std::string_view s, Complement* out) {
  if (s == "none") *out = Complement::kNone;
  else if (s == "city") *out = Complement::kCity;
  else if (s == "name") *out = Complement::kName;
  else if (s == "city-or-name") *out = Complement::kCityOrName;
  else return false;
  return true;
}

bool IsKnownKind(std::string_view k) {
  return k == "CHU" || k == "CHR" || k == "CH" || k == "CLINIQUE" || k == "CLCC" || k == "AUTRE";
}

bool HasLowercase(std::string_view s) {
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return true;
  }
  return false;
}

}  // namespace

int EstablishmentLexicon::Find(const StringMap<int>& map, std::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? -1 : it->second;
}

std::string_view EstablishmentLexicon::ContractedArticle(std::string_view prep) const {
  auto it = contracted_.find(prep);
  return it == contracted_.end() ? std::string_view() : std::string_view(it->second);
}

void EstablishmentLexicon::SetRole(std::string_view word, uint16_t role) {
  std::string folded = WordKey(word);
  if (folded.empty() || folded.find(' ') != std::string::npos) return;
  int32_t id = trie_.InternWord(folded);
  if (roles_.size() <= static_cast<size_t>(id)) roles_.resize(id + 1, 0);
  roles_[id] |= role;
}

Status EstablishmentLexicon::LoadKinds(const LexiconTable& table) {
  Status s = RequireColumns(table, {"phrase", "number", "kind", "label", "key", "after_de",
                                    "juxtaposed", "by_city", "min_population", "named_kind", "named_label",
                                    "named_key"});
  if (!s.ok()) return s;
  for (const LexiconRow& row : table.rows()) {
    KindRule k;
    k.phrase = std::string(row.Get("phrase"));
    std::string_view number = row.Get("number");
    if (number == "sg") k.number = KindRule::Number::kSingular;
    else if (number == "pl") k.number = KindRule::Number::kPlural;
    else if (number == "any") k.number = KindRule::Number::kAny;
    else return RowError(table, row, "number must be sg, pl or any");
    k.acronym = !HasLowercase(k.phrase);
    k.kind = std::string(row.Get("kind"));
    k.label = std::string(row.Get("label"));
    k.key = std::string(row.Get("key"));
    k.label_key = WordKey(k.label);
    if (!IsKnownKind(k.kind)) return RowError(table, row, "unknown kind '" + k.kind + "'");
    if (k.label.empty() || k.key.empty()) return RowError(table, row, "empty label or key");
    if (!ParseComplement(row.Get("after_de"), &k.after_de) ||
        !ParseComplement(row.Get("juxtaposed"), &k.juxtaposed)) {
      return RowError(table, row, "after_de/juxtaposed must be none, city, name or city-or-name");
    }
    if (row.Get("by_city") != "-") {
      for (std::string_view kind : SplitBars(row.Get("by_city"))) {
        if (!IsKnownKind(kind)) return RowError(table, row, "unknown kind in by_city");
        k.by_city.emplace_back(kind);
      }
    }
    std::string population(row.Get("min_population"));
    char* end = nullptr;
    k.min_population = std::strtol(population.c_str(), &end, 10);
    if (population.empty() || *end != '\0') return RowError(table, row, "min_population must be a number");
    k.named_kind = row.Get("named_kind").empty() ? k.kind : std::string(row.Get("named_kind"));
    k.named_label = row.Get("named_label").empty() ? k.label : std::string(row.Get("named_label"));
    k.named_key = row.Get("named_key").empty() ? k.key : std::string(row.Get("named_key"));
    if (!IsKnownKind(k.named_kind)) return RowError(table, row, "unknown named_kind");
    if (!trie_.Add(k.phrase, kKindPayload | static_cast<int>(kinds_.size()))) {
      return RowError(table, row, "empty phrase");
    }
    kinds_.push_back(std::move(k));
  }
  return Status::Ok();
}

bool EstablishmentLexicon::IsKindAcronym(std::string_view word) const {
  return std::any_of(kinds_.begin(), kinds_.end(), [&](const KindRule& k) { return k.acronym && k.phrase == word; });
}

Status EstablishmentLexicon::LoadParticles(const LexiconTable& table) {
  Status s = RequireColumns(table, {"word", "roles", "article"});
  if (!s.ok()) return s;
  for (const LexiconRow& row : table.rows()) {
    uint16_t roles = 0;
    for (std::string_view r : SplitBars(row.Get("roles"))) {
      if (r == "prep") roles |= kPrep;
      else if (r == "article") roles |= kArticle;
      else if (r == "inner") roles |= kInner;
      else if (r == "connector") roles |= kConnector;
      else if (r == "conj") roles |= kConj;
      else if (r == "plural") roles |= kPlural;
      else if (r == "saint") roles |= kSaint;
      else if (r == "place") roles |= kPlace;
      else return RowError(table, row, fmt::format("unknown role '{}'", r));
    }
    SetRole(row.Get("word"), roles);
    if (!row.Get("article").empty()) {
      contracted_[WordKey(row.Get("word"))] = WordKey(row.Get("article"));
    }
  }
  return Status::Ok();
}

Status EstablishmentLexicon::LoadKnown(const LexiconTable& table) {
  Status s = RequireColumns(table, {"key", "name", "kind", "city", "aliases"});
  if (!s.ok()) return s;
  for (const LexiconRow& row : table.rows()) {
    KnownEstablishment e;
    e.key = std::string(row.Get("key"));
    e.name = std::string(row.Get("name"));
    e.kind = std::string(row.Get("kind"));
    e.city = std::string(row.Get("city"));
    if (!IsKnownKind(e.kind)) return RowError(table, row, "unknown kind '" + e.kind + "'");
    int index = static_cast<int>(known_.size());
    std::vector<std::string_view> names = SplitBars(row.Get("aliases"));
    names.insert(names.begin(), row.Get("name"));
    for (std::string_view name : names) {
      trie_.Add(name, kKnownPayload | index);
      alias_.emplace(WordKey(name), index);
    }
    if (!e.city.empty()) {
      // The first row of a kind in a city is its main establishment (AP-HP before its sites).
      by_city_.emplace(e.kind + "|" + WordKey(e.city), index);
    }
    known_.push_back(std::move(e));
  }
  return Status::Ok();
}

// The core of an alias is what follows its kind phrase and preposition:
// "Centre Oscar Lambret" has no kind phrase, "Hôpital Pellegrin" gives
// "pellegrin". A core that is a commune is left out: "CH de Lille" is not
// the CHU de Lille.
void EstablishmentLexicon::IndexCores() {
  for (const auto& [alias, index] : alias_) {
    FoldedView folded(alias);
    WordTokens words(folded, alias);
    std::vector<int32_t> ids = trie_.Lookup(words);
    size_t start = 0;
    trie_.MatchAt(words, ids, 0, [&](int payload, size_t end) {
      if (TypeOf(payload) == PhraseType::kKind) start = std::max(start, end);
    });
    while (start < words.size() && (Roles(ids[start]) & (kQualifier | kPrep | kArticle))) ++start;
    // Without a kind phrase, a long name may still start with a head word of
    // its own: "Centre Oscar Lambret" is written "CLCC Oscar Lambret" too.
    size_t first = start > 0 ? start : (words.size() >= 3 ? 1 : 0);
    for (size_t from : {start, first}) {
      if (from >= words.size()) continue;
      std::string core;
      for (size_t i = from; i < words.size(); ++i) {
        if (!core.empty()) core.push_back(' ');
        core.append(words.folded(i));
      }
      if (!communes_.Exact(core).empty()) continue;
      auto [it, inserted] = core_.emplace(core, index);
      if (!inserted && it->second >= 0 && known_[it->second].key != known_[index].key) {
        // Two establishments share this core: it identifies neither.
        it->second = -1;
      }
    }
  }
  std::erase_if(core_, [](const auto& kv) { return kv.second < 0; });
}

Result<EstablishmentLexicon> EstablishmentLexicon::Create(const Lexicons& lexicons) {
  EstablishmentLexicon lex;
  Status s = lex.LoadKinds(lexicons.Table("establishment_kinds"));
  if (!s.ok()) return s;
  s = lex.LoadParticles(lexicons.Table("establishment_particles"));
  if (!s.ok()) return s;
  lex.demonyms_ = Demonyms::FromLexicons(lexicons);

  const LexiconTable& qualifiers = lexicons.Table("establishment_qualifiers");
  if (!(s = RequireColumns(qualifiers, {"word"})).ok()) return s;
  for (const LexiconRow& row : qualifiers.rows()) lex.SetRole(row.Get("word"), kQualifier);

  const LexiconTable& non_names = lexicons.Table("establishment_non_names");
  if (!(s = RequireColumns(non_names, {"word", "scope"})).ok()) return s;
  for (const LexiconRow& row : non_names.rows()) {
    std::string_view scope = row.Get("scope");
    if (scope == "whole") lex.non_names_.insert(WordKey(row.Get("word")));
    else if (scope == "first") lex.SetRole(row.Get("word"), kNotFirstName);
    else return RowError(non_names, row, "scope must be whole or first");
  }

  const LexiconTable& blockers = lexicons.Table("establishment_blockers");
  if (!(s = RequireColumns(blockers, {"phrase"})).ok()) return s;
  for (const LexiconRow& row : blockers.rows()) lex.trie_.Add(row.Get("phrase"), kBlockerPayload);
  if (lexicons.Has("organisations")) {
    const LexiconTable& orgs = lexicons.Table("organisations");
    if (!(s = RequireColumns(orgs, {"name", "aliases"})).ok()) return s;
    for (const LexiconRow& row : orgs.rows()) {
      lex.trie_.Add(row.Get("name"), kBlockerPayload);
      for (std::string_view alias : SplitBars(row.Get("aliases"))) {
        lex.trie_.Add(alias, kBlockerPayload);
      }
    }
  }

  s = lex.LoadKnown(lexicons.Table("establishments"));
  if (!s.ok()) return s;

  std::unordered_set<std::string> connectors;
  const LexiconTable& particles = lexicons.Table("establishment_particles");
  for (const LexiconRow& row : particles.rows()) {
    for (std::string_view r : SplitBars(row.Get("roles"))) {
      if (r == "connector") connectors.insert(WordKey(row.Get("word")));
    }
  }
  auto communes = CommuneIndex::Create(lexicons.Table("communes"), connectors);
  if (!communes.ok()) return communes.status();
  lex.communes_ = std::move(communes).value();
  for (KnownEstablishment& e : lex.known_) {
    std::span<const int> c = lex.communes_.Exact(WordKey(e.city));
    e.communes.assign(c.begin(), c.end());
  }
  lex.IndexCores();
  return lex;
}

}  // namespace coopkb
