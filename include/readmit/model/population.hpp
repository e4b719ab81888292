#pragma once
// Persons as a struct of arrays: a person is an index, and costs a few dozen
// bytes, not a heap object. Children's ages sit in one flat array.
#include <cstdint>
#include <string_view>
#include <vector>

#include "readmit/scenario/scenario.hpp"

namespace readmit {

/// The case pipeline of MODEL.md section 5. Every person is in exactly one
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

class Population {
 public:
  std::uint32_t add(std::uint16_t partner, std::uint32_t local_id);
  std::size_t size() const { return partner.size(); }
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
  std::vector<std::uint32_t> children_begin;  // into child_age_at_entry
  std::vector<std::uint8_t> children_count;
  std::vector<float> child_age_at_entry;

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
};

}  // namespace readmit
