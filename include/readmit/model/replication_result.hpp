#pragma once
// What one replication gives back: its monthly series, the time persons
// spent in each state (for Little's law), when each removed person's first
// request was sent and how long they waited, and the dated events of the
// diplomatic chain.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/model/metrics.hpp"
#include "readmit/model/population.hpp"

namespace readmit {

/// Time spent in one state (or queue), for Little's law: over the run,
/// mean stock = person_days / days and arrival rate = entries / days.
struct StateTally {
  double entries = 0;              // entries into the state during the run
  double exits = 0;                // exits during the run
  double person_days = 0;          // sum over days of the stock
  double completed_stay_days = 0;  // sum of the lengths of stays that ended
};

/// A removal as the run totals see it.
struct RemovalTiming {
  std::int32_t first_request_day = 0;  // days since the start; negative: back-dated (the docket at the start)
  float days_request_to_removal = 0;   // from that request to the removal
  friend bool operator==(const RemovalTiming&, const RemovalTiming&) = default;
};

/// A dated event of the diplomatic chain (docs/model.md sections 7.14-7.21).
/// The kinds are listed in docs/model.md, "Event log".
struct LoggedEvent {
  std::int32_t day = 0;     // days since the scenario's start
  std::size_t partner = 0;  // index into Scenario::partners
  std::string kind;         // e.g. review, sanction_decided, sanction_in_force
  std::string detail;       // human-readable, e.g. "uncooperative" or "step 1 (officials_dg_plus_b)"
};

/// Index of the document-queue tally in ReplicationResult::tallies[partner].
inline constexpr std::size_t document_queue_tally = person_state_count;

/// Where a replication's time went (thread time, seconds). Not an output of
/// the model: only metadata.json records it, never the result files.
struct ReplicationTimings {
  double synthesis_seconds = 0;   // the docket at the start
  double simulation_seconds = 0;  // the days and month ends
};

struct ReplicationResult {
  /// Columns: monthly_column_names(scenario).
  MonthlySeries monthly;
  /// Per partner and state, plus one extra slot per partner for the
  /// document queue (waiting for an officer).
  std::vector<std::array<StateTally, person_state_count + 1>> tallies;
  std::size_t persons = 0;
  /// Per partner, each removal's first request and wait, in removal order.
  std::vector<std::vector<RemovalTiming>> removals;
  /// The diplomatic events of the run in date order.
  std::vector<LoggedEvent> events;
  ReplicationTimings timings;
};

}  // namespace readmit
