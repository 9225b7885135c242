#include "pipeline/csv_writer.h"

namespace coopkb {

CsvWriter::CsvWriter(std::ostream& out, bool excel) : out_(out), separator_(excel ? ';' : ',') {
  if (excel) out_ << "\xEF\xBB\xBF";
}

void CsvWriter::Row(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out_ << separator_;
    const std::string& f = fields[i];
    bool quote = f.find_first_of(std::string("\"\r\n") + separator_) != std::string::npos ||
                 (!f.empty() && (f.front() == ' ' || f.back() == ' '));
    if (!quote) {
      out_ << f;
      continue;
    }
    out_ << '"';
    for (char c : f) {
      if (c == '"') out_ << '"';
      out_ << c;
    }
    out_ << '"';
  }
  out_ << "\r\n";
}

}  // namespace coopkb
