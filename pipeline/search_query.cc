#include "pipeline/search_query.h"

#include <cctype>

namespace coopkb {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string Quote(std::string_view word) {
  std::string out = "\"";
  for (char c : word) {
    if (c == '"') out += "\"\"";
    else out += c;
  }
  out += '"';
  return out;
}

bool IsColumn(std::string_view w) { return w == "title" || w == "text"; }

}  // namespace

Result<std::string> ToFtsQuery(std::string_view q) {
  std::string out;
  size_t i = 0;
  int depth = 0;
  bool any_term = false;
  auto emit = [&out](std::string_view piece) {
    if (!out.empty() && out.back() != '(' && piece != ")") out += ' ';
    out += piece;
  };
  while (i < q.size()) {
    char c = q[i];
    if (IsSpace(c)) { ++i; continue; }
    if (c == '"') {
      size_t close = q.find('"', i + 1);
      if (close == std::string_view::npos) {
        return Status::UserError("invalid search query: unbalanced quote (\")");
      }
      std::string_view phrase = q.substr(i + 1, close - i - 1);
      std::string piece = Quote(phrase);
      i = close + 1;
      if (i < q.size() && q[i] == '*') { piece += '*'; ++i; }
      emit(piece);
      any_term = true;
      continue;
    }
    if (c == '(') { emit("("); ++depth; ++i; continue; }
    if (c == ')') {
      if (depth == 0) return Status::UserError("invalid search query: unbalanced parenthesis");
      --depth;
      out += ')';
      ++i;
      continue;
    }
    size_t end = i;
    while (end < q.size() && !IsSpace(q[end]) && q[end] != '(' && q[end] != ')' && q[end] != '"') ++end;
    std::string_view word = q.substr(i, end - i);
    i = end;
    if (word == "AND" || word == "OR" || word == "NOT") { emit(word); continue; }
    if (word == "NEAR" && i < q.size() && q[i] == '(') {
      out += out.empty() ? "NEAR(" : " NEAR(";
      ++depth;
      ++i;
      continue;
    }
    if (word.find(':') != std::string_view::npos) {
      size_t colon = word.find(':');
      std::string_view column = word.substr(0, colon);
      if (IsColumn(column)) {
        std::string_view rest = word.substr(colon + 1);
        std::string piece = std::string(column) + ":";
        if (!rest.empty()) piece += Quote(rest);
        out += out.empty() ? piece : " " + piece;
        if (!rest.empty()) any_term = true;
        continue;
      }
    }
    // NEAR(a b, 5): the comma and the distance stay syntax.
    if (word == ",") { out += ','; continue; }
    if (!out.empty() && out.back() == ',' &&
        word.find_first_not_of("0123456789") == std::string_view::npos) {
      emit(word);
      continue;
    }
    bool comma = word.size() > 1 && word.back() == ',';
    if (comma) word.remove_suffix(1);
    bool prefix = word.size() > 1 && word.back() == '*';
    if (prefix) word.remove_suffix(1);
    if (word == "*" || word.empty()) return Status::UserError("invalid search query: '*' must follow a word");
    std::string piece = Quote(word);
    if (prefix) piece += '*';
    if (comma) piece += ',';
    emit(piece);
    any_term = true;
  }
  if (depth != 0) return Status::UserError("invalid search query: unbalanced parenthesis");
  if (!any_term) return Status::UserError("invalid search query: no word to search for");
  return out;
}

}  // namespace coopkb
