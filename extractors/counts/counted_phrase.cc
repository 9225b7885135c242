#include "extractors/counts/counted_phrase.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace coopkb {
namespace {

constexpr int kMaxAdjectives = 4;
constexpr int kMaxComplements = 3;

}  // namespace

WordCase CaseOf(const FoldedView& folded, std::string_view original, const Token& t) {
  Span s = folded.ToOriginal(Span{t.begin, t.end});
  const uint8_t* p = reinterpret_cast<const uint8_t*>(original.data());
  int32_t i = static_cast<int32_t>(s.begin);
  int32_t end = static_cast<int32_t>(std::min(s.end, original.size()));
  int upper = 0, lower = 0;
  bool first_upper = false, first = true;
  while (i < end) {
    if (p[i] < 0x80) {  // in ASCII, ICU's capitals and small letters are A-Z and a-z
      const uint8_t c = p[i++];
      if (c >= 'A' && c <= 'Z') {
        ++upper;
        if (first) first_upper = true;
        first = false;
      } else if (c >= 'a' && c <= 'z') {
        ++lower;
        first = false;
      }
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, end, c);
    if (c < 0) continue;
    if (u_isupper(c)) {
      ++upper;
      if (first) first_upper = true;
    } else if (u_islower(c)) {
      ++lower;
    }
    if (u_isalpha(c)) first = false;
  }
  if (upper == 0 && lower > 0) return WordCase::kLower;
  if (upper > 1 && lower == 0) return WordCase::kUpper;
  if (first_upper) return upper == 1 && lower == 0 ? WordCase::kUpper : WordCase::kCapitalized;
  return WordCase::kOther;
}

bool CountedPhraseReader::IsPhraseWord(const Token& t) const {
  return t.is_word() && IsAsciiLetter(t.text[0]) && !w_.Number(t.text) &&
         !w_.IsDateWord(t.text) && t.text.back() != '\'';
}

std::optional<CountedPhraseReader::Phrase> CountedPhraseReader::Read(
    const Token& head, const Context& context) const {
  if (!IsPhraseWord(head) || head.text.size() < 2) return std::nullopt;
  if (w_.IsNotUnit(head.text, context.before_number)) return std::nullopt;
  WordCase head_case = CaseOf(ft_, original_, head);
  if (head_case == WordCase::kOther) return std::nullopt;
  if (context.lower_case_head && head_case != WordCase::kLower) return std::nullopt;
  bool acronym = head_case == WordCase::kUpper;
  // A plural head with a verb ending is a verb: "les deux signent".
  bool stop = context.value_is_one || acronym ? w_.IsStopWord(head.text) : w_.IsStop(head.text);
  if (stop || w_.IsPreNominal(head.text)) return std::nullopt;

  Phrase np{head.begin, head.end};
  int adjectives = 0, complements = 0;
  while (true) {
    Token t = NextToken(f_, np.end);
    if (IsPhraseWord(t) && !t.is("de") && !w_.IsStop(t.text) && adjectives < kMaxAdjectives &&
        CaseOf(ft_, original_, t) == WordCase::kLower) {
      np.end = t.end;
      ++adjectives;
      continue;
    }
    if ((t.is("de") || t.is("d'")) && complements < kMaxComplements) {
      Token noun = NextToken(f_, t.end);
      if (IsPhraseWord(noun) && !w_.IsStopWord(noun.text) && !w_.IsPreNominal(noun.text) &&
          CaseOf(ft_, original_, noun) == WordCase::kLower) {
        np.end = noun.end;
        ++complements;
        continue;
      }
    }
    break;
  }
  return np;
}

}  // namespace coopkb
