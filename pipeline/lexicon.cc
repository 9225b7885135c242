#include "pipeline/lexicon.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

namespace coopkb {

std::vector<std::string_view> SplitBars(std::string_view cell) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= cell.size()) {
    size_t bar = cell.find('|', pos);
    std::string_view item = cell.substr(pos, bar == std::string_view::npos ? cell.npos : bar - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.push_back(item);
    if (bar == std::string_view::npos) break;
    pos = bar + 1;
  }
  return out;
}


std::string_view LexiconRow::Get(std::string_view column) const {
  int i = table_->ColumnIndex(column);
  if (i < 0) {
    std::cerr << "internal error: lexicon " << table_->file() << " has no column '" << column
              << "'\n";
    std::abort();
  }
  return static_cast<size_t>(i) < cells_.size() ? std::string_view(cells_[i]) : std::string_view();
}

int LexiconTable::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::string_view c = columns_[i];
    if (!c.empty() && c.back() == '?') c.remove_suffix(1);
    if (c == column) return static_cast<int>(i);
  }
  return -1;
}

LexiconTable& LexiconTable::operator=(const LexiconTable& other) {
  file_ = other.file_;
  columns_ = other.columns_;
  rows_ = other.rows_;
  Rebind();
  return *this;
}

LexiconTable& LexiconTable::operator=(LexiconTable&& other) noexcept {
  file_ = std::move(other.file_);
  columns_ = std::move(other.columns_);
  rows_ = std::move(other.rows_);
  Rebind();
  return *this;
}

void LexiconTable::Rebind() {
  for (auto& row : rows_) row.table_ = this;
}

namespace {
std::vector<std::string> SplitTabs(std::string_view line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    out.emplace_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos
                                                                       : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}
}  // namespace

Status LexiconTable::Conform(const LexiconTable& like) {
  for (const std::string& column : like.columns_) {
    std::string_view name = column;
    bool optional = !name.empty() && name.back() == '?';
    if (optional) name.remove_suffix(1);
    if (ColumnIndex(name) >= 0) continue;
    if (!optional) {
      std::string expected;
      for (const std::string& c : like.columns_) expected += (expected.empty() ? "" : ", ") + c;
      return Status::UserError(fmt::format("{}: missing column '{}' (the header needs: {})", file_, name, expected));
    }
    columns_.push_back(column);  // past every row's cells: Get gives ""
  }
  return Status::Ok();
}

Result<LexiconTable> LexiconTable::Parse(std::string_view file, std::string_view content) {
  LexiconTable table;
  table.file_ = std::string(file);
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  size_t required = 0;
  size_t line_no = 0;
  size_t pos = 0;
  bool have_header = false;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    std::string_view line = content.substr(pos, nl == std::string_view::npos ? content.size() - pos
                                                                             : nl - pos);
    pos = nl == std::string_view::npos ? content.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells = SplitTabs(line);
    if (!have_header) {
      table.columns_ = std::move(cells);
      for (const auto& c : table.columns_) {
        if (c.empty()) {
          return Status::UserError(fmt::format("{}:{}: empty column name in header", file, line_no));
        }
        if (c.back() != '?') required = (&c - table.columns_.data()) + 1;
      }
      have_header = true;
      continue;
    }
    if (cells.size() > table.columns_.size()) {
      return Status::UserError(fmt::format("{}:{}: expected {} columns, found {}", file, line_no,
                                           table.columns_.size(), cells.size()));
    }
    if (cells.size() < required) {
      return Status::UserError(fmt::format("{}:{}: expected at least {} columns, found {}", file,
                                           line_no, required, cells.size()));
    }
    if (cells[0].empty()) {
      return Status::UserError(fmt::format("{}:{}: the first column is empty", file, line_no));
    }
    LexiconRow row;
    row.cells_ = std::move(cells);
    row.line_ = line_no;
    table.rows_.push_back(std::move(row));
  }
  if (!have_header) return Status::UserError(fmt::format("{}: no header row", file));
  table.Rebind();
  return table;
}

Result<Lexicons> Lexicons::Load(const std::string& override_dir) {
  Lexicons lex;
  for (const EmbeddedLexicon& e : EmbeddedLexicons()) {
    auto table = LexiconTable::Parse(fmt::format("lexicons/{}.tsv", e.name),
                                     std::string_view(e.data, e.size));
    if (!table.ok()) return Status::Internal("embedded " + table.status().message());
    lex.tables_[e.name] = std::move(table).value();
  }
  if (override_dir.empty()) return lex;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(override_dir, ec)) {
    return Status::UserError(fmt::format("{}: lexicon folder not found", override_dir));
  }
  for (const auto& entry : fs::directory_iterator(override_dir, ec)) {
    if (entry.path().extension() != ".tsv") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) return Status::UserError(fmt::format("{}: cannot read", entry.path().string()));
    std::stringstream ss;
    ss << in.rdbuf();
    auto table = LexiconTable::Parse(entry.path().string(), ss.str());
    if (!table.ok()) return table.status();
    std::string name = entry.path().stem().string();
    if (auto embedded = lex.tables_.find(name); embedded != lex.tables_.end()) {
      if (Status s = table.value().Conform(embedded->second); !s.ok()) return s;
    }
    lex.tables_[name] = std::move(table).value();
  }
  if (ec) return Status::UserError(fmt::format("{}: {}", override_dir, ec.message()));
  return lex;
}

const LexiconTable& Lexicons::Table(std::string_view name) const {
  auto it = tables_.find(name);
  if (it == tables_.end()) {
    std::cerr << "internal error: no lexicon named '" << name << "'\n";
    std::abort();
  }
  return it->second;
}

bool Lexicons::Has(std::string_view name) const { return tables_.find(name) != tables_.end(); }

std::vector<std::string> Lexicons::Names() const {
  std::vector<std::string> out;
  for (const auto& [name, table] : tables_) out.push_back(name);
  return out;
}

}  // namespace coopkb
