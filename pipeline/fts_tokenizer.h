// The FTS5 tokenizer "coopkb_fr": unicode61 (case and accents folded) followed
// by the Snowball French stemmer, so that "coopération", "cooperations" and
// "Coopérer" index and match alike.
//
//   Status s = RegisterFrenchTokenizer(db.handle());   // once per connection
//   CREATE VIRTUAL TABLE t USING fts5(text, tokenize='coopkb_fr');
//
// The tokenizer exists only in connections that registered it: open a
// knowledge base with coopkb (or register it) before querying its FTS table.
#pragma once

#include <sqlite3.h>

#include "pipeline/status.h"

namespace coopkb {

Status RegisterFrenchTokenizer(sqlite3* db);

}  // namespace coopkb
