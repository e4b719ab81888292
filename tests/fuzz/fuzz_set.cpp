// libFuzzer entry point for the `--set KEY.PATH=VALUE` parser. Each input is
// one override a line, applied to a fixed valid scenario that has a timeline
// (so that list indices reach something), then resolved. The result must be
// a scenario or a ScenarioError whose every diagnostic names a place, as for
// fuzz_scenario (which fuzzes the files); a scenario that loads must survive
// its own round trip. Anything else aborts so that libFuzzer keeps the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>
#include <vector>

#include "readmit/scenario/loader.hpp"

namespace {

constexpr std::size_t max_input_bytes = 16 * 1024;

const char* const base_text = R"(name: fuzz_base
start_date: 2020-01-01
horizon_months: 24
partners:
  alpha:
    population: {docket_at_start: 100, inflow_per_month: 2}
    visa_demand: {b_general: 50}
  beta:
    population: {docket_at_start: 10}
sanctions:
  ladders:
    custom:
      steps:
        - {name: s1, visa_categories: [b_general]}
timeline:
  - {id: first, date: 2020-03-01, set: {partners.alpha.agreement.document_officers: 0}}
  - {date: 2020-06-01, sanction: {partner: alpha, step: 1}}
  - {date: 2020-09-01, amendment: {name: family_unity, partners: [beta]}}
)";

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_set: %s\n", what.c_str());
  std::abort();
}

void check_diagnostics(const readmit::ScenarioError& error, const char* stage) {
  if (error.diagnostics().empty()) fail(std::string(stage) + ": ScenarioError without diagnostics");
  for (const auto& d : error.diagnostics())
    if (d.where.origin == nullptr || d.message.empty() || d.where.line < 0 || d.where.column < 0)
      fail(std::string(stage) + ": malformed diagnostic: " + d.to_string());
}

const readmit::ConfigNode& base_tree() {
  static const readmit::ConfigNode tree = [] {
    readmit::DiagnosticSink sink;
    auto parsed = readmit::parse_yaml(base_text, "fuzz_base.yaml", sink);
    if (!parsed || !sink.empty()) fail("the base scenario does not parse");
    return *parsed;
  }();
  return tree;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > max_input_bytes) return -1;
  std::vector<std::string> overrides;
  std::string line;
  for (std::size_t i = 0; i < size; ++i) {
    const char c = char(data[i]);
    if (c == '\n') {
      overrides.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) overrides.push_back(line);
  try {
    readmit::ConfigNode tree = base_tree();
    readmit::DiagnosticSink sink;
    readmit::apply_overrides(tree, overrides, sink);
    sink.throw_if_any();
    const auto loaded = readmit::resolve_scenario(tree);
    const std::string yaml = readmit::to_yaml(loaded.resolved);
    readmit::DiagnosticSink again;
    auto reread = readmit::parse_yaml(yaml, "resolved.yaml", again);
    if (!reread || !again.empty()) fail("round trip: the resolved YAML does not parse:\n" + yaml);
    try {
      if (readmit::to_yaml(readmit::resolve_scenario(*reread).resolved) != yaml)
        fail("round trip: the resolved YAML loads to a different scenario\n" + yaml);
    } catch (const readmit::ScenarioError& e) {
      fail("round trip: the resolved YAML of a valid scenario is rejected: " + std::string(e.what()) + "\n" + yaml);
    }
  } catch (const readmit::ScenarioError& e) {
    check_diagnostics(e, "load");
  } catch (const std::exception& e) {
    fail(std::string("an exception that is not a ScenarioError: ") + typeid(e).name() + ": " + e.what());
  } catch (...) {
    fail("an exception that is not a std::exception");
  }
  return 0;
}
