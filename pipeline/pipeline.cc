#include "pipeline/pipeline.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

#include "extractors/cooperations/cooperation_extractor.h"
#include "extractors/counts/count_extractor.h"
#include "extractors/dates/date_extractor.h"
#include "extractors/establishments/establishment_extractor.h"
#include "extractors/specialties/specialty_extractor.h"
#include "pipeline/reader.h"

namespace coopkb {

Result<Pipeline> Pipeline::Create(const Lexicons& lexicons) {
  auto cleaner = Cleaner::Create(lexicons);
  if (!cleaner.ok()) return cleaner.status();
  auto segmenter = Segmenter::Create(lexicons);
  if (!segmenter.ok()) return segmenter.status();
  Pipeline p(std::move(cleaner).value(), std::move(segmenter).value());
  using Factory = Result<std::unique_ptr<Extractor>> (*)(const Lexicons&);
  for (Factory make : {&SpecialtyExtractor::Create, &EstablishmentExtractor::Create,
                       &DateExtractor::Create, &CountExtractor::Create,
                       &CooperationExtractor::Create}) {
    auto e = make(lexicons);
    if (!e.ok()) return e.status();
    p.extractors_.push_back(std::move(e).value());
  }
  return p;
}

Result<Document> Pipeline::Process(std::string source, std::string_view bytes) const {
  auto doc = ReadDocument(std::move(source), bytes);
  if (!doc.ok()) return doc.status();
  Annotate(doc.value());
  return doc;
}

void Pipeline::Annotate(Document& doc) const {
  cleaner_.Clean(doc);
  Extract(doc);
}

void Pipeline::Extract(Document& doc) const {
  segmenter_.Segment(doc);
  if (doc.text.size() <= kPartBytes) {
    RunExtractors(doc);
  } else {
    ExtractInParts(doc);
  }
}

void Pipeline::RunExtractors(Document& doc) const {
  for (const auto& e : extractors_) e->Extract(doc);
}

namespace {

// Moves what the extractors found in `part`, whose text starts at byte
// `offset` of doc.text, into `doc`: spans shifted, establishments merged by
// key, cooperations merged by parties and kind as within one text.
class PartMerger {
 public:
  explicit PartMerger(Document& doc) : doc_(doc) {}

  void Merge(Document& part, size_t offset) {
    std::vector<int> entity(part.establishments.size());
    for (size_t i = 0; i < part.establishments.size(); ++i) {
      Establishment& e = part.establishments[i];
      auto [it, inserted] = entity_of_.emplace(e.key, static_cast<int>(doc_.establishments.size()));
      if (inserted) {
        doc_.establishments.push_back(std::move(e));
      } else if (Establishment& known = doc_.establishments[it->second]; known.city.empty() && !e.city.empty()) {
        known.city = e.city;
        known.departement = e.departement;
        known.region = e.region;
      }
      entity[i] = it->second;
    }
    for (Mention& m : part.mentions) {
      m.span = Shift(m.span, offset);
      if (m.entity >= 0) m.entity = entity[m.entity];
      doc_.mentions.push_back(std::move(m));
    }
    for (Cooperation& c : part.cooperations) {
      for (int& p : c.parties) p = entity[p];
      for (Span& e : c.evidence) e = Shift(e, offset);
      std::vector<int> parties = c.parties;
      std::sort(parties.begin(), parties.end());
      auto [it, inserted] = cooperation_of_.emplace(std::make_pair(parties, c.kind), doc_.cooperations.size());
      if (inserted) {
        doc_.cooperations.push_back(std::move(c));
        continue;
      }
      Cooperation& known = doc_.cooperations[it->second];
      for (std::string& sp : c.specialties) {
        if (std::find(known.specialties.begin(), known.specialties.end(), sp) == known.specialties.end()) {
          known.specialties.push_back(std::move(sp));
        }
      }
      if (known.date.empty()) known.date = c.date;
      known.evidence.insert(known.evidence.end(), c.evidence.begin(), c.evidence.end());
    }
  }

 private:
  static Span Shift(Span s, size_t offset) { return {s.begin + offset, s.end + offset}; }

  Document& doc_;
  std::unordered_map<std::string, int> entity_of_;
  std::map<std::pair<std::vector<int>, std::string>, size_t> cooperation_of_;
};

}  // namespace

void Pipeline::ExtractInParts(Document& doc) const {
  PartMerger merger(doc);
  size_t next_sentence = 0;
  size_t first = 0;
  while (first < doc.paragraphs.size()) {
    size_t last = first;  // the part is paragraphs [first, last]
    while (last + 1 < doc.paragraphs.size() &&
           doc.paragraphs[last + 1].end - doc.paragraphs[first].begin <= kPartBytes) {
      ++last;
    }
    const size_t begin = doc.paragraphs[first].begin, end = doc.paragraphs[last].end;
    Document part;
    part.source = doc.source;
    part.title = doc.title;
    part.published = doc.published;
    part.text = doc.text.substr(begin, end - begin);
    for (size_t i = first; i <= last; ++i) {
      part.paragraphs.push_back({doc.paragraphs[i].begin - begin, doc.paragraphs[i].end - begin});
    }
    while (next_sentence < doc.sentences.size() && doc.sentences[next_sentence].begin < begin) ++next_sentence;
    for (; next_sentence < doc.sentences.size() && doc.sentences[next_sentence].end <= end; ++next_sentence) {
      part.sentences.push_back({doc.sentences[next_sentence].begin - begin, doc.sentences[next_sentence].end - begin});
    }
    RunExtractors(part);
    // Room for the mentions of the whole text at the rate seen so far: a
    // vector doubling past a million mentions would hold both copies at once.
    if (doc.mentions.empty() && end < doc.text.size()) {
      double rate = static_cast<double>(part.mentions.size()) / static_cast<double>(end);
      doc.mentions.reserve(static_cast<size_t>(rate * static_cast<double>(doc.text.size()) * 1.1) + 16);
    }
    merger.Merge(part, begin);
    first = last + 1;
  }
}

}  // namespace coopkb
