// Exports: datasets streamed out of the knowledge base.
//
//   ExportOptions o{.dataset = "documents", .format = "jsonl"};
//   Status s = RunExport(kb, o);        // to o.out, or standard output when empty
//
//   documents       jsonl (the contract of ../shared/eval/README.md), csv, tei (TEI P5 with
//                   inline <orgName>, <date when>, <measure>, <term> for every extracted span)
//   establishments  jsonl, csv
//   mentions        jsonl, csv
//   cooperations    jsonl, csv
//
// Documents are read one at a time, so memory stays flat whatever the size of
// the knowledge base. An output file is written beside its target and renamed
// into place only when complete.
#pragma once

#include <ostream>
#include <string>

#include "pipeline/knowledge_base.h"

namespace coopkb {

struct ExportOptions {
  std::string dataset = "documents";
  std::string format = "jsonl";
  std::string out;     // file path; empty: standard output
  bool excel = false;  // CSV with BOM and ';'
};

Status RunExport(const KnowledgeBase& kb, const ExportOptions& options);
Status ExportTo(const KnowledgeBase& kb, const ExportOptions& options, std::ostream& out);

// TEI P5 of every document, written with libxml2's writer.
Status ExportTei(const KnowledgeBase& kb, std::ostream& out);

}  // namespace coopkb
