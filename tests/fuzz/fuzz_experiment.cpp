// libFuzzer entry point for experiment and sweep files. Each input is the
// YAML text of one, loaded as load_experiment loads a file, next to a small
// scenario (s.yaml), a policy overlay (o.yaml) and a points file (p.csv)
// that the seeds name. It must give an experiment, or a ScenarioError whose
// every diagnostic names a place and says something. Designs of more than
// max_checked_points points are stopped once announced (checking a large
// design is linear but slow, which is not what is fuzzed here). Anything else
// aborts, so that libFuzzer saves the input. Built with -DREADMIT_FUZZ=ON;
// run by scripts/fuzz.sh (tests/fuzz/fuzz_experiment.sh).
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "readmit/experiment/experiment.hpp"

namespace {

constexpr std::size_t max_input_bytes = 16 * 1024;
constexpr std::size_t max_checked_points = 64;

struct TooLarge {};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_experiment: %s\n", what.c_str());
  std::abort();
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) fail("cannot write " + path.string());
}

const std::filesystem::path& folder() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "readmit-fuzz-experiment-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail("cannot create a temporary folder");
    const std::filesystem::path path = pattern;
    write(path / "s.yaml",
          "name: small\nstart_date: 2020-01-01\nhorizon_months: 12\nseed: 5\n"
          "partners:\n  alpha:\n    population: {docket_at_start: 20, inflow_per_month: 1}\n"
          "    agreement: {document_officers: 2}\n    visa_demand: {b_general: 10}\n"
          "  beta:\n    population: {docket_at_start: 10}\n");
    write(path / "o.yaml", "amendment_rules:\n  family_unity: {in_force_from: 2020-03-01}\n");
    write(path / "p.csv", "point,removing_state.release_prob\n1,0.5\n2,0.7\n");
    return path;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > max_input_bytes) return -1;
  const auto file = folder() / "x.yaml";
  write(file, std::string(reinterpret_cast<const char*>(data), size));
  try {
    const auto experiment = readmit::load_experiment(file, 0, [](std::size_t points, std::size_t policies, auto) {
      if (points * policies > max_checked_points) throw TooLarge{};
    });
    if (experiment.points() == 0 || experiment.policies.empty()) fail("an experiment without points or policies");
    if (experiment.scenario_hashes.size() != experiment.points() * experiment.policies.size())
      fail("not every point and policy was checked");
  } catch (const readmit::ScenarioError& error) {
    if (error.diagnostics().empty()) fail("ScenarioError without diagnostics");
    for (const auto& d : error.diagnostics())
      if (d.where.origin == nullptr || d.message.empty()) fail("malformed diagnostic: " + d.to_string());
  } catch (const TooLarge&) {
  } catch (const std::exception& e) {
    fail(std::string("unexpected exception: ") + e.what());
  }
  return 0;
}
