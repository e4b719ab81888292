// libFuzzer entry point for scenario loading. Each input is scenario YAML
// text: it is parsed and resolved against the parameter table (no overrides,
// no file inclusion) and checked as fuzz_support.hpp says
// (tests/scenario/test_loading.cpp checks the round trip on a few files).
// Built with -DREADMIT_FUZZ=ON (the `fuzz` preset); run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"

namespace {

// Real scenarios are a few kilobytes; longer inputs only slow the search.
constexpr std::size_t max_input_bytes = 64 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > max_input_bytes) return -1;  // -1: libFuzzer keeps it out of the corpus
  const std::string text(reinterpret_cast<const char*>(data), size);
  return readmit::fuzz::check([&] { return readmit::fuzz::load_text(text, "fuzz.yaml", "load"); });
}
