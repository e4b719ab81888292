// The loader must answer every input with a scenario or a ScenarioError:
// never another exception, a crash or a hang. Fed with deterministic random
// mutations of a valid scenario and with hostile inputs.
#include <catch2/catch.hpp>

#include <random>

#include "readmit/scenario/loader.hpp"
#include "scenario_test_support.hpp"

using namespace readmit;

namespace {

// A valid scenario touching every kind of value: sections, free-key maps,
// lists, shares, distributions, dates, the timeline and a ladder.
const std::string base_text = R"(# base of the mutations
name: robustness
description: >
  Folded text over
  two lines.
start_date: 2019-05-01
horizon_months: 36
seed: 42
removing_state:
  name: "Somewhere: else"
  detention_beds: 500
  release_prob: 0.75
partners:
  alpha:
    population:
      docket_at_start: 1200
      inflow_per_month: 2.5
      offense_shares: {none: 0.25, non_violent: 0.25, drug: 0.25, violent: 0.25}
      age_at_arrival_years: {dist: triangular, min: 0, mode: 3, max: 12}
      years_resident:
        dist: normal
        mean: 25
        sd: 6
        min: 8
    agreement:
      interview_required: true
      decision_time_days: {dist: gamma, shape: 2, scale: 20}
    visa_demand:
      b_general: 800
      b_officials: 2
    amendment_request:
      amendments: [family_unity, childhood_arrival]
  beta:
    population: {docket_at_start: 40}
compliance:
  uncooperative:
    combine: all
    median_decision_days_above: .inf
sanctions:
  ladder: strict
  ladders:
    strict:
      steps:
        - name: officials
          visa_categories: [b_officials]
        - {name: all, visa_categories: [b_general], refusal_prob: 0.5}
amendment_rules:
  family_unity:
    in_force_from: 2020-01-01
    partners: [beta]
timeline:
  - date: 2019-10-28
    note: documents stop
    set:
      partners.alpha.agreement.document_officers: 0
  - date: 2020-09-13
    sanction: {partner: alpha, step: 1}
  - date: 2021-01-01
    amendment: {name: annual_cap, partners: [alpha], in_force: false}
)";

enum class Outcome { loaded, rejected };

// Parses and resolves `text`; fails the test on anything but a scenario or a
// ScenarioError whose diagnostics are well formed.
Outcome feed(const std::string& text, const std::string& label) {
  try {
    DiagnosticSink sink;
    auto tree = parse_yaml(text, "input.yaml", sink);
    sink.throw_if_any();
    REQUIRE(tree.has_value());
    resolve_scenario(*tree);
    return Outcome::loaded;
  } catch (const ScenarioError& e) {
    INFO(label);
    REQUIRE_FALSE(e.diagnostics().empty());
    for (const auto& d : e.diagnostics()) {
      INFO(d.to_string());
      CHECK(d.where.origin != nullptr);
      CHECK_FALSE(d.message.empty());
      // Every diagnostic of a parsed text points into it.
      CHECK(*d.where.origin == "input.yaml");
      CHECK(d.where.line >= 1);
      CHECK(d.where.column >= 1);
    }
    return Outcome::rejected;
  } catch (const std::exception& e) {
    FAIL(label << ": " << e.what() << "\ninput (first 2000 bytes):\n" << text.substr(0, 2000));
  } catch (...) {
    FAIL(label << ": an exception that is not a std::exception\ninput (first 2000 bytes):\n" << text.substr(0, 2000));
  }
  return Outcome::rejected;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : rng_(seed) {}

  std::string mutate(std::string text) {
    const int count = uniform(1, 3);
    for (int i = 0; i < count && !text.empty(); ++i) text = mutate_once(text);
    return text;
  }

 private:
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::size_t position(const std::string& text) { return std::size_t(uniform(0, int(text.size()) - 1)); }

  char interesting_byte() {
    static const std::string syntax = ":-[]{},#&*!|>'\"%@`?~. \t\n0123456789";
    if (uniform(0, 3) == 0) return char(uniform(0, 255));
    return syntax[std::size_t(uniform(0, int(syntax.size()) - 1))];
  }

  std::string mutate_once(const std::string& text) {
    std::string out = text;
    auto lines = lines_of(text);
    switch (uniform(0, 6)) {
      case 0:  // byte flip
        out[position(out)] = interesting_byte();
        return out;
      case 1:  // deletion
        return out.erase(position(out), std::size_t(uniform(1, 40)));
      case 2: {  // duplicated line
        const auto i = std::size_t(uniform(0, int(lines.size()) - 1));
        lines.insert(lines.begin() + std::ptrdiff_t(i), lines[i]);
        return join_lines(lines);
      }
      case 3: {  // random indentation
        auto& line = lines[std::size_t(uniform(0, int(lines.size()) - 1))];
        const auto indent = line.find_first_not_of(' ');
        line = std::string(std::size_t(uniform(0, 12)), ' ') +
               line.substr(indent == std::string::npos ? line.size() : indent);
        return join_lines(lines);
      }
      case 4:  // truncation
        return out.substr(0, position(out));
      case 5: {  // swapped lines
        const auto i = std::size_t(uniform(0, int(lines.size()) - 1));
        const auto j = std::size_t(uniform(0, int(lines.size()) - 1));
        std::swap(lines[i], lines[j]);
        return join_lines(lines);
      }
      default:  // inserted bytes
        return out.insert(position(out), std::string(std::size_t(uniform(1, 4)), interesting_byte()));
    }
  }

  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("the robustness base scenario is valid", "[scenario][robustness]") {
  CHECK(feed(base_text, "base") == Outcome::loaded);
}

TEST_CASE("random mutations of a valid scenario load or throw ScenarioError", "[scenario][robustness]") {
  Mutator mutator(20240601u);
  int loaded = 0, rejected = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string text = mutator.mutate(base_text);
    (feed(text, "mutation #" + std::to_string(i)) == Outcome::loaded ? loaded : rejected)++;
  }
  // Both outcomes occur: the mutations neither all miss nor all break the input.
  CHECK(loaded > 50);
  CHECK(rejected > 500);
}

// The work is bounded by the loader's limits (nesting depth, values after
// aliases), which the messages below check; no timing here (see bench/).
TEST_CASE("hostile inputs are rejected with a clear message", "[scenario][robustness]") {
  auto first_message = [](const std::string& text) {
    DiagnosticSink sink;
    auto tree = parse_yaml(text, "hostile.yaml", sink);
    if (tree && sink.empty()) {
      try {
        resolve_scenario(*tree);
      } catch (const ScenarioError& e) {
        return e.diagnostics().front().to_string();
      }
      return std::string("loaded");
    }
    REQUIRE_FALSE(sink.empty());
    return sink.diagnostics().front().to_string();
  };

  SECTION("10,000 levels of flow nesting") {
    const std::string open(10000, '[');
    CHECK(first_message(open) == "hostile.yaml:1:1: error: nesting deeper than 64 levels");
    CHECK(first_message(open + std::string(10000, ']')) == "hostile.yaml:1:1: error: nesting deeper than 64 levels");
    std::string maps;
    for (int i = 0; i < 10000; ++i) maps += "{a: ";
    CHECK(first_message(maps).find("error: nesting deeper than 64 levels") != std::string::npos);
    CHECK(feed("name: " + open, "unclosed nesting") == Outcome::rejected);
  }
  SECTION("10,000 levels of block nesting") {
    std::string dashes;
    for (int i = 0; i < 10000; ++i) dashes += "- ";
    CHECK(first_message(dashes + "x\n").find("error: nesting deeper than 64 levels") != std::string::npos);
  }
  SECTION("nesting just past the loader's limit, below yaml-cpp's") {
    const std::string text = "name: " + std::string(70, '[') + std::string(70, ']') + "\n";
    CHECK(first_message(text).find("error: nesting deeper than 64 levels") != std::string::npos);
  }
  SECTION("billion laughs") {
    std::string text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (char c = 'b'; c <= 'j'; ++c) {
      const char previous = char(c - 1);
      text += std::string(1, c) + ": &" + c + " [";
      for (int i = 0; i < 10; ++i) text += std::string(i ? ", " : "") + "*" + previous;
      text += "]\n";
    }
    CHECK(first_message(text).find("error: more than 1000000 values (recursive or repeated aliases?)") !=
          std::string::npos);
    CHECK(feed(text, "billion laughs") == Outcome::rejected);
  }
  SECTION("self-referencing anchors") {
    for (const std::string text : {"a: &x [*x]\n", "a: &x {b: *x}\n", "&x [*x, *x]\n", "a: &x\n  b: *x\n"}) {
      INFO(text);
      CHECK(feed(text, "self reference") == Outcome::rejected);
    }
  }
  SECTION("a 1 MB line") {
    const std::string long_text(1 << 20, 'x');
    CHECK(feed(base_text + "# " + long_text + "\n", "1 MB comment") == Outcome::loaded);
    // A name of 1 MB is refused, and the message shows its first bytes and its size only.
    std::string with_long_name = base_text;
    with_long_name.replace(with_long_name.find("name: robustness"), 16, "name: " + long_text);
    CHECK(first_message(with_long_name) ==
          "hostile.yaml:2:7: error: name: expected a name of letters, digits, '_' or '-', starting with a letter or a "
          "digit, at most 64 bytes, found \"" +
              std::string(60, 'x') + "...\" (1048576 bytes)");
    // A 1 MB key is beyond YAML's limit of 1024 characters for a key.
    CHECK(first_message(base_text + long_text + ": 1\n") ==
          "hostile.yaml:60:1: error: malformed YAML: a key longer than 1024 characters (YAML's limit for a key without "
          "'?')");
    // An unknown key of 1000 characters is reported, cut short, with the keys allowed there.
    const std::string long_key(1000, 'k');
    const std::string shown = std::string(60, 'k') + "...";
    CHECK(first_message(base_text + long_key + ": 1\n") ==
          "hostile.yaml:60:1: error: " + shown + ": unknown key \"" + shown +
              "\"; expected one of: name, description, start_date, horizon_months, seed, replications, removing_state, "
              "partners, compliance, sanctions, amendment_rules, negotiation, timeline, outcome_windows");
    CHECK(feed(std::string(1 << 20, '['), "1 MB of brackets") == Outcome::rejected);
    CHECK(feed(std::string(1 << 20, '-'), "1 MB of dashes") == Outcome::rejected);
  }
  SECTION("odd bytes") {
    CHECK(feed(std::string("name: a\0b\n", 10), "NUL") != Outcome::loaded);
    CHECK(feed("name: \xff\xfe\xfd\n", "invalid UTF-8") == Outcome::rejected);
    CHECK(feed("\xef\xbb\xbf" + base_text, "byte order mark") == Outcome::loaded);
    CHECK(feed("", "empty") == Outcome::rejected);
    CHECK(feed("---\n...\n---\n", "documents") == Outcome::rejected);
  }
}
