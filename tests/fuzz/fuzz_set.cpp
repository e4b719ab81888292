// libFuzzer entry point for the `--set KEY.PATH=VALUE` parser. Each input is
// one override a line, applied to a fixed valid scenario that has a timeline
// (so that list indices reach something), then resolved and checked as
// fuzz_support.hpp says. Run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

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

const readmit::ConfigNode& base_tree() {
  static const readmit::ConfigNode tree = [] {
    readmit::DiagnosticSink sink;
    auto parsed = readmit::parse_yaml(base_text, "fuzz_base.yaml", sink);
    if (!parsed || !sink.empty()) readmit::fuzz::fail("the base scenario does not parse");
    return *parsed;
  }();
  return tree;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > max_input_bytes) return -1;
  std::vector<std::string> overrides(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\n')
      overrides.emplace_back();
    else
      overrides.back() += char(data[i]);
  }
  return readmit::fuzz::check([&] {
    readmit::ConfigNode tree = base_tree();
    readmit::DiagnosticSink sink;
    readmit::apply_overrides(tree, overrides, sink);
    sink.throw_if_any();
    return readmit::resolve_scenario(tree);
  });
}
