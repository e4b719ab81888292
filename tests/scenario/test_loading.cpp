// Loading valid scenarios: defaults, extends chains, amendment overlays,
// --set overrides, the timeline, the resolved YAML and the parameter table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "readmit/scenario/loader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "scenario_test_support.hpp"

using namespace readmit;
using readmit::test::valid_file;

namespace {

const ParamSpec& spec_at(std::string_view path) {
  for (const auto& spec : parameter_table())
    if (spec.path == path) return spec;
  throw std::logic_error("no parameter " + std::string(path));
}

std::vector<std::string> filenames(const std::vector<std::string>& paths) {
  std::vector<std::string> names;
  for (const auto& p : paths) names.push_back(std::filesystem::path(p).filename().string());
  return names;
}

std::string without_comment_lines(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.compare(start, 1, "#") != 0) out += text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

constexpr double inf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("defaults are filled in from the parameter table", "[scenario][loading]") {
  const auto loaded = load_scenario(valid_file("minimal.yaml"));
  const Scenario& s = loaded.scenario;

  CHECK(s.name == "minimal");
  CHECK(s.description.empty());
  CHECK(s.start_date == Date::from_ymd(2020, 1, 1));
  CHECK(s.horizon_months == 24);
  CHECK(s.end_date() == Date::from_ymd(2022, 1, 1));
  CHECK(s.seed == 20170913u);
  CHECK(s.replications == 1);

  CHECK(s.removing_state.name == "United States");
  CHECK(s.removing_state.detention_beds == 1000000);
  CHECK(s.removing_state.detention_cost_per_day_usd == 133.0);
  CHECK(s.removing_state.custody_review_days == 180);
  CHECK(s.removing_state.release_prob == 0.9);

  REQUIRE(s.partners.size() == 1);
  const PartnerParams& alpha = s.partners[0];
  CHECK(alpha.name == "alpha");
  CHECK(alpha.population.docket_at_start == 100);
  CHECK(alpha.population.inflow_per_month == 0.0);
  CHECK(alpha.population.initial_state_shares == Shares<StartState, 3>{0.05, 0.02, 0.93});
  CHECK(alpha.population.offense_shares == Shares<Offense, 4>{0.26, 0.3, 0.24, 0.2});
  CHECK(alpha.population.sentence_remaining_days.kind == Distribution::Kind::lognormal);
  CHECK(alpha.population.sentence_remaining_days.p1 == 365.0);
  CHECK(alpha.population.sentence_remaining_days.p2 == 1.0);
  CHECK(alpha.population.sentence_remaining_days.lower == 0.0);     // the attribute's range
  CHECK(alpha.population.sentence_remaining_days.upper == 7300.0);  // the default's own max
  CHECK(alpha.population.children_count.kind == Distribution::Kind::poisson);
  CHECK(alpha.population.children_count.upper == 8.0);
  CHECK(alpha.agreement.decision_time_days.upper == 3650.0);  // every parameter has a finite upper bound
  CHECK(alpha.agreement.interview_required == false);
  CHECK(alpha.agreement.document_officers == 5);
  CHECK(alpha.agreement.acceptance_base_prob == 0.95);
  CHECK(alpha.visa_demand.empty());
  CHECK(alpha.amendment_request.amendments.empty());

  CHECK(s.compliance.uncooperative.combine == Combine::any);
  CHECK(s.compliance.uncooperative.undecided_share_above == 0.5);
  CHECK(s.compliance.timely_days == 180);
  CHECK(s.compliance.uncooperative.median_decision_days_above == inf);
  CHECK(s.compliance.at_risk.median_decision_days_above == 120.0);
  CHECK(s.sanctions.ladder == "us_243d");
  CHECK(s.sanctions.allow_deescalation == true);
  CHECK(s.sanctions.active_ladder().steps.size() == 4);
  CHECK(s.sanctions.ladders.size() == sanction_presets().size());
  CHECK_FALSE(s.amendment_rules.common[std::size_t(AmendmentKind::family_unity)].in_force_from.has_value());
  CHECK(s.amendment_rules.family_unity_child_under_age_years == 18.0);
  CHECK(s.amendment_rules.family_unity_citizen_spouse == true);
  CHECK(s.negotiation.agree_prob_per_year == 0.1);
  CHECK(s.timeline.empty());

  // The resolved tree lists every parameter, in table order.
  REQUIRE(loaded.resolved.is_map());
  std::vector<std::string> top;
  for (const auto& e : loaded.resolved.entries()) top.push_back(e.key);
  CHECK(top == std::vector<std::string>{"name", "description", "start_date", "horizon_months", "seed", "replications",
                                        "removing_state", "partners", "compliance", "sanctions", "amendment_rules",
                                        "negotiation", "timeline", "outcome_windows"});
  CHECK(filenames(loaded.source_files) == std::vector<std::string>{"minimal.yaml"});
}

TEST_CASE("extends chains override at each level and merge maps deeply", "[scenario][loading]") {
  const auto loaded = load_scenario(valid_file("chain_a.yaml"));
  const Scenario& s = loaded.scenario;
  CHECK(filenames(loaded.source_files) == std::vector<std::string>{"chain_c.yaml", "chain_b.yaml", "chain_a.yaml"});

  CHECK(s.name == "chain_a");                           // a over b over c
  CHECK(s.description == "set in c, kept by b and a");  // c only
  CHECK(s.start_date == Date::from_ymd(2018, 3, 1));    // c only
  CHECK(s.horizon_months == 48);                        // b over c
  CHECK(s.seed == 11u);
  CHECK(s.replications == 3);
  // removing_state merged key by key across the three files.
  CHECK(s.removing_state.name == "C-land");            // c
  CHECK(s.removing_state.detention_beds == 20);        // b
  CHECK(s.removing_state.raid_size == 7);              // a
  CHECK(s.removing_state.custody_review_days == 180);  // default

  REQUIRE(s.partners.size() == 1);
  const auto& alpha = s.partners[0];
  CHECK(alpha.population.docket_at_start == 300);     // a
  CHECK(alpha.population.inflow_per_month == 2.5);    // b
  CHECK(alpha.agreement.interview_required == true);  // c
  // Lists are replaced, not appended.
  CHECK(alpha.amendment_request.amendments == std::vector<std::string>{"long_residence"});
  // A map with free keys merges: c's category and b's.
  REQUIRE(alpha.visa_demand.size() == 2);
  CHECK(alpha.visa_demand[0].category == "b_general");
  CHECK(alpha.visa_demand[0].applications_per_month == 10.0);
  CHECK(alpha.visa_demand[1].category == "b_officials_other");
  CHECK(alpha.visa_demand[1].applications_per_month == 2.0);
  // A map holding one value (shares, a distribution) is replaced whole.
  CHECK(alpha.population.offense_shares == Shares<Offense, 4>{1.0, 0.0, 0.0, 0.0});
  CHECK(alpha.population.age_at_arrival_years.kind == Distribution::Kind::normal);
  CHECK(alpha.population.age_at_arrival_years.p1 == 5.0);
  CHECK(alpha.population.age_at_arrival_years.p2 == 2.0);
  CHECK(alpha.population.age_at_arrival_years.lower == 0.0);
  CHECK(alpha.population.age_at_arrival_years.upper == 100.0);
  const ConfigNode* age = test::node_at(loaded.resolved, "partners.alpha.population.age_at_arrival_years");
  REQUIRE(age != nullptr);
  CHECK(test::same_tree(*age, test::parse_or_throw("{dist: normal, mean: 5, sd: 2}")));
  const ConfigNode* offense = test::node_at(loaded.resolved, "partners.alpha.population.offense_shares");
  REQUIRE(offense != nullptr);
  CHECK(test::same_tree(*offense, test::parse_or_throw("{none: 1}")));
}

TEST_CASE("extends may name a list of bases, merged in order", "[scenario][loading]") {
  const auto loaded = load_scenario(valid_file("extends_list.yaml"));
  const Scenario& s = loaded.scenario;
  CHECK(filenames(loaded.source_files) ==
        std::vector<std::string>{"minimal.yaml", "partner_beta.yaml", "extends_list.yaml"});
  CHECK(s.name == "two_partners");
  REQUIRE(s.partners.size() == 2);
  CHECK(s.partners[0].name == "alpha");
  CHECK(s.partners[1].name == "beta");
  CHECK(s.partners[1].population.docket_at_start == 50);
  CHECK(s.partners[1].population.offense_shares == Shares<Offense, 4>{1.0, 0.0, 0.0, 0.0});
  CHECK(s.partners[1].agreement.document_officers == 2);      // from the base
  CHECK(s.partners[1].agreement.interview_required == true);  // from the file, merged into the base's map
  CHECK(s.partners[0].agreement.interview_required == false);
}

TEST_CASE("precedence: bases < overlays (in order) < the file's own keys < --set < --seed", "[scenario][loading]") {
  const auto loaded = load_scenario(valid_file("with_amendments.yaml"));
  const Scenario& s = loaded.scenario;
  CHECK(filenames(loaded.source_files) ==
        std::vector<std::string>{"minimal.yaml", "overlay_first.yaml", "overlay_second.yaml", "with_amendments.yaml"});
  CHECK(s.name == "amended");     // the file
  CHECK(s.horizon_months == 12);  // the file's own key wins over both overlays
  CHECK(s.seed == 5u);            // and over the first overlay
  REQUIRE(s.partners.size() == 1);
  CHECK(s.partners[0].population.docket_at_start == 200);     // the first overlay over minimal.yaml
  CHECK(s.partners[0].population.inflow_per_month == 4.0);    // the file
  CHECK(s.partners[0].agreement.document_officers == 9);      // the second overlay over the default
  CHECK(s.partners[0].agreement.interview_round_size == 25);  // the second overlay over the first

  LoadOptions options;
  options.overrides = {"seed=7", "horizon_months=13"};
  const auto overridden = load_scenario(valid_file("with_amendments.yaml"), options);
  CHECK(overridden.scenario.seed == 7u);  // --set over the file
  CHECK(overridden.scenario.horizon_months == 13);
  options.seed = "8";
  const auto seeded = load_scenario(valid_file("with_amendments.yaml"), options);
  CHECK(seeded.scenario.seed == 8u);  // --seed over --set
  CHECK(seeded.seed_origin == "--seed 8");
  CHECK(seeded.resolved_yaml().find("\nseed: 8\n") != std::string::npos);  // what ran is what is recorded
  CHECK(seeded.resolved_yaml().find("# --seed 8\n") != std::string::npos);
}

TEST_CASE("overrides (--set) change nested keys and list items, and new keys are validated",
          "[scenario][loading][overrides]") {
  SECTION("nested keys, values parsed as YAML") {
    const std::vector<std::string> overrides = {
        "horizon_months=36",
        "partners.alpha.population.docket_at_start=7",
        "partners.alpha.population.offense_shares={none: 0.5, drug: 0.5}",
        "partners.alpha.amendment_request.amendments=[annual_cap, family_unity]",
        "partners.alpha.agreement.interview_required=yes",
        "description='quoted: text'"};
    const auto loaded = load_scenario(valid_file("minimal.yaml"), overrides);
    const Scenario& s = loaded.scenario;
    CHECK(s.horizon_months == 36);
    CHECK(s.partners[0].population.docket_at_start == 7);
    CHECK(s.partners[0].population.offense_shares == Shares<Offense, 4>{0.5, 0.0, 0.5, 0.0});
    CHECK(s.partners[0].amendment_request.amendments == std::vector<std::string>{"annual_cap", "family_unity"});
    CHECK(s.partners[0].agreement.interview_required == true);
    CHECK(s.description == "quoted: text");
    CHECK(loaded.overrides == overrides);
    CHECK(loaded.resolved_yaml().find("# --set horizon_months=36\n") != std::string::npos);
  }
  SECTION("a list index: the timeline numbered in date order, as `readmit show` lists it") {
    const auto loaded =
        load_scenario(valid_file("timeline.yaml"), {"timeline.4.date=2020-02-01", "timeline.4.sanction.step=1"});
    const auto& timeline = loaded.scenario.timeline;
    REQUIRE(timeline.size() == 5);
    CHECK(timeline[1].note == "lift");  // moved from 2021-02-01 to the second place
    CHECK(timeline[1].date == Date::from_ymd(2020, 2, 1));
    REQUIRE(timeline[1].sanction.has_value());
    CHECK(timeline[1].sanction->step == 1);
  }
  SECTION("a new key that is valid") {
    const auto loaded = load_scenario(valid_file("minimal.yaml"), {"partners.gamma.population.docket_at_start=5"});
    REQUIRE(loaded.scenario.partners.size() == 2);
    CHECK(loaded.scenario.partners[1].name == "gamma");
    CHECK(loaded.scenario.partners[1].population.docket_at_start == 5);
    CHECK(loaded.scenario.partners[1].agreement.document_officers == 5);  // defaults filled in
  }
  SECTION("a new key that is unknown, and a bad value, are reported against the command line") {
    const auto diagnostics = test::diagnostics_of([] {
      load_scenario(valid_file("minimal.yaml"), {"removing_state.detention_bedz=5", "horizon_months=many"});
    });
    // In the order of the parameter table, like every validation message.
    CHECK(diagnostics ==
          std::vector<std::string>{
              "command line (--set horizon_months=many): error: horizon_months: expected a whole number in [1, 1200], "
              "found \"many\"",
              "command line (--set removing_state.detention_bedz=5): error: removing_state.detention_bedz: "
              "unknown key \"detention_bedz\"; did you mean \"detention_beds\"?"});
  }
  SECTION("malformed overrides") {
    const auto path = valid_file("timeline.yaml");
    CHECK(test::diagnostics_of([&] { load_scenario(path, {"horizon_months"}); }) ==
          std::vector<std::string>{"command line (--set horizon_months): error: expected KEY.PATH=VALUE"});
    CHECK(test::diagnostics_of([&] { load_scenario(path, {"=3"}); }) ==
          std::vector<std::string>{"command line (--set =3): error: expected KEY.PATH=VALUE"});
    CHECK(test::diagnostics_of([&] { load_scenario(path, {"removing_state..name=x"}); }) ==
          std::vector<std::string>{"command line (--set removing_state..name=x): error: removing_state..name: "
                                   "expected a dotted key path without empty parts"});
    CHECK(test::diagnostics_of([&] { load_scenario(path, {"timeline.5.date=2020-01-01"}); }) ==
          std::vector<std::string>{"command line (--set timeline.5.date=2020-01-01): error: timeline.5: "
                                   "expected an index below 5 into a list"});
    // An index too large for any integer type is an input error, not a crash.
    CHECK(test::diagnostics_of([&] { load_scenario(path, {"timeline.99999999999999999999999.date=x"}); }) ==
          std::vector<std::string>{"command line (--set timeline.99999999999999999999999.date=x): error: "
                                   "timeline.99999999999999999999999: expected an index below 5 into a list"});
    CHECK(test::diagnostics_of([&] { load_scenario(path, {"timeline.-1=x"}); }) ==
          std::vector<std::string>{"command line (--set timeline.-1=x): error: timeline.-1: "
                                   "expected an index below 5 into a list"});
    CHECK(test::diagnostics_of([&] { load_scenario(path, {"name.first=x"}); }) ==
          std::vector<std::string>{
              "command line (--set name.first=x): error: name: cannot set a key inside \"minimal\""});
    CHECK(test::diagnostics_of([&] { load_scenario(path, {"description="}); }) ==
          std::vector<std::string>{
              "command line (--set description=): error: description: expected a text of at most 10000 bytes, "
              "found nothing"});
    const auto bad_yaml = test::diagnostics_of([&] { load_scenario(path, {"seed=[1,"}); });
    REQUIRE(bad_yaml.size() == 1);
    CHECK(bad_yaml[0].rfind("command line (--set seed=[1,):1:1: error: malformed YAML: ", 0) == 0);
  }
}

TEST_CASE("timeline events are sorted by date and typed", "[scenario][loading][timeline]") {
  const auto loaded = load_scenario(valid_file("timeline.yaml"));
  const Scenario& s = loaded.scenario;
  REQUIRE(s.partners.size() == 2);
  REQUIRE(s.timeline.size() == 5);

  std::vector<std::string> notes;
  for (const auto& e : s.timeline) notes.push_back(e.note);
  // By date; events of the same day keep the file's order.
  CHECK(notes == std::vector<std::string>{"first day", "officers cut", "same day, second", "sanction", "lift"});
  CHECK(s.timeline[0].date == Date::from_ymd(2020, 1, 1));
  CHECK(s.timeline[1].date == Date::from_ymd(2020, 3, 1));
  CHECK(s.timeline[2].date == Date::from_ymd(2020, 3, 1));
  CHECK(s.timeline[3].date == Date::from_ymd(2020, 6, 15));
  CHECK(s.timeline[4].date == Date::from_ymd(2021, 2, 1));

  SECTION("parameter changes") {
    const auto& cut = s.timeline[1].assignments;
    REQUIRE(cut.size() == 3);
    CHECK(cut[0].path == "partners.beta.agreement.document_officers");
    CHECK(cut[0].spec == &spec_at("partners.*.agreement.document_officers"));
    CHECK(cut[0].keys == std::vector<std::size_t>{1});
    CHECK(std::get<std::int64_t>(cut[0].value) == 0);
    CHECK(cut[1].path == "removing_state.raid_size");
    CHECK(cut[1].spec == &spec_at("removing_state.raid_size"));
    CHECK(cut[1].keys.empty());
    CHECK(std::get<std::int64_t>(cut[1].value) == 40);
    CHECK(cut[2].path == "partners.alpha.cooperation.baseline");
    CHECK(cut[2].keys == std::vector<std::size_t>{0});
    CHECK(std::get<double>(cut[2].value) == 0.5);
    CHECK_FALSE(s.timeline[1].sanction.has_value());
    CHECK_FALSE(s.timeline[1].amendment.has_value());

    // Applying the assignments through the table's setters changes the scenario.
    Scenario changed = s;
    for (const auto& a : cut) a.spec->set(changed, a.keys, a.value);
    CHECK(changed.partners[1].agreement.document_officers == 0);
    CHECK(changed.partners[0].agreement.document_officers == 5);
    CHECK(changed.removing_state.raid_size == 40);
    CHECK(changed.partners[0].cooperation.baseline == 0.5);
    CHECK(changed.partners[1].cooperation.baseline == 0.9);

    const auto& first = s.timeline[0].assignments;
    REQUIRE(first.size() == 2);
    const auto& d = std::get<Distribution>(first[0].value);
    CHECK(d.kind == Distribution::Kind::gamma);
    CHECK(d.p1 == 2.0);
    CHECK(d.p2 == 10.0);
    CHECK(d.lower == 0.0);
    CHECK(d.upper == 3650.0);
    CHECK(std::get<double>(first[1].value) == 150.5);
  }
  SECTION("sanction decisions") {
    REQUIRE(s.timeline[3].sanction.has_value());
    CHECK(s.timeline[3].sanction->partner == 1);
    CHECK(s.timeline[3].sanction->step == 2);
    REQUIRE(s.timeline[4].sanction.has_value());
    CHECK(s.timeline[4].sanction->partner == 1);
    CHECK(s.timeline[4].sanction->step == 0);
    CHECK(s.timeline[3].assignments.empty());
  }
  SECTION("amendment switches") {
    REQUIRE(s.timeline[0].amendment.has_value());
    CHECK(s.timeline[0].amendment->amendment == AmendmentKind::family_unity);
    CHECK(s.timeline[0].amendment->partners.empty());
    CHECK(s.timeline[0].amendment->in_force == true);
    REQUIRE(s.timeline[2].amendment.has_value());
    CHECK(s.timeline[2].amendment->amendment == AmendmentKind::annual_cap);
    CHECK(s.timeline[2].amendment->partners == std::vector<std::size_t>{1});
    CHECK(s.timeline[2].amendment->in_force == false);
  }
  SECTION("the scenario's own sanction ladder") {
    CHECK(s.sanctions.ladder == "strict");
    const auto& ladder = s.sanctions.active_ladder();
    REQUIRE(ladder.steps.size() == 2);
    CHECK(ladder.steps[0].name == "officials");
    CHECK(ladder.steps[0].visa_categories == std::vector<std::string>{"b_officials"});
    CHECK(ladder.steps[0].refusal_prob == 1.0);
    CHECK(ladder.steps[1].visa_categories == std::vector<std::string>{"b_general", "f_students"});
    CHECK(ladder.steps[1].refusal_prob == 0.5);
    CHECK(ladder.steps[1].cost == 0.1);
    CHECK(s.sanctions.ladders.size() == sanction_presets().size() + 1);
  }
}

TEST_CASE("the resolved YAML loads again to the same scenario", "[scenario][loading][roundtrip]") {
  const std::vector<std::filesystem::path> files = {
      valid_file("minimal.yaml"), valid_file("chain_a.yaml"), valid_file("timeline.yaml"),
      valid_file("with_amendments.yaml"),
      std::filesystem::path(READMIT_SOURCE_DIR) / "scenarios" / "cambodia_2017.yaml"};
  for (const auto& file : files) {
    INFO(file.string());
    const auto first = load_scenario(file);
    test::TempDir dir;
    const auto copy = dir.write("resolved.yaml", first.resolved_yaml());
    const auto second = load_scenario(copy);
    CHECK(test::same_tree(first.resolved, second.resolved));
    CHECK(to_yaml(first.resolved) == to_yaml(second.resolved));
    CHECK(without_comment_lines(first.resolved_yaml()) == without_comment_lines(second.resolved_yaml()));
    CHECK(second.source_files == std::vector<std::string>{copy.string()});
    // The typed scenarios agree too.
    CHECK(second.scenario.name == first.scenario.name);
    CHECK(second.scenario.description == first.scenario.description);
    CHECK(second.scenario.partners.size() == first.scenario.partners.size());
    CHECK(second.scenario.timeline.size() == first.scenario.timeline.size());
    CHECK(second.scenario.sanctions.ladders.size() == first.scenario.sanctions.ladders.size());
    // And a second round trip is a fixed point.
    const auto third = load_scenario(dir.write("again.yaml", second.resolved_yaml()));
    CHECK(to_yaml(third.resolved) == to_yaml(second.resolved));
  }
}

TEST_CASE("every file in tests/scenario/valid loads", "[scenario][loading]") {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::data_dir() / "valid")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
    INFO(entry.path().string());
    CHECK(test::diagnostics_of([&] { load_scenario(entry.path()); }).empty());
    ++count;
  }
  CHECK(count >= 7);
}

namespace {

// Maps a concrete key path from a message to its table path:
// partners.alpha.x -> partners.*.x, timeline[0].date -> timeline.[].date.
std::string table_pattern(const std::string& key_path) {
  std::string pattern;
  for (std::size_t i = 0; i < key_path.size(); ++i) {
    if (key_path[i] == '[') {
      pattern += ".[]";
      i = key_path.find(']', i);
    } else {
      pattern += key_path[i];
    }
  }
  for (const std::string prefix : {"partners.", "sanctions.ladders."}) {
    if (pattern.rfind(prefix, 0) != 0) continue;
    const auto end = pattern.find('.', prefix.size());
    pattern = prefix + "*" + (end == std::string::npos ? "" : pattern.substr(end));
  }
  return pattern;
}

// Concrete path of a table path in `instantiated_text` below.
std::string concrete(std::string_view pattern) {
  std::string path(pattern);
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"cohorts.*", "cohorts.c1"},
                                                        {"partners.*", "partners.alpha"},
                                                        {"sanctions.ladders.*", "sanctions.ladders.custom"},
                                                        {".[]", ".0"}}) {
    for (auto at = path.find(from); at != std::string::npos; at = path.find(from, at + to.size()))
      path.replace(at, from.size(), to);
  }
  return path;
}

// Every map with free keys and every list holds one element, so that every
// row of the table is visited; only required values are given.
const char* const instantiated_text = R"(
start_date: 2020-01-01
partners:
  alpha:
    population: {docket_at_start: 1, cohorts: {c1: {}}}
    visa_demand: {b_general: 3}
sanctions:
  ladders:
    custom:
      steps:
        - {name: s1, visa_categories: [b_general]}
timeline:
  - date: 2020-02-01
    sanction: {partner: alpha, step: 1}
    amendment: {name: family_unity}
    request: {partner: alpha}
)";

}  // namespace

TEST_CASE("every default in the parameter table validates and is resolved as written", "[scenario][defaults]") {
  const auto loaded = resolve_scenario(test::parse_or_throw(instantiated_text));
  std::size_t checked = 0;
  for (const auto& spec : parameter_table()) {
    if (spec.type == ParamType::section || spec.required) continue;
    INFO(spec.path);
    if (spec.type == ParamType::map_of || spec.type == ParamType::list_of) {
      // Instantiated above; their defaults are checked on the minimal scenario below.
      continue;
    }
    // A window needs one of its exclusive forms, so it cannot be left at its
    // defaults (tests/engine/test_outcome_windows.cpp covers them).
    if (spec.path.starts_with("outcome_windows.")) continue;
    const ConfigNode* node = test::node_at(loaded.resolved, concrete(spec.path));
    REQUIRE(node != nullptr);
    if (spec.default_yaml == "~")
      CHECK(node->is_null());
    else
      CHECK(to_yaml(*node) == to_yaml(test::parse_or_throw(std::string(spec.default_yaml))));
    ++checked;
  }
  CHECK(checked > 100);

  // Collections left out take their (empty) defaults.
  const auto minimal = load_scenario(valid_file("minimal.yaml"));
  for (const auto& spec : parameter_table()) {
    if ((spec.type != ParamType::map_of && spec.type != ParamType::list_of) || spec.required) continue;
    INFO(spec.path);
    const ConfigNode* node = test::node_at(minimal.resolved, concrete(spec.path));
    if (spec.path.find("[]") != std::string_view::npos) continue;  // inside a list left empty
    REQUIRE(node != nullptr);
    CHECK(to_yaml(*node) == to_yaml(test::parse_or_throw(std::string(spec.default_yaml))));
  }
}

TEST_CASE("every required parameter without a default is reported when missing", "[scenario][defaults]") {
  std::set<std::string> expected;
  for (const auto& spec : parameter_table()) {
    const std::string_view path = spec.path;
    const bool element = path.ends_with(".*") || path.ends_with(".[]");
    if (spec.required && !element) {
      CHECK(spec.default_yaml.empty());
      expected.insert(std::string(path));
    }
  }
  REQUIRE(expected.size() >= 10);

  std::vector<Diagnostic> diagnostics;
  for (const char* text : {"{}", R"(
start_date: 2020-01-01
partners: {alpha: {}}
sanctions:
  ladders:
    x: {}
    y: {steps: [{}]}
timeline:
  - {sanction: {}, amendment: {}, request: {}}
)"}) {
    try {
      resolve_scenario(test::parse_or_throw(text));
      FAIL("expected a ScenarioError for " << text);
    } catch (const ScenarioError& e) {
      diagnostics.insert(diagnostics.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  std::set<std::string> reported;
  for (const auto& d : diagnostics) {
    INFO(d.to_string());
    CHECK(d.message.ends_with(", found nothing (required)"));
    reported.insert(table_pattern(d.key_path));
  }
  CHECK(diagnostics.size() == expected.size());
  CHECK(reported == expected);
}

TEST_CASE("describe_expectation states type and range", "[scenario][parameters]") {
  CHECK(describe_expectation(spec_at("horizon_months")) == "a whole number in [1, 1200]");
  CHECK(describe_expectation(spec_at("removing_state.detention_beds")) == "a whole number in [0, 1000000000]");
  CHECK(describe_expectation(spec_at("removing_state.release_prob")) == "a probability in [0, 1]");
  CHECK(describe_expectation(spec_at("partners.*.cooperation.noise_sd")) == "a number in [0, 1]");
  CHECK(describe_expectation(spec_at("partners.*.household.young_child_age_years")) == "a number in [0, 18]");
  CHECK(describe_expectation(spec_at("compliance.uncooperative.median_decision_days_above")) ==
        "a number >= 0 or .inf");
  CHECK(describe_expectation(spec_at("compliance.uncooperative.combine")) == "one of: any, all");
  CHECK(describe_expectation(spec_at("partners.*.population.spouse_shares")) ==
        "a map of shares over citizen, resident, none summing to 1");
  CHECK(describe_expectation(spec_at("start_date")) == "a date YYYY-MM-DD");
  CHECK(describe_expectation(spec_at("sanctions.allow_deescalation")) == "true or false");
  CHECK(describe_expectation(spec_at("sanctions.ladder")) ==
        "a sanction ladder: us_243d, eu_art25a or a key of sanctions.ladders");
  CHECK(describe_expectation(spec_at("partners.*.population.age_at_arrival_years"))
            .rfind("a number or a distribution {dist: ", 0) == 0);
  CHECK(describe_expectation(ParamSpec{.type = ParamType::real, .min = 0.5, .max = 2.25}) == "a number in [0.5, 2.25]");
  CHECK(describe_expectation(ParamSpec{.type = ParamType::integer, .max = 10}) == "a whole number <= 10");
  CHECK(describe_expectation(ParamSpec{.type = ParamType::real}) == "a number");
}

TEST_CASE("the Markdown schema has one row per parameter, in table order", "[scenario][parameters]") {
  const std::string markdown = schema_as_markdown();
  CHECK(markdown.rfind("# Scenario parameters\n", 0) == 0);
  std::vector<std::string> rows;
  std::size_t start = 0;
  while (start < markdown.size()) {
    auto end = markdown.find('\n', start);
    if (end == std::string::npos) end = markdown.size();
    const std::string line = markdown.substr(start, end - start);
    if (line.rfind("| `", 0) == 0) rows.push_back(line);
    start = end + 1;
  }
  const auto table = parameter_table();
  REQUIRE(rows.size() == table.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    INFO(rows[i]);
    CHECK(rows[i].rfind("| `" + std::string(table[i].path) + "` |", 0) == 0);
    // Seven columns: eight unescaped bars.
    std::size_t bars = 0;
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      if (rows[i][j] == '|' && (j == 0 || rows[i][j - 1] != '\\')) ++bars;
    CHECK(bars == 8);
  }
  // The text schema names every parameter on a line of its own.
  const std::string text = schema_as_text();
  for (const auto& spec : table) CHECK(("\n" + text).find("\n" + std::string(spec.path) + "\n") != std::string::npos);
}
