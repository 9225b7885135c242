#include "pipeline/queries.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "extractors/establishments/establishment_extractor.h"
#include "extractors/specialties/specialty_extractor.h"
#include "pipeline/csv_writer.h"
#include "pipeline/fold.h"

namespace coopkb {
namespace {

using json = nlohmann::json;

std::vector<std::string> Words(std::string_view folded) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : folded) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (static_cast<unsigned char>(c) >= 0x80)) {
      cur += c;
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Kind words of a loose establishment name, and the kinds they allow.
const std::set<std::string>& KindWords() {
  static const std::set<std::string> words = {
      "chu", "chru", "chr", "ch", "chi", "chg", "chs", "centre", "centres", "hospitalier",
      "hospitaliers", "hospitaliere", "regional", "universitaire", "hopital", "hopitaux",
      "clinique", "polyclinique", "prive", "clcc", "institut", "groupe", "general", "generaux",
      "intercommunal", "specialise", "de", "du", "des", "d", "la", "le", "les", "l", "et"};
  return words;
}

std::string KindHint(const std::vector<std::string>& words) {
  for (const auto& w : words) {
    if (w == "chu" || w == "chru" || w == "universitaire") return "CHU";
    if (w == "chr" || w == "regional") return "CHR";
    if (w == "clinique" || w == "polyclinique") return "CLINIQUE";
    if (w == "clcc") return "CLCC";
  }
  for (const auto& w : words) {
    if (w == "ch" || w == "chi" || w == "chg" || w == "chs" || w == "hospitalier") return "CH";
  }
  return "";
}

bool KindAgrees(const std::string& hint, const std::string& kind) {
  if (hint.empty()) return true;
  if (hint == "CHU" || hint == "CHR") return kind == "CHU" || kind == "CHR";
  return hint == kind;
}

// Sources are file names, which need not be UTF-8: such bytes become U+FFFD
// instead of throwing.
std::string Dump(const json& j, int indent = -1) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// The unsigned integers written in `text`, in order ("[[0,117],[130,200]]").
std::vector<uint64_t> UnsignedIntegers(std::string_view text) {
  std::vector<uint64_t> out;
  bool in_number = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (!in_number) out.push_back(0);
      in_number = true;
      uint64_t& v = out.back();
      v = v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : v * 10 + static_cast<uint64_t>(c - '0');
    } else {
      in_number = false;
    }
  }
  return out;
}

}  // namespace

QueryResolver::QueryResolver(const Lexicons& lexicons, const KnowledgeBase& kb) : kb_(kb) {
  if (auto e = EstablishmentExtractor::Create(lexicons); e.ok()) establishments_ = std::move(e).value();
  if (auto s = SpecialtyExtractor::Create(lexicons); s.ok()) specialties_ = std::move(s).value();
}

Result<std::vector<int64_t>> QueryResolver::Establishments(const std::string& name) const {
  std::set<int64_t> ids;
  if (establishments_) {
    Document doc;
    doc.text = name;
    doc.sentences.push_back({0, name.size()});
    doc.paragraphs.push_back({0, name.size()});
    if (specialties_) specialties_->Extract(doc);
    establishments_->Extract(doc);
    auto st = kb_.db().Prepare("SELECT id FROM entities WHERE key = ?1");
    if (!st.ok()) return st.status();
    for (const Establishment& e : doc.establishments) {
      st.value().Reset();
      st.value().Bind(1, e.key);
      if (st.value().Step() == Statement::kRow) ids.insert(st.value().Int64(0));
    }
  }
  if (ids.empty()) {
    std::vector<std::string> words = Words(Fold(name));
    std::string hint = KindHint(words);
    std::vector<std::string> needed;
    for (const auto& w : words) {
      if (!KindWords().count(w)) needed.push_back(w);
    }
    auto st = kb_.db().Prepare("SELECT id, name, kind, city FROM entities");
    if (!st.ok()) return st.status();
    while (st.value().Step() == Statement::kRow) {
      std::vector<std::string> have = Words(Fold(st.value().Text(1) + " " + st.value().Text(3)));
      bool all = !needed.empty() && std::all_of(needed.begin(), needed.end(), [&](const std::string& w) {
        return std::find(have.begin(), have.end(), w) != have.end();
      });
      if (all && KindAgrees(hint, st.value().Text(2))) ids.insert(st.value().Int64(0));
    }
  }
  if (ids.empty()) return Status::UserError(fmt::format("no establishment in the knowledge base matches '{}'", name));
  return std::vector<int64_t>(ids.begin(), ids.end());
}

std::string QueryResolver::Specialty(const std::string& name) const {
  if (specialties_) {
    Document doc;
    doc.text = name;
    doc.sentences.push_back({0, name.size()});
    doc.paragraphs.push_back({0, name.size()});
    specialties_->Extract(doc);
    for (const Mention& m : doc.mentions) {
      if (m.kind == MentionKind::kSpecialty) return m.value;
    }
  }
  return Fold(name);
}

std::string QueryResolver::Region(const std::string& name) const {
  auto st = kb_.db().Prepare("SELECT DISTINCT region FROM entities WHERE region IS NOT NULL");
  if (!st.ok()) return name;
  std::string want = Join(Words(Fold(name)), " ");
  if (want.empty()) return name;
  while (st.value().Step() == Statement::kRow) {
    std::string region = st.value().Text(0);
    if (Join(Words(Fold(region)), " ") == want) return region;
  }
  return name;
}

std::string QueryResolver::CooperationKind(const std::string& name) const {
  auto st = kb_.db().Prepare("SELECT DISTINCT kind FROM cooperations");
  if (!st.ok()) return name;
  std::string want = Join(Words(Fold(name)), " ");
  if (want.empty()) return name;
  while (st.value().Step() == Statement::kRow) {
    std::string kind = st.value().Text(0);
    if (Join(Words(Fold(kind)), " ") == want) return kind;
  }
  return name;
}

Status ForEachCooperation(const KnowledgeBase& kb, const QueryResolver& resolver,
                          const CooperationFilter& filter,
                          const std::function<Status(const CooperationRow&)>& fn) {
  std::string sql =
      "SELECT c.id, c.kind, coalesce(c.date, ''), d.id, d.source, coalesce(d.published, ''), c.evidence, "
      "c.party_ids, c.specialty_names FROM cooperations c JOIN documents d ON d.id = c.document_id WHERE 1";
  std::vector<std::string> binds;
  for (const std::string& name : filter.with) {
    auto ids = resolver.Establishments(name);
    if (!ids.ok()) return ids.status();
    std::string list;
    for (int64_t id : ids.value()) {
      if (!list.empty()) list += ',';
      list += std::to_string(id);
    }
    // From the party's index, not a probe per cooperation.
    sql += " AND c.id IN (SELECT cooperation_id FROM cooperation_parties WHERE entity_id IN (" + list + "))";
  }
  if (!filter.specialty.empty()) {
    binds.push_back(resolver.Specialty(filter.specialty));
    sql += fmt::format(
        " AND EXISTS (SELECT 1 FROM cooperation_specialties s WHERE s.cooperation_id = c.id AND s.specialty = ?{})",
        binds.size());
  }
  if (!filter.kind.empty()) {
    binds.push_back(resolver.CooperationKind(filter.kind));
    sql += fmt::format(" AND c.kind = ?{}", binds.size());
  }
  if (!filter.region.empty()) {
    binds.push_back(resolver.Region(filter.region));
    sql += fmt::format(
        " AND EXISTS (SELECT 1 FROM cooperation_parties p JOIN entities e ON e.id = p.entity_id "
        "WHERE p.cooperation_id = c.id AND e.region = ?{})",
        binds.size());
  }
  // Undated cooperations take their document's date; with neither they fail a period filter.
  const char* when = "coalesce(c.date, d.published, '')";
  if (!filter.since.empty()) {
    binds.push_back(filter.since);
    sql += fmt::format(" AND {0} <> '' AND substr({0}, 1, length(?{1})) >= ?{1}", when, binds.size());
  }
  if (!filter.until.empty()) {
    binds.push_back(filter.until);
    sql += fmt::format(" AND {0} <> '' AND substr({0}, 1, length(?{1})) <= ?{1}", when, binds.size());
  }
  sql += fmt::format(" ORDER BY {} = '', {}, c.id", when, when);
  auto st = kb.db().Prepare(sql);
  if (!st.ok()) return st.status();
  for (size_t i = 0; i < binds.size(); ++i) st.value().Bind(static_cast<int>(i + 1), binds[i]);
  // Rows are read in chunks, and a chunk's evidence document by document:
  // a blob reopened per row cost more than the rest of the row. Entity names
  // come from a cache: a few hundred entities serve thousands of
  // cooperations. Chunks keep memory bounded however many rows pass.
  constexpr size_t kChunkRows = 512;
  auto entity = kb.db().Prepare("SELECT name, kind FROM entities WHERE id = ?1");
  if (!entity.ok()) return entity.status();
  std::unordered_map<int64_t, std::pair<std::string, std::string>> entities;
  TextSlicer evidence_text(kb.db().handle(), "documents", "text");
  std::vector<CooperationRow> chunk;
  std::vector<std::vector<uint64_t>> evidence_offsets;  // per row: [begin, end, begin, end...]
  auto flush = [&]() -> Status {
    std::vector<size_t> by_document(chunk.size());
    for (size_t i = 0; i < chunk.size(); ++i) by_document[i] = i;
    std::stable_sort(by_document.begin(), by_document.end(),
                     [&](size_t a, size_t b) { return chunk[a].document_id < chunk[b].document_id; });
    for (size_t i : by_document) {
      const std::vector<uint64_t>& offsets = evidence_offsets[i];
      for (size_t k = 0; k + 1 < offsets.size(); k += 2) {
        auto slice = evidence_text.Slice(chunk[i].document_id, offsets[k], offsets[k + 1]);
        if (!slice.ok()) return slice.status();
        chunk[i].evidence.push_back(std::move(slice).value());
      }
    }
    for (const CooperationRow& row : chunk) {
      if (Status cb = fn(row); !cb.ok()) return cb;
    }
    chunk.clear();
    evidence_offsets.clear();
    return Status::Ok();
  };
  Statement& s = st.value();
  while (true) {
    auto r = s.Step();
    if (r == Statement::kDone) return flush();
    if (r == Statement::kError) return s.status();
    CooperationRow& row = chunk.emplace_back();
    row.id = s.Int64(0);
    row.kind = s.Text(1);
    row.date = s.Text(2);
    row.document_id = s.Int64(3);
    row.source = s.Text(4);
    row.published = s.Text(5);
    // Evidence spans are byte offsets into the document's text: [[begin, end], ...].
    evidence_offsets.push_back(UnsignedIntegers(s.TextView(6)));
    for (uint64_t id : UnsignedIntegers(s.TextView(7))) {  // [entity id, ...] in order
      auto known = entities.find(static_cast<int64_t>(id));
      if (known == entities.end()) {
        entity.value().Reset();
        entity.value().Bind(1, static_cast<int64_t>(id));
        if (entity.value().Step() != Statement::kRow) continue;
        known = entities.emplace(id, std::pair(entity.value().Text(0), entity.value().Text(1))).first;
      }
      row.parties.push_back(known->second.first);
      row.party_kinds.push_back(known->second.second);
    }
    json specialties = json::parse(s.TextView(8), nullptr, /*allow_exceptions=*/false);
    if (specialties.is_array()) {
      for (const json& name : specialties) {
        if (name.is_string()) row.specialties.push_back(name.get<std::string>());
      }
    }
    if (chunk.size() == kChunkRows) {
      if (Status flushed = flush(); !flushed.ok()) return flushed;
    }
  }
}

json CooperationRowJson(const CooperationRow& r) {
  return json{{"id", r.id},
              {"parties", r.parties},
              {"kind", r.kind},
              {"specialties", r.specialties},
              {"date", r.date.empty() ? json(nullptr) : json(r.date)},
              {"document_id", r.document_id},
              {"source", r.source},
              {"published", r.published.empty() ? json(nullptr) : json(r.published)},
              {"evidence", r.evidence}};
}

Status ListCooperations(const KnowledgeBase& kb, const QueryResolver& resolver,
                        const CooperationFilter& filter, const std::string& format, std::ostream& out,
                        bool csv_excel) {
  if (format == "csv") {
    CsvWriter csv(out, csv_excel);
    csv.Row({"id", "parties", "kind", "specialties", "date", "document_id", "source", "published", "evidence"});
    return ForEachCooperation(kb, resolver, filter, [&](const CooperationRow& r) {
      csv.Row({std::to_string(r.id), Join(r.parties, " | "), r.kind, Join(r.specialties, " | "), r.date,
               std::to_string(r.document_id), r.source, r.published, Join(r.evidence, " | ")});
      return Status::Ok();
    });
  }
  if (format == "json" || format == "jsonl") {
    bool first = true;
    if (format == "json") out << "[";
    Status s = ForEachCooperation(kb, resolver, filter, [&](const CooperationRow& r) {
      if (format == "json") {
        out << (first ? "\n  " : ",\n  ") << Dump(CooperationRowJson(r));
      } else {
        out << Dump(CooperationRowJson(r)) << "\n";
      }
      first = false;
      return Status::Ok();
    });
    if (format == "json") out << (first ? "]\n" : "\n]\n");
    return s;
  }
  int n = 0;
  Status s = ForEachCooperation(kb, resolver, filter, [&](const CooperationRow& r) {
    ++n;
    out << fmt::format("{}  {}\n    {}{}{}\n    source: {} (doc {})\n", r.date.empty() ? "(undated)" : r.date,
                       Join(r.parties, " + "), r.kind,
                       r.specialties.empty() ? "" : ": " + Join(r.specialties, ", "), "", r.source,
                       r.document_id);
    for (const auto& e : r.evidence) {
      std::string line = e;
      std::replace(line.begin(), line.end(), '\n', ' ');
      out << "    « " << line << " »\n";
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  out << fmt::format("{} cooperation{}\n", n, n == 1 ? "" : "s");
  return Status::Ok();
}

Status ListEstablishments(const KnowledgeBase& kb, const EstablishmentFilter& filter,
                          const std::string& format, std::ostream& out, bool csv_excel) {
  auto rows = kb.Entities();
  if (!rows.ok()) return rows.status();
  std::string want_region = Join(Words(Fold(filter.region)), " ");
  std::string want_kind = Fold(filter.kind);
  std::vector<EntityRow> kept;
  for (const auto& e : rows.value()) {
    // A value given but without any word ("%", "'") matches nothing, not everything.
    if (!filter.region.empty() && (want_region.empty() || Join(Words(Fold(e.region)), " ") != want_region)) continue;
    if (!filter.kind.empty() && Fold(e.kind) != want_kind) continue;
    kept.push_back(e);
  }
  if (format == "csv") {
    CsvWriter csv(out, csv_excel);
    csv.Row({"key", "name", "kind", "city", "departement", "region", "documents", "cooperations"});
    for (const auto& e : kept) {
      csv.Row({e.key, e.name, e.kind, e.city, e.departement, e.region, std::to_string(e.documents),
               std::to_string(e.cooperations)});
    }
    return Status::Ok();
  }
  if (format == "json" || format == "jsonl") {
    auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    json all = json::array();
    for (const auto& e : kept) {
      json j{{"key", e.key}, {"name", e.name}, {"kind", e.kind}, {"city", opt(e.city)},
             {"departement", opt(e.departement)}, {"region", opt(e.region)},
             {"documents", e.documents}, {"cooperations", e.cooperations}};
      if (format == "jsonl") out << Dump(j) << "\n";
      else all.push_back(std::move(j));
    }
    if (format == "json") out << Dump(all, 2) << "\n";
    return Status::Ok();
  }
  out << fmt::format("{:<44} {:<9} {:<22} {:<26} {:>5} {:>6}\n", "establishment", "kind", "city", "région",
                     "docs", "coops");
  for (const auto& e : kept) {
    out << fmt::format("{:<44} {:<9} {:<22} {:<26} {:>5} {:>6}\n", e.name, e.kind, e.city.empty() ? "-" : e.city,
                       e.region.empty() ? "-" : e.region, e.documents, e.cooperations);
  }
  out << fmt::format("{} establishment{}\n", kept.size(), kept.size() == 1 ? "" : "s");
  return Status::Ok();
}

}  // namespace coopkb
