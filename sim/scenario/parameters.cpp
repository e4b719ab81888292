// The parameter table. Each row: path, type, unit, default, range, meaning,
// source of the default, and the setter that stores it into the Scenario.
#include "readmit/scenario/parameters.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <sstream>
#include <type_traits>

namespace readmit {

namespace {

using T = ParamType;
constexpr double inf = std::numeric_limits<double>::infinity();

template <class Target>
void store(Target& target, const ParamValue& value) {
  if constexpr (std::is_enum_v<Target>) {
    target = static_cast<Target>(std::get<std::int64_t>(value));
  } else if constexpr (std::is_same_v<Target, std::uint64_t>) {
    target = static_cast<std::uint64_t>(std::get<std::int64_t>(value));
  } else if constexpr (std::is_same_v<Target, std::optional<Date>>) {
    target = std::get<Date>(value);
  } else if constexpr (requires { std::tuple_size<Target>::value; }) {
    const auto& shares = std::get<std::vector<double>>(value);
    for (std::size_t i = 0; i < target.size(); ++i) target[i] = shares.at(i);
  } else {
    target = std::get<Target>(value);
  }
}

#define TO(target)                                          \
  [](Scenario& s, const PathKeys& k, const ParamValue& v) { \
    (void)s;                                                \
    (void)k;                                                \
    store(target, v);                                       \
  }
#define PARTNER s.partners[k[0]]
#define AMENDMENT_COMMON(i) s.amendment_rules.common[std::size_t(AmendmentKind::i)]

// Partners, ladders and steps are appended in file order; a ladder that
// names a preset replaces the preset's steps.
std::optional<std::size_t> make_partner(Scenario& s, const PathKeys&, std::string_view key) {
  s.partners.emplace_back().name = std::string(key);
  return s.partners.size() - 1;
}
std::optional<std::size_t> make_cohort(Scenario& s, const PathKeys& k, std::string_view key) {
  PARTNER.population.cohorts.emplace_back().name = std::string(key);
  return PARTNER.population.cohorts.size() - 1;
}
std::optional<std::size_t> make_visa_demand(Scenario& s, const PathKeys& k, std::string_view key) {
  PARTNER.visa_demand.push_back({std::string(key), 0.0});
  return PARTNER.visa_demand.size() - 1;
}
std::optional<std::size_t> make_ladder(Scenario& s, const PathKeys&, std::string_view key) {
  for (std::size_t i = 0; i < s.sanctions.ladders.size(); ++i) {
    if (s.sanctions.ladders[i].name == key) {
      s.sanctions.ladders[i].steps.clear();
      return i;
    }
  }
  s.sanctions.ladders.push_back({std::string(key), {}});
  return s.sanctions.ladders.size() - 1;
}
std::optional<std::size_t> make_step(Scenario& s, const PathKeys& k, std::string_view) {
  auto& steps = s.sanctions.ladders[k[0]].steps;
  steps.emplace_back();
  return steps.size() - 1;
}
std::optional<std::size_t> make_event(Scenario& s, const PathKeys&, std::string_view) {
  s.timeline.emplace_back();
  return s.timeline.size() - 1;
}
std::optional<std::size_t> engage_sanction(Scenario& s, const PathKeys& k, std::string_view) {
  s.timeline[k[0]].sanction.emplace(
      TimelineEvent::SanctionDecision{});  // clang rejects emplace() here (llvm-project#50248)
  return std::nullopt;
}
std::optional<std::size_t> engage_amendment(Scenario& s, const PathKeys& k, std::string_view) {
  s.timeline[k[0]].amendment.emplace(TimelineEvent::AmendmentSwitch{});  // likewise
  return std::nullopt;
}
std::optional<std::size_t> engage_halt(Scenario& s, const PathKeys& k, std::string_view) {
  s.timeline[k[0]].halt.emplace(TimelineEvent::HaltMove{});  // likewise
  return std::nullopt;
}

void set_event_partner(Scenario& s, const PathKeys& k, const ParamValue& v) {
  s.timeline[k[0]].sanction->partner = s.partner_index(std::get<std::string>(v));
}
void set_event_halt_partner(Scenario& s, const PathKeys& k, const ParamValue& v) {
  s.timeline[k[0]].halt->partner = s.partner_index(std::get<std::string>(v));
}
void set_event_amendment(Scenario& s, const PathKeys& k, const ParamValue& v) {
  s.timeline[k[0]].amendment->amendment = *amendment_from_name(std::get<std::string>(v));
}
void set_event_amendment_partners(Scenario& s, const PathKeys& k, const ParamValue& v) {
  auto& partners = s.timeline[k[0]].amendment->partners;
  partners.clear();
  for (const auto& name : std::get<std::vector<std::string>>(v)) partners.push_back(s.partner_index(name));
}

constexpr std::string_view state_choices = "prison|detained|supervised";

// clang-format off
const ParamSpec table[] = {
  // ---- run ----
  {.path = "name", .type = T::text, .default_yaml = "unnamed scenario",
   .meaning = "Short name of the scenario, shown in outputs.", .set = TO(s.name)},
  {.path = "description", .type = T::text, .default_yaml = "\"\"",
   .meaning = "What the scenario represents and where its figures come from.", .set = TO(s.description)},
  {.path = "start_date", .type = T::date, .required = true,
   .meaning = "First simulated day: the first of a month, since outputs are by calendar month.",
   .set = TO(s.start_date), .first_of_month = true},
  {.path = "horizon_months", .type = T::integer, .unit = "months", .default_yaml = "60", .min = 1, .max = 1200,
   .meaning = "Length of a run in calendar months.", .source = "[A] five years, long enough for a sanction cycle", .set = TO(s.horizon_months)},
  {.path = "seed", .type = T::integer, .default_yaml = "20170913", .min = 0, .max = 9007199254740991.0,
   .meaning = "Master seed; every random stream is derived from it, the replication and the entity.",
   .set = TO(s.seed)},
  {.path = "replications", .type = T::integer, .unit = "runs", .default_yaml = "1", .min = 1, .max = 1000000,
   .meaning = "Default number of replications (the command line may override).", .source = "[A] one; ensembles set --replications", .set = TO(s.replications)},

  // ---- removing state ----
  {.path = "removing_state", .type = T::section, .meaning = "The state that removes people: detention, custody rules, enforcement."},
  {.path = "removing_state.name", .type = T::text, .default_yaml = "United States",
   .meaning = "Name of the removing state.", .set = TO(s.removing_state.name)},
  {.path = "removing_state.detention_beds", .type = T::integer, .unit = "beds", .default_yaml = "1000000", .min = 0,
   .meaning = "Detention beds available to this scenario's caseload; when full, persons are released on supervision instead.",
   .source = "[A] unconstrained by default: the Cambodian caseload is a tiny share of ICE's ~38,000 beds (FY2017)",
   .set = TO(s.removing_state.detention_beds), .timeline_settable = true},
  {.path = "removing_state.detention_cost_per_day_usd", .type = T::real, .unit = "USD/person-day", .default_yaml = "133", .min = 0,
   .meaning = "Cost of one detention bed-day.", .source = "ICE adult bed rate $132.90 (FY2017) [S]",
   .set = TO(s.removing_state.detention_cost_per_day_usd), .timeline_settable = true},
  {.path = "removing_state.request_lag_days", .type = T::integer, .unit = "days", .default_yaml = "30", .min = 0, .max = 3650,
   .meaning = "Days from the start of post-order detention to the travel-document request.",
   .source = "ICE practice: TD packet submitted in days 1-30 of the removal period [S]",
   .set = TO(s.removing_state.request_lag_days), .timeline_settable = true},
  {.path = "removing_state.custody_review_days", .type = T::integer, .unit = "days", .default_yaml = "180", .min = 1, .max = 3650,
   .meaning = "Days of post-order detention without a document after which the custody review releases (Zadvydas v. Davis).",
   .source = "Zadvydas v. Davis, 533 U.S. 678 (2001): six-month presumption [S]",
   .set = TO(s.removing_state.custody_review_days), .timeline_settable = true},
  {.path = "removing_state.custody_rereview_days", .type = T::integer, .unit = "days", .default_yaml = "30", .min = 1, .max = 3650,
   .meaning = "Days until the custody review looks again at a detained person whose removal is foreseeable (a valid document exists).",
   .source = "8 CFR 241.4(k)(2)(iii): a detainee may request a review every 30 days after a denial [S]; ICE reviews within 30 days in practice [A]",
   .set = TO(s.removing_state.custody_rereview_days), .timeline_settable = true},
  {.path = "removing_state.release_prob", .type = T::probability, .default_yaml = "0.9",
   .meaning = "Probability that the custody review releases a person on supervision (the rest are held as special cases).",
   .source = "[A] no published share; most such detainees are released",
   .set = TO(s.removing_state.release_prob), .timeline_settable = true},
  {.path = "removing_state.relief_hazard_per_month", .type = T::probability, .unit = "1/month", .default_yaml = "0.001",
   .meaning = "Monthly probability that a pending case ends in relief (pardon, reopened case).",
   .source = "[A] governors' pardons are rare (a handful a year for ~1,900 cases)",
   .set = TO(s.removing_state.relief_hazard_per_month), .timeline_settable = true},
  {.path = "removing_state.redetention_prob", .type = T::probability, .default_yaml = "0.8",
   .meaning = "Probability that a person on supervision is re-detained when a document is issued for them.",
   .source = "[A] ICE arrests people ahead of charters; some cannot be found or are protected by court orders",
   .set = TO(s.removing_state.redetention_prob), .timeline_settable = true},
  {.path = "removing_state.raid_size", .type = T::integer, .unit = "persons", .default_yaml = "0", .min = 0,
   .meaning = "Persons on supervision with a pending request re-detained ahead of each interview round (0: no raids).",
   .source = ">100 re-detained Oct 2017; ~60 ahead of the Sep 2018 round [S/R]",
   .set = TO(s.removing_state.raid_size), .timeline_settable = true},
  {.path = "removing_state.raid_lead_days", .type = T::integer, .unit = "days", .default_yaml = "30", .min = 0, .max = 365,
   .meaning = "Days between a raid and the interview round it prepares.", .source = "[A]",
   .set = TO(s.removing_state.raid_lead_days), .timeline_settable = true},
  {.path = "removing_state.itinerary_notice_days", .type = T::integer, .unit = "days", .default_yaml = "7", .min = 0, .max = 365,
   .meaning = "Days of notice the partner needs before a flight: a document issued later misses that flight.",
   .source = "2002 US-Cambodia MOU summary: itinerary at least 7 days before return [R]",
   .set = TO(s.removing_state.itinerary_notice_days), .timeline_settable = true},
  {.path = "removing_state.flight_dropoff_prob", .type = T::probability, .default_yaml = "0.2",
   .meaning = "Probability that a person scheduled on a flight does not board (stay of removal, pardon, litigation).",
   .source = "36 of 46 scheduled arrived, Dec 2018 [R]",
   .set = TO(s.removing_state.flight_dropoff_prob), .timeline_settable = true},
  {.path = "removing_state.dropoff_relief_prob", .type = T::probability, .default_yaml = "0.25",
   .meaning = "Share of flight drop-offs that end in relief; the rest are released on supervision and their document is void.",
   .source = "[A] pardons are a minority of last-minute stays",
   .set = TO(s.removing_state.dropoff_relief_prob), .timeline_settable = true},

  // ---- partners ----
  {.path = "partners", .type = T::map_of, .required = true,
   .meaning = "Partner states of nationality, by name (at least one).", .make = make_partner},
  {.path = "partners.*", .type = T::section, .meaning = "One partner state: its caseload, agreement, flights and behaviour."},

  {.path = "partners.*.population", .type = T::section, .meaning = "The partner's nationals in the removal pipeline."},
  {.path = "partners.*.population.docket_at_start", .type = T::integer, .unit = "persons", .required = true, .min = 0, .max = 10000000,
   .meaning = "Persons with final removal orders at start_date.", .set = TO(PARTNER.population.docket_at_start)},
  {.path = "partners.*.population.inflow_per_month", .type = T::real, .unit = "persons/month", .default_yaml = "0", .min = 0, .max = 1000000,
   .meaning = "Mean of the Poisson number of new final orders per month.", .source = "[A] none unless a scenario sets it",
   .set = TO(PARTNER.population.inflow_per_month), .timeline_settable = true},
  {.path = "partners.*.population.initial_state_shares", .type = T::shares, .default_yaml = "{prison: 0.05, detained: 0.02, supervised: 0.93}",
   .choices = state_choices, .meaning = "Where the docket is at start_date: serving a sentence, in post-order detention, or released on supervision.",
   .source = "[A] most final orders are on the non-detained docket", .set = TO(PARTNER.population.initial_state_shares)},
  {.path = "partners.*.population.inflow_state_shares", .type = T::shares, .default_yaml = "{prison: 0.6, detained: 0.4, supervised: 0}",
   .choices = state_choices, .meaning = "Where new final orders start.",
   .source = "[A] most new orders follow a criminal sentence", .set = TO(PARTNER.population.inflow_state_shares)},
  {.path = "partners.*.population.pending_request_prob", .type = T::probability, .default_yaml = "0",
   .meaning = "Share of the docket on supervision with a travel-document request already pending at start_date.", .source = "[A] none unless a scenario sets it",
   .set = TO(PARTNER.population.pending_request_prob)},
  {.path = "partners.*.population.pending_request_max_age_days", .type = T::integer, .unit = "days", .default_yaml = "3650",
   .min = 0, .max = 36500,
   .meaning = "Old requests pending at start_date were sent uniformly over this many days before it.",
   .source = "[A] waits of many years are on record (an order of 1999 executed in 2018, Foreign Policy 2019); ten years",
   .set = TO(PARTNER.population.pending_request_max_age_days)},
  {.path = "partners.*.population.sentence_remaining_days", .type = T::distribution, .unit = "days",
   .default_yaml = "{dist: lognormal, median: 365, sigma: 1.0, max: 7300}", .min = 0,
   .meaning = "Remaining prison sentence of persons who start in prison.", .source = "[A]",
   .set = TO(PARTNER.population.sentence_remaining_days)},
  {.path = "partners.*.population.age_at_arrival_years", .type = T::distribution, .unit = "years",
   .default_yaml = "{dist: triangular, min: 0, mode: 5, max: 35}", .min = 0, .max = 100,
   .meaning = "Age at arrival in the removing state (used when the partner has no cohorts).",
   .source = "Cambodian deportees mostly arrived as infants or small children, some as teenagers or adults [R] (docs/sources.md)",
   .set = TO(PARTNER.population.age_at_arrival_years)},
  {.path = "partners.*.population.years_resident", .type = T::distribution, .unit = "years",
   .default_yaml = "{dist: normal, mean: 25, sd: 6, min: 1, max: 45}", .min = 0, .max = 100,
   .meaning = "Years lived in the removing state at start_date (or at the order, for inflow); used when the partner has no cohorts.",
   .source = "advocacy survey average ~20 years; 'decades' [R]", .set = TO(PARTNER.population.years_resident)},
  {.path = "partners.*.population.entry_status_shares", .type = T::shares, .default_yaml = "{refugee: 0.85, permanent_resident: 0.1, other: 0.05}",
   .choices = "refugee|permanent_resident|other", .meaning = "Immigration status on entry (used when the partner has no cohorts).",
   .source = "32 of 37 on the Jul 2019 flight came as refugees [R]", .set = TO(PARTNER.population.entry_status_shares)},
  {.path = "partners.*.population.offense_shares", .type = T::shares, .default_yaml = "{none: 0.26, non_violent: 0.3, drug: 0.24, violent: 0.2}",
   .choices = "none|non_violent|drug|violent", .meaning = "Most serious offense behind the order (none: immigration only).",
   .source = "74% with criminal convictions (1,412/1,900, ICE 2017) [S]; split among offenses [A]",
   .set = TO(PARTNER.population.offense_shares)},
  {.path = "partners.*.population.spouse_shares", .type = T::shares, .default_yaml = "{citizen: 0.35, resident: 0.15, none: 0.5}",
   .choices = "citizen|resident|none", .meaning = "Spouse or partner living in the removing state.",
   .source = "[A] no statistic; cases and Cambodia's framing suggest it is common", .set = TO(PARTNER.population.spouse_shares)},
  {.path = "partners.*.population.children_count", .type = T::distribution, .unit = "children",
   .default_yaml = "{dist: poisson, mean: 1.2, max: 8}", .min = 0, .max = 30,
   .meaning = "Children living in the removing state (rounded down).", .source = "[A]",
   .set = TO(PARTNER.population.children_count)},
  {.path = "partners.*.population.child_age_years", .type = T::distribution, .unit = "years",
   .default_yaml = "{dist: uniform, min: 0, max: 18}", .min = 0, .max = 40,
   .meaning = "Age of each child at start_date.", .source = "[A]", .set = TO(PARTNER.population.child_age_years)},
  {.path = "partners.*.population.main_earner_prob", .type = T::probability, .default_yaml = "0.5",
   .meaning = "Probability that a person with a household is its main earner.", .source = "[A]",
   .set = TO(PARTNER.population.main_earner_prob)},
  {.path = "partners.*.population.mental_health_risk_shares", .type = T::shares, .default_yaml = "{low: 0.5, medium: 0.3, high: 0.2}",
   .choices = "low|medium|high", .meaning = "Mental-health risk class, used by returnee hazards.",
   .source = "[A] PTSD and depression far above US rates among Cambodian refugees (RAND/JAMA 2005) [S]",
   .set = TO(PARTNER.population.mental_health_risk_shares)},
  {.path = "partners.*.population.ties_shares", .type = T::shares, .default_yaml = "{none: 0.4, some: 0.4, strong: 0.2}",
   .choices = "none|some|strong", .meaning = "Ties to the partner state (language, relatives there).",
   .source = "no relatives in Cambodia: 9/9 (Dec 2017), 3/8 (Apr 2016) [R]", .set = TO(PARTNER.population.ties_shares)},
  {.path = "partners.*.population.cohorts", .type = T::map_of, .default_yaml = "{}",
   .meaning = "Entry cohorts of the docket, by name (e.g. refugees of 1979-1985, later permanent residents). When given, each "
              "person is drawn into a cohort by weight; entry status comes from the cohort, and age at arrival and years of "
              "residence from its birth and arrival years, so they agree with each other and with the calendar.",
   .make = make_cohort},
  {.path = "partners.*.population.cohorts.*", .type = T::section, .meaning = "One entry cohort."},
  {.path = "partners.*.population.cohorts.*.weight", .type = T::real, .default_yaml = "1", .min = 0, .max = 1e9,
   .meaning = "Relative size of the cohort in the docket and the inflow (normalised over the partner's cohorts).",
   .source = "[A] one each unless the scenario gives shares", .set = TO(PARTNER.population.cohorts[k[1]].weight)},
  {.path = "partners.*.population.cohorts.*.entry_status", .type = T::choice, .default_yaml = "refugee",
   .choices = "refugee|permanent_resident|other", .meaning = "Immigration status on entry of the cohort's members.",
   .source = "[A]", .set = TO(PARTNER.population.cohorts[k[1]].entry_status)},
  {.path = "partners.*.population.cohorts.*.arrival_year", .type = T::distribution, .unit = "calendar year",
   .default_yaml = "{dist: uniform, min: 1979, max: 1986}", .min = 1900, .max = 2200,
   .meaning = "Calendar year of arrival (with its fraction); later than the start date is read as the start date.",
   .source = "the largest wave of Cambodian refugees came 1979-1986 [S] (docs/sources.md)",
   .set = TO(PARTNER.population.cohorts[k[1]].arrival_year)},
  {.path = "partners.*.population.cohorts.*.birth_year", .type = T::distribution, .unit = "calendar year",
   .default_yaml = "{dist: triangular, min: 1960, mode: 1977, max: 1987}", .min = 1900, .max = 2200,
   .meaning = "Calendar year of birth (with its fraction). A birth after the arrival is drawn again (those born in the "
              "removing state are its citizens, not in the docket); after 100 draws the arrival age is 0.",
   .source = "deportees aged 33-60 on the Jan 2020 flight; case reports of births 1975-1978 [R] (docs/sources.md)",
   .set = TO(PARTNER.population.cohorts[k[1]].birth_year)},

  {.path = "partners.*.agreement", .type = T::section, .meaning = "How the partner processes travel-document requests."},
  {.path = "partners.*.agreement.document_officers", .type = T::integer, .unit = "cases at once", .default_yaml = "5", .min = 0, .max = 1000000,
   .meaning = "Cases the partner decides at once (servers of the document queue, scaled by cooperation); capacity per month = officers x 30.44 / mean decision days.",
   .source = "[A] calibrated to removals", .set = TO(PARTNER.agreement.document_officers), .timeline_settable = true},
  {.path = "partners.*.agreement.decision_time_days", .type = T::distribution, .unit = "days",
   .default_yaml = "{dist: lognormal, median: 45, sigma: 0.6}", .min = 0,
   .meaning = "Time to decide one request at full cooperation.",
   .source = "[A] no official figure; written rejections due within 30 days (MOU summary) [R]",
   .set = TO(PARTNER.agreement.decision_time_days), .timeline_settable = true},
  {.path = "partners.*.agreement.decision_slowdown_at_zero_cooperation", .type = T::real, .default_yaml = "2", .min = 0, .max = 100,
   .meaning = "Decision time is multiplied by 1 + this x (1 - cooperation).", .source = "[A]",
   .set = TO(PARTNER.agreement.decision_slowdown_at_zero_cooperation), .timeline_settable = true},
  {.path = "partners.*.agreement.interview_required", .type = T::boolean, .default_yaml = "false",
   .meaning = "Whether each person must be interviewed (in rounds at detention centres) before a decision.",
   .source = "Cambodia interviews each person before issuing a TD [R]",
   .set = TO(PARTNER.agreement.interview_required), .timeline_settable = true},
  {.path = "partners.*.agreement.interview_interval_days", .type = T::integer, .unit = "days", .default_yaml = "120", .min = 1, .max = 3650,
   .meaning = "Days between interview rounds.", .source = "1-3 rounds a year, tied to raids (SEARAC) [R]",
   .set = TO(PARTNER.agreement.interview_interval_days), .timeline_settable = true},
  {.path = "partners.*.agreement.interview_round_size", .type = T::integer, .unit = "persons", .default_yaml = "60", .min = 0,
   .meaning = "Detained persons interviewed per round.", .source = "~50 (Nov 2017), ~60 (Sep 2018) [R]",
   .set = TO(PARTNER.agreement.interview_round_size), .timeline_settable = true},
  {.path = "partners.*.agreement.acceptance_base_prob", .type = T::probability, .default_yaml = "0.95",
   .meaning = "Probability a decided request is accepted at full cooperation (scaled by cooperation).", .source = "[A]",
   .set = TO(PARTNER.agreement.acceptance_base_prob), .timeline_settable = true},
  {.path = "partners.*.agreement.refuse_arrived_under_age_years", .type = T::real, .unit = "years", .default_yaml = "0", .min = 0, .max = 100,
   .meaning = "The partner refuses everyone who arrived in the removing state younger than this (0: no such category rule); refused persons become unremovable.",
   .source = "Vietnam's 2008 agreement excludes pre-1995 arrivals [S]",
   .set = TO(PARTNER.agreement.refuse_arrived_under_age_years), .timeline_settable = true},
  {.path = "partners.*.agreement.rerequest_lag_days", .type = T::integer, .unit = "days", .default_yaml = "90", .min = 0, .max = 3650,
   .meaning = "Days after a denial before the removing state asks again.", .source = "[A]",
   .set = TO(PARTNER.agreement.rerequest_lag_days), .timeline_settable = true},
  {.path = "partners.*.agreement.document_validity_days", .type = T::integer, .unit = "days", .default_yaml = "60", .min = 1, .max = 3650,
   .meaning = "Days an issued travel document stays valid; unused documents expire and the request starts again.",
   .source = "2002 US-Cambodia MOU summary: TDs valid 60 days [R]",
   .set = TO(PARTNER.agreement.document_validity_days), .timeline_settable = true},

  {.path = "partners.*.flights", .type = T::section, .meaning = "Removal flights to the partner."},
  {.path = "partners.*.flights.commercial_seats_per_week", .type = T::integer, .unit = "seats/week", .default_yaml = "0", .min = 0,
   .meaning = "Seats on scheduled flights each week (escorted removals).", .source = "[A] charters only unless a scenario sets it",
   .set = TO(PARTNER.flights.commercial_seats_per_week), .timeline_settable = true},
  {.path = "partners.*.flights.charter_interval_days", .type = T::integer, .unit = "days", .default_yaml = "120", .min = 0, .max = 3650,
   .meaning = "Days between charter flights (0: no charters).", .source = "charters about every 4 months, 2018-2020 [R]",
   .set = TO(PARTNER.flights.charter_interval_days), .timeline_settable = true},
  {.path = "partners.*.flights.charter_offset_days", .type = T::integer, .unit = "days", .default_yaml = "60", .min = 0, .max = 3650,
   .meaning = "Days from start_date to the first charter.", .source = "[A]",
   .set = TO(PARTNER.flights.charter_offset_days)},
  {.path = "partners.*.flights.charter_seats", .type = T::integer, .unit = "seats", .default_yaml = "40", .min = 0,
   .meaning = "Seats per charter flight.", .source = "flights of 43, 36, 37, 30, 25 (2018-2020) [S/R]",
   .set = TO(PARTNER.flights.charter_seats), .timeline_settable = true},
  {.path = "partners.*.flights.charter_acceptance_base_prob", .type = T::probability, .default_yaml = "0.95",
   .meaning = "Probability the partner accepts a charter at full cooperation (scaled by cooperation).", .source = "[A]",
   .set = TO(PARTNER.flights.charter_acceptance_base_prob), .timeline_settable = true},
  {.path = "partners.*.flights.charter_after_round_days", .type = T::integer, .unit = "days", .default_yaml = "0", .min = 0,
   .max = 3650,
   .meaning = "Days after each interview round the partner held at which the removing state flies a charter (0: none; "
              "besides the fixed cycle of charter_interval_days).",
   .source = "[A] none unless a scenario sets it; Cambodia's charters followed its rounds by 1-5 months [R]",
   .set = TO(PARTNER.flights.charter_after_round_days), .timeline_settable = true},
  {.path = "partners.*.flights.charter_full_cooperation", .type = T::probability, .default_yaml = "0.5",
   .meaning = "Cooperation from which the partner accepts charters at the base probability; below it, acceptance falls in "
              "proportion (refusing a charter is a deliberate act, not a per-flight lottery of a cooperating partner).",
   .source = "[A] no refused charter is reported for Cambodia after 2017; the Gambia's refusals were a stated moratorium [S]",
   .set = TO(PARTNER.flights.charter_full_cooperation), .timeline_settable = true},

  {.path = "partners.*.cooperation", .type = T::section,
   .meaning = "The partner as an actor: its cooperation c in [0, 1] moves monthly toward a target set by its disposition, its "
              "response to the sanctions in force, the domestic cost of receiving deportees and the value of what it asked for."},
  {.path = "partners.*.cooperation.initial", .type = T::probability, .default_yaml = "0.9",
   .meaning = "Cooperation at start_date.", .source = "[A] the disposition", .set = TO(PARTNER.cooperation.initial)},
  {.path = "partners.*.cooperation.baseline", .type = T::probability, .default_yaml = "0.9",
   .meaning = "The disposition: target cooperation when nothing presses (political alignment, the terms signed, capacity), "
              "given the domestic cost of deportations the partner bears at start_date; changes in that cost move the target.",
   .source = "[A] fitted where removals are known (docs/calibration.md)",
   .set = TO(PARTNER.cooperation.baseline), .timeline_settable = true},
  {.path = "partners.*.cooperation.adjustment_speed_per_month", .type = T::probability, .unit = "1/month", .default_yaml = "0.3",
   .meaning = "Share of the gap to the target closed each month.", .source = "[A] sanction to first cooperative act ~1 month [S/R]",
   .set = TO(PARTNER.cooperation.adjustment_speed_per_month), .timeline_settable = true},
  {.path = "partners.*.cooperation.noise_sd", .type = T::real, .default_yaml = "0.02", .min = 0, .max = 1,
   .meaning = "Standard deviation of the monthly normal noise on cooperation.", .source = "[A]",
   .set = TO(PARTNER.cooperation.noise_sd), .timeline_settable = true},
  {.path = "partners.*.cooperation.sanction_sensitivity", .type = T::distribution,
   .default_yaml = "{dist: normal, mean: 0.15, sd: 0.2, min: -1, max: 1}", .min = -1, .max = 1,
   .meaning = "The partner's response to sanctions: the target added at saturating cost (drawn once per replication; "
              "negative: the partner digs in). The response to cost C is sensitivity x (1 - exp(-C / sanction_cost_scale)).",
   .source = "[A] the 243(d) record is mixed: about 4 of 11 sanctioned countries doubled removals, Burma's fell [R] "
             "(docs/sources.md); fitted in docs/calibration.md",
   .set = TO(PARTNER.cooperation.sanction_sensitivity)},
  {.path = "partners.*.cooperation.sanction_cost_scale", .type = T::real, .unit = "cost", .default_yaml = "0.3",
   .min = 0.001, .max = 100,
   .meaning = "Cost of the steps in force (sum of their `cost`) at which the response reaches 63% of the sensitivity: "
              "returns diminish beyond it.",
   .source = "[A] the us_243d steps cost 0.15-0.2 each: the fourth step adds little",
   .set = TO(PARTNER.cooperation.sanction_cost_scale), .timeline_settable = true},
  {.path = "partners.*.cooperation.backlash_per_severe_rate", .type = T::real, .unit = "per (outcome/returnee-year)",
   .default_yaml = "10", .min = 0, .max = 1000,
   .meaning = "Target lost per severe outcome per returnee-year in follow-up, both counted over recent months with fading "
              "weights: a rate, so that volume alone does not make a large partner turn away.",
   .source = "[A] suicides among returnees are what Cambodia's leaders cite [S]; a rate of 0.5% a year (~3 deaths among "
             "~170 returnees by 2007 [R]) then costs 0.05",
   .set = TO(PARTNER.cooperation.backlash_per_severe_rate), .timeline_settable = true},
  {.path = "partners.*.cooperation.backlash_per_family_share", .type = T::real, .default_yaml = "0.1", .min = 0, .max = 1,
   .meaning = "Target lost when every recent removal separated a family (citizen or resident spouse, minor child) or removed "
              "someone who arrived as a child; in proportion to that share of recent removals.",
   .source = "[A] Cambodia's stated grievance: \"wives and children are in the U.S.\" [S]",
   .set = TO(PARTNER.cooperation.backlash_per_family_share), .timeline_settable = true},
  {.path = "partners.*.cooperation.backlash_half_life_months", .type = T::real, .unit = "months", .default_yaml = "12",
   .min = 0.1, .max = 600,
   .meaning = "Half-life of the domestic attention returnees' outcomes and removals receive.",
   .source = "[A] a year of domestic attention", .set = TO(PARTNER.cooperation.backlash_half_life_months)},
  {.path = "partners.*.cooperation.backlash_prior_share", .type = T::real, .unit = "returnees per docket member",
   .default_yaml = "0.01", .min = 0, .max = 100,
   .meaning = "Weight of the partner's prior, in returnees (and returnee-years) per person in its docket at start_date: "
              "it expects the rates the docket's composition and the returnee hazards imply, so that one case among a "
              "handful of returnees does not swing them. Scaled by the docket, so a partner twice the size weighs "
              "its experience the same.",
   .source = "[A] about 20 returnees for Cambodia's ~1,960",
   .set = TO(PARTNER.cooperation.backlash_prior_share)},
  {.path = "partners.*.cooperation.amendment_bonus", .type = T::real, .default_yaml = "0.1", .min = 0, .max = 1,
   .meaning = "Target gained while amendments the partner asked for are in force (the value of what it asked for).",
   .source = "[A]", .set = TO(PARTNER.cooperation.amendment_bonus), .timeline_settable = true},

  {.path = "partners.*.halt", .type = T::section,
   .meaning = "A halt of document issuing as a lever: started by a dated move (timeline halt), ended when the amendments it "
              "asks for are agreed, when the cost of the sanctions in force reaches its value, or by a dated move."},
  {.path = "partners.*.halt.cooperation", .type = T::probability, .default_yaml = "0",
   .meaning = "Target cooperation while halted.", .source = "Cambodia issued no new travel documents Oct 2016 - Aug 2017 [S]",
   .set = TO(PARTNER.halt.cooperation), .timeline_settable = true},
  {.path = "partners.*.halt.value", .type = T::real, .unit = "cost", .default_yaml = "0.1", .min = 0, .max = 100,
   .meaning = "What the halt is worth to the partner, in the ladder's cost units: it ends once the cost of the steps in force "
              "reaches this.",
   .source = "[A] Cambodia offered interviews two days after the mildest 243(d) step took effect [S], so at most that step's cost",
   .set = TO(PARTNER.halt.value), .timeline_settable = true},

  {.path = "partners.*.household", .type = T::section, .meaning = "Whether a household follows a removed person."},
  {.path = "partners.*.household.follow_prob_citizen_spouse", .type = T::probability, .default_yaml = "0.1",
   .meaning = "Probability the household follows when the spouse is a citizen.", .source = "[A]",
   .set = TO(PARTNER.household.follow_prob_citizen_spouse)},
  {.path = "partners.*.household.follow_prob_resident_spouse", .type = T::probability, .default_yaml = "0.2",
   .meaning = "Probability the household follows when the spouse is a resident.", .source = "[A]",
   .set = TO(PARTNER.household.follow_prob_resident_spouse)},
  {.path = "partners.*.household.follow_prob_no_spouse", .type = T::probability, .default_yaml = "0.05",
   .meaning = "Probability the children follow when there is no spouse.", .source = "[A]",
   .set = TO(PARTNER.household.follow_prob_no_spouse)},
  {.path = "partners.*.household.young_child_age_years", .type = T::real, .unit = "years", .default_yaml = "6", .min = 0, .max = 18,
   .meaning = "Children younger than this count as young for the follow probability.", .source = "[A]",
   .set = TO(PARTNER.household.young_child_age_years)},
  {.path = "partners.*.household.young_child_follow_multiplier", .type = T::real, .default_yaml = "1.5", .min = 0, .max = 100,
   .meaning = "Multiplier on the follow probability when the youngest child is young (capped at 1).", .source = "[A]",
   .set = TO(PARTNER.household.young_child_follow_multiplier)},

  {.path = "partners.*.returnees", .type = T::section, .meaning = "Follow-up of removed persons in the partner state."},
  {.path = "partners.*.returnees.followup_months", .type = T::integer, .unit = "months", .default_yaml = "36", .min = 0, .max = 600,
   .meaning = "Months each returnee is followed.", .source = "[A]", .set = TO(PARTNER.returnees.followup_months)},
  {.path = "partners.*.returnees.severe_outcome_hazard_per_month", .type = T::probability, .unit = "1/month", .default_yaml = "0.0004",
   .meaning = "Base monthly hazard of a severe adverse outcome (suicide or death).",
   .source = "~3 deaths among ~170 returnees by 2007, order 0.5%/year [R]",
   .set = TO(PARTNER.returnees.severe_outcome_hazard_per_month), .timeline_settable = true},
  {.path = "partners.*.returnees.homelessness_hazard_per_month", .type = T::probability, .unit = "1/month", .default_yaml = "0.01",
   .meaning = "Base monthly hazard of becoming homeless.", .source = "[A]",
   .set = TO(PARTNER.returnees.homelessness_hazard_per_month), .timeline_settable = true},
  {.path = "partners.*.returnees.remigration_hazard_per_month", .type = T::probability, .unit = "1/month", .default_yaml = "0.002",
   .meaning = "Base monthly hazard of an attempted re-migration.", .source = "[A]",
   .set = TO(PARTNER.returnees.remigration_hazard_per_month), .timeline_settable = true},
  {.path = "partners.*.returnees.child_arrival_age_years", .type = T::real, .unit = "years", .default_yaml = "12", .min = 0, .max = 100,
   .meaning = "Persons who arrived younger than this count as child arrivals.", .source = "[A]",
   .set = TO(PARTNER.returnees.child_arrival_age_years)},
  {.path = "partners.*.returnees.child_arrival_multiplier", .type = T::real, .default_yaml = "1.5", .min = 0, .max = 100,
   .meaning = "Hazard multiplier for child arrivals.", .source = "[A]", .set = TO(PARTNER.returnees.child_arrival_multiplier)},
  {.path = "partners.*.returnees.no_ties_multiplier", .type = T::real, .default_yaml = "1.5", .min = 0, .max = 100,
   .meaning = "Hazard multiplier for persons with no ties to the partner state.", .source = "[A]",
   .set = TO(PARTNER.returnees.no_ties_multiplier)},
  {.path = "partners.*.returnees.medium_mental_health_multiplier", .type = T::real, .default_yaml = "1.5", .min = 0, .max = 100,
   .meaning = "Hazard multiplier for medium mental-health risk.", .source = "[A]",
   .set = TO(PARTNER.returnees.medium_mental_health_multiplier)},
  {.path = "partners.*.returnees.high_mental_health_multiplier", .type = T::real, .default_yaml = "3", .min = 0, .max = 100,
   .meaning = "Hazard multiplier for high mental-health risk.", .source = "[A]",
   .set = TO(PARTNER.returnees.high_mental_health_multiplier)},
  {.path = "partners.*.returnees.reintegration_capacity_per_month", .type = T::integer, .unit = "places", .default_yaml = "0", .min = 0,
   .meaning = "Returnees the reintegration programme can take in each month.", .source = "KVAO: ~22 residents, 3-month stays (2018) [R]",
   .set = TO(PARTNER.returnees.reintegration_capacity_per_month), .timeline_settable = true},
  {.path = "partners.*.returnees.reintegration_months", .type = T::integer, .unit = "months", .default_yaml = "3", .min = 0, .max = 600,
   .meaning = "Months a returnee stays in the programme.", .source = "KVAO: about 3 months [R]",
   .set = TO(PARTNER.returnees.reintegration_months)},
  {.path = "partners.*.returnees.reintegration_multiplier", .type = T::real, .default_yaml = "0.5", .min = 0, .max = 100,
   .meaning = "Hazard multiplier while in the programme.", .source = "[A]",
   .set = TO(PARTNER.returnees.reintegration_multiplier), .timeline_settable = true},

  {.path = "partners.*.visa_demand", .type = T::map_of, .default_yaml = "{}",
   .meaning = "Visa applications per month by category (the categories sanction steps name).", .make = make_visa_demand},
  {.path = "partners.*.visa_demand.*", .type = T::real, .unit = "applications/month", .required = true, .min = 0,
   .meaning = "Monthly applications in one visa category.", .set = TO(PARTNER.visa_demand[k[1]].applications_per_month)},

  {.path = "partners.*.issue_linkage", .type = T::section,
   .meaning = "Another cooperation the partner may suspend in answer to a sanction (issue linkage)."},
  {.path = "partners.*.issue_linkage.name", .type = T::text, .default_yaml = "\"\"",
   .meaning = "What is suspended (shown in outputs).", .set = TO(PARTNER.issue_linkage.name)},
  {.path = "partners.*.issue_linkage.suspend_prob_per_step", .type = T::probability, .default_yaml = "0",
   .meaning = "Probability the partner suspends it when a sanction step comes into force.",
   .source = "[A] Cambodia suspended the remains search in 2017 [S]",
   .set = TO(PARTNER.issue_linkage.suspend_prob_per_step), .timeline_settable = true},
  {.path = "partners.*.issue_linkage.resume_when_lifted", .type = T::boolean, .default_yaml = "true",
   .meaning = "Whether it resumes once no sanction step is in force.", .set = TO(PARTNER.issue_linkage.resume_when_lifted)},

  {.path = "partners.*.amendment_request", .type = T::section, .meaning = "When the partner asks for amendments."},
  {.path = "partners.*.amendment_request.amendments", .type = T::amendment_list, .default_yaml = "[]",
   .meaning = "Amendments the partner asks for.", .set = TO(PARTNER.amendment_request.amendments)},
  {.path = "partners.*.amendment_request.domestic_cost_threshold", .type = T::real, .unit = "target", .default_yaml = "0.15",
   .min = 0, .max = inf,
   .meaning = "Backlash (target cooperation lost to the domestic cost of receiving deportees) at which the partner asks for "
              "its amendments (.inf: only a halt makes it ask).",
   .source = "[A] Cambodia asked after suicides and family separations among its returnees [S]",
   .set = TO(PARTNER.amendment_request.domestic_cost_threshold), .timeline_settable = true, .infinity_ok = true},

  // ---- compliance review ----
  {.path = "compliance", .type = T::section,
   .meaning = "The removing state's review of each partner's own conduct, normalised by what was asked of it: requests "
              "count from the day the partner could act on them (sent, or presented at an interview round), and nothing the "
              "removing state did not provide (flights, beds, detainees to interview) counts against it."},
  {.path = "compliance.review_interval_days", .type = T::integer, .unit = "days", .default_yaml = "7", .min = 1, .max = 3650,
   .meaning = "Days between reviews: a week approximates the US's continuous monitoring; 365 the EU's yearly assessment.",
   .source = "US: DHS monitors and notifies when it finds a pattern (notice 16 Aug 2017) [S]; EU Art. 25a(2): at least yearly [S]",
   .set = TO(s.compliance.review_interval_days), .timeline_settable = true},
  {.path = "compliance.first_review_date", .type = T::date, .default_yaml = "~",
   .meaning = "Day of the first review (~: review_interval_days - 1 days after start_date); later reviews follow every "
              "review_interval_days.", .source = "[A]; EU: first Art. 25a assessment 10 Feb 2021 [S]",
   .set = TO(s.compliance.first_review_date), .within_horizon = true},
  {.path = "compliance.window_months", .type = T::integer, .unit = "months", .default_yaml = "12", .min = 1, .max = 120,
   .meaning = "Calendar months a review looks back over, ending on the review day.",
   .source = "[A] a year of data: the EU's first assessment used a year (2019) [S]",
   .set = TO(s.compliance.window_months), .timeline_settable = true},
  {.path = "compliance.timely_days", .type = T::integer, .unit = "days", .default_yaml = "180", .min = 1, .max = 3650,
   .meaning = "A request still undecided this many days after the partner received it counts as delayed.",
   .source = "[A] the 180-day custody review: a document later than this forces a release (Zadvydas) [S]",
   .set = TO(s.compliance.timely_days), .timeline_settable = true},
  {.path = "compliance.uncooperative", .type = T::section, .meaning = "Rule classifying a partner as uncooperative."},
  {.path = "compliance.uncooperative.combine", .type = T::choice, .default_yaml = "any", .choices = "any|all",
   .meaning = "Whether any or all finite thresholds must be exceeded.", .source = "[A] any clear refusal", .set = TO(s.compliance.uncooperative.combine)},
  {.path = "compliance.uncooperative.median_decision_days_above", .type = T::real, .unit = "days", .default_yaml = ".inf", .min = 0, .max = inf,
   .meaning = "Median days from receipt to decision, decisions in the window, above which the rule fires (.inf: never).", .source = "[A] off: medians are long for slow but working partners",
   .set = TO(s.compliance.uncooperative.median_decision_days_above), .infinity_ok = true},
  {.path = "compliance.uncooperative.undecided_share_above", .type = T::real, .default_yaml = "0.5", .min = 0, .max = inf,
   .meaning = "Share of received requests still undecided timely_days after receipt above which the rule fires (.inf: never).", .source = "[A] most received requests left undecided",
   .set = TO(s.compliance.uncooperative.undecided_share_above), .infinity_ok = true},
  {.path = "compliance.uncooperative.denied_share_above", .type = T::real, .default_yaml = "0.5", .min = 0, .max = inf,
   .meaning = "Share of decisions that are denials above which the rule fires (.inf: never).", .source = "[A] most decisions denials",
   .set = TO(s.compliance.uncooperative.denied_share_above), .infinity_ok = true},
  {.path = "compliance.uncooperative.charter_refused_share_above", .type = T::real, .default_yaml = "0.5", .min = 0, .max = inf,
   .meaning = "Share of charters offered (with passengers ready) that the partner refused, above which the rule fires (.inf: never).", .source = "[A] refusing charters is a trigger ICE names [S]; threshold [A]",
   .set = TO(s.compliance.uncooperative.charter_refused_share_above), .infinity_ok = true},
  {.path = "compliance.uncooperative.interview_shortfall_above", .type = T::real, .default_yaml = "0.5", .min = 0, .max = inf,
   .meaning = "Share of persons requested for interview (up to the agreed round size) whom the partner did not interview, above which the rule fires (.inf: never).", .source = "[A] most requested interviews not held",
   .set = TO(s.compliance.uncooperative.interview_shortfall_above), .infinity_ok = true},
  {.path = "compliance.uncooperative.undecided_release_share_above", .type = T::real, .default_yaml = ".inf", .min = 0, .max = inf,
   .meaning = "180-day releases of persons whose received request the partner left undecided, per request it received in the window, above which the rule fires (.inf: never).", .source = "[A] off: how many detainees reach 180 days depends on the removing state's detention and flights too; a released person's undecided request counts in undecided_share",
   .set = TO(s.compliance.uncooperative.undecided_release_share_above), .infinity_ok = true},
  {.path = "compliance.at_risk", .type = T::section, .meaning = "Rule classifying a partner as at risk of non-compliance (checked when not uncooperative)."},
  {.path = "compliance.at_risk.combine", .type = T::choice, .default_yaml = "any", .choices = "any|all",
   .meaning = "Whether any or all finite thresholds must be exceeded.", .source = "[A] any warning sign", .set = TO(s.compliance.at_risk.combine)},
  {.path = "compliance.at_risk.median_decision_days_above", .type = T::real, .unit = "days", .default_yaml = "120", .min = 0, .max = inf,
   .meaning = "Median days from receipt to decision, decisions in the window, above which the rule fires (.inf: never).", .source = "[A] four months from receipt",
   .set = TO(s.compliance.at_risk.median_decision_days_above), .infinity_ok = true},
  {.path = "compliance.at_risk.undecided_share_above", .type = T::real, .default_yaml = "0.25", .min = 0, .max = inf,
   .meaning = "Share of received requests still undecided timely_days after receipt above which the rule fires (.inf: never).", .source = "[A]",
   .set = TO(s.compliance.at_risk.undecided_share_above), .infinity_ok = true},
  {.path = "compliance.at_risk.denied_share_above", .type = T::real, .default_yaml = "0.3", .min = 0, .max = inf,
   .meaning = "Share of decisions that are denials above which the rule fires (.inf: never).", .source = "[A]",
   .set = TO(s.compliance.at_risk.denied_share_above), .infinity_ok = true},
  {.path = "compliance.at_risk.charter_refused_share_above", .type = T::real, .default_yaml = "0.2", .min = 0, .max = inf,
   .meaning = "Share of charters offered (with passengers ready) that the partner refused, above which the rule fires (.inf: never).", .source = "[A]",
   .set = TO(s.compliance.at_risk.charter_refused_share_above), .infinity_ok = true},
  {.path = "compliance.at_risk.interview_shortfall_above", .type = T::real, .default_yaml = "0.25", .min = 0, .max = inf,
   .meaning = "Share of persons requested for interview (up to the agreed round size) whom the partner did not interview, above which the rule fires (.inf: never).", .source = "[A]",
   .set = TO(s.compliance.at_risk.interview_shortfall_above), .infinity_ok = true},
  {.path = "compliance.at_risk.undecided_release_share_above", .type = T::real, .default_yaml = ".inf", .min = 0, .max = inf,
   .meaning = "180-day releases of persons whose received request the partner left undecided, per request it received in the window, above which the rule fires (.inf: never).", .source = "[A] off, as for uncooperative",
   .set = TO(s.compliance.at_risk.undecided_release_share_above), .infinity_ok = true},

  // ---- sanctions ----
  {.path = "sanctions", .type = T::section, .meaning = "The removing state's sanction ladder and when it climbs or steps down."},
  {.path = "sanctions.ladder", .type = T::ladder_ref, .default_yaml = "us_243d",
   .meaning = "The ladder in use: a preset (us_243d, eu_art25a) or a key of sanctions.ladders.", .set = TO(s.sanctions.ladder)},
  {.path = "sanctions.escalate_after", .type = T::integer, .unit = "reviews", .default_yaml = "13", .min = 1, .max = 100000,
   .meaning = "Consecutive uncooperative reviews before the removing state decides to climb one step (US: DHS's notice to "
              "State; EU: the Commission's proposal); the step takes effect after effect_lag_days.",
   .source = "[A] a quarter of weekly findings",
   .set = TO(s.sanctions.escalate_after), .timeline_settable = true},
  {.path = "sanctions.deescalate_after", .type = T::integer, .unit = "reviews", .default_yaml = "26", .min = 1, .max = 100000,
   .meaning = "Consecutive compliant reviews before stepping down one step.", .source = "[A] half a year of weekly findings",
   .set = TO(s.sanctions.deescalate_after), .timeline_settable = true},
  {.path = "sanctions.allow_deescalation", .type = T::boolean, .default_yaml = "true",
   .meaning = "Whether the ladder may step down at all (false: a step, once taken, stays).",
   .source = "steps were lifted for Guyana, Gambia, Guinea and Ghana [S]",
   .set = TO(s.sanctions.allow_deescalation), .timeline_settable = true},
  {.path = "sanctions.lift_while_request_open", .type = T::boolean, .default_yaml = "false",
   .meaning = "Whether the ladder may step down while the partner presses an amendment request the removing state has "
              "not agreed to (false: the open dispute keeps the step, however compliant the partner's conduct).",
   .source = "Cambodia's account: it kept accepting deportees and was still called uncooperative for asking to amend "
             "the MOU (May 2022) [S]; the US declined its requests of 2016-2022 [S]",
   .set = TO(s.sanctions.lift_while_request_open), .timeline_settable = true},
  {.path = "sanctions.effect_lag_days", .type = T::integer, .unit = "days", .default_yaml = "28", .min = 0, .max = 3650,
   .meaning = "Days between a sanction decision and its effect.", .source = "DHS notice 16 Aug 2017, effect 13 Sep 2017 [S]",
   .set = TO(s.sanctions.effect_lag_days), .timeline_settable = true},
  {.path = "sanctions.reviews_wait_for_effect", .type = T::boolean, .default_yaml = "true",
   .meaning = "After a decision, only reviews whose whole window follows its effect count toward the next one.",
   .source = "[A] a sanction is judged on the partner's answer to it, not on the data that caused it",
   .set = TO(s.sanctions.reviews_wait_for_effect), .timeline_settable = true},
  {.path = "sanctions.ladders", .type = T::map_of, .default_yaml = "{}",
   .meaning = "Ladders defined or overridden by the scenario (a key naming a preset replaces its steps).", .make = make_ladder},
  {.path = "sanctions.ladders.*", .type = T::section, .meaning = "One ladder."},
  {.path = "sanctions.ladders.*.steps", .type = T::list_of, .required = true, .meaning = "Ordered steps, mildest first.", .make = make_step},
  {.path = "sanctions.ladders.*.steps.[]", .type = T::section, .meaning = "One step; the steps below it stay in force."},
  {.path = "sanctions.ladders.*.steps.[].name", .type = T::text, .required = true,
   .meaning = "Name of the step.", .set = TO(s.sanctions.ladders[k[0]].steps[k[1]].name)},
  {.path = "sanctions.ladders.*.steps.[].visa_categories", .type = T::name_list, .required = true,
   .meaning = "Visa categories the step restricts.", .set = TO(s.sanctions.ladders[k[0]].steps[k[1]].visa_categories)},
  {.path = "sanctions.ladders.*.steps.[].refusal_prob", .type = T::probability, .default_yaml = "1",
   .meaning = "Share of those categories' applications refused (or deterred).", .source = "INA 243(d): visas are not issued [S]",
   .set = TO(s.sanctions.ladders[k[0]].steps[k[1]].refusal_prob)},
  {.path = "sanctions.ladders.*.steps.[].cost", .type = T::real, .unit = "cost", .default_yaml = "0.1", .min = 0, .max = 10,
   .meaning = "What the step costs the partner while in force (refused visas weighted by whom they hurt), in cost units "
              "summed over the steps in force; the partner's response to it is set by its sanction_sensitivity.",
   .source = "[A]", .set = TO(s.sanctions.ladders[k[0]].steps[k[1]].cost)},

  // ---- amendments ----
  {.path = "amendment_rules", .type = T::section,
   .meaning = "Terms of each amendment; an amendment applies from in_force_from, from a timeline switch, or once negotiated."},
  {.path = "amendment_rules.family_unity", .type = T::section, .meaning = "No request for people with a citizen spouse or a young child."},
  {.path = "amendment_rules.family_unity.in_force_from", .type = T::date, .default_yaml = "~",
   .meaning = "Date the amendment applies from (~: not by date).", .set = TO(AMENDMENT_COMMON(family_unity).in_force_from), .within_horizon = true},
  {.path = "amendment_rules.family_unity.partners", .type = T::partner_list, .default_yaml = "[]",
   .meaning = "Partners it applies to (empty: all).", .set = TO(AMENDMENT_COMMON(family_unity).partners)},
  {.path = "amendment_rules.family_unity.child_under_age_years", .type = T::real, .unit = "years", .default_yaml = "18", .min = 0, .max = 100,
   .meaning = "A child younger than this exempts the parent.", .source = "[A] the age of majority", .set = TO(s.amendment_rules.family_unity_child_under_age_years)},
  {.path = "amendment_rules.family_unity.citizen_spouse", .type = T::boolean, .default_yaml = "true",
   .meaning = "Whether a citizen spouse exempts.", .source = "Cambodia: \"wives and children are in the U.S.\" (Hun Sen) [S]", .set = TO(s.amendment_rules.family_unity_citizen_spouse)},
  {.path = "amendment_rules.childhood_arrival", .type = T::section, .meaning = "No request for people who arrived as children."},
  {.path = "amendment_rules.childhood_arrival.in_force_from", .type = T::date, .default_yaml = "~",
   .meaning = "Date the amendment applies from (~: not by date).", .set = TO(AMENDMENT_COMMON(childhood_arrival).in_force_from), .within_horizon = true},
  {.path = "amendment_rules.childhood_arrival.partners", .type = T::partner_list, .default_yaml = "[]",
   .meaning = "Partners it applies to (empty: all).", .set = TO(AMENDMENT_COMMON(childhood_arrival).partners)},
  {.path = "amendment_rules.childhood_arrival.under_age_years", .type = T::real, .unit = "years", .default_yaml = "12", .min = 0, .max = 100,
   .meaning = "Arrival younger than this exempts.", .source = "[A] deportees arrived aged 0-8, range 0-12 [R]", .set = TO(s.amendment_rules.childhood_arrival_under_age_years)},
  {.path = "amendment_rules.long_residence", .type = T::section, .meaning = "No request for long-term residents."},
  {.path = "amendment_rules.long_residence.in_force_from", .type = T::date, .default_yaml = "~",
   .meaning = "Date the amendment applies from (~: not by date).", .set = TO(AMENDMENT_COMMON(long_residence).in_force_from), .within_horizon = true},
  {.path = "amendment_rules.long_residence.partners", .type = T::partner_list, .default_yaml = "[]",
   .meaning = "Partners it applies to (empty: all).", .set = TO(AMENDMENT_COMMON(long_residence).partners)},
  {.path = "amendment_rules.long_residence.min_years", .type = T::real, .unit = "years", .default_yaml = "20", .min = 0, .max = 100,
   .meaning = "Residence of at least this many years exempts.", .source = "survey average of about 20 years in the US [R]", .set = TO(s.amendment_rules.long_residence_min_years)},
  {.path = "amendment_rules.humanitarian_review", .type = T::section, .meaning = "Each request gets a humanitarian review."},
  {.path = "amendment_rules.humanitarian_review.in_force_from", .type = T::date, .default_yaml = "~",
   .meaning = "Date the amendment applies from (~: not by date).", .set = TO(AMENDMENT_COMMON(humanitarian_review).in_force_from), .within_horizon = true},
  {.path = "amendment_rules.humanitarian_review.partners", .type = T::partner_list, .default_yaml = "[]",
   .meaning = "Partners it applies to (empty: all).", .set = TO(AMENDMENT_COMMON(humanitarian_review).partners)},
  {.path = "amendment_rules.humanitarian_review.extra_days", .type = T::integer, .unit = "days", .default_yaml = "30", .min = 0, .max = 3650,
   .meaning = "Days the review adds to a decision.", .source = "[A] the MOU allows 30 days for a written refusal [R]", .set = TO(s.amendment_rules.humanitarian_review_extra_days)},
  {.path = "amendment_rules.humanitarian_review.vulnerable_denial_prob", .type = T::probability, .default_yaml = "0.5",
   .meaning = "Probability a vulnerable person (child arrival, high mental-health risk, or young child) is denied.", .source = "[A]",
   .set = TO(s.amendment_rules.humanitarian_review_vulnerable_denial_prob)},
  {.path = "amendment_rules.advance_notice", .type = T::section, .meaning = "Families are told before a removal."},
  {.path = "amendment_rules.advance_notice.in_force_from", .type = T::date, .default_yaml = "~",
   .meaning = "Date the amendment applies from (~: not by date).", .set = TO(AMENDMENT_COMMON(advance_notice).in_force_from), .within_horizon = true},
  {.path = "amendment_rules.advance_notice.partners", .type = T::partner_list, .default_yaml = "[]",
   .meaning = "Partners it applies to (empty: all).", .set = TO(AMENDMENT_COMMON(advance_notice).partners)},
  {.path = "amendment_rules.advance_notice.notice_days", .type = T::integer, .unit = "days", .default_yaml = "30", .min = 0, .max = 3650,
   .meaning = "Days of notice before removal (a document issued later misses the flight).", .source = "[A]", .set = TO(s.amendment_rules.advance_notice_days)},
  {.path = "amendment_rules.advance_notice.crisis_reduction_prob", .type = T::probability, .default_yaml = "0.5",
   .meaning = "Share by which notice lowers the household's crisis (children affected counted as unprepared).", .source = "[A]",
   .set = TO(s.amendment_rules.advance_notice_crisis_reduction_prob)},
  {.path = "amendment_rules.reintegration_support", .type = T::section, .meaning = "Funded reintegration programme in the partner state."},
  {.path = "amendment_rules.reintegration_support.in_force_from", .type = T::date, .default_yaml = "~",
   .meaning = "Date the amendment applies from (~: not by date).", .set = TO(AMENDMENT_COMMON(reintegration_support).in_force_from), .within_horizon = true},
  {.path = "amendment_rules.reintegration_support.partners", .type = T::partner_list, .default_yaml = "[]",
   .meaning = "Partners it applies to (empty: all).", .set = TO(AMENDMENT_COMMON(reintegration_support).partners)},
  {.path = "amendment_rules.reintegration_support.capacity_per_month", .type = T::integer, .unit = "places", .default_yaml = "20", .min = 0,
   .meaning = "Programme places added each month.", .source = "KVAO ~22 residents (2018) [R]",
   .set = TO(s.amendment_rules.reintegration_support_capacity_per_month)},
  {.path = "amendment_rules.reintegration_support.hazard_multiplier", .type = T::real, .default_yaml = "0.5", .min = 0, .max = 100,
   .meaning = "Multiplier on returnee hazards while in the programme.", .source = "[A]", .set = TO(s.amendment_rules.reintegration_support_hazard_multiplier)},
  {.path = "amendment_rules.annual_cap", .type = T::section, .meaning = "The partner accepts at most a number of removals a year."},
  {.path = "amendment_rules.annual_cap.in_force_from", .type = T::date, .default_yaml = "~",
   .meaning = "Date the amendment applies from (~: not by date).", .set = TO(AMENDMENT_COMMON(annual_cap).in_force_from), .within_horizon = true},
  {.path = "amendment_rules.annual_cap.partners", .type = T::partner_list, .default_yaml = "[]",
   .meaning = "Partners it applies to (empty: all).", .set = TO(AMENDMENT_COMMON(annual_cap).partners)},
  {.path = "amendment_rules.annual_cap.removals_per_year", .type = T::integer, .unit = "persons/year", .default_yaml = "100", .min = 0,
   .meaning = "Removals accepted per calendar year.", .source = "[A] about the cooperative-regime rate to Cambodia (74-110 a year) [S]", .set = TO(s.amendment_rules.annual_cap_removals_per_year)},

  {.path = "negotiation", .type = T::section, .meaning = "How amendment requests are negotiated."},
  {.path = "negotiation.agree_prob_per_year", .type = T::probability, .default_yaml = "0.1",
   .meaning = "Probability per year (drawn monthly) that the removing state agrees to a partner's open amendment request.",
   .source = "[A] the US declined Cambodia's requests of 2016, 2019 and 2022 [S]",
   .set = TO(s.negotiation.agree_prob_per_year), .timeline_settable = true},
  {.path = "negotiation.entry_into_force_lag_days", .type = T::integer, .unit = "days", .default_yaml = "180", .min = 0, .max = 3650,
   .meaning = "Days from agreement to entry into force.", .source = "[A]",
   .set = TO(s.negotiation.entry_into_force_lag_days), .timeline_settable = true},

  // ---- timeline ----
  {.path = "timeline", .type = T::list_of, .default_yaml = "[]",
   .meaning = "Dated changes: parameter changes, sanction decisions, amendments switched on or off.", .make = make_event},
  {.path = "timeline.[]", .type = T::section, .meaning = "One dated change."},
  {.path = "timeline.[].date", .type = T::date, .required = true,
   .meaning = "Day the change applies from.", .set = TO(s.timeline[k[0]].date), .within_horizon = true},
  {.path = "timeline.[].note", .type = T::text, .default_yaml = "\"\"",
   .meaning = "What happened (shown in outputs).", .set = TO(s.timeline[k[0]].note)},
  {.path = "timeline.[].set", .type = T::overrides, .default_yaml = "{}",
   .meaning = "Parameters changed from this date, as {path: value}; only parameters marked 'timeline' may change."},
  {.path = "timeline.[].sanction", .type = T::section,
   .meaning = "A sanction decision taken regardless of the review rule.", .make = engage_sanction, .optional_section = true},
  {.path = "timeline.[].sanction.partner", .type = T::partner_ref, .required = true,
   .meaning = "The partner sanctioned.", .set = set_event_partner},
  {.path = "timeline.[].sanction.step", .type = T::integer, .required = true, .min = 0, .max = 100,
   .meaning = "Ladder step decided (0 lifts every step).", .set = TO(s.timeline[k[0]].sanction->step)},
  {.path = "timeline.[].amendment", .type = T::section,
   .meaning = "An amendment switched on or off.", .make = engage_amendment, .optional_section = true},
  {.path = "timeline.[].amendment.name", .type = T::amendment_ref, .required = true,
   .meaning = "The amendment.", .set = set_event_amendment},
  {.path = "timeline.[].amendment.partners", .type = T::partner_list, .default_yaml = "[]",
   .meaning = "Partners concerned (empty: all).", .set = set_event_amendment_partners},
  {.path = "timeline.[].amendment.in_force", .type = T::boolean, .default_yaml = "true",
   .meaning = "Switch on (true) or off (false).", .set = TO(s.timeline[k[0]].amendment->in_force)},
  {.path = "timeline.[].halt", .type = T::section,
   .meaning = "A partner's dated move: it halts its document issuing (and asks for the amendments it wants), or ends a halt.",
   .make = engage_halt, .optional_section = true},
  {.path = "timeline.[].halt.partner", .type = T::partner_ref, .required = true,
   .meaning = "The partner that moves.", .set = set_event_halt_partner},
  {.path = "timeline.[].halt.active", .type = T::boolean, .default_yaml = "true",
   .meaning = "Start (true) or end (false) the halt.", .set = TO(s.timeline[k[0]].halt->active)},
};
// clang-format on

constexpr std::array<std::string_view, amendment_kind_count> amendment_name_list = {
    "family_unity",   "childhood_arrival",     "long_residence", "humanitarian_review",
    "advance_notice", "reintegration_support", "annual_cap"};

std::string format_bound(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("?");
}

std::string type_name(const ParamSpec& spec) {
  switch (spec.type) {
    case T::section:
      return "section";
    case T::map_of:
      return "map";
    case T::list_of:
      return "list";
    case T::integer:
      return "integer";
    case T::real:
      return "number";
    case T::probability:
      return "probability";
    case T::boolean:
      return "boolean";
    case T::date:
      return "date";
    case T::text:
      return "text";
    case T::choice:
      return "choice";
    case T::distribution:
      return "distribution";
    case T::shares:
      return "shares";
    case T::name_list:
      return "list of names";
    case T::partner_ref:
      return "partner name";
    case T::partner_list:
      return "list of partner names";
    case T::ladder_ref:
      return "ladder name";
    case T::amendment_ref:
      return "amendment name";
    case T::amendment_list:
      return "list of amendment names";
    case T::overrides:
      return "parameter changes";
  }
  return "?";
}

std::string choices_text(std::string_view choices) {
  std::string text;
  for (char c : choices) text += c == '|' ? std::string(", ") : std::string(1, c);
  return text;
}

}  // namespace

std::span<const ParamSpec> parameter_table() { return table; }

std::span<const std::string_view> amendment_names() { return amendment_name_list; }

std::optional<AmendmentKind> amendment_from_name(std::string_view name) {
  for (std::size_t i = 0; i < amendment_name_list.size(); ++i)
    if (amendment_name_list[i] == name) return static_cast<AmendmentKind>(i);
  return std::nullopt;
}

std::string describe_expectation(const ParamSpec& spec) {
  const bool has_min = std::isfinite(spec.min);
  const bool has_max = std::isfinite(spec.max);
  auto range = [&](const std::string& noun) {
    if (has_min && has_max) return noun + " in [" + format_bound(spec.min) + ", " + format_bound(spec.max) + "]";
    if (has_min) return noun + " >= " + format_bound(spec.min);
    if (has_max) return noun + " <= " + format_bound(spec.max);
    return noun;
  };
  switch (spec.type) {
    case T::integer:
      return range("a whole number");
    case T::real:
      if (spec.infinity_ok) return range("a number") + " or .inf";
      return range("a number");
    case T::probability:
      return "a probability in [0, 1]";
    case T::boolean:
      return "true or false";
    case T::date:
      return "a date YYYY-MM-DD";
    case T::text:
      return "a text";
    case T::choice:
      return "one of: " + choices_text(spec.choices);
    case T::distribution:
      return "a number or a distribution {dist: "
             "constant|uniform|normal|lognormal|gamma|exponential|poisson|triangular, ...}";
    case T::shares:
      return "a map of shares over " + choices_text(spec.choices) + " summing to 1";
    case T::name_list:
      return "a list of names";
    case T::partner_ref:
      return "the name of a partner defined under partners";
    case T::partner_list:
      return "a list of partner names";
    case T::ladder_ref:
      return "a sanction ladder: us_243d, eu_art25a or a key of sanctions.ladders";
    case T::amendment_ref:
      return "an amendment name";
    case T::amendment_list:
      return "a list of amendment names";
    case T::overrides:
      return "a map of parameter paths to values";
    case T::section:
      return "a map";
    case T::map_of:
      return "a map";
    case T::list_of:
      return "a list";
  }
  return "?";
}

std::vector<SanctionLadder> sanction_presets() {
  // US INA 243(d) as used from 2017 and described by the 2019 State rule.
  SanctionLadder us{
      "us_243d",
      {{"officials_dg_plus_b", {"b_officials_dg_plus", "b_officials_dg_plus_family"}, 1.0, 0.15},
       {"all_officials", {"b_officials_other", "f_officials_family", "b_officials_family_other"}, 1.0, 0.15},
       {"all_b_visas", {"b_general"}, 1.0, 0.2},
       {"all_visas", {"f_students", "j_exchange", "other_nonimmigrant", "immigrant"}, 1.0, 0.2}}};
  // EU Visa Code Article 25a: restrictions on the handling of Schengen
  // visas, counted as the share of applications refused or deterred.
  SanctionLadder eu{"eu_art25a",
                    {{"step1_handling", {"schengen_short_stay", "schengen_officials"}, 0.05, 0.1},
                     {"step2_fee", {"schengen_short_stay", "schengen_officials"}, 0.1, 0.1}}};
  return {us, eu};
}

namespace {
void append_block(std::string& out, const ParamSpec& spec, bool markdown) {
  const std::string path(spec.path);
  std::string default_text;
  if (spec.type == T::section)
    default_text = spec.optional_section ? "(optional)" : "";
  else if (spec.required)
    default_text = "(required)";
  else
    default_text = std::string(spec.default_yaml);
  if (markdown) {
    auto cell = [](std::string_view text) {
      std::string escaped;
      for (char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
      return escaped;
    };
    out += "| `" + path + "` | " + type_name(spec) + " | " + cell(spec.unit) + " | " +
           (default_text.empty() ? "" : "`" + cell(default_text) + "`") + " | " +
           (spec.type == T::section || spec.type == T::map_of || spec.type == T::list_of
                ? std::string()
                : cell(describe_expectation(spec))) +
           " | " + cell(spec.meaning) + (spec.timeline_settable ? " *(timeline)*" : "") + " | " + cell(spec.source) +
           " |\n";
    return;
  }
  out += path + "\n";
  out += "  type:    " + type_name(spec) + (spec.unit.empty() ? "" : " (" + std::string(spec.unit) + ")") + "\n";
  if (spec.type != T::section && spec.type != T::map_of && spec.type != T::list_of)
    out += "  expects: " + describe_expectation(spec) + "\n";
  if (!default_text.empty()) out += "  default: " + default_text + "\n";
  out += "  meaning: " + std::string(spec.meaning) + "\n";
  if (!spec.source.empty()) out += "  source:  " + std::string(spec.source) + "\n";
  if (spec.timeline_settable) out += "  timeline: may be changed by timeline[].set\n";
}
}  // namespace

std::string schema_as_text() {
  std::string out;
  for (const auto& spec : table) {
    append_block(out, spec, false);
    out += "\n";
  }
  return out;
}

std::string schema_as_markdown() {
  std::string out =
      "# Scenario parameters\n\n"
      "Generated by `readmit schema --format markdown` from the parameter table "
      "(sim/scenario/parameters.cpp); do not edit by hand. A test checks that this file is current.\n\n"
      "Paths use `*` for the entries of a map with free keys and `[]` for the items of a list. "
      "Source labels follow docs/sources.md (where each figure and its source are listed): [S] solid, [R] reported, [A] "
      "assumption. "
      "Parameters marked *(timeline)* may be changed on a date by `timeline[].set`.\n\n"
      "| path | type | unit | default | expects | meaning | source |\n"
      "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const auto& spec : table) append_block(out, spec, true);
  return out;
}

}  // namespace readmit
