#pragma once
// Travel documents (docs/model.md §7.3-7.4): requests sent by the removing
// state, the partner's queue and officers (an M/G/c queue whose servers are
// officers x cooperation), its decisions (category refusal, humanitarian
// review, acceptance scaled by cooperation, the annual cap), re-requests
// after a denial, and the validity of issued documents.
// Reads: the partner's agreement parameters, cooperation and amendments in
// force. Changes: Population::request and the request fields, the partner's
// DocumentDesk, the review's records of its conduct (review.hpp); a decision may schedule,
// re-detain or exempt the person.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::documents {

/// Moves p's request to `next`, keeping the desk's queues and counts exact.
void set_request(World& world, std::uint32_t p, RequestStatus next);

/// Sends a document request for p today (unless an amendment exempts p).
/// `counted`: a request of the run, in the month's flows and the review's
/// records; the initial docket's old requests are not.
void send_request(World& world, std::uint32_t p, bool counted = true);

/// Officers at work for partner k today.
std::int64_t document_servers(const World& world, std::size_t k);

/// Starts decisions while officers are free and requests wait (FIFO).
void start_decisions(World& world, std::size_t k);

/// Calendar handler, EventKind::request_due: sends the request numbered
/// `request_number` + 1 if p still needs one.
void on_request_due(World& world, std::uint32_t p, std::int32_t request_number);
/// Calendar handler, EventKind::decision: the partner decides p's request.
void on_decision(World& world, std::uint32_t p, std::int32_t request_number);
/// Calendar handler, EventKind::document_expiry: an unused document lapses.
void on_document_expiry(World& world, std::uint32_t p, std::int32_t expiry_day);

/// Month end: the month's decision times (from request to decision) as quantiles.
void close_month(World& world, std::size_t k, int month);

}  // namespace readmit::documents
