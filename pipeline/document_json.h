// DocumentJson: one document as the JSON object of the export contract
// (../shared/eval/README.md): source, text, establishments, dates,
// specialties, counts, cooperations, with code point offsets into text.
//
//   nlohmann::json j = DocumentJson(stored);   // one line of `export documents --format jsonl`
#pragma once

#include <nlohmann/json.hpp>

#include "pipeline/knowledge_base.h"

namespace coopkb {

nlohmann::json DocumentJson(const StoredDocument& stored);

// A count's value as a JSON number (integer when it is one).
nlohmann::json CountValueJson(const std::string& value);

}  // namespace coopkb
