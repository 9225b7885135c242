// Queries over the knowledge base: cooperations and establishments, with the
// user's loose names resolved to canonical entities.
//
//   QueryResolver resolver(lexicons, kb);
//   resolver.Establishments("chu lille");      // entity ids of CHU de Lille
//   CooperationFilter f{.with = {"CHRU de Lille"}, .specialty = "neurochirurgie", .since = "2000"};
//   ListCooperations(kb, resolver, f, "table", std::cout);
//
// Names are resolved first by the establishment extractor (any alias in the
// lexicons: "CHRU de Lille" -> chu:lille), then loosely: every word of the
// name other than kind words must appear in an entity's name or city, and a
// kind word given ("chu", "clinique") must agree with the entity's kind.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "extractors/extractor.h"
#include "pipeline/knowledge_base.h"
#include "pipeline/lexicon.h"

namespace coopkb {

class QueryResolver {
 public:
  QueryResolver(const Lexicons& lexicons, const KnowledgeBase& kb);
  // Entity ids the name designates; an error when it designates none.
  Result<std::vector<int64_t>> Establishments(const std::string& name) const;
  // The canonical specialty name of `name` (any synonym), else `name` itself.
  std::string Specialty(const std::string& name) const;
  // The région as stored ("hauts de france" -> "Hauts-de-France"), else `name`.
  std::string Region(const std::string& name) const;
  // The kind as stored ("convention-cadre" -> "convention cadre"), else `name`.
  std::string CooperationKind(const std::string& name) const;

 private:
  const KnowledgeBase& kb_;
  std::unique_ptr<Extractor> establishments_;
  std::unique_ptr<Extractor> specialties_;
};

struct CooperationFilter {
  std::vector<std::string> with;  // each must be a party
  std::string specialty, kind, since, until, region;
};

struct EstablishmentFilter {
  std::string region, kind;
};

// One cooperation as listed and exported.
struct CooperationRow {
  int64_t id = 0, document_id = 0;
  std::string kind, date, source, published;
  std::vector<std::string> parties, party_kinds, specialties, evidence;
};

// Streams the cooperations that pass `filter` to `fn`, ordered by date.
Status ForEachCooperation(const KnowledgeBase& kb, const QueryResolver& resolver,
                          const CooperationFilter& filter,
                          const std::function<Status(const CooperationRow&)>& fn);

// format: table, json, csv (csv_excel: BOM and ';').
Status ListCooperations(const KnowledgeBase& kb, const QueryResolver& resolver,
                        const CooperationFilter& filter, const std::string& format, std::ostream& out,
                        bool csv_excel = false);
Status ListEstablishments(const KnowledgeBase& kb, const EstablishmentFilter& filter,
                          const std::string& format, std::ostream& out, bool csv_excel = false);

}  // namespace coopkb
