#include "tests/fuzz/support.h"

#include <cstdio>
#include <cstdlib>

#include "extractors/cooperations/cooperation_extractor.h"
#include "extractors/counts/count_extractor.h"
#include "extractors/dates/date_extractor.h"
#include "extractors/establishments/establishment_extractor.h"
#include "extractors/specialties/specialty_extractor.h"
#include "pipeline/encoding.h"
#include "pipeline/utf8.h"

namespace coopkb::fuzz {
namespace {

template <typename T>
T OrDie(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "fuzz setup: %s: %s\n", what, r.status().message().c_str());
    std::abort();
  }
  return std::move(r).value();
}

bool OnBoundary(std::string_view text, size_t offset) {
  return offset == text.size() || (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80;
}

void CheckSpan(const Document& doc, Span s, const char* what) {
  Require(s.begin <= s.end && s.end <= doc.text.size(), what);
  Require(OnBoundary(doc.text, s.begin) && OnBoundary(doc.text, s.end), what);
}

void CheckMap(const OffsetMap& map, size_t text_size, size_t input_size, const char* what) {
  Require(map.pieces().empty() || map.output_size() == text_size, what);
  for (const auto& p : map.pieces()) Require(p.src + p.src_len <= input_size, what);
  Require(map.ToSource(text_size) <= input_size, what);
}

}  // namespace

const StageSet& Stages() {
  static const StageSet* stages = [] {
    auto* s = new StageSet{OrDie(Lexicons::Load(), "lexicons"), Cleaner(), Segmenter(), {}};
    s->cleaner = OrDie(Cleaner::Create(s->lexicons), "cleaner");
    s->segmenter = OrDie(Segmenter::Create(s->lexicons), "segmenter");
    using Factory = Result<std::unique_ptr<Extractor>> (*)(const Lexicons&);
    for (Factory make : {&SpecialtyExtractor::Create, &EstablishmentExtractor::Create,
                         &DateExtractor::Create, &CountExtractor::Create, &CooperationExtractor::Create}) {
      s->extractors.push_back(OrDie(make(s->lexicons), "extractor"));
    }
    return s;
  }();
  return *stages;
}

void Require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "broken promise: %s\n", what);
  std::abort();
}

Document DecodedDocument(std::string_view bytes) {
  Document doc;
  doc.source = "fuzz.txt";
  auto d = DecodeText(bytes);
  if (!d.ok()) {
    // Binary signatures and NUL bytes: the reader refuses them; keep the
    // valid UTF-8 parts so the later stages still see the text.
    doc.text.reserve(bytes.size());
    OffsetMapBuilder b;
    for (size_t i = 0; i < bytes.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(bytes[i]);
      if (c != 0 && c < 0x80) {
        doc.text.push_back(static_cast<char>(c));
        b.Copy(i, 1);
      }
    }
    doc.to_source = std::move(b).Build();
    return doc;
  }
  doc.encoding = d.value().encoding;
  doc.to_source = std::move(d.value().to_source);
  doc.text = std::move(d).value().TakeText();
  return doc;
}

void RunExtractorsThrough(std::string_view last, std::string_view bytes) {
  const StageSet& s = Stages();
  Document doc = DecodedDocument(bytes);
  s.cleaner.Clean(doc);
  s.segmenter.Segment(doc);
  for (const auto& e : s.extractors) {
    e->Extract(doc);
    if (e->name() == last) break;
  }
  CheckDocument(doc, bytes.size());
}

void CheckDocument(const Document& doc, size_t input_size) {
  Require(IsValidUtf8(doc.text), "text is valid UTF-8");
  Require(IsValidUtf8(doc.title), "title is valid UTF-8");
  Require(IsValidUtf8(doc.published), "published is valid UTF-8");
  CheckMap(doc.to_source, doc.text.size(), input_size, "to_source stays inside the input");
  for (const Edit& e : doc.edits) {
    Require(e.source_begin <= e.source_end && e.source_end <= input_size, "edit offsets inside the input");
    Require(IsValidUtf8(e.before) && IsValidUtf8(e.after), "edit excerpts are valid UTF-8");
  }
  for (const Span& p : doc.paragraphs) CheckSpan(doc, p, "paragraph span");
  for (const Span& p : doc.sentences) CheckSpan(doc, p, "sentence span");
  for (const Mention& m : doc.mentions) {
    CheckSpan(doc, m.span, "mention span");
    Require(m.span.begin < m.span.end, "mention span not empty");
    Require(IsValidUtf8(m.value) && IsValidUtf8(m.unit), "mention value is valid UTF-8");
    Require(m.entity >= -1 && m.entity < static_cast<int>(doc.establishments.size()),
            "mention entity index");
    Require(m.entity == -1 || m.kind == MentionKind::kEstablishment,
            "only establishment mentions carry an entity");
  }
  for (const Establishment& e : doc.establishments) {
    Require(!e.key.empty() && IsValidUtf8(e.name), "establishment key and name");
  }
  for (const Cooperation& c : doc.cooperations) {
    Require(c.parties.size() >= 2, "a cooperation has two parties or more");
    for (int p : c.parties) {
      Require(p >= 0 && p < static_cast<int>(doc.establishments.size()), "cooperation party index");
    }
    for (const Span& s : c.evidence) CheckSpan(doc, s, "cooperation evidence span");
  }
}

void CheckMarkup(const MarkupDocument& m, size_t input_size) {
  Require(IsValidUtf8(m.text), "markup text is valid UTF-8");
  Require(IsValidUtf8(m.title) && IsValidUtf8(m.published), "markup metadata is valid UTF-8");
  CheckMap(m.to_source, m.text.size(), input_size, "markup map stays inside the input");
}

}  // namespace coopkb::fuzz
