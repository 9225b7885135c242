#include "pipeline/cleaner.h"

namespace coopkb {

Result<Cleaner> Cleaner::Create(const Lexicons&) { return Cleaner(); }

void Cleaner::Clean(Document&) const {}

}  // namespace coopkb
