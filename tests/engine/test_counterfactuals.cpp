// The counterfactual properties of docs/model.md (Verification), each on a library
// scenario with common random numbers: replication k of the two variants
// shares every random stream, so differences come from the change alone.
#include <catch2/catch.hpp>

#include <array>
#include <limits>

#include "model_fixtures.hpp"
#include "readmit/scenario/parameters.hpp"

using namespace readmit;
using namespace readmit::test;

namespace {

constexpr std::uint64_t replications = 12;

/// Cambodia's dated move of October 2016: it asks to amend the MOU and presses the request.
bool is_request(const TimelineEvent& e) { return e.request.has_value(); }

std::vector<double> totals(const std::vector<ReplicationResult>& results, Metric m, std::size_t partner = 0,
                           std::size_t first = 0, std::size_t end = SIZE_MAX) {
  std::vector<double> out;
  for (const auto& r : results) out.push_back(sum_months(r, m, partner, first, end));
  return out;
}

}  // namespace

TEST_CASE("a partner that never halts removes no fewer people than the same partner that halts",
          "[model][counterfactual]") {
  const Scenario halting = library_scenario("cambodia_2017.yaml");
  const Scenario never = without_events(halting, is_request);
  REQUIRE(never.timeline.size() + 1 == halting.timeline.size());
  const auto with_halt = run_all(halting, replications);
  const auto without = run_all(never, replications);
  const auto difference = paired(totals(without, Metric::removals), totals(with_halt, Metric::removals));
  INFO("never halting minus halting: " << difference.mean << " +- " << difference.half_width);
  REQUIRE(difference.mean - difference.half_width > 0);
  // Nor is the partner that never halts ever sanctioned.
  for (const auto& r : without) REQUIRE(sum_months(r, Metric::sanction_decisions, 0) == 0);
}

TEST_CASE("a cooperating partner is not escalated when the removing state has no flights, beds or officers",
          "[model][counterfactual]") {
  const Scenario base = without_events(library_scenario("cambodia_2017.yaml"), is_request);
  // Each limit from the start, and through every dated change of the timeline.
  const std::vector<std::pair<std::string, std::vector<std::string>>> limits = {
      {"no flights",
       {"partners.cambodia.flights.charter_seats=0", "partners.cambodia.flights.commercial_seats_per_week=0"}},
      {"no beds", {"removing_state.detention_beds=0"}},
      {"no officers to detain ahead of rounds", {"removing_state.raid_size=0"}},
  };
  for (const auto& [what, overrides] : limits) {
    Scenario limited = without_events(library_scenario("cambodia_2017.yaml", overrides), is_request);
    // The timeline restores flights and sets raid sizes: hold the limit all along.
    for (auto& event : limited.timeline)
      event.assignments.erase(std::remove_if(event.assignments.begin(), event.assignments.end(),
                                             [](const TimelineEvent::Assignment& a) {
                                               return a.path.find("seats") != std::string::npos ||
                                                      a.path.find("raid_size") != std::string::npos;
                                             }),
                              event.assignments.end());
    const auto results = run_all(limited, replications);
    const auto reference = run_all(base, 2);
    INFO(what);
    for (const auto& r : results) {
      REQUIRE(sum_months(r, Metric::sanction_decisions, 0) == 0);
      for (std::size_t t = 0; t < r.monthly.months(); ++t) REQUIRE(r.monthly.at(t, 0, Metric::compliance_class) < 2);
    }
    // The limit did bite.
    REQUIRE(sum_months(results[0], Metric::removals, 0) < sum_months(reference[0], Metric::removals, 0));
  }
}

TEST_CASE("doubling a partner's docket with the same conduct per person leaves its cooperation and classes unchanged",
          "[model][counterfactual]") {
  const Scenario single = library_scenario("cambodia_2017.yaml");
  Scenario doubled = single;
  auto& p = doubled.partners[0];
  p.population.docket_at_start *= 2;
  p.population.inflow_per_month *= 2;
  p.agreement.document_officers *= 2;
  p.agreement.interview_round_size *= 2;
  p.flights.charter_seats *= 2;
  p.flights.commercial_seats_per_week *= 2;
  doubled.removing_state.raid_size *= 2;
  // The same conduct per person waiting: the removing state's reference for
  // how many wait scales too (docs/model.md §7.15 weighs numbers by design).
  doubled.sanctions.waiting_reference_persons *= 2;
  for (auto& event : doubled.timeline)
    for (auto& a : event.assignments)
      if (a.path.find("raid_size") != std::string::npos || a.path.find("seats") != std::string::npos)
        a.value = std::get<std::int64_t>(a.value) * 2;
  // The modal class of three among a dozen replications flips on near-ties
  // (7 to 5 against 5 to 7): enough replications that a flip means a change.
  constexpr std::uint64_t class_replications = 40;
  const auto one = run_all(single, class_replications);
  const auto two = run_all(doubled, class_replications);
  const std::size_t months = one[0].monthly.months();
  // Classes are shares of small numbers for the single partner, so a review
  // near a threshold may fall either side: compare each month's class over
  // the replications (the modal class, and the mean class).
  std::size_t same_mode = 0, close_mean = 0, reviewed_months = 0;
  double total_gap = 0;
  for (std::size_t t = 0; t < months; ++t) {
    double c1 = 0, c2 = 0;
    std::array<int, 3> n1{}, n2{};
    double k1 = 0, k2 = 0, counted = 0;
    for (std::size_t r = 0; r < class_replications; ++r) {
      c1 += one[r].monthly.at(t, 0, Metric::cooperation) / double(class_replications);
      c2 += two[r].monthly.at(t, 0, Metric::cooperation) / double(class_replications);
      const double a = one[r].monthly.at(t, 0, Metric::compliance_class);
      const double b = two[r].monthly.at(t, 0, Metric::compliance_class);
      if (std::isnan(a) || std::isnan(b)) continue;
      ++n1[std::size_t(a)];
      ++n2[std::size_t(b)];
      k1 += a;
      k2 += b;
      counted += 1;
    }
    INFO("month " << t);
    // Within a month of the halt's start and end, a few days' difference moves the month's value.
    REQUIRE(std::abs(c1 - c2) < 0.1);
    total_gap += std::abs(c1 - c2) / double(months);
    if (counted == 0) continue;
    ++reviewed_months;
    if (std::max_element(n1.begin(), n1.end()) - n1.begin() == std::max_element(n2.begin(), n2.end()) - n2.begin())
      ++same_mode;
    if (std::abs(k1 - k2) / counted <= 0.35) ++close_mean;
  }
  REQUIRE(total_gap < 0.02);
  INFO(same_mode << " and " << close_mean << " of " << reviewed_months << " months");
  REQUIRE(double(same_mode) >= 0.85 * double(reviewed_months));
  REQUIRE(double(close_mean) >= 0.9 * double(reviewed_months));
  // Twice the people, about twice the removals (on average: one replication's sanction timing moves its own).
  double r1 = 0, r2 = 0;
  for (std::size_t r = 0; r < class_replications; ++r) {
    r1 += sum_months(one[r], Metric::removals, 0);
    r2 += sum_months(two[r], Metric::removals, 0);
  }
  REQUIRE(r2 == Approx(2 * r1).epsilon(0.2));
}

TEST_CASE("an amendment never increases the removals of the people it covers", "[model][counterfactual]") {
  const Scenario base = library_scenario("cambodia_2017.yaml");
  const auto without = run_all(base, replications);
  const std::pair<const char*, Metric> exempting[] = {
      {"family_unity", Metric::removals_covered_family_unity},
      {"childhood_arrival", Metric::removals_covered_childhood_arrival},
      {"long_residence", Metric::removals_covered_long_residence},
      {"humanitarian_review", Metric::removals_covered_humanitarian_review},
  };
  const std::size_t from = month_of(base, 2017, 1);
  for (const auto& [name, covered] : exempting) {
    INFO(name);
    const Scenario amended =
        library_scenario("cambodia_2017.yaml", {std::string("amendment_rules.") + name + ".in_force_from=2017-01-01"});
    const auto with = run_all(amended, replications);
    const auto before = paired(totals(with, covered, 0, 0, from), totals(without, covered, 0, 0, from));
    REQUIRE(before.mean == 0);  // nothing differs before it applies
    double total_with = 0, total_without = 0;
    for (std::size_t r = 0; r < replications; ++r) {
      total_with += sum_months(with[r], covered, 0, from);
      total_without += sum_months(without[r], covered, 0, from);
    }
    INFO("covered removals from 2017: with " << total_with << ", without " << total_without);
    REQUIRE(total_with < total_without);
    // Exempting amendments spare nearly all they cover; a few cross the line (a long residence reached, a
    // child coming of age) while already waiting for a flight with a document.
    if (std::string(name) != "humanitarian_review") REQUIRE(total_with <= 0.02 * total_without);
  }
  for (const char* name : {"annual_cap", "advance_notice"}) {
    INFO(name);
    const Scenario amended =
        library_scenario("cambodia_2017.yaml", {std::string("amendment_rules.") + name + ".in_force_from=2017-01-01"});
    const auto difference =
        paired(totals(run_all(amended, replications), Metric::removals), totals(without, Metric::removals));
    REQUIRE(difference.mean - difference.half_width <= 0);
  }
}

TEST_CASE("lifting a sanction on a cooperatively disposed partner does not collapse its removals",
          "[model][counterfactual]") {
  const Scenario sanctioned = library_scenario("cambodia_2017.yaml", {"sanctions.allow_deescalation=false"});
  Scenario lifted = sanctioned;
  TimelineEvent lift;
  lift.date = Date::from_ymd(2019, 2, 1);
  lift.note = "the US lifts the visa restriction";
  lift.sanction = TimelineEvent::SanctionDecision{0, 0};
  lifted.timeline.push_back(lift);
  std::stable_sort(lifted.timeline.begin(), lifted.timeline.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) { return a.date < b.date; });
  const auto kept = run_all(sanctioned, replications);
  const auto ended = run_all(lifted, replications);
  // The year after the lifting, before COVID stops the flights.
  const std::size_t first = month_of(sanctioned, 2019, 3), end = month_of(sanctioned, 2020, 3);
  const auto removals_kept = totals(kept, Metric::removals, 0, first, end);
  const auto removals_lifted = totals(ended, Metric::removals, 0, first, end);
  double mean_kept = 0, mean_lifted = 0;
  for (std::size_t r = 0; r < replications; ++r) {
    mean_kept += removals_kept[r] / double(replications);
    mean_lifted += removals_lifted[r] / double(replications);
  }
  INFO("removals Mar 2019 - Feb 2020: kept " << mean_kept << ", lifted " << mean_lifted);
  REQUIRE(mean_lifted >= 0.8 * mean_kept);
  REQUIRE(mean_lifted > 20);
  // Cooperation goes back toward what it is in a world without the sanction, not to zero. (Not to the
  // disposition itself: while requests stay open the partner still bargains, sanctioned or not.)
  const auto never = run_all(library_scenario("cambodia_2017.yaml", {"sanctions.escalate_after=100000"}), replications);
  double cooperation_lifted = 0, cooperation_never = 0;
  for (std::size_t r = 0; r < replications; ++r) {
    cooperation_lifted += ended[r].monthly.at(end - 1, 0, Metric::cooperation) / double(replications);
    cooperation_never += never[r].monthly.at(end - 1, 0, Metric::cooperation) / double(replications);
  }
  INFO("cooperation in Feb 2020: lifted " << cooperation_lifted << ", never sanctioned " << cooperation_never);
  REQUIRE(cooperation_lifted > cooperation_never - 0.2);
  REQUIRE(cooperation_lifted > 0.2);
}

TEST_CASE("two partners with the same conduct: the one that weighs more is sanctioned no sooner and no harder",
          "[model][counterfactual]") {
  // Cambodia as it is, and as a partner of ten times its trade with the US:
  // common random numbers give both the same conduct until a decision differs.
  const Scenario light = library_scenario("cambodia_2017.yaml");
  Scenario heavy = light;
  heavy.partners[0].standing.trade_usd_millions_per_year *= 10;
  REQUIRE(heavy.sanctions.trade_scale_usd_millions < std::numeric_limits<double>::infinity());
  const auto a = run_all(light, replications);
  const auto b = run_all(heavy, replications);
  std::size_t heavy_spared = 0;
  for (std::size_t r = 0; r < replications; ++r) {
    auto first_step = [](const ReplicationResult& x) {
      for (std::size_t t = 0; t < x.monthly.months(); ++t)
        if (x.monthly.at(t, 0, Metric::sanction_step) > 0) return t;
      return x.monthly.months();
    };
    auto top_step = [](const ReplicationResult& x) {
      double top = 0;
      for (std::size_t t = 0; t < x.monthly.months(); ++t)
        top = std::max(top, x.monthly.at(t, 0, Metric::sanction_step));
      return top;
    };
    INFO("replication " << r);
    REQUIRE(first_step(b[r]) >= first_step(a[r]));
    REQUIRE(top_step(b[r]) <= top_step(a[r]));
    heavy_spared += first_step(b[r]) > first_step(a[r]) ? 1 : 0;
  }
  REQUIRE(heavy_spared > 0);  // standing does weigh
}

TEST_CASE("the removing state does not detain for removal what it cannot fly", "[model][counterfactual]") {
  // No flight to Cambodia at any time: nobody is detained for removal.
  Scenario grounded = library_scenario("cambodia_2017.yaml", {"partners.cambodia.flights.charter_seats=0",
                                                              "partners.cambodia.flights.commercial_seats_per_week=0"});
  for (auto& event : grounded.timeline)
    event.assignments.erase(
        std::remove_if(event.assignments.begin(), event.assignments.end(),
                       [](const TimelineEvent::Assignment& a) { return a.path.find("seats") != std::string::npos; }),
        event.assignments.end());
  for (const auto& r : run_all(grounded, 4)) {
    REQUIRE(sum_months(r, Metric::detentions, 0) == 0);
    REQUIRE(sum_months(r, Metric::raid_detentions, 0) == 0);
    REQUIRE(sum_months(r, Metric::redetentions, 0) == 0);
    REQUIRE(sum_months(r, Metric::bed_days, 0) == 0);
    REQUIRE(sum_months(r, Metric::released_no_flight, 0) > 0);
  }
  // In the library scenario, flights stop for COVID from 20 March 2020 to 2022:
  // no raid and no new detention meanwhile.
  const Scenario library = library_scenario("cambodia_2017.yaml");
  const std::size_t from = month_of(library, 2020, 4), to = month_of(library, 2022, 1);
  for (const auto& r : run_all(library, 4)) {
    REQUIRE(sum_months(r, Metric::raid_detentions, 0, from, to) == 0);
    REQUIRE(sum_months(r, Metric::detentions, 0, from, to) == 0);
    REQUIRE(sum_months(r, Metric::released_no_flight, 0, from, to) > 0);
  }
}
