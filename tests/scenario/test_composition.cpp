// Composition without silent surprises (issue #12): the precedence of
// bases, overlays, the file and the command line; the timeline across files;
// cross-checked visa categories; warnings for settings without effect.
#include <catch2/catch.hpp>

#include "readmit/scenario/loader.hpp"
#include "scenario_test_support.hpp"

using namespace readmit;
using test::TempDir;

namespace {

const std::string base_text = R"(name: base
start_date: 2020-01-01
horizon_months: 24
partners:
  alpha:
    population: {docket_at_start: 100}
    visa_demand: {b_general: 50, b_officials_dg_plus: 2}
timeline:
  - id: halt
    date: 2020-03-01
    set: {partners.alpha.agreement.document_officers: 0}
  - id: resume
    date: 2020-09-01
    set: {partners.alpha.agreement.document_officers: 5}
  - date: 2020-06-01
    sanction: {partner: alpha, step: 1}
)";

std::vector<std::string> notes_and_dates(const Scenario& s) {
  std::vector<std::string> out;
  for (const auto& e : s.timeline) out.push_back(e.date.to_string() + (e.id.empty() ? "" : " " + e.id));
  return out;
}

std::vector<std::string> warnings_of(const LoadedScenario& loaded) {
  std::vector<std::string> out;
  for (const auto& w : loaded.warnings) out.push_back(w.to_string());
  return out;
}

}  // namespace

TEST_CASE("the file's own keys win over its overlays, which win over its bases", "[scenario][composition]") {
  TempDir dir;
  dir.write("base.yaml", base_text);
  dir.write("overlay.yaml",
            "amendment_rules:\n  family_unity:\n    in_force_from: 2020-06-01\n    child_under_age_years: 18\n"
            "horizon_months: 30\n");
  const auto file = dir.write("derived.yaml",
                              "extends: base.yaml\namendments: [overlay.yaml]\nname: derived\n"
                              "amendment_rules:\n  family_unity:\n    in_force_from: 2021-04-01\n"
                              "    child_under_age_years: 12\n");
  const auto loaded = load_scenario(file);
  const auto& rules = loaded.scenario.amendment_rules;
  CHECK(rules.common[0].in_force_from == Date::from_ymd(2021, 4, 1));  // the file, not the overlay
  CHECK(rules.family_unity_child_under_age_years == 12.0);             // the file, not the overlay
  CHECK(loaded.scenario.horizon_months == 30);                         // the overlay over the base
  // --set wins over everything.
  const auto overridden = load_scenario(file, {"amendment_rules.family_unity.child_under_age_years=5"});
  CHECK(overridden.scenario.amendment_rules.family_unity_child_under_age_years == 5.0);
}

TEST_CASE("a derived file's timeline is appended to its base's, and applies in date order",
          "[scenario][composition][timeline]") {
  TempDir dir;
  dir.write("base.yaml", base_text);
  SECTION("appended by default") {
    const auto file = dir.write("derived.yaml",
                                "extends: base.yaml\nname: derived\ntimeline:\n"
                                "  - {date: 2020-02-01, note: earlier than every base entry}\n"
                                "  - {id: late, date: 2021-06-01, sanction: {partner: alpha, step: 0}}\n");
    const auto loaded = load_scenario(file);
    CHECK(notes_and_dates(loaded.scenario) == std::vector<std::string>{"2020-02-01", "2020-03-01 halt", "2020-06-01",
                                                                       "2020-09-01 resume", "2021-06-01 late"});
    // readmit show lists them in the same order, so --set timeline.N means what show shows.
    const auto* second = test::node_at(loaded.resolved, "timeline.1.id");
    REQUIRE(second != nullptr);
    CHECK(second->text() == "halt");
  }
  SECTION("timeline_drop removes inherited entries by id") {
    const auto file = dir.write("derived.yaml",
                                "extends: base.yaml\nname: derived\ntimeline_drop: [resume]\ntimeline:\n"
                                "  - {id: resume_later, date: 2021-01-01, set: "
                                "{partners.alpha.agreement.document_officers: 5}}\n");
    CHECK(notes_and_dates(load_scenario(file).scenario) ==
          std::vector<std::string>{"2020-03-01 halt", "2020-06-01", "2021-01-01 resume_later"});
  }
  SECTION("timeline_replace: true replaces them all") {
    const auto file = dir.write("derived.yaml",
                                "extends: base.yaml\nname: derived\ntimeline_replace: true\ntimeline:\n"
                                "  - {date: 2020-05-01, note: only this}\n");
    const auto loaded = load_scenario(file);
    CHECK(notes_and_dates(loaded.scenario) == std::vector<std::string>{"2020-05-01"});
    CHECK(loaded.warnings.empty());
  }
  SECTION("an unknown id, a duplicate id and a replace with nothing to replace") {
    const auto unknown = dir.write("unknown.yaml", "extends: base.yaml\nname: derived\ntimeline_drop: [resum]\n");
    CHECK(test::diagnostics_of([&] { load_scenario(unknown); }) ==
          std::vector<std::string>{unknown.string() +
                                   ":3:17: error: timeline_drop[0]: no inherited timeline entry has the id \"resum\"; "
                                   "did you mean \"resume\"?"});
    const auto twice = dir.write("twice.yaml",
                                 "extends: base.yaml\nname: derived\ntimeline:\n"
                                 "  - {id: halt, date: 2020-04-01}\n");
    CHECK(test::diagnostics_of([&] { load_scenario(twice); }) ==
          std::vector<std::string>{twice.string() +
                                   ":4:10: error: timeline[1].id: expected an id used once in the "
                                   "timeline, found \"halt\" again (first at " +
                                   (dir.path() / "base.yaml").string() +
                                   ":9:9); to replace an inherited entry, drop it with timeline_drop"});
    const auto alone = dir.write("alone.yaml",
                                 "name: alone\nstart_date: 2020-01-01\ntimeline_replace: true\n"
                                 "partners: {alpha: {population: {docket_at_start: 1}}}\n");
    CHECK(warnings_of(load_scenario(alone)) ==
          std::vector<std::string>{alone.string() + ":3:19: warning: timeline_replace: has no effect: no base or "
                                                    "overlay has a timeline entry to replace"});
  }
}

TEST_CASE("visa categories are checked against the ladder in use", "[scenario][composition][visa]") {
  TempDir dir;
  dir.write("base.yaml", base_text);
  SECTION("a typo in the demand") {
    const auto file = dir.write("typo.yaml",
                                "extends: base.yaml\npartners:\n  alpha:\n    visa_demand:\n"
                                "      b_genral: 2000\n");
    CHECK(test::diagnostics_of([&] { load_scenario(file); }) ==
          std::vector<std::string>{
              file.string() + ":5:7: error: partners.alpha.visa_demand.b_genral: unknown visa category "
                              "\"b_genral\" (no step of ladder us_243d restricts it); did you mean \"b_general\"?"});
  }
  SECTION("a ladder for other visas") {
    const auto file = dir.write("eu.yaml", "extends: base.yaml\nsanctions: {ladder: eu_art25a}\n");
    CHECK(test::diagnostics_of([&] { load_scenario(file); }) ==
          std::vector<std::string>{
              (dir.path() / "base.yaml").string() +
                  ":7:19: error: partners.alpha.visa_demand.b_general: unknown visa category \"b_general\" (no step "
                  "of ladder eu_art25a restricts it); expected one of: schengen_officials, schengen_short_stay",
              (dir.path() / "base.yaml").string() +
                  ":7:34: error: partners.alpha.visa_demand.b_officials_dg_plus: unknown visa category "
                  "\"b_officials_dg_plus\" (no step of ladder eu_art25a restricts it); expected one of: "
                  "schengen_officials, schengen_short_stay"});
  }
}

TEST_CASE("legal settings that take no effect are located warnings; --strict makes them errors",
          "[scenario][composition][warnings]") {
  TempDir dir;
  dir.write("base.yaml", base_text);
  const std::string base_path = (dir.path() / "base.yaml").string();
  struct Case {
    std::string text;
    std::vector<std::string> warnings;  // after FILE:
  };
  const std::vector<Case> cases = {
      {"amendment_rules:\n  annual_cap:\n    removals_per_year: 10\n",
       {":5:24: warning: amendment_rules.annual_cap.removals_per_year: has no effect: annual_cap is never in force (no "
        "in_force_from within the horizon, no timeline entry switches it on, no partner requests it)"}},
      {"amendment_rules:\n  annual_cap:\n    partners: [alpha]\ntimeline:\n"
       "  - {date: 2020-05-01, amendment: {name: annual_cap}}\n",
       {":5:15: warning: amendment_rules.annual_cap.partners: has no effect without "
        "amendment_rules.annual_cap.in_force_from (timeline switches and negotiated amendments name their own "
        "partners)"}},
      {"timeline:\n  - {date: 2020-05-01, amendment: {name: long_residence, in_force: false}}\n",
       {":4:68: warning: timeline[1].amendment.in_force: has no effect: long_residence is not in force before "
        "2020-05-01"}},
      {"timeline:\n  - {date: 2023-05-01, note: after the end}\n",
       {":4:12: warning: timeline[3].date: has no effect: 2023-05-01 is after the horizon (the run ends before "
        "2022-01-01)"}},
      {"partners:\n  alpha:\n    agreement: {interview_round_size: 20}\n",
       {":5:39: warning: partners.alpha.agreement.interview_round_size: has no effect: "
        "partners.alpha.agreement.interview_required is false and no timeline entry changes that"}},
      {"partners:\n  alpha:\n    standing: {visas_issued_per_year: 300, security_ties: true}\n",
       {":5:39: warning: partners.alpha.standing.visas_issued_per_year: has no effect: sanctions.visas_scale is .inf "
        "(visas weigh nothing) and no timeline entry changes that",
        ":5:59: warning: partners.alpha.standing.security_ties: has no effect: sanctions.security_weight is 0 "
        "(security ties weigh nothing) and no timeline entry changes that"}},
      {"sanctions:\n  security_weight: 2\n",
       {":4:20: warning: sanctions.security_weight: has no effect: partners.*.standing.security_ties is false for "
        "every partner (no security ties to weigh) and no timeline entry changes that"}},
      {"sanctions:\n  ladders:\n    us_243d:\n      steps:\n        - {name: s1, visa_categories: [b_general, "
       "b_officials_dg_plus], refusal_prob: 0}\n",
       {":5:5: warning: sanctions.ladders.us_243d: ladder us_243d refuses no visa: no step has a refusal_prob above 0",
        ":16:38: warning: timeline[1].sanction.step: refuses no visa of alpha: its visa_demand has none of the "
        "categories steps 1-1 of ladder us_243d restrict (none)"}},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto file = dir.write("derived.yaml", "extends: base.yaml\nname: derived\n" + c.text);
    const auto loaded = load_scenario(file);
    auto actual = warnings_of(loaded);
    for (auto& w : actual) {
      if (w.starts_with(file.string())) w = w.substr(file.string().size());
      if (w.starts_with(base_path)) w = w.substr(base_path.size());
    }
    CHECK(actual == c.warnings);
    LoadOptions strict;
    strict.strict = true;
    const auto errors = test::diagnostics_of([&] { load_scenario(file, strict); });
    REQUIRE(errors.size() == c.warnings.size());
    CHECK(errors.front().find(": error: ") != std::string::npos);
    CHECK(errors.front().ends_with(" (an error under --strict)"));
  }
  // A value equal to its default says nothing, whether it takes effect or not.
  const auto quiet = dir.write("quiet.yaml", "extends: base.yaml\nname: quiet\nremoving_state: {raid_size: 0}\n");
  CHECK(load_scenario(quiet).warnings.empty());
}
