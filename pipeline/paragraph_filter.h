// ParagraphFilter: which lines of a cleaned-up text are not the article.
//
//   auto filter = ParagraphFilter::Create(lexicons);
//   std::vector<Replacement> cuts = filter.value().Find(text);   // deletions, with rule names
//   RewrittenText article = Apply(text, cuts);
//
// `text` is one paragraph per line (after NormalizeCharacters). Removed:
//   - chrome lines (lexicons/cleaning_chrome.tsv): search boxes, share and
//     cookie widgets, photo credits... matched on the whole folded line;
//   - everything from a related-content marker line ("Sur le même sujet",
//     "Commentaires"; lexicons/cleaning_related.tsv) to the end, once at least
//     kMinArticleBytes of article precede it; a short in-text teaser line
//     ("Lire aussi : <headline>") alone;
//   - lines with no letter or digit ("}", "* * *");
//   - the site's menu above the article: three short lines or more in a row
//     ("Actualités", "Hôpitaux", "Emploi") before its first line of six words;
//   - a line of three words or more identical (folded) to the line before it,
//     as a title printed twice;
//   - a paragraph that repeats one of the two paragraphs of six words or more
//     before it (short lines such as a dateline may stand between the copies).
//     Scraped pages print the lead twice, once as a teaser and once in the
//     body, with small differences.
//     Two paragraphs are the same when most word pairs (bigrams, on folded
//     words) of the shorter appear in the longer; the one with more words is
//     kept (on a tie the later, the body's copy), so no sentence is lost;
//   - a tail that repeats the text just before it ("...en Bourgogne)…gne)…"),
//     a scraping artifact: the repeated copy is cut.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/set.h>

#include "pipeline/lexicon.h"
#include "pipeline/status.h"
#include "pipeline/text_rewriter.h"

namespace coopkb {

class ParagraphFilter {
 public:
  static Result<ParagraphFilter> Create(const Lexicons& lexicons);
  std::vector<Replacement> Find(std::string_view text) const;

  static constexpr size_t kMinArticleBytes = 200;

 private:
  struct Rules;
  static constexpr size_t kUncounted = std::string::npos - 1;
  // The rule that removes a short `line` of `chars` characters (counted
  // here when it is kUncounted), `folded`; "" when none does. `cut` tells a
  // marker after which the rest goes.
  std::string LineRule(std::string_view line, size_t chars, std::string_view folded, bool* cut) const;
  std::shared_ptr<const Rules> rules_;
};

}  // namespace coopkb
