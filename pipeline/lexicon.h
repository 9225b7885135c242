// Lexicons: the editable TSV data files of lexicons/, embedded in the binary.
//
//   Result<Lexicons> lex = Lexicons::Load(override_dir);   // "" = embedded defaults only
//   if (!lex.ok()) { die(lex.status().message()); }          // "x.tsv:12: expected 3 columns, found 2"
//   const LexiconTable& months = lex.value().Table("months");
//   for (const LexiconRow& row : months.rows()) {
//     std::string_view word = row.Get("word");               // column by header name
//   }
//
// File format: UTF-8, one header row of tab-separated column names, then one
// entry per line. Blank lines and lines starting with '#' are skipped. A row
// may have fewer columns than the header when the missing trailing ones are
// optional (declared by a header name ending in '?'); more columns is an error.
//
// Overrides: a file NAME.tsv in the override directory replaces the embedded
// NAME.tsv entirely (copy it, edit it, point --lexicons or COOPKB_LEXICONS at
// the folder). Files that are not overridden keep their embedded defaults.
// An override's header must have every required column of the file it
// replaces (an error names the file and the column); an optional column it
// leaves out is empty in all its rows.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/status.h"

namespace coopkb {

class LexiconTable;

// The items of a '|'-separated list cell, trimmed of spaces, empty ones left out.
std::vector<std::string_view> SplitBars(std::string_view cell);

class LexiconRow {
 public:
  // The named column; "" when the row leaves an optional column out.
  // Asking for a column the header lacks is a programming error (aborts).
  std::string_view Get(std::string_view column) const;
  size_t line() const { return line_; }
  const std::vector<std::string>& cells() const { return cells_; }

 private:
  friend class LexiconTable;
  const LexiconTable* table_ = nullptr;
  std::vector<std::string> cells_;
  size_t line_ = 0;
};

class LexiconTable {
 public:
  // Parses `content`; errors name `file` and the line.
  static Result<LexiconTable> Parse(std::string_view file, std::string_view content);

  const std::string& file() const { return file_; }
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<LexiconRow>& rows() const { return rows_; }
  int ColumnIndex(std::string_view column) const;  // -1 when absent
  // Makes a table read from an override answer for every column of `like`,
  // the embedded table it replaces (see Overrides above).
  Status Conform(const LexiconTable& like);

  LexiconTable() = default;
  LexiconTable(const LexiconTable& other) { *this = other; }
  LexiconTable& operator=(const LexiconTable& other);
  LexiconTable(LexiconTable&& other) noexcept { *this = std::move(other); }
  LexiconTable& operator=(LexiconTable&& other) noexcept;

 private:
  void Rebind();  // rows point back at their table
  std::string file_;
  std::vector<std::string> columns_;
  std::vector<LexiconRow> rows_;
};

class Lexicons {
 public:
  // Embedded defaults, with the files of `override_dir` (when not empty) in place
  // of theirs. An override file that does not parse is an error.
  static Result<Lexicons> Load(const std::string& override_dir = "");

  // The table of NAME.tsv. Asking for a table that does not exist aborts:
  // every table the code uses is embedded.
  const LexiconTable& Table(std::string_view name) const;
  bool Has(std::string_view name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, LexiconTable, std::less<>> tables_;
};

// The embedded files, by name without ".tsv" (generated at build time).
struct EmbeddedLexicon {
  const char* name;
  const char* data;
  size_t size;
};
const std::vector<EmbeddedLexicon>& EmbeddedLexicons();

}  // namespace coopkb
