#pragma once
// Build identity, recorded in every output so that a result can be traced to its code.
#include <string_view>

namespace readmit {
std::string_view version();       // semantic version of the project
std::string_view git_revision();  // `git describe --always --dirty` at configure time
std::string_view compiler();      // compiler id and version
}  // namespace readmit
