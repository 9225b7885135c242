#include "tests/bench/article_generator.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/format.h>

namespace coopkb {

// The text of tests/bench/article_phrases.tsv, embedded by tests/bench/CMakeLists.txt.
std::string_view EmbeddedArticlePhrases();

namespace {

// Communes smaller than this rarely have a hospital of their own.
constexpr int64_t kMinHospitalTownPopulation = 10000;

// The SplitMix64 finalizer: nearby inputs give unrelated outputs.
uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// SplitMix64: tiny, fast and the same sequence on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    return Mix64(state_ += 0x9e3779b97f4a7c15ULL);
  }
  size_t Below(size_t n) { return n ? static_cast<size_t>(Next() % n) : 0; }
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<size_t>(hi - lo + 1))); }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
  template <class T>
  const T& Pick(const std::vector<T>& v) { return v[Below(v.size())]; }

 private:
  uint64_t state_;
};

// French elision: "d'Amiens", "l'Institut".
bool StartsWithVowel(std::string_view s) {
  static const std::array<std::string_view, 22> kVowels = {
      "A", "E", "I", "O", "U", "Y", "a", "e", "i", "o", "u", "y",
      "É", "È", "Ê", "Î", "Ô", "é", "è", "ê", "î", "ô"};
  for (std::string_view v : kVowels) {
    if (s.substr(0, v.size()) == v) return true;
  }
  return false;
}

// "de Lille", "d'Amiens", "du Mans", "des Abymes", "de La Rochelle".
std::string DeForm(std::string_view place) {
  if (place.substr(0, 3) == "Le ") return "du " + std::string(place.substr(3));
  if (place.substr(0, 4) == "Les ") return "des " + std::string(place.substr(4));
  return (StartsWithVowel(place) ? "d'" : "de ") + std::string(place);
}

// "à Lille", "au Mans", "aux Abymes".
std::string AForm(std::string_view place) {
  if (place.substr(0, 3) == "Le ") return "au " + std::string(place.substr(3));
  if (place.substr(0, 4) == "Les ") return "aux " + std::string(place.substr(4));
  return "à " + std::string(place);
}

// Specialty names are feminine ("la cardiologie") unless plural ("les urgences",
// "les soins palliatifs"): near enough for generated prose.
std::string WithDefiniteArticle(const std::string& specialty) {
  std::string first = specialty.substr(0, specialty.find(' '));
  if (!first.empty() && first.back() == 's') return "les " + specialty;
  return (StartsWithVowel(specialty) ? "l'" : "la ") + specialty;
}

// Upper-cases the first letter (ASCII and Latin-1 lower case, enough for French).
void CapitalizeFirst(std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 'a' && c <= 'z') {
      s[i] = static_cast<char>(c - 32);
      return;
    }
    if (c == 0xC3 && i + 1 < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0xA0 && d <= 0xBE && d != 0xB7) s[i + 1] = static_cast<char>(d - 0x20);
      return;
    }
    if (std::isalnum(c) || c >= 0x80) return;  // already a capital, a digit or another letter
  }
}

std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

// UTF-8 to Windows-1252; what it cannot encode becomes '?'.
std::string ToWindows1252(std::string_view utf8) {
  static const std::map<char32_t, char> kHigh = {
      {U'€', '\x80'}, {U'‚', '\x82'}, {U'ƒ', '\x83'}, {U'„', '\x84'}, {U'…', '\x85'}, {U'†', '\x86'},
      {U'‡', '\x87'}, {U'ˆ', '\x88'}, {U'‰', '\x89'}, {U'Š', '\x8A'}, {U'‹', '\x8B'}, {U'Œ', '\x8C'},
      {U'Ž', '\x8E'}, {U'‘', '\x91'}, {U'’', '\x92'}, {U'“', '\x93'}, {U'”', '\x94'}, {U'•', '\x95'},
      {U'–', '\x96'}, {U'—', '\x97'}, {U'˜', '\x98'}, {U'™', '\x99'}, {U'š', '\x9A'}, {U'›', '\x9B'},
      {U'œ', '\x9C'}, {U'ž', '\x9E'}, {U'Ÿ', '\x9F'}};
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    char32_t cp;
    size_t len;
    if (c < 0x80) cp = c, len = 1;
    else if ((c >> 5) == 0x6) cp = c & 0x1F, len = 2;
    else if ((c >> 4) == 0xE) cp = c & 0x0F, len = 3;
    else cp = c & 0x07, len = 4;
    for (size_t k = 1; k < len && i + k < utf8.size(); ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    i += len;
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
      out += static_cast<char>(cp);
    } else if (auto it = kHigh.find(cp); it != kHigh.end()) {
      out += it->second;
    } else {
      out += '?';
    }
  }
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Joins the words of a paragraph back into lines of at most `width` bytes, as
// old text exports did.
std::string HardWrap(std::string_view paragraph, size_t width) {
  std::string out, line;
  size_t pos = 0;
  while (pos < paragraph.size()) {
    size_t space = paragraph.find(' ', pos);
    if (space == std::string_view::npos) space = paragraph.size();
    std::string_view word = paragraph.substr(pos, space - pos);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    pos = space + 1;
  }
  return out + line;
}

const std::set<std::string_view>& KnownPlaceholders() {
  static const std::set<std::string_view> keys = {
      "A", "B", "C", "LE_A", "LE_B", "LE_C", "DU_A", "DU_B", "DU_C", "AU_A", "AU_B", "AU_C",
      "CITY_A", "CITY_B", "CITY_C", "DE_CITY_A", "DE_CITY_B", "DE_CITY_C", "A_CITY_A", "A_CITY_B",
      "A_CITY_C", "REGION_A", "REGION_B", "REGION_C", "SPEC", "SPEC2", "DE_SPEC", "DE_SPEC2", "LA_SPEC", "LA_SPEC2",
      "DATE", "DATE2", "DATE_NUM", "MONTH_YEAR", "YEAR", "YEAR2", "N", "N2", "NB", "NM", "PCT",
      "PERSON", "PERSON2", "ROLE", "ROLE2", "SITE", "NUMBER_WORD", "FIRST", "SURNAME", "CIVILITY",
      "COMMUNE", "DE_COMMUNE"};
  return keys;
}

}  // namespace

// Everything one article needs while it is written: its parties, specialties,
// dates and the random stream, so that one Generate() call is self-contained.
class ArticleWriter {
 public:
  ArticleWriter(const ArticleGenerator& g, uint64_t index)
      // Hashed, not offset: with state = seed + index, article i + 1 would replay
      // article i's random stream shifted by one draw.
      : g_(g), rng_(Mix64(Mix64(g.seed_) + index)), index_(index) {
    for (int i = 0; i < 3; ++i) parties_[i] = NewParty(i);
    size_t s1 = rng_.Below(g_.specialties_.size());
    size_t s2 = (s1 + 1 + rng_.Below(g_.specialties_.size() - 1)) % g_.specialties_.size();
    specs_[0] = SpecialtyForm(s1);
    specs_[1] = SpecialtyForm(s2);
    year_ = rng_.Between(2005, 2024);
    month_ = rng_.Between(1, 12);
    day_ = rng_.Between(1, 28);
  }

  GeneratedFile Write() {
    std::string title = Sentence(Pick("title"));
    std::string dateline = Expand(Pick("dateline"));
    std::vector<std::string> top, paragraphs, bottom, teasers;
    std::string teaser_heading;

    if (rng_.Chance(0.5)) {
      for (int i = rng_.Between(1, 3); i > 0; --i) top.push_back(Pick("chrome_top"));
    }
    auto body = Shuffled("body");
    auto filler = Shuffled("filler");
    size_t next_body = 0, next_filler = 0;
    auto body_sentence = [&] {
      if (rng_.Chance(0.55) && next_filler < filler.size()) return Sentence(*filler[next_filler++]);
      return Sentence(*body[next_body++ % body.size()]);
    };

    std::string lead = Sentence(Pick("lead"));
    lead += ' ';
    lead += body_sentence();
    paragraphs.push_back(lead);
    if (rng_.Chance(0.15)) paragraphs.push_back(lead);  // some sites print the lead twice
    int count = rng_.Between(9, 12);
    bool quoted = false;
    for (int p = 0; p < count; ++p) {
      std::string para;
      if (!quoted && p >= 1 && rng_.Chance(0.35)) {
        para = Sentence(Pick("quote"));
        para += ' ';
        para += body_sentence();
        quoted = true;
      } else {
        for (int s = rng_.Between(2, 5); s > 0; --s) {
          if (!para.empty()) para += ' ';
          para += body_sentence();
        }
      }
      paragraphs.push_back(std::move(para));
    }
    if (rng_.Chance(0.5)) paragraphs.push_back(Sentence(Pick("closing")));

    if (rng_.Chance(0.4)) {
      std::string credit = "Crédit photo : ";  // appended, not operator+: GCC 12 warns falsely (-Wrestrict)
      credit += Expand(Pick("photo_credit"));
      bottom.push_back(std::move(credit));
    }
    if (rng_.Chance(0.5)) {
      for (int i = rng_.Between(1, 3); i > 0; --i) bottom.push_back(Pick("chrome_bottom"));
    }
    if (rng_.Chance(0.3)) {
      teaser_heading = Pick("teaser_heading");
      for (int i = rng_.Between(3, 4); i > 0; --i) {
        ArticleWriter other(g_, index_ ^ (0x5bd1e995ULL * static_cast<uint64_t>(i + 1)) << 20);
        teasers.push_back(other.Sentence(other.Pick("title")));
      }
    }

    const bool typographic = rng_.Chance(0.6);
    auto finish = [&](std::string s) {
      if (!typographic) return s;
      std::string out;
      for (char c : s) {
        if (c == '\'') out += "’";
        else out += c;
      }
      return out;
    };

    GeneratedFile f;
    double kind = static_cast<double>(rng_.Below(1000)) / 1000.0;
    if (kind < 0.03) {
      f.format = "html";
      f.name = fmt::format("{:03}/{:06}.html", index_ / 1000, index_);
      f.bytes = finish(Html(title, dateline, top, paragraphs, bottom, teaser_heading, teasers));
      return f;
    }
    std::string sep = rng_.Chance(0.7) ? "\n\n" : "\n";
    bool wrap = rng_.Chance(0.02);
    std::string text;
    for (const auto& line : top) text += line + "\n";
    if (!top.empty()) text += "\n";
    text += title + sep + dateline + sep;
    for (const auto& p : paragraphs) text += (wrap ? HardWrap(p, 72) : p) + sep;
    for (const auto& line : bottom) text += line + "\n";
    if (!teaser_heading.empty()) {
      text += sep + teaser_heading + "\n";
      for (const auto& t : teasers) text += t + "\n";
    }
    f.name = fmt::format("{:03}/{:06}.txt", index_ / 1000, index_);
    f.bytes = finish(std::move(text));
    f.format = "text";
    if (kind < 0.06) {
      f.bytes = ToWindows1252(f.bytes);
      f.format = "text-cp1252";
    }
    return f;
  }

 private:
  struct PartyUse {
    const ArticleGenerator::Party* party = nullptr;
    std::string local_name;  // for a local hospital: its only name
    int uses = 0;
  };

  PartyUse NewParty(int i) {
    while (true) {
      PartyUse u;
      if (rng_.Chance(0.5)) {
        u.party = &rng_.Pick(g_.known_parties_);
      } else {
        u.party = &rng_.Pick(g_.communes_);
        commune_ = u.party;
        u.local_name = Expand(Pick("local_pattern"));
      }
      bool distinct = true;
      for (int j = 0; j < i; ++j) {
        if (parties_[j].party == u.party) distinct = false;
      }
      if (distinct) return u;
    }
  }

  std::string SpecialtyForm(size_t i) {
    const auto& forms = g_.specialties_[i];
    return forms.size() > 1 && rng_.Chance(0.25) ? forms[1 + rng_.Below(forms.size() - 1)] : forms[0];
  }

  // The canonical name on first use; later, sometimes an alias.
  std::string Name(int i) {
    PartyUse& u = parties_[i];
    if (!u.local_name.empty()) return u.local_name;
    const auto& names = u.party->names;
    bool alias = u.uses++ > 0 && names.size() > 1 && rng_.Chance(0.3);
    return alias ? names[1 + rng_.Below(names.size() - 1)] : names[0];
  }

  std::string ArticleOf(const std::string& name) const {
    std::string first = name.substr(0, name.find(' '));
    auto it = g_.articles_.find(first);
    if (it == g_.articles_.end()) return "";
    if ((it->second == "le" || it->second == "la") && StartsWithVowel(name)) return "l'";
    return it->second;
  }

  std::string WithArticle(const std::string& name, std::string_view form) {
    std::string art = ArticleOf(name);
    if (form == "LE") return art.empty() ? name : art == "l'" ? art + name : art + " " + name;
    if (form == "DU") {
      if (art == "le") return "du " + name;
      if (art == "la") return "de la " + name;
      if (art == "l'") return "de l'" + name;
        return DeForm(name);
    }
    // AU
    if (art == "le") return "au " + name;
    if (art == "la") return "à la " + name;
    if (art == "l'") return "à l'" + name;
    return "à " + name;
  }

  std::string Value(std::string_view key) {
    auto party_index = [](char c) { return c - 'A'; };
    char last = key.back();
    bool party_suffix = key.size() >= 1 && (last == 'A' || last == 'B' || last == 'C') &&
                        (key.size() == 1 || key[key.size() - 2] == '_');
    if (party_suffix) {
      int i = party_index(last);
      std::string_view head = key.substr(0, key.size() == 1 ? 0 : key.size() - 2);
      const auto& p = *parties_[i].party;
      if (head.empty()) return Name(i);
      if (head == "LE" || head == "DU" || head == "AU") {
        std::string name = Name(i);
        // "les Hospices Civils" contracts as a whole: "des Hospices Civils".
        if (ArticleOf(name) == "les") {
          std::string art = head == "LE" ? "les " : head == "DU" ? "des " : "aux ";
          return art + name;
        }
        return WithArticle(name, head);
      }
      if (head == "CITY") return p.city;
      if (head == "DE_CITY") return DeForm(p.city);
      if (head == "A_CITY") return AForm(p.city);
      if (head == "REGION") return p.region;
    }
    if (key == "SPEC") return specs_[0];
    if (key == "SPEC2") return specs_[1];
    if (key == "DE_SPEC") return (StartsWithVowel(specs_[0]) ? "d'" : "de ") + specs_[0];
    if (key == "DE_SPEC2") return (StartsWithVowel(specs_[1]) ? "d'" : "de ") + specs_[1];
    if (key == "LA_SPEC") return WithDefiniteArticle(specs_[0]);
    if (key == "LA_SPEC2") return WithDefiniteArticle(specs_[1]);
    if (key == "DATE") return FullDate(day_, month_, year_);
    if (key == "DATE2") return FullDate(rng_.Between(1, 28), rng_.Between(1, 12), year_ + rng_.Between(1, 2));
    if (key == "DATE_NUM") return fmt::format("{:02}/{:02}/{}", day_, month_, year_);
    if (key == "MONTH_YEAR") return g_.months_[rng_.Below(12)] + " " + std::to_string(year_ - rng_.Between(0, 1));
    if (key == "YEAR") return std::to_string(year_ - rng_.Between(1, 8));
    if (key == "YEAR2") return std::to_string(year_ + rng_.Between(1, 3));
    // N2 follows the N before it: "passé de {N} à {N2}".
    if (key == "N") return std::to_string(n_ = rng_.Between(2, 40));
    if (key == "N2") return std::to_string(n_ + rng_.Between(1, 25));
    if (key == "NB") return WithThousands(rng_.Between(12, 980) * 10 + rng_.Between(0, 9));
    if (key == "NM") {
      int whole = rng_.Between(2, 60);
      return rng_.Chance(0.5) ? fmt::format("{},{} millions", whole, rng_.Between(1, 9))
                              : fmt::format("{} millions", whole);
    }
    if (key == "PCT") {
      return rng_.Chance(0.3) ? fmt::format("{},{}", rng_.Between(3, 64), rng_.Between(1, 9))
                              : std::to_string(rng_.Between(3, 65));
    }
    if (key == "PERSON" || key == "PERSON2") {
      person_ = rng_.Below(g_.first_names_.size());
      return Expand(Pick("person"));
    }
    if (key == "FIRST") return g_.first_names_[person_].first;
    if (key == "CIVILITY") return g_.first_names_[person_].second ? "Mme" : "M.";
    if (key == "SURNAME") return Pick("surname");
    if (key == "ROLE" || key == "ROLE2") return Expand(Pick("role"));
    if (key == "SITE") return Pick("site");
    if (key == "NUMBER_WORD") return rng_.Pick(g_.number_words_);
    if (key == "COMMUNE") return commune_->city;
    if (key == "DE_COMMUNE") return DeForm(commune_->city);
    return "{" + std::string(key) + "}";  // Create() rejects unknown keys; kept visible if ever missed
  }

  std::string FullDate(int day, int month, int year) const {
    return fmt::format("{} {} {}", day == 1 ? "1er" : std::to_string(day), g_.months_[month - 1], year);
  }

  std::string Expand(std::string_view shape) {
    std::string out;
    size_t pos = 0;
    while (pos < shape.size()) {
      size_t open = shape.find('{', pos);
      if (open == std::string_view::npos) break;
      size_t close = shape.find('}', open);
      if (close == std::string_view::npos) break;
      out.append(shape.substr(pos, open - pos));
      out += Value(shape.substr(open + 1, close - open - 1));
      pos = close + 1;
    }
    out.append(shape.substr(std::min(pos, shape.size())));
    return out;
  }

  std::string Sentence(std::string_view shape) {
    std::string s = Expand(shape);
    CapitalizeFirst(s);
    return s;
  }

  const std::string& Pick(std::string_view slot) { return rng_.Pick(g_.slots_.find(slot)->second); }

  std::vector<const std::string*> Shuffled(std::string_view slot) {
    const auto& texts = g_.slots_.find(slot)->second;
    std::vector<const std::string*> out;
    for (const auto& t : texts) out.push_back(&t);
    for (size_t i = out.size(); i > 1; --i) std::swap(out[i - 1], out[rng_.Below(i)]);
    return out;
  }

  std::string Html(const std::string& title, const std::string& dateline,
                   const std::vector<std::string>& top, const std::vector<std::string>& paragraphs,
                   const std::vector<std::string>& bottom, const std::string& teaser_heading,
                   const std::vector<std::string>& teasers) {
    const std::string site = Pick("site");
    std::string h = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += fmt::format("<title>{} | {}</title>\n", HtmlEscape(title), HtmlEscape(site));
    h += fmt::format("<meta property=\"og:title\" content=\"{}\">\n", HtmlEscape(title));
    h += fmt::format("<meta property=\"article:published_time\" content=\"{}-{:02}-{:02}T09:00:00+01:00\">\n",
                     year_, month_, day_);
    h += "<link rel=\"stylesheet\" href=\"/assets/site.css\">\n<script src=\"/assets/site.js\"></script>\n";
    h += "</head>\n<body>\n<header role=\"banner\">\n<nav>\n<ul>\n";
    const auto& links = g_.slots_.find("nav")->second;
    for (size_t i = 0; i < links.size(); ++i) {
      h += fmt::format("<li><a href=\"/rubrique-{}\">{}</a></li>\n", i, HtmlEscape(links[i]));
    }
    h += "</ul>\n</nav>\n<form role=\"search\"><input type=\"search\" name=\"q\"><button>Rechercher</button></form>\n";
    for (const auto& line : top) h += fmt::format("<div class=\"toolbar\">{}</div>\n", HtmlEscape(line));
    h += "</header>\n<main>\n<article>\n";
    h += fmt::format("<h1>{}</h1>\n<p class=\"date\">{}</p>\n", HtmlEscape(title), HtmlEscape(dateline));
    for (const auto& p : paragraphs) h += fmt::format("<p>{}</p>\n", HtmlEscape(p));
    for (const auto& line : bottom) h += fmt::format("<p class=\"share\">{}</p>\n", HtmlEscape(line));
    h += "</article>\n";
    if (!teaser_heading.empty()) {
      h += fmt::format("<aside>\n<h2>{}</h2>\n<ul>\n", HtmlEscape(teaser_heading));
      for (const auto& t : teasers) h += fmt::format("<li><a href=\"/article\">{}</a></li>\n", HtmlEscape(t));
      h += "</ul>\n</aside>\n";
    }
    h += fmt::format("</main>\n<footer role=\"contentinfo\"><p>© {} {}</p><p>Mentions légales</p></footer>\n",
                     year_, HtmlEscape(site));
    h += "</body>\n</html>\n";
    return h;
  }

  const ArticleGenerator& g_;
  Rng rng_;
  uint64_t index_;
  std::array<PartyUse, 3> parties_;
  const ArticleGenerator::Party* commune_ = nullptr;
  std::array<std::string, 2> specs_;
  size_t person_ = 0;
  int year_ = 0, month_ = 0, day_ = 0, n_ = 2;
};

Result<ArticleGenerator> ArticleGenerator::Create(const Lexicons& lexicons, uint64_t seed) {
  ArticleGenerator g;
  g.seed_ = seed;
  auto phrases = LexiconTable::Parse("tests/bench/article_phrases.tsv", EmbeddedArticlePhrases());
  if (!phrases.ok()) return phrases.status();
  for (const LexiconRow& row : phrases.value().rows()) {
    std::string slot(row.Get("slot"));
    std::string text(row.Get("text"));
    if (slot == "article") {
      g.articles_[text] = std::string(row.Get("extra"));
    } else if (slot == "first_name") {
      g.first_names_.emplace_back(text, row.Get("extra") == "f");
    } else {
      size_t pos = 0;
      while ((pos = text.find('{', pos)) != std::string::npos) {
        size_t close = text.find('}', pos);
        std::string key = text.substr(pos + 1, close == std::string::npos ? 0 : close - pos - 1);
        if (close == std::string::npos || !KnownPlaceholders().count(key)) {
          return Status::UserError(fmt::format("tests/bench/article_phrases.tsv:{}: unknown placeholder in \"{}\"",
                                               row.line(), text));
        }
        pos = close;
      }
      g.slots_[slot].push_back(std::move(text));
    }
  }
  for (const char* slot : {"title", "lead", "body", "filler", "quote", "closing", "role", "dateline",
                           "chrome_top", "chrome_bottom", "photo_credit", "teaser_heading", "site", "nav",
                           "local_pattern", "person", "surname"}) {
    if (g.slots_[slot].empty()) {
      return Status::UserError(fmt::format("tests/bench/article_phrases.tsv: no row of slot '{}'", slot));
    }
  }
  if (g.first_names_.empty()) return Status::UserError("tests/bench/article_phrases.tsv: no first_name row");

  std::map<std::string, std::string> region_of;
  for (const LexiconRow& row : lexicons.Table("communes").rows()) {
    std::string name(row.Get("name"));
    std::string region(row.Get("region"));
    region_of.emplace(name, region);  // the first of homonyms, by INSEE code
    std::string_view pop = row.Get("population");
    if (!pop.empty() && std::stoll(std::string(pop)) >= kMinHospitalTownPopulation) {
      g.communes_.push_back({{}, name, region});
    }
  }
  for (const LexiconRow& row : lexicons.Table("establishments").rows()) {
    Party p;
    p.names.emplace_back(row.Get("name"));
    for (std::string_view alias : SplitBars(row.Get("aliases"))) p.names.emplace_back(alias);
    p.city = std::string(row.Get("city"));
    auto it = region_of.find(p.city);
    p.region = it != region_of.end() ? it->second : "";
    g.known_parties_.push_back(std::move(p));
  }
  for (const LexiconRow& row : lexicons.Table("specialties").rows()) {
    std::vector<std::string> forms{std::string(row.Get("name"))};
    for (std::string_view s : SplitBars(row.Get("synonyms"))) forms.emplace_back(s);
    g.specialties_.push_back(std::move(forms));
  }
  g.months_.resize(12);
  for (const LexiconRow& row : lexicons.Table("months").rows()) {
    int n = std::stoi(std::string(row.Get("number")));
    if (n >= 1 && n <= 12) g.months_[n - 1] = std::string(row.Get("name"));
  }
  for (const LexiconRow& row : lexicons.Table("number_words").rows()) {
    int value = std::stoi(std::string(row.Get("value")));
    if (row.Get("role") == "unit" && value >= 2 && value <= 6) g.number_words_.emplace_back(row.Get("word"));
  }
  if (g.communes_.size() < 3 || g.known_parties_.size() < 3 || g.specialties_.size() < 2 ||
      g.number_words_.empty() ||
      std::any_of(g.months_.begin(), g.months_.end(), [](const std::string& m) { return m.empty(); })) {
    return Status::UserError("lexicons: too few communes, establishments, specialties, months or number words");
  }
  return g;
}

GeneratedFile ArticleGenerator::Generate(uint64_t index) const { return ArticleWriter(*this, index).Write(); }

}  // namespace coopkb
