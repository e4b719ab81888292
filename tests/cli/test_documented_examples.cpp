// The scenario examples of README.md and scenarios/README.md resolve to what
// their text says: each (a ```yaml block starting with `extends:`) is written
// next to a copy of scenarios/ and shown with `readmit show --origin
// --strict`. Every key an example writes must come out with the example's
// own value (its line is the origin: the file's keys win over bases and
// overlays), its timeline entries must be added to the base's (less those it
// drops), and nothing may warn. The README's error example and the claims
// written around the examples are checked as they read.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "cli_runner.hpp"
#include "readmit/scenario/config_node.hpp"
#include "scenario/scenario_test_support.hpp"

namespace fs = std::filesystem;
using readmit::test::read_text;
using readmit::test::run_readmit;
using readmit::test::TempDir;

namespace {

const fs::path source = READMIT_SOURCE_DIR;

std::vector<std::string> yaml_blocks(const std::string& text) {
  std::vector<std::string> blocks;
  const std::string open = "```yaml\n", close = "```";
  for (auto at = text.find(open); at != std::string::npos; at = text.find(open, at)) {
    at += open.size();
    const auto end = text.find(close, at);
    blocks.push_back(text.substr(at, end - at));
    at = end;
  }
  return blocks;
}

/// Every scalar the example writes, by dotted path, with its line.
void leaves(const readmit::ConfigNode& node, const std::string& path, std::vector<std::pair<std::string, int>>& out) {
  if (node.is_map()) {
    for (const auto& e : node.entries()) leaves(e.value, path.empty() ? e.key : path + "." + e.key, out);
  } else if (node.is_scalar() || node.is_sequence()) {
    out.emplace_back(path, node.where().line);
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::size_t timeline_entries(const std::string& listing) {
  std::size_t count = 0;
  for (const auto& line : lines_of(listing))
    if (line.starts_with("timeline[") && line.find("].date: ") != std::string::npos &&
        line.find("].date: ") < line.find(' '))
      ++count;
  return count;
}

/// The number a whole YAML scalar writes, or nullopt (a name).
std::optional<double> number_of(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

TEST_CASE("the documented scenario examples resolve to what their text says", "[cli][docs]") {
  TempDir work;
  fs::copy(source / "scenarios", work.path() / "scenarios", fs::copy_options::recursive);
  const fs::path dir = work.path() / "scenarios";
  std::size_t examples = 0;
  std::string family_example;
  for (const std::string document : {"README.md", "scenarios/README.md"}) {
    for (const auto& block : yaml_blocks(read_text(source / document))) {
      if (!block.starts_with("extends:")) continue;
      const std::string name = "example_" + std::to_string(++examples) + ".yaml";
      INFO(document << ", example:\n" << block);
      work.write("scenarios/" + name, block);
      const auto shown = run_readmit({"show", name, "--origin", "--strict"}, dir);
      REQUIRE(shown.code == 0);
      CHECK(shown.err.empty());

      const auto tree = readmit::test::parse_or_throw(block, name);
      if (tree.find("name")->text() == "cambodia_2017_family_and_support") family_example = name;
      std::vector<std::pair<std::string, int>> written;
      for (const auto& entry : tree.entries()) {
        if (entry.key == "extends" || entry.key == "amendments" || entry.key.starts_with("timeline")) continue;
        leaves(entry.value, entry.key, written);
      }
      const auto listing = lines_of(shown.out);
      for (const auto& [path, line] : written) {
        INFO(path);
        // The line of the parameter (or of the map holding its value, e.g. a distribution).
        const std::string origin = "  # " + name + ":" + std::to_string(line) + ":";
        const bool found = std::any_of(listing.begin(), listing.end(), [&](const std::string& l) {
          const auto colon = l.find(": ");
          return colon != std::string::npos &&
                 (path == l.substr(0, colon) || path.starts_with(l.substr(0, colon) + ".")) &&
                 l.find(origin) != std::string::npos;
        });
        CHECK(found);
      }

      // The timeline: the base's entries, less those dropped, plus the example's.
      const std::string base = tree.find("extends")->text();
      const auto base_shown = run_readmit({"show", base, "--origin"}, dir);
      std::size_t expected = timeline_entries(base_shown.out);
      if (const auto* drop = tree.find("timeline_drop")) expected -= drop->items().size();
      if (const auto* own = tree.find("timeline")) expected += own->items().size();
      CHECK(timeline_entries(shown.out) == expected);
      if (const auto* own = tree.find("timeline"))
        for (const auto& entry : own->items())
          CHECK(shown.out.find(": " + entry.find("date")->text() + "  # " + name + ":" +
                               std::to_string(entry.find("date")->where().line) + ":") != std::string::npos);
    }
  }
  CHECK(examples >= 4);

  // What scenarios/README.md says of its family example.
  REQUIRE_FALSE(family_example.empty());
  const auto family = run_readmit({"show", family_example, "--origin"}, dir);
  CHECK(family.out.find("\namendment_rules.family_unity.citizen_spouse: true  # amendments/family_unity.yaml:") !=
        std::string::npos);
  CHECK(family.out.find("\namendment_rules.reintegration_support.in_force_from: 2017-01-01  # "
                        "amendments/reintegration_support.yaml:") != std::string::npos);
}

TEST_CASE("the README's error example is what readmit says", "[cli][docs]") {
  const std::string readme = read_text(source / "README.md");
  std::string file;
  for (const auto& block : yaml_blocks(readme))
    if (block.starts_with("# scenarios/x.yaml\n")) file = block;
  REQUIRE_FALSE(file.empty());
  TempDir work;
  fs::copy(source / "scenarios", work.path() / "scenarios", fs::copy_options::recursive);
  work.write("scenarios/x.yaml", file);
  const auto r = run_readmit({"validate", "scenarios/x.yaml"}, work.path());
  CHECK(r.code == 2);
  CHECK(readme.find("$ readmit validate scenarios/x.yaml\n" + r.err + "```") != std::string::npos);
}

TEST_CASE("the README's `readmit show --origin | grep` transcript is what readmit says", "[cli][docs]") {
  // Each "$ readmit show ARGS | grep -e P ..." line of the README, followed
  // by the lines it printed up to the closing ```; P is a substring, or a
  // line's start when it begins with '^'.
  const std::string readme = read_text(source / "README.md");
  std::size_t transcripts = 0;
  for (auto at = readme.find("\n$ readmit show "); at != std::string::npos;
       at = readme.find("\n$ readmit show ", at + 1)) {
    const auto line_end = readme.find('\n', at + 1);
    const std::string command = readme.substr(at + 3, line_end - at - 3);
    const auto pipe = command.find(" | grep ");
    if (pipe == std::string::npos) continue;
    ++transcripts;
    INFO(command);
    std::vector<std::string> arguments, patterns;
    std::istringstream words(command.substr(std::string("readmit ").size(), pipe - std::string("readmit ").size()));
    for (std::string word; words >> word;) arguments.push_back(word);
    std::istringstream filter(command.substr(pipe + std::string(" | grep ").size()));
    for (std::string word; filter >> word;)
      if (word != "-e") patterns.push_back(word);
    const auto shown = run_readmit(arguments, source);
    REQUIRE(shown.code == 0);
    std::string printed;
    for (const auto& line : lines_of(shown.out))
      if (std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
            return p.starts_with('^') ? line.starts_with(p.substr(1)) : line.find(p) != std::string::npos;
          }))
        printed += line + "\n";
    const auto block_end = readme.find("```", line_end);
    CHECK(readme.substr(line_end + 1, block_end - line_end - 1) == printed);
  }
  CHECK(transcripts >= 1);
}

TEST_CASE("the documented experiment, sweep and outcome-window files run", "[cli][docs]") {
  // Each ```yaml block of README.md and docs/ that is an experiment or sweep
  // file (`scenario:` first) runs as written, one replication per point,
  // next to a copy of scenarios/ (its paths are relative to
  // scenarios/experiments/); a block of outcome windows validates strictly
  // on cambodia_2017. A renamed parameter or key fails here.
  TempDir work;
  fs::copy(source / "scenarios", work.path() / "scenarios", fs::copy_options::recursive);
  const fs::path dir = work.path() / "scenarios" / "experiments";
  std::size_t experiments = 0, sweeps = 0, windows = 0;
  std::vector<std::string> documents = {"README.md"};
  for (const auto& entry : fs::directory_iterator(source / "docs"))
    if (entry.path().extension() == ".md") documents.push_back("docs/" + entry.path().filename().string());
  for (const auto& document : documents) {
    for (const auto& block : yaml_blocks(read_text(source / document))) {
      INFO(document << ", example:\n" << block);
      if (block.starts_with("scenario:")) {
        const auto tree = readmit::test::parse_or_throw(block, "example.yaml");
        const bool experiment = tree.find("policies") != nullptr || tree.find("uncertainties") != nullptr;
        const std::string name =
            (experiment ? "doc_experiment_" : "doc_sweep_") + std::to_string(experiments + sweeps + 1) + ".yaml";
        work.write("scenarios/experiments/" + name, block);
        const auto r = run_readmit({experiment ? "experiment" : "sweep", name, "-r", "1", "-t", "2", "--progress",
                                    "none", "--out", (work.path() / ("out_" + name)).string()},
                                   dir);
        CHECK(r.code == 0);
        CHECK(r.err.empty());
        ++(experiment ? experiments : sweeps);
      } else if (block.starts_with("outcome_windows:")) {
        const std::string name = "doc_windows_" + std::to_string(++windows) + ".yaml";
        work.write("scenarios/" + name, "extends: cambodia_2017.yaml\nname: doc_windows\n" + block);
        const auto r = run_readmit({"validate", "--strict", name}, work.path() / "scenarios");
        CHECK(r.code == 0);
        CHECK(r.err.empty());
      }
    }
  }
  CHECK(experiments >= 1);
  CHECK(sweeps >= 1);
  CHECK(windows >= 1);
  // The shipped example files run too, and every range they vary brackets
  // the scenario's own value (a range beside it answers another question).
  for (const std::string file : {"experiments/cambodia_policies.yaml", "sweeps/cambodia_officers.yaml"}) {
    INFO(file);
    const bool experiment = file.starts_with("experiments/");
    const auto tree = readmit::test::parse_or_throw(read_text(source / "scenarios" / file), file);
    const auto listing =
        lines_of(run_readmit({"show", "--origin",
                              (source / "scenarios" / fs::path(file).parent_path() / tree.find("scenario")->text())
                                  .lexically_normal()
                                  .string()})
                     .out);
    auto scenario_value = [&](const std::string& path) {
      for (const auto& line : listing)
        if (line.starts_with(path + ": ")) return std::stod(line.substr(path.size() + 2));
      FAIL("no value of " << path << " in the scenario");
      return 0.0;
    };
    std::size_t ranges = 0;
    for (const char* key : {"uncertainties", "grid"}) {
      const auto* varied = tree.find(key);
      if (varied == nullptr) continue;
      for (const auto& entry : varied->entries()) {
        INFO(entry.key);
        double low = 0, high = 0;
        if (entry.value.is_map() && entry.value.find("min") != nullptr) {
          low = std::stod(entry.value.find("min")->text());
          high = std::stod(entry.value.find("max")->text());
        } else if (entry.value.is_sequence() && !entry.value.items().empty() &&
                   number_of(entry.value.items().front().text())) {
          low = high = *number_of(entry.value.items().front().text());
          for (const auto& item : entry.value.items()) {
            low = std::min(low, *number_of(item.text()));
            high = std::max(high, *number_of(item.text()));
          }
        } else {
          continue;  // names (a ladder), not numbers
        }
        const double value = scenario_value(entry.key);
        CHECK(low <= value);
        CHECK(value <= high);
        ++ranges;
      }
    }
    CHECK(ranges >= 2);
    const auto r = run_readmit({experiment ? "experiment" : "sweep", file, "-r", "1", "-t", "2", "--progress", "none",
                                "--out", (work.path() / ("shipped_" + fs::path(file).stem().string())).string()},
                               work.path() / "scenarios");
    CHECK(r.code == 0);
    CHECK(r.err.empty());
  }
}
