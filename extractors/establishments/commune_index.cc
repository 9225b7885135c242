#include "extractors/establishments/commune_index.h"

#include <cstdlib>

#include <fmt/format.h>

#include "pipeline/fold.h"

namespace coopkb {

std::string WordKey(std::string_view text) {
  std::string folded = Fold(text);
  std::string key;
  key.reserve(folded.size());
  bool pending_space = false;
  for (char c : folded) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80) {
      if (pending_space && !key.empty()) key.push_back(' ');
      pending_space = false;
      key.push_back(c);
    } else {
      pending_space = true;
    }
  }
  return key;
}

Result<CommuneIndex> CommuneIndex::Create(const LexiconTable& table,
                                          const std::unordered_set<std::string>& connectors) {
  for (const char* column : {"name", "departement", "region", "population"}) {
    if (table.ColumnIndex(column) < 0) {
      return Status::UserError(fmt::format("{}: missing column '{}'", table.file(), column));
    }
  }
  CommuneIndex index;
  index.communes_.reserve(table.rows().size());
  for (const LexiconRow& row : table.rows()) {
    Commune c;
    c.name = std::string(row.Get("name"));
    c.departement = std::string(row.Get("departement"));
    c.region = std::string(row.Get("region"));
    std::string population(row.Get("population"));
    c.population = population.empty() ? 0 : std::strtol(population.c_str(), nullptr, 10);
    int id = static_cast<int>(index.communes_.size());
    std::string key = WordKey(c.name);
    index.exact_[key].push_back(id);
    // The stem: the words before the first connector that follows a first word.
    size_t word_start = key.find(' ');
    while (word_start != std::string::npos) {
      size_t next = key.find(' ', word_start + 1);
      std::string word = key.substr(word_start + 1, next == std::string::npos
                                                         ? std::string::npos
                                                         : next - word_start - 1);
      if (connectors.count(word) && next != std::string::npos) {
        index.stems_[key.substr(0, word_start)].push_back(id);
        break;
      }
      word_start = next;
    }
    if (!c.departement.empty()) index.areas_.insert(WordKey(c.departement));
    if (!c.region.empty()) index.areas_.insert(WordKey(c.region));
    index.communes_.push_back(std::move(c));
  }
  return index;
}

std::span<const int> CommuneIndex::Find(const Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) return {};
  return it->second;
}

int CommuneIndex::Best(std::span<const int> candidates, const RegionVotes& votes) const {
  int best = -1;
  int best_votes = -1;
  for (int c : candidates) {
    int v = votes.Count(communes_[c].region);
    if (best < 0 || v > best_votes ||
        (v == best_votes && communes_[c].population > communes_[best].population)) {
      best = c;
      best_votes = v;
    }
  }
  return best;
}

}  // namespace coopkb
