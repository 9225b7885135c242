#include "extractors/counts/decimal.h"

#include <string>

namespace coopkb {

bool Decimal::Parse(std::string_view integer, std::string_view fraction, Decimal* out) {
  if (integer.size() + fraction.size() > 17 || integer.size() + fraction.size() == 0) {
    return false;
  }
  Decimal d;
  for (char c : integer) d.mantissa_ = d.mantissa_ * 10 + (c - '0');
  for (char c : fraction) d.mantissa_ = d.mantissa_ * 10 + (c - '0');
  d.decimals_ = static_cast<int>(fraction.size());
  d.Normalize();
  *out = d;
  return true;
}

void Decimal::Normalize() {
  while (decimals_ > 0 && mantissa_ % 10 == 0) {
    mantissa_ /= 10;
    --decimals_;
  }
}

std::string Decimal::ToString() const {
  std::string digits = std::to_string(mantissa_);
  if (decimals_ == 0) return digits;
  size_t places = static_cast<size_t>(decimals_);
  if (digits.size() <= places) digits = std::string(places - digits.size() + 1, '0') + digits;
  size_t point = digits.size() - places;
  return digits.substr(0, point) + "." + digits.substr(point);
}

}  // namespace coopkb
