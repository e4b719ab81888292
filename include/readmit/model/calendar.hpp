#pragma once
// Per-day buckets of due events: a day touches only the persons with
// something due (OpenABM-Covid19's event lists). Events of one day are
// handled in the order they were scheduled.
#include <cstdint>
#include <vector>

namespace readmit {

/// Average Gregorian month (365.2425 / 12 days): converts monthly hazards to
/// daily rates. Fixed by the calendar, not a model choice.
inline constexpr double days_per_month = 30.436875;
/// Average Julian year, for ages and residence measured in days.
inline constexpr double days_per_year = 365.25;

enum class EventKind : std::uint8_t {
  arrival,          // a new final order for `partner` (no person yet)
  sentence_end,     // the person's sentence ends: post-order detention
  request_due,      // the person's (next) document request is due
  decision,         // the partner decides the person's request
  custody_review,   // the 180-day custody review (or its re-review)
  document_expiry,  // the person's travel document expires
  relief,           // the person's case ends in relief
};

inline constexpr std::uint32_t no_person = UINT32_MAX;

/// One due event. `guard` is the value a field of the person's record must
/// still hold for the event to apply, so that events made stale by a later
/// change are skipped instead of cancelled: request_due and decision, the
/// request number (Population::requests_made); custody_review, the day the
/// detention spell began (Population::detention_start); document_expiry,
/// the document's last valid day (Population::document_expiry). The other
/// kinds have no guard (0).
struct Event {
  std::uint32_t person = no_person;  // the person concerned; no_person for an arrival
  std::uint16_t partner = 0;         // the partner concerned
  EventKind kind = EventKind::arrival;
  std::int32_t guard = 0;
};

class Calendar {
 public:
  Calendar() = default;
  explicit Calendar(std::int32_t days) : buckets_(std::size_t(days)) {}
  /// Events after the horizon are dropped: they could never happen.
  void schedule(std::int32_t day, Event event) {
    if (day >= 0 && std::size_t(day) < buckets_.size()) buckets_[std::size_t(day)].push_back(event);
  }
  /// Handlers may schedule more events for the same day, so callers read
  /// the bucket by index, not by iterator.
  std::vector<Event>& bucket(std::int32_t day) { return buckets_[std::size_t(day)]; }
  const std::vector<Event>& bucket(std::int32_t day) const { return buckets_[std::size_t(day)]; }

 private:
  std::vector<std::vector<Event>> buckets_;
};

}  // namespace readmit
