// Written numbers: a number as written at a candidate offset of folded text,
// in digits ("207", "600 000", "4,2", "1.500") or in words ("deux",
// "vingt-deux", "quatre-vingt-dix", "deux cent cinquante", "trois mille").
//
//   Token t = NextToken(folded, pos);
//   if (auto n = ReadWrittenNumber(folded, t, words)) {
//     n->value.ToString();   // "600000"
//     n->end;                // folded offset after the last digit or word
//   }
//
// Reading stops where a number ends; whether it is a count is for the caller.
// A hyphenated word that is not wholly a number ("Deux-Sèvres") gives nothing,
// and so does "un"/"une" (an article; "un million" is read by the caller).
#pragma once

#include <optional>
#include <string_view>

#include "extractors/counts/count_words.h"
#include "extractors/counts/decimal.h"
#include "extractors/dates/folded_tokens.h"

namespace coopkb {

struct WrittenNumber {
  size_t begin = 0, end = 0;  // folded offsets
  Decimal value;
  bool in_words = false;
  bool leading_zero = false;  // "03": a phone or code, not a count
  bool plain = false;         // digits only, no separator or decimals ("2016", "21000")
  size_t digits = 0;          // integer digits when written in digits
};

std::optional<WrittenNumber> ReadWrittenNumber(std::string_view folded, const Token& first,
                                               const CountWords& words);

}  // namespace coopkb
