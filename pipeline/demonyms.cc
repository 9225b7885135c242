#include "pipeline/demonyms.h"

#include <algorithm>

#include "pipeline/fold.h"
#include "pipeline/lexicon.h"

namespace coopkb {

std::vector<std::string> Demonyms::Forms(const std::string& masculine) {
  auto ends = [&](std::string_view suffix) { return masculine.ends_with(suffix); };
  auto plural = [](const std::string& w) {
    if (w.ends_with("eau")) return w + "x";
    return w.ends_with("s") || w.ends_with("x") ? w : w + "s";
  };
  std::string feminine;
  if (ends("eau")) feminine = masculine.substr(0, masculine.size() - 3) + "elle";
  else if (ends("ien") || ends("\u00e9en") || ends("on")) feminine = masculine + "ne";
  else if (ends("e")) feminine = masculine;
  else feminine = masculine + "e";
  return {masculine, plural(masculine), feminine, plural(feminine)};
}

Demonyms Demonyms::FromLexicons(const Lexicons& lexicons) {
  Demonyms d;
  for (const LexiconRow& row : lexicons.Table("demonyms").rows()) {
    std::string commune(row.Get("commune"));
    std::vector<std::string> forms = Forms(std::string(row.Get("demonym")));
    for (std::string_view extra : SplitBars(row.Get("forms"))) forms.emplace_back(extra);
    for (const std::string& form : forms) {
      std::vector<std::string>& communes = d.communes_[Fold(form)];
      if (std::find(communes.begin(), communes.end(), commune) == communes.end()) communes.push_back(commune);
    }
  }
  return d;
}

const std::vector<std::string>* Demonyms::CommunesOf(std::string_view folded_word) const {
  auto it = communes_.find(std::string(folded_word));
  return it == communes_.end() ? nullptr : &it->second;
}

}  // namespace coopkb
