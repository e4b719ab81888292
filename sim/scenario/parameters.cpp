// The parameter table. Each row: path, type, unit, default, range, meaning,
// source of the default, and the setter that stores it into the Scenario.
// This file holds the run and removing-state rows and joins them with the
// other blocks (parameter_rows.hpp).
#include "readmit/scenario/parameters.hpp"

#include "parameter_rows.hpp"
#include "parameter_setters.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <sstream>
#include <type_traits>

namespace readmit {

namespace {

using namespace scenario_detail;
using T = ParamType;

// clang-format off
const ParamSpec run_and_state_rows[] = {
  // ---- run ----
  {.path = "name", .type = T::text, .default_yaml = "unnamed",
   .meaning = "Short name of the scenario: the `scenario` column of outputs and the default output folder results/NAME.", .set = TO(s.name), .safe_name = true},
  {.path = "description", .type = T::text, .default_yaml = "\"\"", .max = 10000,
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
  {.path = "removing_state.name", .type = T::text, .default_yaml = "United States", .max = 200,
   .meaning = "Name of the removing state.", .set = TO(s.removing_state.name)},
  {.path = "removing_state.detention_beds", .type = T::integer, .unit = "beds", .default_yaml = "1000000", .min = 0, .max = 1e9,
   .meaning = "Detention beds available to this scenario's caseload; when full, persons are released on supervision instead.",
   .source = "[A] unconstrained by default: the Cambodian caseload is a tiny share of ICE's ~38,000 beds (FY2017)",
   .set = TO(s.removing_state.detention_beds), .timeline_settable = true},
  {.path = "removing_state.detention_cost_per_day_usd", .type = T::real, .unit = "USD/person-day", .default_yaml = "133", .min = 0, .max = 1e6,
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
  {.path = "removing_state.raid_size", .type = T::integer, .unit = "persons", .default_yaml = "0", .min = 0, .max = 1e7,
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

};
// clang-format on

#define READMIT_AMENDMENT_NAME(ARG, name) #name,
constexpr std::array<std::string_view, amendment_kind_count> amendment_name_list = {
    READMIT_AMENDMENTS(READMIT_AMENDMENT_NAME, ~)};
#undef READMIT_AMENDMENT_NAME

}  // namespace

std::span<const ParamSpec> parameter_table() {
  static const std::vector<ParamSpec> table = [] {
    std::vector<ParamSpec> rows(std::begin(run_and_state_rows), std::end(run_and_state_rows));
    for (auto block : {scenario_detail::partner_rows(), scenario_detail::policy_rows()})
      rows.insert(rows.end(), block.begin(), block.end());
    return rows;
  }();
  return table;
}

bool is_safe_name(std::string_view text) {
  auto letter_or_digit = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  return !text.empty() && text.size() <= max_safe_name_bytes && letter_or_digit(text.front()) &&
         std::all_of(text.begin(), text.end(), [&](char c) { return letter_or_digit(c) || c == '_' || c == '-'; });
}

std::string safe_name_expectation() {
  return "a name of letters, digits, '_' or '-', starting with a letter or a digit, at most " +
         std::to_string(max_safe_name_bytes) + " bytes";
}

ValueOrigin table_origin(const ParamSpec& spec) {
  if (spec.source.starts_with("[A]")) return ValueOrigin::assumed;
  if (spec.source.find("fitted") != std::string_view::npos) return ValueOrigin::fitted;
  return ValueOrigin::sourced;
}

std::string_view value_origin_name(ValueOrigin origin) {
  switch (origin) {
    case ValueOrigin::sourced:
      return "sourced";
    case ValueOrigin::assumed:
      return "assumed";
    case ValueOrigin::fitted:
      return "fitted";
  }
  return "?";
}

std::span<const std::string_view> amendment_names() { return amendment_name_list; }

std::optional<AmendmentKind> amendment_from_name(std::string_view name) {
  for (std::size_t i = 0; i < amendment_name_list.size(); ++i)
    if (amendment_name_list[i] == name) return static_cast<AmendmentKind>(i);
  return std::nullopt;
}

std::vector<SanctionLadder> sanction_presets() {
  // US INA 243(d) as used from 2017 and described by the 2019 State rule.
  SanctionLadder us{
      "us_243d",
      {{"officials_dg_plus_b", {"b_officials_dg_plus", "b_officials_dg_plus_family"}, 1.0, 0.15, 1.0},
       {"all_officials", {"b_officials_other", "f_officials_family", "b_officials_family_other"}, 1.0, 0.15, 1.5},
       {"all_b_visas", {"b_general"}, 1.0, 0.2, 3.0},
       {"all_visas", {"f_students", "j_exchange", "other_nonimmigrant", "immigrant"}, 1.0, 0.2, 4.0}}};
  // EU Visa Code Article 25a: restrictions on the handling of Schengen
  // visas, counted as the share of applications refused or deterred.
  SanctionLadder eu{"eu_art25a",
                    {{"step1_handling", {"schengen_short_stay", "schengen_officials"}, 0.05, 0.1, 1.0},
                     {"step2_fee", {"schengen_short_stay", "schengen_officials"}, 0.1, 0.1, 1.5}}};
  return {us, eu};
}

}  // namespace readmit
