#pragma once
// Persons as a struct of arrays: a person is an index, and costs a few dozen
// bytes, not a heap object. Children's ages sit in one flat array.
#include <cstdint>
#include <string_view>
#include <vector>

#include "readmit/scenario/scenario.hpp"

namespace readmit {

/// The case pipeline (docs/model.md §2.1, §3). Every person is in exactly one
/// state every day.
enum class PersonState : std::uint8_t {
  prison,             // serving a sentence; post-order detention follows
  detained,           // post-order detention, request not yet sent
  awaiting_document,  // detained, request pending (or re-request due)
  scheduled,          // detained with a valid document, waiting for a seat
  supervised,         // released on an order of supervision (may have a pending request)
  removed,            // terminal
  relief,             // terminal: pardon, reopened case
  exempted,           // terminal: exempted by an amendment
  unremovable,        // terminal: the partner refuses the person's category
};
inline constexpr std::size_t person_state_count = 9;

std::string_view person_state_name(PersonState state);

constexpr bool is_terminal(PersonState s) { return s >= PersonState::removed; }
constexpr bool is_detained(PersonState s) {
  return s == PersonState::detained || s == PersonState::awaiting_document || s == PersonState::scheduled;
}

/// Where the person's document request stands.
enum class RequestStatus : std::uint8_t {
  none,                // no request
  awaiting_interview,  // waiting for an interview round
  queued,              // waiting for an officer
  in_decision,         // being decided
  issued,              // a valid document exists
  rerequest_due,       // denied or expired; a new request is scheduled
};

constexpr std::int32_t no_day = INT32_MIN;
/// Population::request_record of a person with no open request record.
constexpr std::uint32_t no_record = UINT32_MAX;

/// Persons per task of a parallel pass over every person (a census, a
/// search): below this, a pass stays on one thread.
inline constexpr std::size_t person_scan_grain = 8192;

class Population {
 public:
  explicit Population(std::size_t partners = 1) : child_age_at_entry(partners) {}

  /// Appends a person of `partner` with every other field at its initial value.
  std::uint32_t add(std::uint16_t partner, std::uint32_t local_id);
  /// Appends `count` persons of `partner` numbered first_id, first_id + 1, ...;
  /// returns the index of the first. Their fields can then be filled in
  /// parallel, a partner's block by one thread.
  std::uint32_t add_block(std::uint16_t partner, std::uint32_t first_id, std::size_t count);
  /// Room for `persons` in every column, so that adding never reallocates below it.
  void reserve(std::size_t persons);
  std::size_t size() const { return partner.size(); }
  /// Whether person p has entered (a month's arrivals exist from its first day, but enter on their own).
  bool entered(std::uint32_t p) const { return state_since[p] != no_day; }
  /// Minor children (under 18) of person `p` on day `day` (days since start).
  int minor_children(std::uint32_t p, std::int32_t day) const;
  /// Age of the youngest child on `day`, or a large value if none.
  double youngest_child_age(std::uint32_t p, std::int32_t day) const;

  // Fixed attributes.
  std::vector<std::uint16_t> partner;
  std::vector<std::uint32_t> local_id;  // id within the partner: the key of the person's streams
  std::vector<float> age_at_arrival_years;
  std::vector<float> years_resident_at_entry;
  std::vector<std::int32_t> entry_day;  // day the person entered the simulation
  std::vector<EntryStatus> entry_status;
  std::vector<Offense> offense;
  std::vector<SpouseStatus> spouse;
  std::vector<MentalHealthRisk> mental_health;
  std::vector<TiesToPartner> ties;
  std::vector<std::uint8_t> main_earner;
  std::vector<std::uint32_t> children_begin;  // into child_age_at_entry[partner]
  std::vector<std::uint8_t> children_count;
  /// Per partner, the ages of its persons' children at their entry, a person's
  /// children side by side (one array per partner, so partners fill theirs in parallel).
  std::vector<std::vector<float>> child_age_at_entry;

  // Dynamic state.
  std::vector<PersonState> state;
  std::vector<RequestStatus> request;
  std::vector<std::uint32_t> token;             // bumped on every state change; stale events carry an old one
  std::vector<std::int32_t> detention_start;    // day the current detention spell began
  std::vector<std::int32_t> request_day;        // day the current request was sent
  std::vector<std::int32_t> first_request_day;  // day the person's first request was sent
  std::vector<std::int32_t> document_expiry;    // last valid day of the document
  std::vector<std::int32_t> ready_day;          // day the person became scheduled (flight order)
  std::vector<std::uint16_t> requests_made;     // sequence number of the person's decision streams
  std::vector<std::uint16_t> flights_missed;    // sequence number of the person's flight streams
  std::vector<std::uint8_t> detained_minors;    // minors counted as separated in the current spell
  std::vector<std::int32_t> state_since;        // day the person entered their state; no_day before placement
  std::vector<std::int32_t> queued_since;       // day the current request joined the officers' queue
  std::vector<std::uint32_t> request_record;    // index of the current request's review record, or no_record

 private:
  /// Calls f(column, initial value) for every per-person column.
  template <class F>
  void for_each_column(F&& f);
};

}  // namespace readmit
