// CommuneIndex: the communes of France (lexicons/communes.tsv) by folded name.
//
//   auto index = CommuneIndex::Create(lexicons.Table("communes"), {"sur", "en", ...});
//   std::vector<int> c = index.value().Exact("boulogne sur mer");   // words joined by ' '
//   std::vector<int> s = index.value().ByStem("boulogne");          // Boulogne-sur-Mer, ...
//   RegionVotes votes;  votes.Add(index.value().at(c[0]).region);
//   int best = index.value().Best(s, votes);      // same region as the document first,
//   index.value().at(best).name;                   // then the most populated: Boulogne-sur-Mer
//
// Keys are folded words joined by single spaces ("villeneuve d ascq"), so that
// hyphens, apostrophes and accents written or not find the same commune. A
// stem is the part of a commune name before its first connector word
// ("Boulogne" in "Boulogne-sur-Mer"): the press often writes only that.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

// Folded words of `text` joined by single spaces: "Saint‐Étienne" -> "saint etienne".
std::string WordKey(std::string_view text);

// Hashing for maps keyed by std::string and looked up by std::string_view.
struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringViewHash, std::equal_to<>>;

// How often each région occurs among the places of one document.
class RegionVotes {
 public:
  void Add(std::string_view region) { ++votes_[std::string(region)]; }
  int Count(std::string_view region) const {
    auto it = votes_.find(region);
    return it == votes_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, int, std::less<>> votes_;
};

class CommuneIndex {
 public:
  struct Commune {
    std::string name, departement, region;
    long population = 0;
  };

  static Result<CommuneIndex> Create(const LexiconTable& communes,
                                     const std::unordered_set<std::string>& connectors);

  std::span<const int> Exact(std::string_view key) const { return Find(exact_, key); }
  std::span<const int> ByStem(std::string_view key) const { return Find(stems_, key); }
  const Commune& at(int i) const { return communes_[i]; }
  // Whether `key` (a WordKey) is the name of a département or a région.
  bool IsArea(const std::string& key) const { return areas_.count(key) > 0; }

  // The candidate whose région the document mentions most, then the most populated.
  int Best(std::span<const int> candidates, const RegionVotes& votes) const;

 private:
  using Map = StringMap<std::vector<int>>;
  static std::span<const int> Find(const Map& map, std::string_view key);
  std::vector<Commune> communes_;
  std::unordered_set<std::string> areas_;
  Map exact_;
  Map stems_;
};

}  // namespace coopkb
