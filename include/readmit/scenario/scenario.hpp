#pragma once
// The typed, validated scenario. Built once by the loader from the parameter
// table (scenario/parameters.hpp) and then held const by a run: what changes
// during a run is the explicit `timeline` schedule, nothing else.
//
// Units are in the member names: _days, _months, _per_month, _prob, _usd.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "readmit/scenario/amendment_kinds.hpp"
#include "readmit/scenario/date.hpp"

namespace readmit {

/// A configured distribution for a person attribute or a delay. Draws are
/// clamped to [lower, upper] (the attribute's admissible range).
struct Distribution {
  enum class Kind { constant, uniform, normal, lognormal, gamma, exponential, poisson, triangular };
  Kind kind = Kind::constant;
  // constant: value | uniform: min, max | normal: mean, sd | lognormal: median, sigma
  // gamma: shape, scale | exponential: mean | poisson: mean | triangular: min, mode, max
  double p1 = 0.0, p2 = 0.0, p3 = 0.0;
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();

  /// Mean of the distribution before clamping.
  double mean() const;
  static Distribution constant(double value) { return {Kind::constant, value}; }
};

/// A typed parameter value as the parameter table parses it. Choices are
/// stored as the index of the choice; shares in the table's category order.
using ParamValue = std::variant<std::int64_t, double, bool, Date, std::string, Distribution, std::vector<double>,
                                std::vector<std::string>>;

// Categories with configured shares. The enumerator order is the order of
// the shares in the parameter table.
enum class EntryStatus : std::uint8_t { refugee, permanent_resident, other };
enum class Offense : std::uint8_t { none, non_violent, drug, violent };
enum class SpouseStatus : std::uint8_t { citizen, resident, none };
enum class MentalHealthRisk : std::uint8_t { low, medium, high };
enum class TiesToPartner : std::uint8_t { none, some, strong };
enum class StartState : std::uint8_t { prison, detained, supervised };

template <class Category, std::size_t N>
using Shares = std::array<double, N>;

/// An entry cohort of a partner's docket (population.cohorts.NAME): people
/// who came in the same period and way. Age at arrival and years of
/// residence follow from the birth and arrival years, so that they agree.
struct Cohort {
  std::string name;
  double weight = 1.0;  // relative size; weights are normalised over the partner's cohorts
  EntryStatus entry_status = EntryStatus::refugee;
  Distribution arrival_year;  // calendar year of arrival, with its fraction
  Distribution birth_year;    // calendar year of birth, with its fraction
};

struct PopulationParams {
  std::int64_t docket_at_start = 0;
  double inflow_per_month = 0.0;
  Shares<StartState, 3> initial_state_shares{};
  Shares<StartState, 3> inflow_state_shares{};
  double pending_request_prob = 0.0;
  std::int64_t pending_request_max_age_days = 0;
  Distribution sentence_remaining_days;
  Distribution age_at_arrival_years;
  Distribution years_resident;
  Shares<EntryStatus, 3> entry_status_shares{};
  Shares<Offense, 4> offense_shares{};
  Shares<SpouseStatus, 3> spouse_shares{};
  Distribution children_count;
  Distribution child_age_years;
  double main_earner_prob = 0.0;
  Shares<MentalHealthRisk, 3> mental_health_risk_shares{};
  Shares<TiesToPartner, 3> ties_shares{};
  std::vector<Cohort> cohorts;  // empty: age at arrival, residence and entry status drawn independently
};

struct AgreementParams {
  std::int64_t document_officers = 0;
  Distribution decision_time_days;
  double decision_slowdown_at_zero_cooperation = 0.0;
  bool interview_required = false;
  std::int64_t interview_interval_days = 0;
  std::int64_t interview_round_size = 0;
  double acceptance_base_prob = 1.0;
  double refuse_arrived_under_age_years = 0.0;
  std::int64_t rerequest_lag_days = 0;
  std::int64_t document_validity_days = 0;
};

struct FlightParams {
  std::int64_t commercial_seats_per_week = 0;
  std::int64_t charter_interval_days = 0;
  std::int64_t charter_offset_days = 0;
  std::int64_t charter_seats = 0;
  double charter_acceptance_base_prob = 1.0;
  double charter_full_cooperation = 0.5;
  std::int64_t charter_after_round_days = 0;  // > 0: also a charter this long after each interview round held
};

/// The partner as an actor (docs/model.md §7.14): cooperation moves toward
/// a target set by its disposition (`baseline`), its response to the
/// sanction steps in force, the domestic cost of receiving deportees, and
/// the value of the amendments it asked for that are in force.
struct CooperationParams {
  double initial = 1.0;
  double baseline = 1.0;  // the disposition: the target when nothing presses
  double adjustment_speed_per_month = 0.0;
  double noise_sd = 0.0;
  Distribution sanction_sensitivity;              // drawn once per replication; < 0: the partner digs in
  double sanction_cost_scale = 1.0;               // cost of the steps in force at which 63% of the response is reached
  double sanction_memory_half_life_months = 0.0;  // how long a sanction lifted still weighs (0: not at all)
  double backlash_per_severe_rate = 0.0;          // target lost per severe outcome per returnee (recent, fading)
  double backlash_per_family_share = 0.0;  // target lost when every recent removal broke a family or childhood tie
  double backlash_half_life_months = 12.0;
  double backlash_prior_share = 0.0;  // weight of the partner's prior, as a share of its docket at the start
  double amendment_bonus = 0.0;
};

/// Bargaining (docs/model.md §7.20): while its request for amendments is
/// open, the partner withholds cooperation to press it, by degrees (slower
/// decisions, smaller interview rounds, fewer seats accepted); withholding
/// all of it is a halt. What it withholds is the demand's value, which
/// follows how many removals break families and childhood ties now against
/// when it asked.
struct BargainingParams {
  double demand_value = 0.0;      // target withheld while the request is open, at the removal rate of its opening
  double value_elasticity = 0.0;  // how the value follows that rate (0: fixed; 1: in proportion)
};

/// The partner's standing with the removing state (docs/model.md §7.15): what
/// sanctioning it would cost the removing state, and whether a visa
/// sanction can bite at all.
struct StandingParams {
  double trade_usd_millions_per_year = 0.0;  // goods trade with the removing state
  double visas_issued_per_year = 0.0;        // visas the removing state issues to its nationals
  bool security_ties = false;                // the removing state runs a security mission or alliance with it
  bool visa_services = true;                 // the removing state issues visas in the partner's country
};

struct HouseholdParams {
  double follow_prob_citizen_spouse = 0.0;
  double follow_prob_resident_spouse = 0.0;
  double follow_prob_no_spouse = 0.0;
  double young_child_age_years = 0.0;
  double young_child_follow_multiplier = 1.0;
};

struct ReturneeParams {
  std::int64_t followup_months = 0;
  double severe_outcome_hazard_per_month = 0.0;
  double homelessness_hazard_per_month = 0.0;
  double remigration_hazard_per_month = 0.0;
  double child_arrival_age_years = 0.0;
  double child_arrival_multiplier = 1.0;
  double no_ties_multiplier = 1.0;
  double medium_mental_health_multiplier = 1.0;
  double high_mental_health_multiplier = 1.0;
  std::int64_t reintegration_capacity_per_month = 0;
  std::int64_t reintegration_months = 0;
  double reintegration_multiplier = 1.0;
};

struct VisaDemand {
  std::string category;
  double applications_per_month = 0.0;
};

/// Issue linkage: the partner answers a sanction by suspending another
/// cooperation (Cambodia suspended the search for US servicemen's remains in 2017).
struct IssueLinkageParams {
  std::string name;
  double suspend_prob_per_step = 0.0;
  bool resume_when_lifted = true;
};

struct AmendmentRequestParams {
  std::vector<std::string> amendments;   // names from AmendmentKind
  double domestic_cost_threshold = 0.0;  // backlash (target units) at which the partner asks
};

struct PartnerParams {
  std::string name;
  PopulationParams population;
  AgreementParams agreement;
  FlightParams flights;
  CooperationParams cooperation;
  BargainingParams bargaining;
  StandingParams standing;
  HouseholdParams household;
  ReturneeParams returnees;
  std::vector<VisaDemand> visa_demand;
  IssueLinkageParams issue_linkage;
  AmendmentRequestParams amendment_request;
};

struct RemovingStateParams {
  std::string name;
  std::int64_t detention_beds = 0;
  double detention_cost_per_day_usd = 0.0;
  std::int64_t request_lag_days = 0;
  std::int64_t custody_review_days = 0;
  std::int64_t custody_rereview_days = 0;
  double release_prob = 0.0;
  double relief_hazard_per_month = 0.0;
  double redetention_prob = 0.0;
  std::int64_t raid_size = 0;
  std::int64_t raid_lead_days = 0;
  std::int64_t itinerary_notice_days = 0;
  double flight_dropoff_prob = 0.0;
  double dropoff_relief_prob = 0.0;
};

enum class Combine { any, all };

/// Thresholds of one compliance class; a threshold of infinity never fires.
struct ClassificationRule {
  Combine combine = Combine::any;
  double median_decision_days_above = std::numeric_limits<double>::infinity();
  double undecided_share_above = std::numeric_limits<double>::infinity();
  double denied_share_above = std::numeric_limits<double>::infinity();
  double charter_refused_share_above = std::numeric_limits<double>::infinity();
  double interview_shortfall_above = std::numeric_limits<double>::infinity();
  double undecided_release_share_above = std::numeric_limits<double>::infinity();
};

/// The removing state's review calendar and rule (docs/model.md §7.15):
/// reviews every review_interval_days from first_review_date (or from the
/// start), each over the window_months before it.
struct ComplianceParams {
  std::int64_t review_interval_days = 0;
  std::optional<Date> first_review_date;
  std::int64_t window_months = 0;
  std::int64_t timely_days = 0;
  std::int64_t min_cases = 0;  // a share of fewer cases than this is no evidence (NaN)
  ClassificationRule uncooperative;
  ClassificationRule at_risk;
};

struct SanctionStep {
  std::string name;
  std::vector<std::string> visa_categories;
  double refusal_prob = 0.0;
  double cost = 0.0;                 // what the step costs the partner while in force
  double removing_state_cost = 1.0;  // what taking it costs the removing state, relative to a step of 1
};

struct SanctionLadder {
  std::string name;
  std::vector<SanctionStep> steps;
};

/// The removing state's sanction decisions (docs/model.md §7.16): at each
/// review it adds the partner's non-compliance to its evidence (how bad,
/// times how many people wait), which fades with evidence_half_life_days;
/// it takes a step when the evidence reaches escalate_after x its
/// discretion x (1 + the partner's standing) x the step's cost to it, and
/// steps down after deescalate_after compliant reviews' worth, sooner for a
/// partner of more standing.
struct SanctionParams {
  std::string ladder;                   // a preset or a key of `ladders`
  std::vector<SanctionLadder> ladders;  // presets first, then the scenario's own or overrides
  // Evidence, in uncooperative reviews' worth, for a step of cost 1 to a partner of no standing.
  double escalate_after = 0;
  double resolve = 1.0;         // readiness to use sanctions: the evidence needed is divided by it
  double deescalate_after = 0;  // compliant reviews' worth before stepping down (partner of no standing)
  bool allow_deescalation = true;
  std::int64_t effect_lag_days = 0;
  bool reviews_wait_for_effect = true;
  double evidence_half_life_days = 0;  // .inf: evidence never fades
  double at_risk_weight = 0.0;         // evidence an at-risk review adds, against an uncooperative one's 1
  double waiting_reference_persons = 1.0;
  double waiting_elasticity = 0.0;      // evidence x (persons waiting / reference)^elasticity
  double trade_scale_usd_millions = 0;  // trade that makes a partner's standing 1 (.inf: trade weighs nothing)
  double visas_scale = 0;               // visas issued a year that make a partner's standing 1 (.inf: nothing)
  double security_weight = 0;           // standing that security ties add (0: they weigh nothing)
  double discretion_sd = 0.0;           // log-normal spread of each partner's threshold, drawn per replication
  bool notice_weighs_standing = true;   // false: a proposal on the evidence, adopted only once the standing is weighed

  const SanctionLadder& active_ladder() const;
};

struct AmendmentRules {
  struct Common {
    std::optional<Date> in_force_from;  // switched on at this date for `partners`
    std::vector<std::string> partners;  // empty: every partner
  };
  std::array<Common, amendment_kind_count> common{};
  // family_unity
  double family_unity_child_under_age_years = 0.0;
  bool family_unity_citizen_spouse = true;
  // childhood_arrival
  double childhood_arrival_under_age_years = 0.0;
  // long_residence
  double long_residence_min_years = 0.0;
  // humanitarian_review
  std::int64_t humanitarian_review_extra_days = 0;
  double humanitarian_review_vulnerable_denial_prob = 0.0;
  // advance_notice
  std::int64_t advance_notice_days = 0;
  double advance_notice_crisis_reduction_prob = 0.0;
  // reintegration_support
  std::int64_t reintegration_support_capacity_per_month = 0;
  double reintegration_support_hazard_multiplier = 1.0;
  // annual_cap
  std::int64_t annual_cap_removals_per_year = 0;
};

struct NegotiationParams {
  double agree_prob_per_year = 0.0;
  std::int64_t entry_into_force_lag_days = 0;
};

/// A named period of whole calendar months whose totals are run totals
/// (`outcome_windows`). The file gives `from` and `through`, a
/// `calendar_year` or a US `fiscal_year` (October to September); the loader
/// resolves them to [begin, end).
struct OutcomeWindow {
  std::string name;
  std::optional<Date> from;
  std::optional<Date> through;
  std::optional<std::int64_t> calendar_year;
  std::optional<std::int64_t> fiscal_year;
  std::vector<std::string> metrics;  // windowable run totals, e.g. removals
  Date begin;                        // first day of the first month
  Date end;                          // first day after the last month
};

struct ParamSpec;  // scenario/parameters.hpp

/// One dated change, applied at the start of `date`.
struct TimelineEvent {
  /// A parameter change, applied through the parameter table's setter.
  struct Assignment {
    const ParamSpec* spec = nullptr;
    std::vector<std::size_t> keys;  // indices of map entries and list items on the path
    std::string path;
    ParamValue value;
  };
  struct SanctionDecision {
    std::size_t partner = 0;
    std::int64_t step = 0;  // 0 lifts every step
  };
  struct AmendmentSwitch {
    AmendmentKind amendment = AmendmentKind::family_unity;
    std::vector<std::size_t> partners;  // empty: every partner
    bool in_force = true;
  };
  /// The partner opens (or withdraws) its request for the amendments it wants.
  struct RequestMove {
    std::size_t partner = 0;
    bool open = true;
  };

  Date date;
  std::string id;  // optional; unique in the timeline
  std::string note;
  std::vector<Assignment> assignments;
  std::optional<SanctionDecision> sanction;
  std::optional<AmendmentSwitch> amendment;
  std::optional<RequestMove> request;
  bool restart_evidence = false;  // a new sanctions policy: every partner is judged afresh from this day
};

/// Where a parameter's value comes from: a source, an assumption of the
/// scenario's author, or a fit to the record (docs/calibration.md).
enum class ValueOrigin { sourced, assumed, fitted };

/// A numeric parameter the scenario gives with a plausible range and a
/// reason: `{value: V, range: [LOW, HIGH], origin: assumed|fitted, reason:
/// TEXT}` in place of the value. The answers' robustness is measured over
/// these ranges (`readmit compare --assumptions`), and `--uncertainty
/// assumptions` draws them per replication.
struct DeclaredRange {
  std::string path;  // concrete, e.g. partners.cambodia.bargaining.demand_value
  const ParamSpec* spec = nullptr;
  std::vector<std::size_t> keys;  // as for TimelineEvent::Assignment
  double value = 0.0;             // as resolved (a later layer may have set it apart from the range)
  double low = 0.0;
  double high = 0.0;
  ValueOrigin origin = ValueOrigin::assumed;
  std::string reason;
  bool integer = false;  // a whole-number parameter: drawn values are rounded
};

struct Scenario {
  std::string name;
  std::string description;
  Date start_date;
  std::int64_t horizon_months = 0;
  std::uint64_t seed = 0;
  std::int64_t replications = 0;

  RemovingStateParams removing_state;
  std::vector<PartnerParams> partners;
  ComplianceParams compliance;
  SanctionParams sanctions;
  AmendmentRules amendment_rules;
  NegotiationParams negotiation;
  std::vector<TimelineEvent> timeline;         // sorted by date, stable
  std::vector<OutcomeWindow> outcome_windows;  // in file order
  std::vector<DeclaredRange> declared_ranges;  // in document order

  /// First day after the horizon.
  Date end_date() const { return start_date.plus_months(int(horizon_months)); }
  std::size_t partner_index(std::string_view name) const;  // throws std::out_of_range
};

}  // namespace readmit
