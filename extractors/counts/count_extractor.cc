#include "extractors/counts/count_extractor.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "extractors/counts/counted_phrase.h"
#include "extractors/counts/written_number.h"
#include "extractors/dates/folded_tokens.h"
#include "extractors/dates/folded_view.h"

namespace coopkb {
namespace {

struct FoundCount {
  size_t begin = 0, end = 0;            // folded span of the whole count
  size_t unit_begin = 0, unit_end = 0;  // folded span of the counted phrase
  std::string literal_unit;             // "%", "€": used instead of the span
  Decimal value;
};

bool IsMarkToken(const Token& t, char c) {
  return t.kind == TokenKind::kMark && t.text.size() == 1 && t.text[0] == c;
}

// The rules for one document.
class CountReader {
 public:
  CountReader(const CountWords& words, const FoldedView& folded, const Document& doc)
      : w_(words), ft_(folded), f_(folded.folded()),
        original_(doc.text), phrases_(words, folded, doc.text) {
    // Numbers inside dates and establishment names are not counts.
    for (const Mention& m : doc.mentions) {
      if (m.kind == MentionKind::kDate || m.kind == MentionKind::kEstablishment) {
        taken_.push_back(m.span);
      }
    }
    // Merged into disjoint spans in text order, so that Taken() is a binary
    // search: a long text has thousands of dates and names.
    std::sort(taken_.begin(), taken_.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    size_t merged = 0;
    for (const Span& t : taken_) {
      if (merged > 0 && t.begin < taken_[merged - 1].end) {
        taken_[merged - 1].end = std::max(taken_[merged - 1].end, t.end);
      } else {
        taken_[merged++] = t;
      }
    }
    taken_.resize(merged);
  }

  std::vector<FoundCount> Run() {
    // Candidates: every run of digits, and every word that is a number word
    // ("deux", "vingt" of "vingt-deux") or an article before a multiplier
    // ("un million"). A plain scan with bucketed word look-ups: cheaper than a
    // regular expression over every byte.
    size_t n = f_.size();
    size_t i = 0;
    while (i < n) {
      char c = f_[i];
      if (IsAsciiDigit(c)) {
        Token first = NextToken(f_, i);
        if (first.begin >= consumed_) Try(first);
        i = std::max(consumed_, first.end);
        continue;
      }
      if (!IsAsciiLetter(c)) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < n && IsAsciiLetter(f_[j])) ++j;
      bool word_start = i == 0 || !(IsAsciiLetter(f_[i - 1]) ||
                                    static_cast<unsigned char>(f_[i - 1]) >= 0x80);
      if (word_start && i >= consumed_ && (j >= n || static_cast<unsigned char>(f_[j]) < 0x80) &&
          w_.Number(f_.substr(i, j - i))) {
        Try(NextToken(f_, i));
        j = std::max(j, consumed_);
      }
      i = j;
    }
    return std::move(found_);
  }

 private:
  bool Taken(size_t begin, size_t end) const {
    Span s = ft_.ToOriginal(Span{begin, end});
    auto first_ending_after = std::upper_bound(taken_.begin(), taken_.end(), s.begin,
                                               [](size_t pos, const Span& t) { return pos < t.end; });
    return first_ending_after != taken_.end() && first_ending_after->begin < s.end;
  }

  // The word right before `pos`, skipping an abbreviation's period ("art. 6").
  Token WordBefore(size_t pos) const {
    Token p = PrevToken(f_, pos);
    if (IsMarkToken(p, '.')) p = PrevToken(f_, p.begin);
    return p;
  }

  // Written with a capital in mid-sentence, a number word is part of a name:
  // "l'hôpital des Quinze-Vingts", "les Trois Épis".
  bool NameWord(const WrittenNumber& n) const {
    Token t = NextToken(f_, n.begin);
    if (CaseOf(ft_, original_, t) != WordCase::kCapitalized) return false;
    Token p = PrevToken(f_, n.begin);
    return p.is_word() || p.is_number() || IsMarkToken(p, ',');
  }

  // "un bâtiment neuf": a one-word number that is also an adjective counts only
  // after a determiner, a preposition or punctuation ("les neuf sites").
  bool AdjectiveWord(const WrittenNumber& n) const {
    Token t = NextToken(f_, n.begin);
    if (t.end != n.end) return false;  // "dix-neuf", "vingt-neuf"
    const NumberWord* w = w_.Number(t.text);
    if (!w || !w->ambiguous) return false;
    Token p = PrevToken(f_, n.begin);
    return p.is_word() && !w_.IsStopWord(p.text);
  }

  // Digits right after an acronym or a capitalised word in mid-sentence name
  // something: "ISO 9001", "RN 7", "Paris 13", "Horizon 2020". Not when a
  // plural noun in lower case follows, which they count: "assurent au CH de
  // Dax 4 demi-journées".
  bool NamedNumber(const WrittenNumber& n, const Token& before) const {
    if (n.in_words || !before.is_word() || before.end == n.begin) return false;
    if (PrevToken(f_, n.begin).begin != before.begin) return false;  // "art. 6" is a cue
    if (n.digits <= 3 && !n.leading_zero) {
      Token next = NextToken(f_, n.end);
      if (next.is_word() && next.text.size() >= 4 && (next.text.back() == 's' || next.text.back() == 'x') &&
          !w_.IsStopWord(next.text) && CaseOf(ft_, original_, next) == WordCase::kLower) {
        return false;
      }
    }
    WordCase c = CaseOf(ft_, original_, before);
    if (c == WordCase::kUpper) return true;
    if (c != WordCase::kCapitalized) return false;
    Token p = PrevToken(f_, before.begin);
    return p.is_word() || p.is_number() || IsMarkToken(p, ',');
  }

  // "4.2 Les centres hospitaliers", "2.10 Perspectives": a heading's number at the
  // start of a line, its parts joined by periods. French decimals take a comma,
  // and a period before three digits groups thousands ("1.500 soignants").
  bool SectionNumber(const WrittenNumber& n) const {
    if (n.in_words) return false;
    size_t p = n.begin;
    while (p > 0 && (f_[p - 1] == ' ' || f_[p - 1] == '\t')) --p;
    if (p > 0 && f_[p - 1] != '\n') return false;
    std::string_view text = f_.substr(n.begin, n.end - n.begin);
    size_t dot = text.find('.');
    if (dot == std::string_view::npos) return false;
    for (size_t part = dot; part != std::string_view::npos;) {
      size_t next = text.find('.', part + 1);
      size_t len = (next == std::string_view::npos ? text.size() : next) - part - 1;
      if (len == 0 || len > 2) return false;
      part = next;
    }
    return true;
  }

  // A key figure of a report, alone on its line with its label before a colon:
  // "Lits et places : 1 250". The label is the counted phrase. [number_begin,
  // number_end) is the number as read, multiplier included.
  bool ReadKeyFigure(size_t number_begin, size_t number_end, FoundCount* c) const {
    size_t e = number_end;
    while (e < f_.size() && (f_[e] == ' ' || f_[e] == '\t' || f_[e] == '\r')) ++e;
    if (e < f_.size() && f_[e] != '\n') return false;
    size_t p = number_begin;
    while (p > 0 && f_[p - 1] == ' ') --p;
    if (p == 0 || f_[p - 1] != ':') return false;
    size_t colon = p - 1;
    size_t line = f_.rfind('\n', colon);
    size_t begin = line == std::string_view::npos ? 0 : line + 1;
    while (begin < colon && f_[begin] == ' ') ++begin;
    size_t end = colon;
    while (end > begin && f_[end - 1] == ' ') --end;
    if (begin >= end || !IsAsciiLetter(f_[begin])) return false;
    // A short label of words: not a sentence, a code ("Tél : 03 ..."), nor a name.
    // A label names what is counted without an article; "Le directeur a dit : 12"
    // is a quotation.
    Token first = NextToken(f_, begin);
    for (std::string_view article : {"le", "la", "les", "l'", "un", "une", "il", "elle", "on"}) {
      if (first.is(article)) return false;
    }
    int words = 0;
    for (size_t k = begin; k < end;) {
      Token t = NextToken(f_, k);
      if (t.kind == TokenKind::kEnd || t.begin >= end) break;
      if (t.is_number() || (t.is_word() && w_.IsIdentifierCue(t.text))) return false;
      if (t.is_word() && ++words > 6) return false;
      k = t.end;
    }
    if (words == 0 || Taken(begin, end)) return false;
    c->begin = begin;
    c->unit_begin = begin;
    c->unit_end = end;
    c->end = number_end;
    return true;
  }

  // "un million de", "une centaine"... only the first: "un"/"une" is otherwise an article.
  std::optional<WrittenNumber> ReadArticleMultiplier(const Token& t) const {
    const NumberWord* article = w_.Number(t.text);
    if (!article || article->role != NumberRole::kArticle) return std::nullopt;
    Token next = NextToken(f_, t.end);
    const NumberWord* mult = w_.Number(next.text);
    if (!next.is_word() || !mult || mult->role != NumberRole::kMultiplier) return std::nullopt;
    WrittenNumber n;
    n.begin = t.begin;
    n.end = t.end;
    n.in_words = true;
    n.value = Decimal(1);
    return n;
  }

  void Try(const Token& first) {
    std::optional<WrittenNumber> n = ReadArticleMultiplier(first);
    if (!n) n = ReadWrittenNumber(f_, first, w_);
    if (!n) return;
    consumed_ = n->end;
    if (n->leading_zero) return;
    Token number_token{first.kind, n->begin, n->end, f_.substr(n->begin, n->end - n->begin)};
    if (GluedBefore(f_, number_token)) return;
    Token before = WordBefore(n->begin);
    if (before.is_word() && w_.IsIdentifierCue(before.text)) return;
    if (Taken(n->begin, n->end)) return;
    if (n->in_words && NameWord(*n)) return;
    if (n->in_words && AdjectiveWord(*n)) return;
    if (SectionNumber(*n)) return;
    auto symbol = w_.symbols().MatchAfter(f_, n->end);
    // "rembourse au CHU 50 % du coût": a percentage or an amount names nothing.
    if (!symbol && NamedNumber(*n, before)) return;

    FoundCount c;
    c.begin = n->begin;
    c.value = n->value;
    if (symbol) {
      Token after = NextToken(f_, n->end);
      bool attached_word = after.begin == n->end && after.is_word();
      if (!attached_word || symbol->end == after.end) {
        ReadSymbol(*symbol, &c);
        return;
      }
    }
    if (GluedAfter(f_, n->end)) return;  // "3e", "11h30", "15-20", "4G"

    size_t end = n->end;
    Token next = NextToken(f_, end);
    bool multiplied = false;
    if (const NumberWord* m = next.is_word() ? w_.Number(next.text) : nullptr;
        m && (m->role == NumberRole::kMultiplier ||
              (m->role == NumberRole::kThousand && !n->in_words))) {
      if (!c.value.Scale(m->value)) return;
      end = next.end;
      multiplied = m->role == NumberRole::kMultiplier;
      if (auto symbol = w_.symbols().MatchAfter(f_, end)) {  // "2 millions €"
        ReadSymbol(*symbol, &c);
        return;
      }
      next = NextToken(f_, end);
      if (multiplied) {  // "4,2 millions de personnes"
        if (!(next.is("de") || next.is("d'"))) return;
        next = NextToken(f_, next.end);
      }
    }
    for (int skipped = 0; skipped < 2 && next.is_word() && w_.IsPreNominal(next.text);
         ++skipped) {
      Token after = NextToken(f_, next.end);
      if (!after.is_word()) break;
      next = after;
    }
    CountedPhraseReader::Context context;
    context.before_number = before.is_word() ? before.text : std::string_view();
    context.value_is_one = n->value.TakesSingular();
    // "21000 Dijon", "en 2016 Lille": plain codes and years only count lower-case nouns.
    context.lower_case_head = n->plain && n->digits >= 4;
    auto np = phrases_.Read(next, context);
    if (!np) {
      if (ReadKeyFigure(n->begin, end, &c)) {
        consumed_ = c.end;
        found_.push_back(std::move(c));
      }
      return;
    }
    c.unit_begin = np->begin;
    c.unit_end = np->end;
    c.end = np->end;
    consumed_ = c.end;
    found_.push_back(std::move(c));
  }

  // A number with its symbol: "88 %", "6,1 pour cent", "1,5 M€". A percentage
  // keeps what it is a percentage of in its span: "88 % des CHU".
  void ReadSymbol(const PhraseList::Match& symbol, FoundCount* c) {
    const CountSymbol& s = w_.symbol(symbol.tag);
    if (!c->value.Scale(s.scale)) return;
    c->literal_unit = s.unit;
    c->end = symbol.end;
    if (s.unit == "%") {
      Token of = NextToken(f_, symbol.end);
      if (of.is("de") || of.is("d'") || of.is("des") || of.is("du")) {
        Token head = NextToken(f_, of.end);
        if (of.is("de") && (head.is("la") || head.is("l'"))) head = NextToken(f_, head.end);
        if (auto np = phrases_.Read(head, CountedPhraseReader::Context{})) c->end = np->end;
      }
    }
    consumed_ = c->end;
    found_.push_back(std::move(*c));
  }

  const CountWords& w_;
  const FoldedView& ft_;
  std::string_view f_;
  std::string_view original_;
  CountedPhraseReader phrases_;
  std::vector<Span> taken_;
  std::vector<FoundCount> found_;
  size_t consumed_ = 0;
};

}  // namespace

Result<std::unique_ptr<Extractor>> CountExtractor::Create(const Lexicons& lexicons) {
  auto words = CountWords::Load(lexicons);
  if (!words.ok()) return words.status();
  return std::unique_ptr<Extractor>(new CountExtractor(std::move(words).value()));
}

void CountExtractor::Extract(Document& doc) const {
  const FoldedView& folded = SharedFoldedView(doc.text);
  CountReader reader(words_, folded, doc);
  for (const FoundCount& c : reader.Run()) {
    Mention m;
    m.kind = MentionKind::kCount;
    m.span = folded.ToOriginal(Span{c.begin, c.end});
    m.value = c.value.ToString();
    if (c.literal_unit.empty()) {
      Span unit = folded.ToOriginal(Span{c.unit_begin, c.unit_end});
      m.unit = doc.text.substr(unit.begin, unit.size());
    } else {
      m.unit = c.literal_unit;
    }
    doc.mentions.push_back(std::move(m));
  }
}

}  // namespace coopkb
