#include "pipeline/xml_reader.h"

#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "pipeline/iso_date.h"

namespace coopkb {
namespace {

constexpr std::string_view kTeiNamespace = "http://www.tei-c.org/ns/1.0";

std::string Trimmed(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool IsAny(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (name == n) return true;
  }
  return false;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

class XmlWalker {
 public:
  explicit XmlWalker(std::string_view xml) : out_(xml, MarkupText::kXml) {}

  void Start(std::string_view name, std::string_view uri, int nb_attributes,
             const xmlChar** attributes) {
    if (stack_.empty()) {
      tei_ = name == "TEI" || name == "teiCorpus" || uri == kTeiNamespace;
    }
    Element e;
    e.name = std::string(name);
    e.depth = static_cast<int>(stack_.size()) + 1;
    if (tei_) {
      if (name == "teiHeader") e.counts_header = true;
      if (name == "body" && text_depth_ > 0) e.counts_body = true;
      if (name == "text") e.counts_text = true;
      // Notes and running heads interrupt the sentences they are attached to.
      if (name == "note" || name == "fw") e.counts_aside = true;
      if (header_depth_ > 0) StartTeiHeaderElement(e, name, nb_attributes, attributes);
    } else {
      std::string lower = LowerAscii(name);
      if (title_.empty() && capture_ == nullptr && IsAny(lower, {"title", "titre", "headline"})) {
        capture_ = &title_;
        e.captures = true;
      } else if (published_.empty() && capture_ == nullptr &&
                 IsAny(lower, {"date", "pubdate", "published", "datepublished", "issued",
                               "created", "datepublication", "date_publication"})) {
        capture_ = &date_text_;
        e.captures = true;
      }
    }
    header_depth_ += e.counts_header;
    text_depth_ += e.counts_text;
    body_depth_ += e.counts_body;
    aside_depth_ += e.counts_aside;

    // A paragraph boundary, unless the parent holds text beside its children.
    if (!stack_.empty() && !stack_.back().mixed) BreakOwnedBy(stack_.back().depth);
    // TEI line, column and page beginnings separate words unless marked as
    // falling inside one (break="no").
    if (tei_ && IsAny(name, {"lb", "cb", "pb"}) && !HasAttribute(nb_attributes, attributes, "break", "no")) {
      out_.Space();
    }
    stack_.push_back(std::move(e));
  }

  void End() {
    if (stack_.empty()) return;
    Element& e = stack_.back();
    header_depth_ -= e.counts_header;
    text_depth_ -= e.counts_text;
    body_depth_ -= e.counts_body;
    aside_depth_ -= e.counts_aside;
    if (e.captures) {
      if (capture_ == &date_text_) {
        if (published_.empty()) published_ = NormalizeIsoDate(Trimmed(date_text_));
        date_text_.clear();
      }
      capture_ = nullptr;
    }
    stack_.pop_back();
    if (!stack_.empty() && !stack_.back().mixed) BreakOwnedBy(stack_.back().depth);
  }

  void Characters(std::string_view chars, bool raw) {
    if (capture_ != nullptr) capture_->append(chars);
    if (!stack_.empty()) {
      Element& parent = stack_.back();
      // Text beside child elements makes the parent mixed content: a break
      // at the boundary of one of its children was an inline boundary.
      bool has_text = chars.find_first_not_of(" \t\r\n") != std::string_view::npos;
      bool inline_space = !has_text && !chars.empty() && chars.find('\n') == std::string_view::npos;
      if (has_text || inline_space) {
        parent.mixed = true;
        if (break_owner_ == parent.depth) {
          out_.CancelBreak();
          break_owner_ = -1;
        }
      }
    }
    bool keep = tei_ ? body_depth_ > 0 && aside_depth_ == 0 : true;
    if (raw) {
      out_.RawCharacters(chars, keep);
    } else {
      out_.Characters(chars, keep);
    }
  }

  void Error(const xmlError* error) {
    if (error == nullptr || error->level < XML_ERR_ERROR) return;
    if (error->code == XML_ERR_UNDECLARED_ENTITY || error->code == XML_WAR_UNDECLARED_ENTITY) {
      ++unexpanded_entities_;
      return;
    }
    if (first_error_.empty()) {
      first_error_ = fmt::format("line {}: {}", error->line, Trimmed(error->message ? error->message : ""));
    }
  }

  MarkupDocument Finish() {
    MarkupDocument doc;
    doc.format = tei_ ? "tei" : "xml";
    doc.title = Trimmed(title_);
    doc.published = published_;
    if (unexpanded_entities_ > 0) {
      doc.warnings.push_back(fmt::format(
          "{} reference(s) to entities declared in the document left unexpanded", unexpanded_entities_));
    }
    if (!first_error_.empty()) {
      doc.warnings.push_back("XML is not well-formed (" + first_error_ + "); kept the text read");
    }
    doc.to_source = out_.TakeMap();
    doc.text = out_.TakeText();
    return doc;
  }

  const std::string& first_error() const { return first_error_; }

 private:
  struct Element {
    std::string name;
    int depth = 0;
    bool mixed = false;
    bool counts_header = false, counts_text = false, counts_body = false, counts_aside = false;
    bool captures = false;
  };

  static bool HasAttribute(int nb_attributes, const xmlChar** attributes, std::string_view name,
                           std::string_view value) {
    // SAX2 attributes: localname, prefix, URI, value begin, value end.
    for (int i = 0; i < nb_attributes; ++i) {
      std::string_view attr(reinterpret_cast<const char*>(attributes[i * 5]));
      std::string_view v(reinterpret_cast<const char*>(attributes[i * 5 + 3]),
                         attributes[i * 5 + 4] - attributes[i * 5 + 3]);
      if (attr == name && v == value) return true;
    }
    return false;
  }

  void BreakOwnedBy(int depth) {
    out_.Break();
    break_owner_ = depth;
  }

  void StartTeiHeaderElement(Element& e, std::string_view name, int nb_attributes,
                             const xmlChar** attributes) {
    bool in_title_stmt = false, in_date_context = false;
    for (const Element& open : stack_) {
      in_title_stmt |= open.name == "titleStmt";
      in_date_context |= IsAny(open.name, {"publicationStmt", "sourceDesc", "creation", "edition"});
    }
    if (name == "title" && in_title_stmt && title_.empty() && capture_ == nullptr) {
      capture_ = &title_;
      e.captures = true;
    }
    if (name == "date" && in_date_context && published_.empty() && capture_ == nullptr) {
      // SAX2 attributes: localname, prefix, URI, value begin, value end.
      for (int i = 0; i < nb_attributes; ++i) {
        std::string_view attr(reinterpret_cast<const char*>(attributes[i * 5]));
        if (!IsAny(attr, {"when", "when-iso", "notBefore", "from"})) continue;
        std::string_view value(reinterpret_cast<const char*>(attributes[i * 5 + 3]),
                               attributes[i * 5 + 4] - attributes[i * 5 + 3]);
        published_ = NormalizeIsoDate(value);
        if (!published_.empty()) break;
      }
      if (published_.empty()) {
        capture_ = &date_text_;
        e.captures = true;
      }
    }
  }

  MarkupText out_;
  std::vector<Element> stack_;
  bool tei_ = false;
  int header_depth_ = 0, text_depth_ = 0, body_depth_ = 0, aside_depth_ = 0;
  int break_owner_ = -1;
  std::string* capture_ = nullptr;
  std::string title_, date_text_, published_;
  std::string first_error_;
  size_t unexpanded_entities_ = 0;
};

XmlWalker* Walker(void* ctx) { return static_cast<XmlWalker*>(ctx); }

}  // namespace

Result<MarkupDocument> ReadXml(std::string_view xml) {
  XmlWalker walker(xml);
  xmlSAXHandler sax{};
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = [](void* ctx, const xmlChar* localname, const xmlChar*, const xmlChar* uri,
                          int, const xmlChar**, int nb_attributes, int, const xmlChar** attributes) {
    Walker(ctx)->Start(reinterpret_cast<const char*>(localname),
                       uri ? reinterpret_cast<const char*>(uri) : "", nb_attributes, attributes);
  };
  sax.endElementNs = [](void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
    Walker(ctx)->End();
  };
  sax.characters = [](void* ctx, const xmlChar* ch, int len) {
    Walker(ctx)->Characters(std::string_view(reinterpret_cast<const char*>(ch), len), false);
  };
  sax.ignorableWhitespace = sax.characters;
  sax.cdataBlock = [](void* ctx, const xmlChar* ch, int len) {
    Walker(ctx)->Characters(std::string_view(reinterpret_cast<const char*>(ch), len), true);
  };
  sax.serror = [](void* ctx, xmlErrorPtr error) { Walker(ctx)->Error(error); };
  // Deliberately unset: getEntity, entityDecl, reference, resolveEntity,
  // internalSubset, externalSubset. Without them libxml2 keeps no entity
  // declarations and resolves nothing, which is what makes XXE and entity
  // expansion impossible (see the header).

  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> ctxt(
      xmlCreatePushParserCtxt(&sax, &walker, nullptr, 0, nullptr), xmlFreeParserCtxt);
  if (!ctxt) return Status::Internal("cannot create an XML parser");
  xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOWARNING |
                                    XML_PARSE_IGNORE_ENC);
  constexpr size_t kChunk = 1 << 16;
  for (size_t pos = 0; pos < xml.size(); pos += kChunk) {
    size_t n = std::min(kChunk, xml.size() - pos);
    if (xmlParseChunk(ctxt.get(), xml.data() + pos, static_cast<int>(n), 0) != 0 &&
        ctxt->disableSAX) {
      break;  // a fatal error recovery cannot get past
    }
  }
  xmlParseChunk(ctxt.get(), nullptr, 0, 1);
  // Entity declarations make libxml2 build a document of its own to hold
  // them ("SAX compatibility mode"), which the context does not free.
  if (ctxt->myDoc != nullptr) {
    xmlFreeDoc(ctxt->myDoc);
    ctxt->myDoc = nullptr;
  }
  MarkupDocument doc = walker.Finish();
  if (doc.text.empty()) {
    if (!walker.first_error().empty()) {
      return Status::UserError("malformed XML (" + walker.first_error() + ")");
    }
    return Status::UserError("no text in this XML document");
  }
  return doc;
}

}  // namespace coopkb
