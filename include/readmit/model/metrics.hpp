#pragma once
// The monthly metrics one replication records, per partner. Stocks are read
// at the end of the month; flows are counted during it; levels are averages
// or values at the end of the month.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace readmit {

// One row per metric: name, kind, unit, meaning. Kept one per line for reading.
// clang-format off
#define READMIT_METRICS(X) \
  X(stock_prison, stock, "persons", "persons serving a sentence before post-order detention") \
  X(stock_detained, stock, "persons", "persons in post-order detention before their document request") \
  X(stock_awaiting_document, stock, "persons", "detained persons with a document request pending or to be re-sent") \
  X(stock_scheduled, stock, "persons", "detained persons with a valid document, waiting for a flight") \
  X(stock_supervised, stock, "persons", "persons released on supervision (non-detained docket)") \
  X(stock_supervised_with_request, stock, "persons", "of those, persons with a request pending or a document issued") \
  X(stock_removed, stock, "persons", "persons removed so far (cumulative)") \
  X(stock_relief, stock, "persons", "persons whose case ended in relief (cumulative)") \
  X(stock_exempted, stock, "persons", "persons exempted by an amendment (cumulative)") \
  X(stock_unremovable, stock, "persons", "persons the partner refuses as a category (cumulative)") \
  X(stock_awaiting_interview, stock, "requests", "requests waiting for an interview round") \
  X(stock_document_queue, stock, "requests", "requests waiting for an officer") \
  X(stock_in_decision, stock, "requests", "requests being decided") \
  X(arrivals, flow, "persons", "new final orders") \
  X(prison_releases, flow, "persons", "sentences ended") \
  X(detentions, flow, "persons", "persons entering post-order detention (first time)") \
  X(released_no_bed, flow, "persons", "persons released on supervision because detention was full") \
  X(released_no_flight, flow, "persons", "persons placed on supervision because the removing state had no flight to the partner") \
  X(requests, flow, "requests", "document requests sent") \
  X(interviews, flow, "persons", "persons interviewed by the partner") \
  X(interview_rounds, flow, "rounds", "interview rounds held") \
  X(interview_rounds_refused, flow, "rounds", "interview rounds the partner refused with persons presented") \
  X(decisions, flow, "decisions", "document decisions") \
  X(acceptances, flow, "requests", "requests accepted (documents issued)") \
  X(denials, flow, "requests", "requests denied") \
  X(category_refusals, flow, "persons", "persons refused as a category (become unremovable)") \
  X(documents_expired, flow, "documents", "documents that expired unused") \
  X(removals, flow, "persons", "persons removed") \
  X(removals_breaking_ties, flow, "persons", "removals of persons with a spouse or minor child here, or who arrived as a child") \
  X(custody_releases, flow, "persons", "releases by the custody review (180-day rule)") \
  X(custody_releases_undecided, flow, "persons", "of those, persons whose request the partner had received and left undecided") \
  X(custody_holds, flow, "reviews", "custody reviews that kept the person detained") \
  X(redetentions, flow, "persons", "persons on supervision re-detained when a document was issued") \
  X(raid_detentions, flow, "persons", "persons on supervision re-detained in raids") \
  X(flight_dropoffs, flow, "persons", "scheduled persons who did not board (stays, pardons)") \
  X(stay_releases, flow, "persons", "drop-offs released on supervision by a stay (the rest end in relief)") \
  X(relief, flow, "persons", "cases ended in relief") \
  X(exemptions, flow, "persons", "persons exempted by an amendment") \
  X(charters_flown, flow, "flights", "charter flights flown") \
  X(charter_removals, flow, "persons", "persons removed on charter flights") \
  X(charters_refused, flow, "flights", "charter flights the partner refused") \
  X(decision_days_p50, level, "days", "median days from request to decision, decisions this month (NaN if none)") \
  X(decision_days_p90, level, "days", "90th percentile of days from request to decision (NaN if none)") \
  X(bed_days, flow, "person-days", "detention bed-days") \
  X(detention_cost_usd, flow, "USD", "detention cost") \
  X(cooperation, level, "level in [0, 1]", "partner cooperation at the end of the month") \
  X(sanction_step, level, "step", "sanction step in force at the end of the month") \
  X(child_days_separated, flow, "child-days", "days children spent separated from a detained parent") \
  X(children_affected, flow, "children", "children left behind by a removal") \
  X(households_followed, flow, "households", "households that followed a removed person") \
  X(main_earners_lost, flow, "households", "households that lost their main earner to a removal") \
  X(returnees_followed, stock, "persons", "returnees in follow-up at the end of the month") \
  X(reintegration_admissions, flow, "persons", "returnees admitted to the reintegration programme") \
  X(severe_outcomes, flow, "persons", "returnee severe adverse outcomes (suicide or death)") \
  X(homelessness, flow, "persons", "returnees becoming homeless") \
  X(remigration_attempts, flow, "attempts", "returnee attempts to re-migrate") \
  X(reviews, flow, "reviews", "compliance reviews held") \
  X(review_median_decision_days, level, "days", "latest review: median days from request to decision in the window (NaN if none)") \
  X(review_undecided_share, level, "share in [0, 1]", "latest review: share of the window's requests undecided after timely_days") \
  X(review_denied_share, level, "share in [0, 1]", "latest review: share of the window's decisions that were denials") \
  X(review_charter_refused_share, level, "share in [0, 1]", "latest review: share of the window's charters refused") \
  X(review_custody_releases, level, "persons", "latest review: 180-day releases in the window") \
  X(review_interview_shortfall, level, "share", "latest review: share of requested interviews the partner did not hold") \
  X(review_undecided_release_share, level, "share", "latest review: releases of cases the partner left undecided, per request it received") \
  X(compliance_class, level, "class (0, 1, 2)", "latest review: 0 compliant, 1 at risk, 2 uncooperative (NaN before the first review)") \
  X(sanction_decisions, flow, "decisions", "sanction decisions taken or adopted (by the removing state's weighing or the timeline; up or down)") \
  X(sanction_proposals, flow, "proposals", "sanction steps proposed to wait for adoption (EU: Commission proposals to the Council)") \
  X(sanction_evidence, level, "reviews", "the removing state's evidence of the partner's non-compliance (uncooperative reviews' worth, fading)") \
  X(standing, level, "standing", "the partner's standing with the removing state: what sanctioning it costs, beyond the step's own cost") \
  X(sanction_cost, level, "cost units", "cost to the partner of the sanction steps in force (ladder cost units)") \
  X(sanction_response, level, "cooperation level", "target cooperation the partner adds (negative: withdraws) in answer to the sanctions") \
  X(cooperation_target, level, "cooperation level", "the cooperation the partner's interests support at the end of the month") \
  X(halted, level, "0 or 1", "1 while the partner withholds all cooperation to press its request (a halt)") \
  X(demand_pressed, level, "cooperation level", "cooperation the partner withholds to press its open request (bargaining)") \
  X(backlash, level, "cooperation level", "domestic cost of receiving deportees, in target units (rates, fading); the change since the start lowers the target") \
  X(visa_applications, flow, "applications", "visa applications, all categories") \
  X(visa_refusals, flow, "applications", "visa applications refused under sanctions, all categories") \
  X(linkage_suspensions, flow, "suspensions", "times the partner suspended the linked cooperation (issue linkage)") \
  X(linkage_suspended, level, "flag (0, 1)", "1 while the linked cooperation is suspended") \
  X(amendment_requests, flow, "requests", "amendment requests made by the partner") \
  X(amendment_request_open, level, "flag (0, 1)", "1 while a partner request awaits agreement") \
  X(negotiation_agreements, flow, "agreements", "amendment requests agreed by the removing state") \
  X(amendments_in_force, level, "amendments", "number of amendments in force for the partner at the end of the month") \
  X(in_force_family_unity, level, "flag (0, 1)", "1 while family_unity is in force") \
  X(in_force_childhood_arrival, level, "flag (0, 1)", "1 while childhood_arrival is in force") \
  X(in_force_long_residence, level, "flag (0, 1)", "1 while long_residence is in force") \
  X(in_force_humanitarian_review, level, "flag (0, 1)", "1 while humanitarian_review is in force") \
  X(in_force_advance_notice, level, "flag (0, 1)", "1 while advance_notice is in force") \
  X(in_force_reintegration_support, level, "flag (0, 1)", "1 while reintegration_support is in force") \
  X(in_force_annual_cap, level, "flag (0, 1)", "1 while annual_cap is in force") \
  X(humanitarian_denials, flow, "requests", "requests denied by the humanitarian review (vulnerable persons)") \
  X(cap_deferrals, flow, "requests", "acceptances deferred because the annual cap was reached") \
  X(households_notified, flow, "households", "removals whose household had advance notice") \
  X(removals_covered_family_unity, flow, "persons", "removals of persons family_unity's terms cover (in force or not)") \
  X(removals_covered_childhood_arrival, flow, "persons", "removals of persons childhood_arrival's terms cover") \
  X(removals_covered_long_residence, flow, "persons", "removals of persons long_residence's terms cover") \
  X(removals_covered_humanitarian_review, flow, "persons", "removals of vulnerable persons (humanitarian_review's terms)") \
  X(docket_covered_family_unity, level, "share", "share of the pending docket family_unity's terms cover (at the latest yearly census: the first month end, then every 12th)") \
  X(docket_covered_childhood_arrival, level, "share", "share of the pending docket childhood_arrival's terms cover") \
  X(docket_covered_long_residence, level, "share", "share of the pending docket long_residence's terms cover") \
  X(docket_covered_humanitarian_review, level, "share", "share of the pending docket that is vulnerable (humanitarian_review)")
// clang-format on

enum class Metric : std::size_t {
#define READMIT_METRIC_ENUM(name, kind, unit, meaning) name,
  READMIT_METRICS(READMIT_METRIC_ENUM)
#undef READMIT_METRIC_ENUM
};

enum class MetricKind { stock, flow, level };

struct MetricInfo {
  std::string_view name;
  MetricKind kind;
  std::string_view unit;  // persons, days, USD, share in [0, 1], flag (0, 1), ...
  std::string_view meaning;
};

inline constexpr MetricInfo metric_info[] = {
#define READMIT_METRIC_INFO(name, kind, unit, meaning) {#name, MetricKind::kind, unit, meaning},
    READMIT_METRICS(READMIT_METRIC_INFO)
#undef READMIT_METRIC_INFO
};
inline constexpr std::size_t metric_count = std::size(metric_info);

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
