#pragma once
// The removing state's compliance review (MODEL.md section 8), every
// review_period_months: it measures the partner's conduct over a rolling
// window (decision times, requests left undecided past timely_days, denials,
// charters refused, 180-day releases) and classifies it by the scenario's
// rule (compliance.hpp). What the class does to sanctions is sanctions.cpp.
// Reads: the desk's request records and decision times, the window's flows.
// Changes: Diplomacy (last review, class, reviews held), the event log.
#include <cstdint>

#include "readmit/model/compliance.hpp"
#include "readmit/model/world.hpp"

namespace readmit::review {

/// What the review at the end of `month` measures for partner k.
ReviewMeasures measure(const World& world, std::size_t k, int month);

struct Held {
  ComplianceClass compliance_class;
  std::int64_t number;  // 0 for the partner's first review: the key of negotiation's draw
};

/// Holds the review of partner k at the end of `month`: records and logs
/// the measures and the class.
Held hold(World& world, std::size_t k, int month);

/// First day of the review window that ends with `month`.
std::int32_t window_start_day(const World& world, int month);

}  // namespace readmit::review
