// libFuzzer entry point for scenario loading. Each input is scenario YAML
// text: it is parsed, resolved against the parameter table (no overrides, no
// file inclusion) and must give a scenario or a ScenarioError whose every
// diagnostic names a place and says something. A scenario that loads must
// also survive its own round trip: its resolved YAML loads again to the same
// resolved YAML (tests/scenario/test_loading.cpp checks this on a few files).
// Anything else (another exception, a broken contract) aborts, so that
// libFuzzer saves the input; crashes and undefined behaviour are caught by
// AddressSanitizer and UndefinedBehaviorSanitizer. Built with -DREADMIT_FUZZ=ON
// (the `fuzz` preset); run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

#include "readmit/scenario/loader.hpp"

namespace {

// Real scenarios are a few kilobytes; longer inputs only slow the search.
constexpr std::size_t max_input_bytes = 64 * 1024;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_scenario: %s\n", what.c_str());
  std::abort();
}

void check_diagnostics(const readmit::ScenarioError& error, const char* stage) {
  if (error.diagnostics().empty()) fail(std::string(stage) + ": ScenarioError without diagnostics");
  for (const auto& d : error.diagnostics()) {
    if (d.where.origin == nullptr) fail(std::string(stage) + ": diagnostic without origin: " + d.message);
    if (d.message.empty() || d.where.line < 0 || d.where.column < 0)
      fail(std::string(stage) + ": malformed diagnostic: " + d.to_string());
  }
}

// Parses and resolves `text` as load_scenario does a file without includes;
// throws ScenarioError when it is invalid.
readmit::LoadedScenario load_text(const std::string& text, const std::string& origin, const char* stage) {
  readmit::DiagnosticSink sink;
  auto tree = readmit::parse_yaml(text, origin, sink);
  sink.throw_if_any();
  if (!tree) fail(std::string(stage) + ": parse_yaml gave nothing and reported no error");
  readmit::apply_overrides(*tree, {}, sink);
  sink.throw_if_any();
  return readmit::resolve_scenario(*tree);
}

void check_round_trip(const readmit::LoadedScenario& first) {
  const std::string yaml = readmit::to_yaml(first.resolved);
  try {
    // resolved_yaml() only adds comment lines naming the sources, none here.
    const auto second = load_text(yaml, "resolved.yaml", "round trip");
    if (readmit::to_yaml(second.resolved) != yaml)
      fail("round trip: the resolved YAML loads to a different scenario\n--- first\n" + yaml + "--- second\n" +
           readmit::to_yaml(second.resolved));
  } catch (const readmit::ScenarioError& e) {
    std::string messages;
    for (const auto& d : e.diagnostics()) messages += d.to_string() + "\n";
    fail("round trip: the resolved YAML of a valid scenario is rejected:\n" + messages + "--- resolved\n" + yaml);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > max_input_bytes) return -1;  // -1: libFuzzer keeps it out of the corpus
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto loaded = load_text(text, "fuzz.yaml", "load");
    check_round_trip(loaded);
  } catch (const readmit::ScenarioError& e) {
    check_diagnostics(e, "load");
  } catch (const std::exception& e) {
    fail(std::string("an exception that is not a ScenarioError: ") + typeid(e).name() + ": " + e.what());
  } catch (...) {
    fail("an exception that is not a std::exception");
  }
  return 0;
}
