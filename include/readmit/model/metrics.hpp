#pragma once
// The monthly metrics one replication records, per partner. Stocks are read
// at the end of the month; flows are counted during it; levels are averages
// or values at the end of the month.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/scenario/amendment_kinds.hpp"

namespace readmit {

// One row per monthly metric: name, kind, unit, label (short, for figures and
// tables), meaning, and what drives it (docs/model.md sections; empty where
// not yet stated). Kept one per line for reading. The amendments' families
// are made from their lists in scenario/scenario.hpp.
// clang-format off
#define READMIT_METRICS(X) \
  X(stock_prison, stock, "persons", "serving a sentence", "persons serving a sentence before post-order detention", "") \
  X(stock_detained, stock, "persons", "detained, no request yet", "persons in post-order detention before their document request", "") \
  X(stock_awaiting_document, stock, "persons", "detained, awaiting a document", "detained persons with a document request pending or to be re-sent", "") \
  X(stock_scheduled, stock, "persons", "detained, awaiting a flight", "detained persons with a valid document, waiting for a flight", "") \
  X(stock_supervised, stock, "persons", "released on supervision", "persons released on supervision (non-detained docket)", "") \
  X(stock_supervised_with_request, stock, "persons", "supervised, with a request", "of those, persons with a request pending or a document issued (unused documents included)", "") \
  X(stock_removed, stock, "persons", "removed (cumulative)", "persons removed so far (cumulative)", "") \
  X(stock_relief, stock, "persons", "relief (cumulative)", "persons whose case ended in relief (cumulative)", "") \
  X(stock_exempted, stock, "persons", "exempted (cumulative)", "persons exempted by an amendment or the humanitarian review (cumulative)", "") \
  X(stock_unremovable, stock, "persons", "refused as a category (cumulative)", "persons the partner refuses as a category (cumulative)", "") \
  X(stock_awaiting_interview, stock, "requests", "requests awaiting an interview", "requests waiting for an interview round", "") \
  X(stock_document_queue, stock, "requests", "requests waiting for an officer", "requests waiting for an officer (not those awaiting an interview)", "") \
  X(stock_in_decision, stock, "requests", "requests being decided", "requests being decided: officers busy (may include cases already ended)", "") \
  X(arrivals, flow, "persons", "new final orders", "new final orders", "") \
  X(prison_releases, flow, "persons", "sentences ended", "sentences ended", "") \
  X(detentions, flow, "persons", "detentions", "persons entering post-order detention (first time; not re-detentions)", "") \
  X(released_no_bed, flow, "persons", "released, no bed", "persons released on supervision because detention was full", "") \
  X(released_no_flight, flow, "persons", "released, no flight", "persons placed on supervision because the removing state had no flight to the partner (docs/model.md §7.2)", "") \
  X(requests, flow, "requests", "document requests sent", "document requests sent (not the initial backlog; not raid resubmissions)", "") \
  X(interviews, flow, "persons", "persons interviewed", "persons interviewed by the partner", "") \
  X(interview_rounds, flow, "rounds", "interview rounds", "interview rounds the partner agreed to and held", "") \
  X(interview_rounds_refused, flow, "rounds", "interview rounds refused", "interview rounds the partner refused with persons presented", "") \
  X(decisions, flow, "decisions", "document decisions", "document decisions; each ends as an acceptance, a denial, a category refusal, an exemption (including a humanitarian denial) or a cap deferral", "") \
  X(acceptances, flow, "requests", "requests accepted", "requests accepted (documents issued)", "") \
  X(denials, flow, "requests", "requests denied", "requests denied (re-requested later)", "") \
  X(category_refusals, flow, "persons", "refused as a category", "persons refused as a category (become unremovable)", "") \
  X(documents_expired, flow, "documents", "documents expired", "documents that expired unused", "") \
  X(removals, flow, "persons", "removals", "persons removed", "") \
  X(removals_breaking_ties, flow, "persons", "removals breaking family ties", "removals of persons with a spouse or minor child here, or who arrived as a child (docs/model.md §7.14)", "") \
  X(custody_releases, flow, "persons", "180-day releases", "releases by the custody review (180-day rule)", "") \
  X(custody_releases_undecided, flow, "persons", "180-day releases, request undecided", "of those, persons whose request the partner had received and left undecided (docs/model.md §7.15)", "") \
  X(custody_holds, flow, "reviews", "custody reviews that held", "custody reviews that kept the person detained", "") \
  X(redetentions, flow, "persons", "re-detained for a document", "persons on supervision re-detained when a document was issued", "") \
  X(raid_detentions, flow, "persons", "re-detained in raids", "persons on supervision re-detained in raids", "") \
  X(flight_dropoffs, flow, "persons", "flight drop-offs", "scheduled persons who did not board (stays, pardons)", "") \
  X(stay_releases, flow, "persons", "drop-offs released", "drop-offs released on supervision by a stay (the document is void; the rest end in relief)", "") \
  X(relief, flow, "persons", "cases ended in relief", "cases ended in relief, by the hazard or at a drop-off", "") \
  X(exemptions, flow, "persons", "persons exempted", "persons exempted by an amendment (docs/model.md §7.19), humanitarian denials included", "") \
  X(charters_flown, flow, "flights", "charters flown", "charter flights flown with at least one removal", "") \
  X(charter_removals, flow, "persons", "removed on charters", "persons removed on charter flights", "") \
  X(charters_refused, flow, "flights", "charters refused", "charter flights the partner refused while someone was eligible", "") \
  X(decision_days_p50, level, "days", "median decision time", "median days from request to decision, decisions this month (NaN if none)", "") \
  X(decision_days_p90, level, "days", "90th percentile decision time", "90th percentile of days from request to decision (NaN if none)", "") \
  X(bed_days, flow, "person-days", "detention bed-days", "detention bed-days", "") \
  X(detention_cost_usd, flow, "USD", "detention cost", "detention cost", "") \
  X(cooperation, level, "level in [0, 1]", "partner cooperation", "partner cooperation at the end of the month (docs/model.md §7.14)", "") \
  X(sanction_step, level, "step", "sanction step in force", "sanction step in force at the end of the month", "") \
  X(child_days_separated, flow, "child-days", "child-days separated", "days children spent separated from a detained parent", "") \
  X(children_affected, flow, "children", "children separated by a removal", "children left behind by a removal (not those of households that followed)", "") \
  X(households_followed, flow, "households", "households that followed", "households that followed a removed person", "") \
  X(main_earners_lost, flow, "households", "main earners lost", "households that lost their main earner to a removal", "") \
  X(returnees_followed, stock, "persons", "returnees in follow-up", "returnees in follow-up at the end of the month", "") \
  X(reintegration_admissions, flow, "persons", "reintegration admissions", "returnees admitted to the reintegration programme (base and reintegration_support places)", "") \
  X(severe_outcomes, flow, "persons", "severe returnee outcomes", "returnee severe adverse outcomes (suicide or death)", "") \
  X(homelessness, flow, "persons", "returnees becoming homeless", "returnees becoming homeless", "") \
  X(remigration_attempts, flow, "attempts", "re-migration attempts", "returnee attempts to re-migrate", "") \
  X(reviews, flow, "reviews", "compliance reviews", "compliance reviews held (docs/model.md §7.15)", "") \
  X(review_median_decision_days, level, "days", "review: median decision time", "latest review: median days from request to decision in the window (NaN if none)", "") \
  X(review_undecided_share, level, "share in [0, 1]", "review: share undecided", "latest review: share of the window's requests undecided after timely_days", "") \
  X(review_denied_share, level, "share in [0, 1]", "review: share denied", "latest review: share of the window's decisions that were denials", "") \
  X(review_charter_refused_share, level, "share in [0, 1]", "review: share of charters refused", "latest review: share of the window's charters refused", "") \
  X(review_custody_releases, level, "persons", "review: 180-day releases", "latest review: 180-day releases in the window", "") \
  X(review_interview_shortfall, level, "share", "review: interview shortfall", "latest review: share of requested interviews the partner did not hold", "") \
  X(review_undecided_release_share, level, "share", "review: releases of undecided cases", "latest review: releases of cases the partner left undecided, per request it received", "") \
  X(compliance_class, level, "class (0, 1, 2)", "compliance class", "latest review: 0 compliant, 1 at risk, 2 uncooperative (NaN before the first review)", "") \
  X(sanction_decisions, flow, "decisions", "sanction decisions", "sanction decisions taken or adopted (by the removing state's weighing or the timeline; up or down; docs/model.md §7.16)", "") \
  X(sanction_proposals, flow, "proposals", "sanction proposals", "sanction steps proposed to wait for adoption (EU: Commission proposals to the Council)", "") \
  X(sanction_evidence, level, "reviews", "evidence of non-compliance", "the removing state's evidence of the partner's non-compliance (uncooperative reviews' worth, fading)", "") \
  X(standing, level, "standing", "partner's standing", "the partner's standing with the removing state: what sanctioning it costs, beyond the step's own cost", "") \
  X(sanction_cost, level, "cost units", "cost of the sanctions", "cost to the partner of the sanction steps in force (ladder cost units)", "") \
  X(sanction_response, level, "cooperation level", "answer to the sanctions", "target cooperation the partner adds (negative: withdraws) in answer to the sanctions", "") \
  X(cooperation_target, level, "cooperation level", "cooperation target", "the cooperation the partner's interests support at the end of the month", "") \
  X(halted, level, "0 or 1", "halted", "1 while the partner withholds all cooperation to press its request (a halt, docs/model.md §7.20)", "") \
  X(demand_pressed, level, "cooperation level", "cooperation withheld to bargain", "cooperation the partner withholds to press its open request (bargaining)", "") \
  X(backlash, level, "cooperation level", "domestic backlash", "domestic cost of receiving deportees, in target units (rates, fading); the change since the start lowers the target", "") \
  X(visa_applications, flow, "applications", "visa applications", "visa applications, all categories (docs/model.md §7.17)", "") \
  X(visa_refusals, flow, "applications", "visas refused", "visa applications refused under sanctions, all categories", "") \
  X(linkage_suspensions, flow, "suspensions", "linkage suspensions", "times the partner suspended the linked cooperation (issue linkage, docs/model.md §7.18)", "") \
  X(linkage_suspended, level, "flag (0, 1)", "linked cooperation suspended", "1 while the linked cooperation is suspended", "") \
  X(amendment_requests, flow, "requests", "amendment requests", "amendment requests made by the partner (docs/model.md §7.20)", "") \
  X(amendment_request_open, level, "flag (0, 1)", "amendment request open", "1 while a partner request awaits agreement", "") \
  X(negotiation_agreements, flow, "agreements", "amendments agreed", "amendment requests agreed by the removing state", "") \
  X(amendments_in_force, level, "amendments", "amendments in force", "number of amendments in force for the partner at the end of the month (docs/model.md §7.19)", "") \
  READMIT_AMENDMENTS(READMIT_IN_FORCE_METRIC, X) \
  X(humanitarian_denials, flow, "requests", "humanitarian review denials", "requests denied by the humanitarian review (vulnerable persons; also in exemptions)", "") \
  X(cap_deferrals, flow, "requests", "acceptances deferred by the cap", "acceptances deferred because the annual cap was reached", "") \
  X(households_notified, flow, "households", "removals with advance notice", "removals whose household had advance notice", "") \
  READMIT_COVERING_AMENDMENTS(READMIT_REMOVALS_COVERED_METRIC, X) \
  READMIT_COVERING_AMENDMENTS(READMIT_DOCKET_COVERED_METRIC, X)
// The amendments' families: in_force_NAME for each; removals_covered_NAME and
// docket_covered_NAME for those whose terms single out persons.
#define READMIT_IN_FORCE_METRIC(X, amendment) \
  X(in_force_##amendment, level, "flag (0, 1)", #amendment " in force", "1 while " #amendment " is in force at the end of the month", "")
#define READMIT_REMOVALS_COVERED_METRIC(X, amendment, whom) \
  X(removals_covered_##amendment, flow, "persons", "removals of " whom, "removals of " whom ", whom " #amendment "'s terms cover (in force or not)", "")
#define READMIT_DOCKET_COVERED_METRIC(X, amendment, whom) \
  X(docket_covered_##amendment, level, "share", "docket share of " whom, "share of the pending docket that is " whom ", whom " #amendment "'s terms cover (at the latest yearly census: the first month end, then every 12th)", "")
// clang-format on

enum class Metric : std::size_t {
#define READMIT_METRIC_ENUM(name, kind, unit, label, meaning, drivers) name,
  READMIT_METRICS(READMIT_METRIC_ENUM)
#undef READMIT_METRIC_ENUM
};

enum class MetricKind { stock, flow, level };

struct MetricInfo {
  std::string_view name;
  MetricKind kind;
  std::string_view unit;  // persons, days, USD, share in [0, 1], flag (0, 1), ...
  std::string_view label;
  std::string_view meaning;
  std::string_view drivers;  // what moves it (docs/model.md sections); empty if not stated
};

inline constexpr MetricInfo metric_info[] = {
#define READMIT_METRIC_INFO(name, kind, unit, label, meaning, drivers) \
  {#name, MetricKind::kind, unit, label, meaning, drivers},
    READMIT_METRICS(READMIT_METRIC_INFO)
#undef READMIT_METRIC_INFO
};
inline constexpr std::size_t metric_count = std::size(metric_info);

#define READMIT_IN_FORCE_ENUM(ARG, amendment) Metric::in_force_##amendment,
inline constexpr Metric in_force_metrics[] = {READMIT_AMENDMENTS(READMIT_IN_FORCE_ENUM, ~)};
#undef READMIT_IN_FORCE_ENUM
/// in_force_NAME of amendment `a`.
constexpr Metric in_force_metric(AmendmentKind a) { return in_force_metrics[std::size_t(a)]; }

// ---- run totals ----

/// How a run total makes one number of a replication's months (per partner;
/// the overall slot "all" as each says).
enum class Reduction {
  sum,                     // the monthly flow `source` (plus `plus`) over the months; overall: summed
  months_positive,         // months ending with `source` above 0; overall: partner-months
  first_month,             // `source` at the end of the first month; overall: weighted by the pending dockets then
  pending_at_end,          // the pending docket (prison, detained, supervised) at the end; overall: summed
  median_days_to_removal,  // median days from first request to removal of the removed; overall: pooled
};

/// One run total: one number per replication and partner (and overall),
/// written to replications.csv, summary.csv and comparison.csv. A plain
/// sum may leave unit, label and meaning empty: its monthly metric's are
/// used. Sums and counts are over the run, or over an outcome window.
struct RunTotalInfo {
  std::string_view name;
  Reduction reduction = Reduction::sum;
  Metric source = Metric::removals;  // the monthly metric reduced
  std::optional<Metric> plus{};      // sum: a second flow added
  std::string_view unit{};
  std::string_view label{};
  std::string_view meaning{};
  std::string_view drivers{};    // what moves it (docs/model.md sections); empty if not stated
  bool windowed = false;         // an outcome window may sum it (outcome_windows.*.metrics)
  bool requests_in_run = false;  // median_days_to_removal: only requests sent during the run
  int headline = 0;              // its place in the terminal's table (1, 2, ...); 0: not there

  constexpr std::string_view unit_or_metric() const {
    return unit.empty() ? metric_info[std::size_t(source)].unit : unit;
  }
  constexpr std::string_view label_or_metric() const {
    return label.empty() ? metric_info[std::size_t(source)].label : label;
  }
};

// Every run total, in the files' order. Adding one is a row here, and its
// reduction if none above fits (engine/run_totals.cpp computes them).
// clang-format off
#define READMIT_REMOVALS_COVERED_TOTAL(ARG, amendment, whom) \
  {.name = "removals_covered_" #amendment, .source = Metric::removals_covered_##amendment},
#define READMIT_DOCKET_COVERED_TOTAL(ARG, amendment, whom) \
  {.name = "docket_covered_" #amendment, .reduction = Reduction::first_month, .source = Metric::docket_covered_##amendment, \
   .meaning = "share of the pending docket at the end of the first month that is " whom ", whom " #amendment "'s terms cover (overall: weighted by the partners' pending dockets)"},
inline constexpr RunTotalInfo run_total_table[] = {
  {.name = "removals", .source = Metric::removals, .windowed = true, .headline = 1},
  {.name = "median_days_request_to_removal", .reduction = Reduction::median_days_to_removal, .unit = "days",
   .label = "median days from first request to removal",
   .meaning = "median over removed persons of the days from their first document request to removal (NA if nobody was removed; overall: every partner's removals pooled); the docket at the start has requests back-dated before it",
   .headline = 2},
  {.name = "median_days_new_request_to_removal", .reduction = Reduction::median_days_to_removal, .unit = "days",
   .label = "median days from a request in the run to removal",
   .meaning = "median over persons removed whose first document request was sent during the run of the days from that request to removal (NA if none; overall: pooled); unlike median_days_request_to_removal, no request back-dated before the start counts",
   .requests_in_run = true},
  {.name = "custody_releases", .source = Metric::custody_releases, .windowed = true, .headline = 3},
  {.name = "detention_cost_usd", .source = Metric::detention_cost_usd, .meaning = "detention bed-days times the cost of a bed-day", .windowed = true, .headline = 4},
  {.name = "bed_days", .source = Metric::bed_days, .meaning = "days spent in post-order detention", .windowed = true},
  {.name = "children_affected", .source = Metric::children_affected, .windowed = true, .headline = 5},
  {.name = "child_days_separated", .source = Metric::child_days_separated, .windowed = true},
  {.name = "severe_outcomes", .source = Metric::severe_outcomes, .windowed = true, .headline = 6},
  {.name = "visa_refusals", .source = Metric::visa_refusals, .windowed = true, .headline = 8},
  {.name = "visa_applications", .source = Metric::visa_applications, .windowed = true},
  {.name = "requests", .source = Metric::requests, .windowed = true},
  {.name = "acceptances", .source = Metric::acceptances, .windowed = true},
  {.name = "denials", .source = Metric::denials, .windowed = true},
  {.name = "relief", .source = Metric::relief, .windowed = true},
  {.name = "exemptions", .source = Metric::exemptions, .windowed = true},
  {.name = "main_earners_lost", .source = Metric::main_earners_lost, .windowed = true},
  {.name = "homelessness", .source = Metric::homelessness, .windowed = true},
  {.name = "sanction_decisions", .source = Metric::sanction_decisions, .windowed = true},
  {.name = "amendment_requests", .source = Metric::amendment_requests, .windowed = true},
  {.name = "negotiation_agreements", .source = Metric::negotiation_agreements, .windowed = true},
  READMIT_COVERING_AMENDMENTS(READMIT_REMOVALS_COVERED_TOTAL, ~)
  {.name = "months_under_sanction", .reduction = Reduction::months_positive, .source = Metric::sanction_step, .unit = "months",
   .label = "months under sanction", .meaning = "months ending with a sanction step above 0 (overall: partner-months)",
   .windowed = true, .headline = 7},
  {.name = "redetentions", .source = Metric::redetentions, .plus = Metric::raid_detentions, .label = "re-detentions",
   .meaning = "persons on supervision re-detained, for a document or in raids", .windowed = true},
  {.name = "pending_docket_at_end", .reduction = Reduction::pending_at_end, .unit = "persons",
   .label = "docket still pending at the end",
   .meaning = "persons still in the pipeline (prison, detained, supervised) at the end of the run"},
  READMIT_COVERING_AMENDMENTS(READMIT_DOCKET_COVERED_TOTAL, ~)
};
#undef READMIT_REMOVALS_COVERED_TOTAL
#undef READMIT_DOCKET_COVERED_TOTAL
// clang-format on

/// The run total named `name`, or null.
const RunTotalInfo* find_run_total(std::string_view name);

/// What a run total means (the months it covers aside).
std::string run_total_meaning(const RunTotalInfo& total);

/// stock, flow or level.
std::string_view metric_kind_name(MetricKind kind);

/// total, count, level or median: how metrics.csv names a reduction.
std::string_view reduction_kind_name(Reduction reduction);

struct Scenario;

/// Visa categories of a scenario, sorted: those with demand and those any
/// sanction step names.
std::vector<std::string> visa_categories(const Scenario& scenario);

/// Names of a scenario's monthly columns: the fixed metrics above, then per
/// visa category `visa_applications.CATEGORY` and `visa_refusals.CATEGORY`.
std::vector<std::string> monthly_column_names(const Scenario& scenario);

/// Column of category `category` (an index into visa_categories) in a series.
constexpr std::size_t visa_applications_column(std::size_t category) { return metric_count + 2 * category; }
constexpr std::size_t visa_refusals_column(std::size_t category) { return metric_count + 2 * category + 1; }

/// Monthly values of one replication: [month][partner][column]. The first
/// metric_count columns are the fixed metrics.
class MonthlySeries {
 public:
  MonthlySeries(std::size_t months, std::size_t partners, std::size_t columns = metric_count)
      : months_(months), partners_(partners), columns_(columns), values_(months * partners * columns, 0.0) {}
  double& at(std::size_t month, std::size_t partner, std::size_t column) {
    return values_[(month * partners_ + partner) * columns_ + column];
  }
  double at(std::size_t month, std::size_t partner, std::size_t column) const {
    return values_[(month * partners_ + partner) * columns_ + column];
  }
  double& at(std::size_t month, std::size_t partner, Metric metric) { return at(month, partner, std::size_t(metric)); }
  double at(std::size_t month, std::size_t partner, Metric metric) const {
    return at(month, partner, std::size_t(metric));
  }
  std::size_t months() const { return months_; }
  std::size_t partners() const { return partners_; }
  std::size_t columns() const { return columns_; }

 private:
  std::size_t months_, partners_, columns_;
  std::vector<double> values_;
};

}  // namespace readmit
