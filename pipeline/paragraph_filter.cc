#include "pipeline/paragraph_filter.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_set>

#include <fmt/format.h>
#include <re2/filtered_re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace coopkb {

struct ParagraphFilter::Rules {
  Rules() : lines(Quiet(), re2::RE2::ANCHOR_BOTH), floating(kMinAtomBytes) {}
  static constexpr int kMinAtomBytes = 3;
  // Pattern errors are reported through Status, not on standard error.
  static re2::RE2::Options Quiet() {
    re2::RE2::Options options;
    options.set_log_errors(false);
    return options;
  }
  // Every line pattern in one set, so that a line is read once: the chrome
  // patterns first (index c < chrome_rule.size()), then for each related
  // marker r its cut at chrome_rule.size() + 2r and its teaser just after.
  re2::RE2::Set lines;
  // The chrome patterns that start with '.' ("any text, then a phrase":
  // ".*\\bcookies?\\b.*"), by their index in chrome_rule. In the set they
  // keep its automaton running over every byte of every line, through ever
  // new states: Annotate took 11 % more instructions with them (callgrind).
  // Apart, a line is matched against one only when it holds the phrases the
  // pattern requires (RE2's prefilter computes them: `atoms`).
  re2::FilteredRE2 floating;
  std::vector<std::string> atoms;
  std::vector<size_t> atom_rare_byte;  // for each atom, the index of its rarest letter
  std::vector<size_t> floating_rule;
  bool floating_without_atoms = false;
  std::vector<std::string> chrome_rule, related_rule;
  std::vector<size_t> chrome_max_chars;
  size_t longest_chrome = 0;
};

namespace {

constexpr size_t kDefaultChromeChars = 160;
constexpr size_t kMaxTeaserChars = 220;
constexpr size_t kMaxMarkerChars = 80;

// Characters of `s`, counting stops past `limit` (the count returned is then
// some number above it). Eight bytes at a time: every line of a page is
// counted before the rules are asked about it.
size_t CountChars(std::string_view s, size_t limit = std::string_view::npos) {
  constexpr uint64_t kHigh = 0x8080808080808080ull, kOnes = 0x0101010101010101ull;
  size_t n = 0, i = 0;
  for (; i + 8 <= s.size() && n <= limit; i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    // A continuation byte is 10xxxxxx: its bit 7 set and its bit 6, shifted
    // into bit 7, clear. The bits are summed by the multiplication's top byte.
    const uint64_t continuations = (x & ~(x << 1) & kHigh) >> 7;
    n += 8 - ((continuations * kOnes) >> 56);
  }
  for (; i < s.size() && n <= limit; ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

// The index of the byte of `atom` least frequent in French text, by the
// letter frequencies of French (space, digits and signs count as frequent).
size_t RarestByte(std::string_view atom) {
  static constexpr std::string_view kByFrequency = "esaitnrulodcmpvqfbghjxyzwk";
  auto rarity = [](char c) {
    size_t r = kByFrequency.find(c);
    return r == std::string_view::npos ? 0 : r;
  };
  size_t best = 0;
  for (size_t k = 1; k < atom.size(); ++k) {
    if (rarity(atom[k]) > rarity(atom[best])) best = k;
  }
  return best;
}

// Whether `text` contains `atom`, found from its rarest byte (`rare`, an
// index in atom): every line is asked about every atom, and the first byte of
// an atom ('t' of "tous droits reserves") is on every line several times.
bool ContainsAtom(std::string_view text, std::string_view atom, size_t rare) {
  if (atom.empty()) return true;
  if (atom.size() > text.size()) return false;
  const char* const first = text.data() + rare;  // where the rare byte of a match at 0 is
  const char* const last = text.data() + (text.size() - atom.size()) + rare;
  for (const char* p = first; p <= last;) {
    p = static_cast<const char*>(std::memchr(p, atom[rare], static_cast<size_t>(last - p) + 1));
    if (p == nullptr) return false;
    if (std::memcmp(p - rare, atom.data(), atom.size()) == 0) return true;
    ++p;
  }
  return false;
}

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

bool HasLetterOrDigit(std::string_view s) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      if (IsAsciiAlnum(p[i])) return true;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c >= 0 && u_isalnum(c)) return true;
  }
  return false;
}

// The consecutive word pairs of a paragraph, as a set of hashes: what two
// versions of a paragraph share even when a few words or the punctuation
// differ. Words are compared in a folded form computed on the fly (no folded
// copy of the text): ASCII lower-cased, Latin-1 letters without their accents,
// œ and æ split; Latin-1 punctuation and the General Punctuation block
// (dashes, quotes, special spaces) separate words; other characters belong to
// words. An open-addressing table keeps this linear and allocation-free once
// warm, since every paragraph of a document goes through it.
// It also keeps the paragraph's facts: its words that begin with a digit or a
// capital, after the first (numbers, dates, names). Two versions of one
// paragraph state the same facts; two clauses of one shape ("VU la
// délibération du CH de Troyes du 26 juin ;" and "... du CH de Bar-sur-Seine
// du 28 juin ;") share most word pairs but not their facts.
class BigramSet {
 public:
  void Build(std::string_view line) {
    words_ = 0;
    items_.clear();
    facts_.clear();
    size_t capacity = 16;
    while (capacity < line.size() / 2) capacity <<= 1;
    slots_.assign(capacity, 0);
    // Locals only in this loop, so that the hash stays in a register.
    uint64_t word = kOffset;
    bool in_word = false;
    bool fact = false;  // the word being read begins with a digit or a capital
    const unsigned char* p = reinterpret_cast<const unsigned char*>(line.data());
    size_t n = line.size();
    for (size_t i = 0; i < n;) {
      unsigned char c = p[i];
      if (c < 0x80) {
        // A run of ASCII letters and digits, most of a French text, in a
        // tight loop: a table lookup per byte instead of range tests.
        if (unsigned char f = kAsciiWordByte[c]; f != 0) {
          if (!in_word) fact = static_cast<unsigned>(c - '0') < 10 || static_cast<unsigned>(c - 'A') < 26;
          do {
            word = (word ^ f) * kPrime;
          } while (++i < n && (f = kAsciiWordByte[p[i]]) != 0);
          in_word = true;
          continue;
        }
        if (in_word) {
          AddWord(word, fact);
          word = kOffset;
          in_word = false;
        }
        ++i;
        continue;
      }
      size_t bytes = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      if (i + bytes > n) break;
      unsigned char c1 = p[i + 1];
      // What the character adds to the word: up to two folded bytes, or
      // nothing when it separates words.
      unsigned char folded[2] = {0, 0};
      bool separator = false;
      if (c == 0xC2 || (c == 0xE2 && (c1 == 0x80 || c1 == 0x81))) {
        separator = true;  // U+0080..U+00BF, U+2000..U+207F
      } else if (c == 0xC3) {
        if (!in_word) fact = c1 < 0x9F && c1 != 0x97;  // À..Þ but ×: a capital
        // Base letters of U+00C0..U+00FF ('*': not a letter; Æ/æ and ß expand).
        static constexpr char kLatin1Base[] =
            "aaaaaa*ceeeeiiiidnooooo*ouuuuyts" "aaaaaa*ceeeeiiiidnooooo*ouuuuyty";
        char base = kLatin1Base[c1 & 0x3F];
        if (c1 == 0x86 || c1 == 0xA6) {
          folded[0] = 'a', folded[1] = 'e';
        } else if (c1 == 0x9F) {
          folded[0] = 's', folded[1] = 's';
        } else if (base == '*') {
          separator = true;
        } else {
          folded[0] = static_cast<unsigned char>(base);
        }
      } else if (c == 0xC5 && (c1 == 0x92 || c1 == 0x93)) {
        folded[0] = 'o', folded[1] = 'e';
      } else {
        if (!in_word) fact = false;
        for (size_t k = 0; k < bytes; ++k) word = (word ^ p[i + k]) * kPrime;
        in_word = true;
      }
      if (separator) {
        if (in_word) {
          AddWord(word, fact);
          word = kOffset;
          in_word = false;
        }
      } else if (folded[0] != 0) {
        if (!in_word && c != 0xC3) fact = false;  // œ, æ
        word = (word ^ folded[0]) * kPrime;
        if (folded[1] != 0) word = (word ^ folded[1]) * kPrime;
        in_word = true;
      }
      i += bytes;
    }
    if (in_word) AddWord(word, fact);
  }

  size_t words() const { return words_; }

  // Whether every fact of this paragraph is one of `other`'s.
  bool FactsIn(const BigramSet& other) const {
    return std::all_of(facts_.begin(), facts_.end(), [&](uint64_t f) {
      return std::find(other.facts_.begin(), other.facts_.end(), f) != other.facts_.end();
    });
  }
  size_t size() const { return items_.size(); }

  // Whether at least `needed` word pairs are in both sets. Probing stops as
  // soon as the answer is known: two different paragraphs share almost no
  // pair, so it stops once more pairs are missing than the answer allows.
  bool HasCommon(const BigramSet& other, size_t needed) const {
    const BigramSet& small = size() <= other.size() ? *this : other;
    const BigramSet& large = size() <= other.size() ? other : *this;
    const size_t total = small.items_.size();
    if (needed > total) return false;
    const size_t allowed_missing = total - needed;
    size_t common = 0, missing = 0;
    for (uint64_t h : small.items_) {
      if (large.Contains(h)) {
        if (++common >= needed) return true;
      } else if (++missing > allowed_missing) {
        return false;
      }
    }
    return common >= needed;
  }

 private:
  static constexpr uint64_t kOffset = 1469598103934665603ull, kPrime = 1099511628211ull;
  // What an ASCII byte adds to a word: a letter in lower case, a digit, or 0
  // (not a word byte). Bytes from 0x80 on are 0: they are read apart.
  static constexpr std::array<unsigned char, 256> kAsciiWordByte = [] {
    std::array<unsigned char, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<unsigned char>(c);
    for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 'a' + 'A'] = static_cast<unsigned char>(c);
    return t;
  }();

  void AddWord(uint64_t word, bool fact) {
    if (fact && words_ > 0) facts_.push_back(word);
    if (words_ > 0) Insert(previous_ * 0x9E3779B97F4A7C15ull + word);
    previous_ = word;
    ++words_;
  }

  void Insert(uint64_t h) {
    if (h == 0) h = 1;
    if (items_.size() * 2 >= slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = (h ^ (h >> 29)) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return;
      if (slots_[i] == 0) {
        slots_[i] = h;
        items_.push_back(h);
        return;
      }
    }
  }

  bool Contains(uint64_t h) const {
    if (h == 0) h = 1;
    size_t mask = slots_.size() - 1;
    for (size_t i = (h ^ (h >> 29)) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return true;
      if (slots_[i] == 0) return false;
    }
  }

  void Grow() {
    slots_.assign(slots_.size() * 2, 0);
    size_t mask = slots_.size() - 1;
    for (uint64_t h : items_) {
      size_t i = (h ^ (h >> 29)) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = h;
    }
  }

  std::vector<uint64_t> slots_, items_, facts_;
  size_t words_ = 0;
  uint64_t previous_ = 0;
};

// Paragraphs shorter than this are repeats only when identical to the line
// before ("Oui." twice is no repeat; a title printed twice is).
// Site navigation above an article: at least kMinMenuLines lines in a row of at
// most kMaxMenuWords words each, two of them single words ("Actualités",
// "Emploi"; a press release's header lines such as "CHU de Rennes" are longer),
// before the first line of kMinBodyWords words.
constexpr size_t kMinMenuLines = 3;
constexpr size_t kMinMenuSingleWords = 2;
constexpr size_t kMaxMenuWords = 3;
constexpr size_t kMinBodyWords = 6;

// A line that reads like a menu entry: a few words, no digit (a dateline, a
// figure), no closing punctuation (a sentence, a label before its list).
bool MenuLike(std::string_view line, size_t* words) {
  *words = 0;
  bool in_word = false;
  for (char c : line) {
    if (c >= '0' && c <= '9') return false;
    bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++*words;
    in_word = !space;
  }
  size_t end = line.find_last_not_of(" \t\r");
  if (end == std::string_view::npos) return false;
  char last = line[end];
  return *words <= kMaxMenuWords && last != '.' && last != '!' && last != '?' && last != ':' &&
         last != ';' && last != ',';
}

constexpr size_t kMinRepeatWords = 6;
constexpr size_t kMinShortRepeatWords = 3;
constexpr size_t kRecentParagraphs = 2;

// Whether two paragraphs are versions of one: most word pairs of the shorter
// are in the longer, so are its facts, and the shorter is not a mere heading
// the longer starts with.
bool SameParagraph(const BigramSet& a, const BigramSet& b) {
  const BigramSet& shorter = a.words() <= b.words() ? a : b;
  const BigramSet& longer = a.words() <= b.words() ? b : a;
  if (shorter.words() < kMinRepeatWords) return false;
  if (shorter.words() * 2 < longer.words() && shorter.words() < 20) return false;
  // common * 10 >= size * 7, with the least such count asked for.
  return a.HasCommon(b, (shorter.size() * 7 + 9) / 10) && shorter.FactsIn(longer);
}

// Length of a tail of `line` that repeats the bytes just before it (at least
// kMin bytes, two words), or 0.
size_t RepeatedTail(std::string_view line) {
  constexpr size_t kMin = 12, kMax = 400;
  size_t n = line.size();
  if (n < 2 * kMin) return 0;
  char last = line.back();
  size_t max = std::min(kMax, n / 2);
  // A repeat of length len has the line's last byte at n - len - 1: visit
  // only those positions, from the shortest repeat on.
  size_t window_begin = n - max - 1;
  std::string_view window = line.substr(window_begin, max + 1 - kMin);
  // The last occurrence of `last` in window[0, end), or npos: memrchr reads
  // the window a vector at a time, where rfind() reads it byte by byte, and
  // every line kept is read so.
  auto last_before = [&](size_t end) {
    const void* at = memrchr(window.data(), last, end);
    return at == nullptr ? std::string_view::npos : static_cast<size_t>(static_cast<const char*>(at) - window.data());
  };
  size_t q = last_before(window.size());
  while (q != std::string_view::npos) {
    size_t len = n - 1 - (window_begin + q);
    size_t start = n - len;
    std::string_view tail = line.substr(start);
    bool char_start = (static_cast<unsigned char>(line[start]) & 0xC0) != 0x80;
    if (char_start && tail.find(' ') != std::string_view::npos && line.compare(start - len, len, tail) == 0) {
      return len;
    }
    q = q == 0 ? std::string_view::npos : last_before(q);
  }
  return 0;
}

struct Line {
  size_t begin, end;
};

}  // namespace

Result<ParagraphFilter> ParagraphFilter::Create(const Lexicons& lexicons) {
  auto rules = std::make_shared<Rules>();
  std::string error;
  const LexiconTable& chrome = lexicons.Table("cleaning_chrome");
  for (const LexiconRow& row : chrome.rows()) {
    std::string_view pattern = row.Get("pattern");
    bool floats = !pattern.empty() && pattern[0] == '.';
    int floating_id = -1;
    // Indices in `lines` stay those of chrome_rule: a floating pattern leaves
    // its place there to a class of no character, which never matches.
    if (floats && rules->floating.Add("\\A(?:" + std::string(pattern) + ")\\z", Rules::Quiet(), &floating_id) !=
                      re2::RE2::NoError) {
      std::string why = re2::RE2(pattern, Rules::Quiet()).error();
      return Status::UserError(fmt::format("{}:{}: {}", chrome.file(), row.line(), why));
    }
    if (rules->lines.Add(floats ? std::string_view("[^\\x00-\\x{10FFFF}]") : pattern, &error) < 0) {
      return Status::UserError(fmt::format("{}:{}: {}", chrome.file(), row.line(), error));
    }
    if (floats) rules->floating_rule.push_back(rules->chrome_rule.size());
    rules->chrome_rule.push_back("chrome:" + std::string(row.Get("rule")));
    std::string_view max = row.Get("max_chars");
    size_t chars = max.empty() ? kDefaultChromeChars : std::strtoul(std::string(max).c_str(), nullptr, 10);
    rules->chrome_max_chars.push_back(chars);
    rules->longest_chrome = std::max(rules->longest_chrome, chars);
  }
  const LexiconTable& related = lexicons.Table("cleaning_related");
  for (const LexiconRow& row : related.rows()) {
    std::string pattern(row.Get("pattern"));
    // A marker line may end with a colon or an ellipsis; a teaser line has a
    // separator and a headline after the marker ("LIRE AUSSI. Le CH de ..."). Either
    // may be set off by a bullet or brackets ("► À lire aussi :", "[Lire aussi]").
    // Folding made » a '"'.
    const std::string lead = "(?:[^a-z0-9 ]{1,3} ?)?";
    if (rules->lines.Add(lead + "(?:" + pattern + ")[ :.\\]]*", &error) < 0 ||
        rules->lines.Add(lead + "(?:" + pattern + ") ?[:|>\"\\].-]+ ?[^ ].*", &error) < 0) {
      return Status::UserError(fmt::format("{}:{}: {}", related.file(), row.line(), error));
    }
    rules->related_rule.push_back("related:" + std::string(row.Get("rule")));
  }
  if (!rules->floating_rule.empty()) {
    rules->floating.Compile(&rules->atoms);
    for (const std::string& atom : rules->atoms) rules->atom_rare_byte.push_back(RarestByte(atom));
    std::vector<int> always;  // patterns without a required phrase pass every filter
    rules->floating.AllPotentials({}, &always);
    rules->floating_without_atoms = !always.empty();
  }
  if (!rules->lines.Compile()) {
    return Status::Internal("cannot compile the cleaning patterns");
  }
  ParagraphFilter f;
  f.rules_ = std::move(rules);
  return f;
}

std::string ParagraphFilter::LineRule(std::string_view line, size_t chars, std::string_view folded,
                                      bool* cut) const {
  *cut = false;
  std::vector<int> matched;
  // Most lines match no pattern. Asked without a vector, the set answers from
  // its DFA, stops at the first match and allocates nothing; the matched
  // patterns are asked for only then.
  if (rules_->lines.Match(folded, nullptr)) rules_->lines.Match(folded, &matched);
  if (!rules_->floating_rule.empty()) {
    std::vector<int> atoms_found, floating;
    for (size_t a = 0; a < rules_->atoms.size(); ++a) {
      if (ContainsAtom(folded, rules_->atoms[a], rules_->atom_rare_byte[a])) atoms_found.push_back(static_cast<int>(a));
    }
    if (!atoms_found.empty() || rules_->floating_without_atoms) {
      rules_->floating.AllMatches(folded, atoms_found, &floating);
    }
    for (int i : floating) matched.push_back(static_cast<int>(rules_->floating_rule[static_cast<size_t>(i)]));
  }
  if (matched.empty()) return "";
  if (chars == kUncounted) chars = CountChars(line);
  std::sort(matched.begin(), matched.end());
  const size_t chrome = rules_->chrome_rule.size();
  // A marker first, then a teaser, then chrome, each the first listed.
  if (chars <= kMaxMarkerChars) {
    for (int i : matched) {
      size_t k = static_cast<size_t>(i);
      if (k >= chrome && (k - chrome) % 2 == 0) {
        *cut = true;
        return rules_->related_rule[(k - chrome) / 2];
      }
    }
  }
  if (chars <= kMaxTeaserChars) {
    for (int i : matched) {
      size_t k = static_cast<size_t>(i);
      if (k >= chrome && (k - chrome) % 2 == 1) return rules_->related_rule[(k - chrome) / 2] + "_teaser";
    }
  }
  for (int i : matched) {
    size_t k = static_cast<size_t>(i);
    if (k < chrome && chars <= rules_->chrome_max_chars[k]) return rules_->chrome_rule[k];
  }
  return "";
}

std::vector<Replacement> ParagraphFilter::Find(std::string_view text) const {
  std::vector<Line> lines;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back({pos, nl});
    pos = nl + 1;
  }
  // First the line-by-line rules; `rule` empty means kept.
  std::vector<std::string> rule(lines.size());
  std::vector<size_t> tail(lines.size(), 0);  // bytes cut from the end of a kept line
  size_t article_bytes = 0;
  size_t cut_at = lines.size();
  std::string cut_rule;
  std::string folded;  // one buffer for every line folded
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = text.substr(lines[i].begin, lines[i].end - lines[i].begin);
    if (!HasLetterOrDigit(line)) {
      rule[i] = "lone_punctuation";
      continue;
    }
    size_t longest = std::max(rules_->longest_chrome, kMaxTeaserChars);
    // A line of no more bytes than that has no more characters: counting
    // them is left to the rare line a rule matches.
    size_t chars = line.size() <= longest        ? kUncounted
                   : line.size() <= 4 * longest ? CountChars(line, longest)
                                                 : std::string::npos;
    if (chars == kUncounted || chars <= longest) {
      FoldInto(line, folded);
      bool cut = false;
      std::string removed_by = LineRule(line, chars, folded, &cut);
      if (cut && article_bytes >= kMinArticleBytes) {
        cut_at = i;
        cut_rule = std::move(removed_by);
        break;
      }
      if (!removed_by.empty()) {
        rule[i] = std::move(removed_by);
        continue;
      }
    }
    tail[i] = RepeatedTail(line);
    article_bytes += line.size();
  }

  // Then the site's menu, printed as short lines above the article ("Actualités",
  // "Hôpitaux", "Emploi"); short lines further down are the article's headings.
  {
    // Chrome lines already removed among them ("Accueil", "Rechercher") are
    // entries of the same menu, but a title alone between them is no menu.
    std::vector<size_t> run;
    size_t entries = 0, single_words = 0;
    auto close_run = [&]() {
      if (entries >= kMinMenuLines && single_words >= kMinMenuSingleWords && run.size() >= 2) {
        for (size_t r : run) rule[r] = "menu";
      }
      run.clear();
      entries = single_words = 0;
    };
    for (size_t i = 0; i < cut_at; ++i) {
      std::string_view line = text.substr(lines[i].begin, lines[i].end - lines[i].begin);
      size_t words = 0;
      bool menu_like = MenuLike(line, &words);
      if (!rule[i].empty()) {
        if (menu_like) {
          ++entries;
          if (words == 1) ++single_words;
        }
        continue;
      }
      if (menu_like) {
        run.push_back(i);
        ++entries;
        if (words == 1) ++single_words;
        continue;
      }
      close_run();
      if (words >= kMinBodyWords) break;
    }
    close_run();
  }

  // Then repeated paragraphs, among the lines kept so far. A repeat is looked
  // for among the last kRecentParagraphs paragraphs of some length, so that a
  // dateline or a caption between the two copies does not hide it.
  struct Recent {
    size_t line;
    BigramSet bigrams;
  };
  std::vector<Recent> recent;  // most recent last
  BigramSet bigrams;
  std::string_view previous_line;
  for (size_t i = 0; i < cut_at; ++i) {
    if (!rule[i].empty()) continue;
    std::string_view line = text.substr(lines[i].begin, lines[i].end - lines[i].begin - tail[i]);
    bigrams.Build(line);
    // A short line printed twice in a row (a title) is a repeat too.
    if (bigrams.words() >= kMinShortRepeatWords && line.size() * 2 > previous_line.size() &&
        line.size() < previous_line.size() * 2 && FoldsEqual(line, previous_line)) {
      rule[i] = "repeated_paragraph";
      continue;
    }
    previous_line = line;
    if (bigrams.words() < kMinRepeatWords) continue;
    bool dropped = false;
    for (size_t r = recent.size(); r-- > 0;) {
      if (!SameParagraph(recent[r].bigrams, bigrams)) continue;
      if (recent[r].bigrams.words() > bigrams.words()) {
        rule[i] = "repeated_paragraph";
        dropped = true;
      } else {
        rule[recent[r].line] = "repeated_paragraph";
        recent.erase(recent.begin() + static_cast<long>(r));
      }
      break;
    }
    if (dropped) continue;
    Recent entry{i, std::move(bigrams)};
    if (recent.size() == kRecentParagraphs) {
      bigrams = std::move(recent.front().bigrams);  // its storage serves the next line
      recent.erase(recent.begin());
    } else {
      bigrams = BigramSet();
    }
    recent.push_back(std::move(entry));
  }

  // Deletions: a removed line takes its '\n' with it (the one before it when
  // it is the last line kept), so no empty line is left behind.
  std::vector<Replacement> out;
  size_t kept_end = lines.size();  // last kept line
  for (size_t i = 0; i < cut_at; ++i) {
    if (rule[i].empty()) kept_end = i;
  }
  for (size_t i = 0; i < cut_at; ++i) {
    if (rule[i].empty()) {
      if (tail[i] > 0) {
        out.push_back({lines[i].end - tail[i], lines[i].end, "", "repeated_tail"});
      }
      continue;
    }
    size_t end = lines[i].end < text.size() ? lines[i].end + 1 : lines[i].end;
    size_t begin = lines[i].begin;
    if (kept_end < lines.size() && i > kept_end) {
      // After the last kept line: remove the '\n' before instead of after.
      begin = lines[i].begin - 1;
      end = lines[i].end;
    }
    out.push_back({begin, end, "", rule[i]});
  }
  if (cut_at < lines.size()) {
    // Like the removed lines after the last kept one, the cut takes the '\n'
    // before it.
    size_t begin = lines[cut_at].begin;
    if (begin > 0 && kept_end < lines.size()) begin -= 1;
    out.push_back({begin, text.size(), "", cut_rule});
  }
  return out;
}

}  // namespace coopkb
