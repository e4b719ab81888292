#pragma once
// What every libFuzzer target of readmit's input parsers checks: the input
// gives a scenario or a ScenarioError whose every diagnostic names a place
// and says something; a scenario that loads survives its own round trip
// (its resolved YAML loads again to the same resolved YAML). Anything else
// (another exception, a broken contract) aborts, so that libFuzzer keeps the
// input; crashes and undefined behaviour are caught by the sanitizers.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

#include "readmit/scenario/loader.hpp"

namespace readmit::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz: %s\n", what.c_str());
  std::abort();
}

inline void check_diagnostics(const ScenarioError& error, const char* stage) {
  if (error.diagnostics().empty()) fail(std::string(stage) + ": ScenarioError without diagnostics");
  for (const auto& d : error.diagnostics()) {
    if (d.where.origin == nullptr) fail(std::string(stage) + ": diagnostic without origin: " + d.message);
    if (d.message.empty() || d.where.line < 0 || d.where.column < 0)
      fail(std::string(stage) + ": malformed diagnostic: " + d.to_string());
  }
}

/// Parses and resolves YAML text as load_scenario does a file without
/// includes; throws ScenarioError when it is invalid.
inline LoadedScenario load_text(const std::string& text, const std::string& origin, const char* stage) {
  DiagnosticSink sink;
  auto tree = parse_yaml(text, origin, sink);
  sink.throw_if_any();
  if (!tree) fail(std::string(stage) + ": parse_yaml gave nothing and reported no error");
  return resolve_scenario(*tree);
}

inline void check_round_trip(const LoadedScenario& first) {
  const std::string yaml = to_yaml(first.resolved);
  try {
    // resolved_yaml() only adds comment lines naming the sources.
    const auto second = load_text(yaml, "resolved.yaml", "round trip");
    if (to_yaml(second.resolved) != yaml)
      fail("round trip: the resolved YAML loads to a different scenario\n--- first\n" + yaml + "--- second\n" +
           to_yaml(second.resolved));
  } catch (const ScenarioError& e) {
    std::string messages;
    for (const auto& d : e.diagnostics()) messages += d.to_string() + "\n";
    fail("round trip: the resolved YAML of a valid scenario is rejected:\n" + messages + "--- resolved\n" + yaml);
  }
}

/// Runs `load` (which returns a LoadedScenario or throws) and checks its
/// outcome as above.
template <class Load>
int check(Load&& load) {
  try {
    check_round_trip(load());
  } catch (const ScenarioError& e) {
    check_diagnostics(e, "load");
  } catch (const std::exception& e) {
    fail(std::string("an exception that is not a ScenarioError: ") + typeid(e).name() + ": " + e.what());
  } catch (...) {
    fail("an exception that is not a std::exception");
  }
  return 0;
}

}  // namespace readmit::fuzz
