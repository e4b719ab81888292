#pragma once
// The monthly metrics one replication records, per partner. Stocks are read
// at the end of the month; flows are counted during it; levels are averages
// or values at the end of the month.
#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

namespace readmit {

// X(name, kind, meaning)
#define READMIT_METRICS(X)                                                                              \
  X(stock_prison, stock, "persons serving a sentence before post-order detention")                       \
  X(stock_detained, stock, "persons in post-order detention before their document request")              \
  X(stock_awaiting_document, stock, "detained persons with a document request pending or to be re-sent")  \
  X(stock_scheduled, stock, "detained persons with a valid document, waiting for a flight")                \
  X(stock_supervised, stock, "persons released on supervision (non-detained docket)")                     \
  X(stock_supervised_with_request, stock, "of those, persons with a request pending or a document issued") \
  X(stock_removed, stock, "persons removed so far (cumulative)")                                          \
  X(stock_relief, stock, "persons whose case ended in relief (cumulative)")                               \
  X(stock_exempted, stock, "persons exempted by an amendment (cumulative)")                               \
  X(stock_unremovable, stock, "persons the partner refuses as a category (cumulative)")                   \
  X(stock_awaiting_interview, stock, "requests waiting for an interview round")                          \
  X(stock_document_queue, stock, "requests waiting for an officer")                                      \
  X(stock_in_decision, stock, "requests being decided")                                                  \
  X(arrivals, flow, "new final orders")                                                                   \
  X(prison_releases, flow, "sentences ended")                                                             \
  X(detentions, flow, "persons entering post-order detention (first time)")                               \
  X(released_no_bed, flow, "persons released on supervision because detention was full")                 \
  X(requests, flow, "document requests sent")                                                             \
  X(interviews, flow, "persons interviewed by the partner")                                               \
  X(interview_rounds, flow, "interview rounds held")                                                      \
  X(decisions, flow, "document decisions")                                                                \
  X(acceptances, flow, "requests accepted (documents issued)")                                            \
  X(denials, flow, "requests denied")                                                                     \
  X(category_refusals, flow, "persons refused as a category (become unremovable)")                        \
  X(documents_expired, flow, "documents that expired unused")                                             \
  X(removals, flow, "persons removed")                                                                    \
  X(custody_releases, flow, "releases by the custody review (180-day rule)")                              \
  X(custody_holds, flow, "custody reviews that kept the person detained")                                \
  X(redetentions, flow, "persons on supervision re-detained when a document was issued")                  \
  X(raid_detentions, flow, "persons on supervision re-detained in raids")                                 \
  X(flight_dropoffs, flow, "scheduled persons who did not board (stays, pardons)")                         \
  X(stay_releases, flow, "drop-offs released on supervision by a stay (the rest end in relief)")         \
  X(relief, flow, "cases ended in relief")                                                                \
  X(exemptions, flow, "persons exempted by an amendment")                                                 \
  X(charters_flown, flow, "charter flights flown")                                                        \
  X(charters_refused, flow, "charter flights the partner refused")                                        \
  X(decision_days_p50, level, "median days from request to decision, decisions this month (NaN if none)") \
  X(decision_days_p90, level, "90th percentile of days from request to decision (NaN if none)")           \
  X(bed_days, flow, "detention bed-days")                                                                 \
  X(detention_cost_usd, flow, "detention cost")                                                           \
  X(cooperation, level, "partner cooperation at the end of the month")                                    \
  X(sanction_step, level, "sanction step in force at the end of the month")                               \
  X(child_days_separated, flow, "days children spent separated from a detained parent")                  \
  X(children_affected, flow, "children left behind by a removal")                                         \
  X(households_followed, flow, "households that followed a removed person")                               \
  X(main_earners_lost, flow, "households that lost their main earner to a removal")                      \
  X(returnees_followed, stock, "returnees in follow-up at the end of the month")                          \
  X(reintegration_admissions, flow, "returnees admitted to the reintegration programme")                  \
  X(severe_outcomes, flow, "returnee severe adverse outcomes (suicide or death)")                          \
  X(homelessness, flow, "returnees becoming homeless")                                                    \
  X(remigration_attempts, flow, "returnee attempts to re-migrate")

enum class Metric : std::size_t {
#define READMIT_METRIC_ENUM(name, kind, meaning) name,
  READMIT_METRICS(READMIT_METRIC_ENUM)
#undef READMIT_METRIC_ENUM
};

enum class MetricKind { stock, flow, level };

struct MetricInfo {
  std::string_view name;
  MetricKind kind;
  std::string_view meaning;
};

inline constexpr MetricInfo metric_info[] = {
#define READMIT_METRIC_INFO(name, kind, meaning) {#name, MetricKind::kind, meaning},
    READMIT_METRICS(READMIT_METRIC_INFO)
#undef READMIT_METRIC_INFO
};
inline constexpr std::size_t metric_count = std::size(metric_info);

/// Monthly values of one replication: [month][partner][metric].
class MonthlySeries {
 public:
  MonthlySeries(std::size_t months, std::size_t partners)
      : months_(months), partners_(partners), values_(months * partners * metric_count, 0.0) {}
  double& at(std::size_t month, std::size_t partner, Metric metric) {
    return values_[(month * partners_ + partner) * metric_count + std::size_t(metric)];
  }
  double at(std::size_t month, std::size_t partner, Metric metric) const {
    return values_[(month * partners_ + partner) * metric_count + std::size_t(metric)];
  }
  std::size_t months() const { return months_; }
  std::size_t partners() const { return partners_; }

 private:
  std::size_t months_, partners_;
  std::vector<double> values_;
};

}  // namespace readmit
