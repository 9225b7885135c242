// CsvWriter: RFC 4180 CSV (quoted fields where needed, CRLF line ends).
//
//   CsvWriter csv(std::cout, /*excel=*/false);
//   csv.Row({"id", "name"});
//   csv.Row({"1", "CHU de Lille"});
//
// excel=true writes what French spreadsheet programs expect: a UTF-8 byte
// order mark first and ';' between fields.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace coopkb {

class CsvWriter {
 public:
  CsvWriter(std::ostream& out, bool excel);
  void Row(const std::vector<std::string>& fields);

 private:
  std::ostream& out_;
  char separator_;
};

}  // namespace coopkb
