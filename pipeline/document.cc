#include "pipeline/document.h"

namespace coopkb {

std::string_view MentionKindName(MentionKind kind) {
  switch (kind) {
    case MentionKind::kEstablishment: return "establishment";
    case MentionKind::kDate: return "date";
    case MentionKind::kSpecialty: return "specialty";
    case MentionKind::kCount: return "count";
  }
  return "unknown";
}

}  // namespace coopkb
