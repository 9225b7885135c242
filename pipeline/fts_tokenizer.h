// The FTS5 tokenizer "coopkb_fr": unicode61 (case and accents folded) followed
// by the Snowball French stemmer, so that "coopération", "cooperations" and
// "Coopérer" index and match alike. French function words (le, de, l', des,
// et...) are left out of documents and queries, as search engines' French
// analyzers do: the phrase "équipe médicale de territoire" matches as
// "équipe médicale territoire", and a query of function words alone finds
// nothing. A prefix query keeps them ("d*").
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

// The connection's FTS5 API, to register tokenizers and functions; nullptr
// when this SQLite has no FTS5.
fts5_api* Fts5Api(sqlite3* db);

}  // namespace coopkb
