// ToFtsQuery: a search box query turned into FTS5 query syntax.
//
//   ToFtsQuery("coopération Saint-Etienne")  -> "coopération" "Saint-Etienne"
//   ToFtsQuery("\"mise en œuvre\" OR neuro*") -> "mise en œuvre" OR neuro*
//   ToFtsQuery("\"unbalanced")               -> UserError: unbalanced quote
//
// Plain words are quoted so that hyphens, apostrophes and dots never read as
// syntax; the FTS5 operators the user means are kept: "phrases", AND, OR, NOT,
// NEAR(...), parentheses, prefix*, and column filters (title: text:).
#pragma once

#include <string>
#include <string_view>

#include "pipeline/status.h"

namespace coopkb {

Result<std::string> ToFtsQuery(std::string_view user_query);

}  // namespace coopkb
