#include "pipeline/exporters.h"

#include <libxml/xmlwriter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pipeline/csv_writer.h"
#include "pipeline/document_json.h"
#include "pipeline/queries.h"
#include "pipeline/utf8.h"

namespace coopkb {
namespace {

using json = nlohmann::json;

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::vector<std::string> EntityNames(const Document& doc) {
  std::vector<std::string> names;
  for (const auto& e : doc.establishments) names.push_back(e.name);
  return names;
}

std::vector<std::string> MentionValues(const Document& doc, MentionKind kind) {
  std::vector<std::string> out;
  for (const Mention& m : doc.mentions) {
    if (m.kind == kind && std::find(out.begin(), out.end(), m.value) == out.end()) out.push_back(m.value);
  }
  return out;
}

Status ExportDocumentsCsv(const KnowledgeBase& kb, std::ostream& out, bool excel) {
  CsvWriter csv(out, excel);
  csv.Row({"id", "source", "sha256", "title", "published", "ingested_at", "format", "encoding",
           "establishments", "specialties", "dates", "cooperations", "text"});
  return kb.ForEachDocument([&](const StoredDocument& sd) {
    const Document& d = sd.doc;
    csv.Row({std::to_string(sd.id), d.source, d.sha256, d.title, d.published, sd.ingested_at, d.format,
             d.encoding, Join(EntityNames(d), " | "), Join(MentionValues(d, MentionKind::kSpecialty), " | "),
             Join(MentionValues(d, MentionKind::kDate), " | "), std::to_string(d.cooperations.size()), d.text});
    return Status::Ok();
  });
}

// One mention row as exported: offsets and text are computed from the
// document's text, which the base does not repeat per mention.
struct MentionRow {
  int64_t seq = 0, byte_start = 0, byte_end = 0;
  std::string kind, value, unit, entity_key, entity_name;
};

Status ExportMentions(const KnowledgeBase& kb, std::ostream& out, const std::string& format, bool excel) {
  auto st = kb.db().Prepare(
      "SELECT m.document_id, m.seq, k.name, m.byte_start, m.byte_end, coalesce(m.value, e.name, ''), "
      "coalesce(m.unit, ''), coalesce(e.key, ''), coalesce(e.name, '') FROM mentions m "
      "JOIN mention_kinds k ON k.id = m.kind LEFT JOIN entities e ON e.id = m.entity_id "
      "ORDER BY m.document_id, m.seq");
  auto doc_st = kb.db().Prepare("SELECT source, text FROM documents WHERE id = ?1");
  if (!st.ok()) return st.status();
  if (!doc_st.ok()) return doc_st.status();
  Statement& s = st.value();
  Statement& d = doc_st.value();
  std::optional<CsvWriter> csv;
  if (format == "csv") {
    csv.emplace(out, excel);
    csv->Row({"document_id", "source", "kind", "start", "end", "text", "value", "unit", "entity_key", "entity_name"});
  }
  // Mentions come by document in stored order; each document's are written
  // in text order (then stored order), with code-point offsets.
  int64_t doc_id = 0;
  std::vector<MentionRow> rows;
  auto flush = [&]() -> Status {
    if (rows.empty()) return Status::Ok();
    d.Reset();
    d.Bind(1, doc_id);
    if (d.Step() != Statement::kRow) {
      rows.clear();
      return d.status();
    }
    std::string source = d.Text(0);
    std::string_view text = d.TextView(1);
    Utf8Index index(text);
    std::stable_sort(rows.begin(), rows.end(),
                     [](const MentionRow& a, const MentionRow& b) { return a.byte_start < b.byte_start; });
    for (const MentionRow& m : rows) {
      size_t begin = std::min(static_cast<size_t>(m.byte_start), text.size());
      size_t end = std::clamp(static_cast<size_t>(m.byte_end), begin, text.size());
      std::string mention_text(text.substr(begin, end - begin));
      auto start_cp = static_cast<int64_t>(index.CodePoint(begin));
      auto end_cp = static_cast<int64_t>(index.CodePoint(end));
      if (csv) {
        csv->Row({std::to_string(doc_id), source, m.kind, std::to_string(start_cp), std::to_string(end_cp),
                  mention_text, m.value, m.unit, m.entity_key, m.entity_name});
      } else {
        json j{{"document_id", doc_id}, {"source", source}, {"kind", m.kind}, {"start", start_cp},
               {"end", end_cp}, {"text", mention_text}, {"value", m.value}};
        if (!m.unit.empty()) j["unit"] = m.unit;
        if (!m.entity_key.empty()) {
          j["entity_key"] = m.entity_key;
          j["entity_name"] = m.entity_name;
        }
        out << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
      }
    }
    rows.clear();
    return Status::Ok();
  };
  while (true) {
    auto r = s.Step();
    if (r == Statement::kError) return s.status();
    if (r == Statement::kDone) return flush();
    if (s.Int64(0) != doc_id) {
      if (Status f = flush(); !f.ok()) return f;
      doc_id = s.Int64(0);
    }
    rows.push_back({s.Int64(1), s.Int64(3), s.Int64(4), s.Text(2), s.Text(5), s.Text(6), s.Text(7), s.Text(8)});
  }
}

// ---- TEI ------------------------------------------------------------------

std::string XmlId(const std::string& key) {
  std::string id;
  for (char c : key) id += (c == ':' || c == ' ' || c == '\'') ? '-' : c;
  if (id.empty() || !(std::isalpha(static_cast<unsigned char>(id[0])) || id[0] == '_')) id = "e-" + id;
  return id;
}

// xmlTextWriter calls return -1 on failure; the first failure is kept.
class TeiWriter {
 public:
  TeiWriter() {
    buffer_ = xmlBufferCreate();
    writer_ = xmlNewTextWriterMemory(buffer_, 0);
  }
  ~TeiWriter() {
    if (writer_) xmlFreeTextWriter(writer_);
    if (buffer_) xmlBufferFree(buffer_);
  }
  bool ok() const { return writer_ && ok_; }
  void Check(int rc) { ok_ = ok_ && rc >= 0; }
  void Start(const char* name) { Check(xmlTextWriterStartElement(writer_, BAD_CAST name)); }
  void End() { Check(xmlTextWriterEndElement(writer_)); }
  void Attr(const char* name, const std::string& value) {
    Check(xmlTextWriterWriteAttribute(writer_, BAD_CAST name, BAD_CAST value.c_str()));
  }
  void Text(std::string_view text) {
    if (text.empty()) return;
    std::string s(text);
    Check(xmlTextWriterWriteString(writer_, BAD_CAST s.c_str()));
  }
  void Element(const char* name, const std::string& text) {
    Start(name);
    Text(text);
    End();
  }
  void StartDocument() {
    Check(xmlTextWriterSetIndent(writer_, 0));
    Check(xmlTextWriterStartDocument(writer_, nullptr, "UTF-8", nullptr));
  }
  void EndDocument() { Check(xmlTextWriterEndDocument(writer_)); }
  // Moves what has been written so far to `out`.
  void Flush(std::ostream& out) {
    Check(xmlTextWriterFlush(writer_));
    out.write(reinterpret_cast<const char*>(xmlBufferContent(buffer_)), xmlBufferLength(buffer_));
    xmlBufferEmpty(buffer_);
  }

 private:
  xmlBufferPtr buffer_ = nullptr;
  xmlTextWriterPtr writer_ = nullptr;
  bool ok_ = true;
};

void WriteMentionOpen(TeiWriter& w, const Document& d, const Mention& m) {
  switch (m.kind) {
    case MentionKind::kEstablishment:
      w.Start("orgName");
      if (m.entity >= 0) {
        const Establishment& e = d.establishments[m.entity];
        w.Attr("ref", std::string("#").append(XmlId(e.key)));
        w.Attr("type", e.kind);
      }
      break;
    case MentionKind::kDate: {
      w.Start("date");
      std::string when = m.value;
      if (when.size() == 16 && when[10] == 'T') when += ":00";  // xs:dateTime needs seconds
      w.Attr("when", when);
      break;
    }
    case MentionKind::kCount:
      w.Start("measure");
      w.Attr("quantity", m.value);
      w.Attr("unit", m.unit);
      break;
    case MentionKind::kSpecialty:
      w.Start("term");
      w.Attr("type", "specialty");
      w.Attr("key", m.value);
      break;
  }
}

// Writes [begin, end) of the text with the mentions inside it as nested elements.
// Mentions are sorted by begin, longer first; one that crosses an open element's
// end is cut at that end so that every span still appears, as far as XML nesting allows.
void WriteMarked(TeiWriter& w, const Document& d, size_t begin, size_t end,
                 const std::vector<const Mention*>& mentions, size_t& next) {
  size_t pos = begin;
  while (next < mentions.size() && mentions[next]->span.begin < end) {
    const Mention* m = mentions[next++];
    if (m->span.begin < pos) continue;  // starts inside text already written
    w.Text(std::string_view(d.text).substr(pos, m->span.begin - pos));
    size_t m_end = std::min(m->span.end, end);
    WriteMentionOpen(w, d, *m);
    WriteMarked(w, d, m->span.begin, m_end, mentions, next);
    w.End();
    pos = m_end;
  }
  w.Text(std::string_view(d.text).substr(pos, end - pos));
}

void WriteTeiDocument(TeiWriter& w, const StoredDocument& sd) {
  const Document& d = sd.doc;
  w.Start("TEI");
  w.Attr("xml:id", fmt::format("doc{}", sd.id));
  w.Start("teiHeader");
  w.Start("fileDesc");
  w.Start("titleStmt");
  w.Element("title", d.title.empty() ? d.source : d.title);
  w.End();
  w.Start("publicationStmt");
  w.Element("p", "Exported by coopkb from its knowledge base on " + sd.ingested_at.substr(0, 10) + ".");
  w.End();
  w.Start("sourceDesc");
  w.Start("bibl");
  if (!d.title.empty()) w.Element("title", d.title);
  if (!d.published.empty()) {
    w.Start("date");
    w.Attr("type", "publication");
    std::string when = d.published;
    if (when.size() == 16 && when[10] == 'T') when += ":00";
    w.Attr("when", when);
    w.Text(d.published);
    w.End();
  }
  w.Start("idno");
  w.Attr("type", "source");
  w.Text(d.source);
  w.End();
  w.Start("idno");
  w.Attr("type", "sha256");
  w.Text(d.sha256);
  w.End();
  w.End();  // bibl
  w.End();  // sourceDesc
  w.End();  // fileDesc
  if (!d.establishments.empty()) {
    w.Start("profileDesc");
    w.Start("particDesc");
    w.Start("listOrg");
    for (const Establishment& e : d.establishments) {
      w.Start("org");
      w.Attr("xml:id", XmlId(e.key) + fmt::format("-d{}", sd.id));
      w.Attr("type", e.kind);
      w.Element("orgName", e.name);
      if (!e.city.empty()) w.Element("placeName", e.city);
      w.End();
    }
    w.End();
    w.End();
    w.End();
  }
  w.End();  // teiHeader

  std::vector<const Mention*> mentions;
  for (const Mention& m : d.mentions) mentions.push_back(&m);
  std::sort(mentions.begin(), mentions.end(), [](const Mention* a, const Mention* b) {
    if (a->span.begin != b->span.begin) return a->span.begin < b->span.begin;
    return a->span.end > b->span.end;
  });
  w.Start("text");
  w.Start("body");
  size_t next = 0, pos = 0;
  const std::string& t = d.text;
  while (pos <= t.size()) {
    size_t nl = t.find('\n', pos);
    size_t end = nl == std::string::npos ? t.size() : nl;
    if (end > pos) {
      w.Start("p");
      WriteMarked(w, d, pos, end, mentions, next);
      w.End();
    }
    while (next < mentions.size() && mentions[next]->span.begin < end + 1) ++next;  // never cross paragraphs
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  w.End();  // body
  w.End();  // text
  if (!d.cooperations.empty()) {
    w.Start("standOff");
    w.Start("listRelation");
    w.Attr("type", "cooperation");
    for (const Cooperation& c : d.cooperations) {
      w.Start("relation");
      w.Attr("name", c.kind);
      std::string mutual;
      for (int p : c.parties) mutual += (mutual.empty() ? "#" : " #") + XmlId(d.establishments[p].key);
      w.Attr("mutual", mutual);
      if (!c.date.empty()) w.Attr("when", c.date.size() == 16 ? c.date + ":00" : c.date);
      if (!c.specialties.empty()) w.Attr("ana", Join(c.specialties, "; "));
      w.End();
    }
    w.End();
    w.End();
  }
  w.End();  // TEI
}

}  // namespace

Status ExportTei(const KnowledgeBase& kb, std::ostream& out) {
  TeiWriter w;
  if (!w.ok()) return Status::Internal("cannot create the XML writer");
  w.StartDocument();
  w.Start("teiCorpus");
  w.Attr("xmlns", "http://www.tei-c.org/ns/1.0");
  w.Start("teiHeader");
  w.Start("fileDesc");
  w.Start("titleStmt");
  w.Element("title", "coopkb export");
  w.End();
  w.Start("publicationStmt");
  w.Element("p", "Documents and the knowledge coopkb extracted from them.");
  w.End();
  w.Start("sourceDesc");
  w.Element("p", "Knowledge base " + kb.db().path());
  w.End();
  w.End();
  w.End();
  w.Flush(out);
  Status s = kb.ForEachDocument([&](const StoredDocument& sd) {
    WriteTeiDocument(w, sd);
    w.Flush(out);
    return w.ok() ? Status::Ok() : Status::Internal("XML writer failed");
  });
  if (!s.ok()) return s;
  w.End();
  w.EndDocument();
  w.Flush(out);
  out << "\n";
  return w.ok() ? Status::Ok() : Status::Internal("XML writer failed");
}

namespace {
Status ExportSnapshot(const KnowledgeBase& kb, const ExportOptions& o, std::ostream& out);
}  // namespace

Status ExportTo(const KnowledgeBase& kb, const ExportOptions& o, std::ostream& out) {
  if (o.format == "tei" && o.dataset != "documents") {
    return Status::UserError("the TEI format is for the documents dataset only");
  }
  // One snapshot: an ingest running meanwhile (adding or replacing documents)
  // never makes a document appear twice or go missing from the export.
  return kb.ReadSnapshot([&] { return ExportSnapshot(kb, o, out); });
}

namespace {

Status ExportSnapshot(const KnowledgeBase& kb, const ExportOptions& o, std::ostream& out) {
  if (o.dataset == "documents") {
    if (o.format == "tei") return ExportTei(kb, out);
    if (o.format == "csv") return ExportDocumentsCsv(kb, out, o.excel);
    return kb.ForEachDocument([&](const StoredDocument& sd) {
      out << DocumentJson(sd).dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
      return out ? Status::Ok() : Status::UserError("write error");
    });
  }
  if (o.dataset == "mentions") return ExportMentions(kb, out, o.format, o.excel);
  if (o.dataset == "establishments") {
    return ListEstablishments(kb, EstablishmentFilter{}, o.format == "csv" ? "csv" : "jsonl", out, o.excel);
  }
  if (o.dataset == "cooperations") {
    auto lex = Lexicons::Load();
    if (!lex.ok()) return lex.status();
    QueryResolver resolver(lex.value(), kb);
    return ListCooperations(kb, resolver, CooperationFilter{}, o.format == "csv" ? "csv" : "jsonl", out, o.excel);
  }
  return Status::UserError("unknown dataset " + o.dataset);
}

}  // namespace

Status RunExport(const KnowledgeBase& kb, const ExportOptions& o) {
  if (o.out.empty()) {
    Status s = ExportTo(kb, o, std::cout);
    std::cout.flush();
    if (s.ok() && !std::cout) return Status::UserError("cannot write to standard output");
    return s;
  }
  std::string tmp = o.out + ".partial";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Status::UserError(fmt::format("{}: cannot write", o.out));
    Status s = ExportTo(kb, o, f);
    f.flush();
    // A stream that failed (full disk) may have stopped the export itself: say which file.
    if (!f) s = Status::UserError(fmt::format("{}: write error (disk full?)", o.out));
    if (!s.ok()) {
      std::remove(tmp.c_str());
      return s;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, o.out, ec);
  if (ec) return Status::UserError(fmt::format("{}: {}", o.out, ec.message()));
  return Status::Ok();
}

}  // namespace coopkb
