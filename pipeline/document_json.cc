#include "pipeline/document_json.h"

#include <cmath>
#include <map>

#include "pipeline/utf8.h"

namespace coopkb {

using json = nlohmann::json;

json CountValueJson(const std::string& value) {
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  if (end == value.c_str()) return nullptr;
  if (std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<int64_t>(v);
  return v;
}

json DocumentJson(const StoredDocument& stored) {
  const Document& doc = stored.doc;
  Utf8Index index(doc.text);
  auto span_json = [&](Span s) {
    return json{{"text", std::string(doc.Text(s))},
                {"start", index.CodePoint(s.begin)},
                {"end", index.CodePoint(s.end)}};
  };
  json establishments = json::array();
  std::vector<json> entity_mentions(doc.establishments.size(), json::array());
  json dates = json::array(), counts = json::array();
  std::map<std::string, json> specialties;  // canonical name -> mentions
  std::vector<std::string> specialty_order;
  for (const Mention& m : doc.mentions) {
    switch (m.kind) {
      case MentionKind::kEstablishment:
        if (m.entity >= 0 && static_cast<size_t>(m.entity) < entity_mentions.size()) {
          entity_mentions[m.entity].push_back(span_json(m.span));
        }
        break;
      case MentionKind::kDate: {
        json d = span_json(m.span);
        d["value"] = m.value;
        dates.push_back(std::move(d));
        break;
      }
      case MentionKind::kCount: {
        json c = span_json(m.span);
        c["value"] = CountValueJson(m.value);
        c["unit"] = m.unit;
        counts.push_back(std::move(c));
        break;
      }
      case MentionKind::kSpecialty: {
        auto [it, inserted] = specialties.try_emplace(m.value, json::array());
        if (inserted) specialty_order.push_back(m.value);
        it->second.push_back(span_json(m.span));
        break;
      }
    }
  }
  for (size_t i = 0; i < doc.establishments.size(); ++i) {
    const Establishment& e = doc.establishments[i];
    auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    establishments.push_back({{"name", e.name}, {"kind", e.kind}, {"key", e.key},
                              {"city", opt(e.city)}, {"departement", opt(e.departement)},
                              {"region", opt(e.region)}, {"mentions", entity_mentions[i]}});
  }
  json specialty_list = json::array();
  for (const auto& name : specialty_order) {
    specialty_list.push_back({{"name", name}, {"mentions", specialties[name]}});
  }
  json cooperations = json::array();
  for (const Cooperation& c : doc.cooperations) {
    json parties = json::array();
    for (int p : c.parties) {
      if (p >= 0 && static_cast<size_t>(p) < doc.establishments.size()) {
        parties.push_back(doc.establishments[p].name);
      }
    }
    json evidence = json::array();
    for (const Span& s : c.evidence) evidence.push_back(span_json(s));
    cooperations.push_back({{"parties", parties}, {"kind", c.kind}, {"specialties", c.specialties},
                            {"date", c.date.empty() ? json(nullptr) : json(c.date)},
                            {"evidence", evidence}});
  }
  auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return json{{"id", stored.id},
              {"source", doc.source},
              {"sha256", doc.sha256},
              {"format", doc.format},
              {"encoding", opt(doc.encoding)},
              {"title", opt(doc.title)},
              {"published", opt(doc.published)},
              {"ingested_at", stored.ingested_at},
              {"text", doc.text},
              {"establishments", establishments},
              {"dates", dates},
              {"specialties", specialty_list},
              {"counts", counts},
              {"cooperations", cooperations}};
}

}  // namespace coopkb
