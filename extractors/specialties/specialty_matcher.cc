#include "extractors/specialties/specialty_matcher.h"

#include <algorithm>

#include <fmt/format.h>

#include "pipeline/fold.h"

namespace coopkb {

namespace {

constexpr std::string_view kKinds[] = {"medical", "surgical", "medico-technical", "activity"};

// An acronym is written without lower-case letters ("SSR", "ORL-CCF").
bool IsAcronym(std::string_view phrase) {
  bool upper = false;
  for (unsigned char c : phrase) {
    if (c >= 0x80 || (c >= 'a' && c <= 'z')) return false;
    if (c >= 'A' && c <= 'Z') upper = true;
  }
  return upper;
}

bool WrittenInCapitals(std::string_view original) { return IsAcronym(original); }

Status MissingColumn(const LexiconTable& table, std::string_view column) {
  return Status::UserError(fmt::format("{}: missing column '{}'", table.file(), column));
}

}  // namespace

Result<SpecialtyMatcher> SpecialtyMatcher::Create(const Lexicons& lexicons) {
  SpecialtyMatcher m;
  const LexiconTable& specialties = lexicons.Table("specialties");
  const LexiconTable& exclusions = lexicons.Table("specialty_exclusions");
  for (std::string_view column : {"name", "synonyms", "kind"}) {
    if (specialties.ColumnIndex(column) < 0) return MissingColumn(specialties, column);
  }
  if (exclusions.ColumnIndex("phrase") < 0) return MissingColumn(exclusions, "phrase");
  m.sources_ = {specialties.file(), exclusions.file()};
  m.starts_.assign((1u << 16) / 64, 0);

  for (const LexiconRow& row : specialties.rows()) {
    std::string_view kind = row.Get("kind");
    if (!kind.empty() && std::find(std::begin(kKinds), std::end(kKinds), kind) == std::end(kKinds)) {
      return Status::UserError(fmt::format(
          "{}:{}: unknown kind '{}' (medical, surgical, medico-technical or activity)",
          specialties.file(), row.line(), kind));
    }
    const int specialty = static_cast<int>(m.names_.size());
    m.names_.emplace_back(row.Get("name"));
    m.kinds_.emplace_back(kind);
    Status s = m.AddPhrase(row.Get("name"), specialty, 0, specialties.file(), row.line());
    if (!s.ok()) return s;
    for (std::string_view synonym : SplitBars(row.Get("synonyms"))) {
      s = m.AddPhrase(synonym, specialty, 0, specialties.file(), row.line());
      if (!s.ok()) return s;
    }
  }
  for (const LexiconRow& row : exclusions.rows()) {
    Status s = m.AddPhrase(row.Get("phrase"), kExcluded, 1, exclusions.file(), row.line());
    if (!s.ok()) return s;
  }
  return std::move(m).AddPediatricVariants(specialties);
}

Result<SpecialtyMatcher> SpecialtyMatcher::AddPediatricVariants(const LexiconTable& specialties) && {
  const int listed = specialty_count();
  for (int specialty = 0; specialty < listed; ++specialty) {
    const std::string folded_name = Fold(names_[specialty]);
    if (folded_name.find("pedia") != std::string::npos || folded_name.find("enfant") != std::string::npos ||
        folded_name.find("infantil") != std::string::npos || folded_name.find("neonat") != std::string::npos ||
        folded_name.find("pedo") != std::string::npos) {
      continue;  // already of children
    }
    // Create made one specialty per row, in row order.
    const LexiconRow& row = specialties.rows()[static_cast<size_t>(specialty)];
    std::vector<std::string_view> phrases = {row.Get("name")};
    for (std::string_view synonym : SplitBars(row.Get("synonyms"))) phrases.push_back(synonym);
    const int variant = specialty_count();
    bool added = false;
    for (std::string_view phrase : phrases) {
      if (IsAcronym(phrase)) continue;  // "ORL pédiatrique" would match "orl" in any case
      const std::string derived = std::string(phrase) + " pédiatrique";
      // A phrase the lexicon already reads ("neurologie pédiatrique" is
      // neuropédiatrie, "médecine pédiatrique" pédiatrie) keeps its reading.
      if (Claimed(derived)) continue;
      if (!added) {
        names_.push_back(names_[specialty] + " pédiatrique");
        kinds_.push_back(kinds_[specialty]);
        added = true;
      }
      Status s = AddPhrase(derived, variant, 0, specialties.file(), row.line());
      if (!s.ok()) return s;
    }
  }
  return std::move(*this);
}

bool SpecialtyMatcher::Claimed(std::string_view phrase) const {
  const TextWords words(phrase);
  int node = PhraseTrie::kRoot;
  for (size_t k = 0; k < words.size() && node != PhraseTrie::kNone; ++k) node = trie_.Child(node, words.Key(k));
  return node != PhraseTrie::kNone && static_cast<size_t>(node) < ends_.size() && !ends_[node].empty();
}

Status SpecialtyMatcher::AddPhrase(std::string_view phrase, int specialty, int source,
                                   const std::string& file, size_t line) {
  const std::string folded = Fold(phrase);
  for (unsigned char c : folded) {
    bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (!word && c != ' ' && c != '-' && c != '\'') {
      return Status::UserError(fmt::format(
          "{}:{}: '{}': a phrase holds only letters, digits, blanks, hyphens and apostrophes{}",
          file, line, phrase, c == ',' ? " (write a coordination without its comma)" : ""));
    }
  }
  const TextWords words(phrase);
  if (words.size() == 0) return Status::UserError(fmt::format("{}:{}: empty phrase", file, line));
  if (words.size() > kMaxWords) {
    return Status::UserError(
        fmt::format("{}:{}: '{}': more than {} words", file, line, phrase, kMaxWords));
  }

  PhraseEnd end{specialty, 0, false, IsAcronym(phrase), phrase.size(), source, line};
  std::vector<std::string> written, glued;
  uint32_t glued_plurals = 0;
  for (size_t k = 0; k < words.size(); ++k) {
    const bool plural = words.plural(k);
    if (plural) end.plural_words |= 1u << k;
    std::string_view key = words.Key(k);
    if (k > 0 && k + 1 < words.size() && (key == "et" || key == "ou")) end.coordinated = true;
    written.emplace_back(key);
    // The variant with combining forms glued: "maxillo-faciale" -> "maxillofaciale",
    // for texts that write it so.
    if (k > 0 && words.Glues(k) && words.SingleHyphen(k)) {
      glued.back().append(key);
    } else {
      glued.emplace_back(key);
    }
    if (plural) glued_plurals |= 1u << (glued.size() - 1);
  }
  Status s = AddPath(written, end, phrase, file);
  if (!s.ok()) return s;
  if (glued.size() != written.size()) {
    PhraseEnd glued_end = end;
    glued_end.plural_words = glued_plurals;
    s = AddPath(glued, glued_end, phrase, file);
    if (!s.ok()) return s;
  }
  ++phrase_count_;
  return Status::Ok();
}

Status SpecialtyMatcher::AddPath(const std::vector<std::string>& keys, const PhraseEnd& end,
                                 std::string_view phrase, const std::string& file) {
  const uint32_t start = StartKey(keys[0], {});
  starts_[start / 64] |= uint64_t{1} << (start % 64);
  int node = PhraseTrie::kRoot;
  for (const std::string& key : keys) node = trie_.AddChild(node, key);
  if (ends_.size() < static_cast<size_t>(trie_.size())) ends_.resize(trie_.size());
  for (const PhraseEnd& other : ends_[node]) {
    if (other.plural_words != end.plural_words || other.capitals != end.capitals ||
        (end.capitals && other.size != end.size)) {
      continue;
    }
    if (other.specialty == end.specialty) return Status::Ok();  // a harmless repetition
    auto what = [this](int specialty) {
      return specialty == kExcluded ? std::string("an exclusion") : "'" + names_[specialty] + "'";
    };
    return Status::UserError(fmt::format("{}:{}: '{}' already reads as {} ({}:{})", file, end.line,
                                         phrase, what(other.specialty), sources_[other.source],
                                         other.line));
  }
  ends_[node].push_back(end);
  return Status::Ok();
}

void SpecialtyMatcher::FindAll(std::string_view text, std::vector<SpecialtyMatch>& out) const {
  out.clear();
  const TextWords words(text);
  const Text t{text, words};
  const size_t n = words.size();
  size_t i = 0;
  while (i < n) {
    if (!MayStart(words, i)) {
      ++i;
      continue;
    }
    Candidate c;
    Extend(t, PhraseTrie::kRoot, i, i, 0, 0, PhraseTrie::kNone, false, c);
    if (c.end == nullptr) {
      ++i;
      continue;
    }
    const size_t start = i;
    i = c.end_word;
    if (c.end->specialty == kExcluded) continue;
    out.push_back({OriginalSpan(t, start, c.end_word), c.end->specialty});
    if (c.words < 2) continue;
    // Coordinated items go on with the head word of this phrase.
    size_t item;
    while (CoordinatedItemAt(t, i, &item)) {
      Candidate next;
      Extend(t, c.head_node, item, item, 1, c.head_plural ? 1u : 0u, c.head_node, c.head_plural,
             next);
      if (next.end == nullptr || next.end->specialty == kExcluded || next.end->capitals) break;
      out.push_back({OriginalSpan(t, item, next.end_word), next.end->specialty});
      i = next.end_word;
    }
  }
}

void SpecialtyMatcher::Extend(const Text& t, int node, size_t next, size_t first, int depth,
                              uint32_t plurals, int head_node, bool head_plural,
                              Candidate& best) const {
  const TextWords& words = t.words;
  if (next >= words.size() || depth >= kMaxWords) return;
  if (next != first && !words.InPhrase(next)) return;
  const uint32_t bit = 1u << depth;
  bool plural = words.plural(next);
  int child = trie_.Child(node, words.Key(next));
  if (child != PhraseTrie::kNone) {
    Visit(t, child, first, next + 1, depth + 1, plural ? plurals | bit : plurals,
          depth == 0 ? child : head_node, depth == 0 ? plural : head_plural, best);
  }
  if (next + 1 < words.size() && words.Glues(next + 1)) {
    plural = words.plural(next + 1);
    child = trie_.Child(node, words.Folded(next), words.Key(next + 1));
    if (child != PhraseTrie::kNone) {
      Visit(t, child, first, next + 2, depth + 1, plural ? plurals | bit : plurals,
            depth == 0 ? child : head_node, depth == 0 ? plural : head_plural, best);
    }
  }
}

void SpecialtyMatcher::Visit(const Text& t, int node, size_t start, size_t next, int depth,
                             uint32_t plurals, int head_node, bool head_plural,
                             Candidate& best) const {
  if (const PhraseEnd* end = Accept(t, node, start, next, plurals)) {
    if (best.end == nullptr || next > best.end_word) {
      best = Candidate{end, next, depth, head_node, head_plural};
    }
  }
  Extend(t, node, next, start, depth, plurals, head_node, head_plural, best);
}

const SpecialtyMatcher::PhraseEnd* SpecialtyMatcher::Accept(const Text& t, int node, size_t start,
                                                            size_t end_word,
                                                            uint32_t plurals) const {
  for (const PhraseEnd& end : ends_[node]) {
    if ((end.plural_words & ~plurals) != 0) continue;  // a plural-only word read in the singular
    // "chirurgies orthopédique et traumatologique": the plural head says two
    // specialties, so the compound "chirurgie orthopédique et traumatologique" yields.
    if (end.coordinated && (plurals & 1u) && !(end.plural_words & 1u)) continue;
    if (end.capitals) {
      Span s = OriginalSpan(t, start, end_word);
      std::string_view written = t.original.substr(s.begin, s.size());
      if (written.size() != end.size || !WrittenInCapitals(written)) continue;
    }
    return &end;
  }
  return nullptr;
}

bool SpecialtyMatcher::CoordinatedItemAt(const Text& t, size_t end, size_t* item) const {
  const TextWords& words = t.words;
  if (end == 0 || end >= words.size()) return false;
  const bool list = words.ListMark(end);
  if (!list && !words.Blank(end)) return false;
  size_t k = end;
  std::string_view key = words.Key(k);
  if (key == "et" || key == "ou") {
    if (k + 1 >= words.size() || !words.Blank(k + 1)) return false;
    ++k;
  } else if (!list) {
    return false;
  }
  *item = k;
  return true;
}

uint32_t SpecialtyMatcher::StartKey(std::string_view head, std::string_view tail) {
  // The first two bytes and the length of the word head+tail.
  const size_t size = head.size() + tail.size();
  auto byte = [&](size_t k) -> uint32_t {
    if (k < head.size()) return static_cast<uint8_t>(head[k]);
    return k < size ? static_cast<uint8_t>(tail[k - head.size()]) : 0;
  };
  return ((byte(0) << 8 | byte(1)) ^ static_cast<uint32_t>(size * 0x9E5)) & 0xFFFF;
}

bool SpecialtyMatcher::MayStart(const TextWords& words, size_t i) const {
  auto marked = [this](uint32_t key) { return (starts_[key / 64] >> (key % 64)) & 1; };
  if (marked(StartKey(words.Key(i), {}))) return true;
  return i + 1 < words.size() && words.Glues(i + 1) &&
         marked(StartKey(words.Folded(i), words.Key(i + 1)));
}

Span SpecialtyMatcher::OriginalSpan(const Text& t, size_t first_word, size_t end_word) const {
  return Span{t.words.span(first_word).begin, t.words.span(end_word - 1).end};
}

}  // namespace coopkb
