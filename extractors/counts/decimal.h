// Decimal: an exact decimal number as written ("600 000", "4,2", "88"), scaled
// by words ("millions") without floating-point error, printed as the count
// value of a Mention.
//
//   Decimal d = Decimal::Parse("4", "2");   // 4,2
//   d.Scale(1000000);                       // 4,2 millions (false on overflow)
//   d.ToString();                           // "4200000"
//   Decimal::Parse("6", "1").ToString();    // "6.1"
#pragma once

#include <string>
#include <string_view>

namespace coopkb {

class Decimal {
 public:
  Decimal() = default;
  explicit Decimal(long long integer) : mantissa_(integer) {}
  // Integer digits and fraction digits (either may be empty); false on overflow.
  static bool Parse(std::string_view integer, std::string_view fraction, Decimal* out);

  // False, and the value unchanged, when the product does not fit: such a
  // number ("10 000 000 000 000 millions") is no count.
  bool Scale(long long factor) {
    long long product;
    if (__builtin_mul_overflow(mantissa_, factor, &product)) return false;
    mantissa_ = product;
    Normalize();
    return true;
  }
  bool is_zero() const { return mantissa_ == 0; }
  // Below 2, French writes the noun in the singular: "1,5 poste", "1 lit".
  bool TakesSingular() const {
    long long two = 2;
    for (int i = 0; i < decimals_; ++i) {
      if (__builtin_mul_overflow(two, 10, &two)) return true;
    }
    return mantissa_ < two;
  }
  // Shortest decimal form with '.' as separator and no exponent.
  std::string ToString() const;

 private:
  void Normalize();
  long long mantissa_ = 0;
  int decimals_ = 0;  // value = mantissa_ / 10^decimals_
};

}  // namespace coopkb
