#pragma once
// Amendments (docs/model.md §7.19): named rule changes in force per partner
// from a date, by a timeline switch, or after an agreed negotiation.
// family_unity, childhood_arrival and long_residence exempt the persons they
// cover (no request; pending cases end as exempted); humanitarian_review
// and advance_notice act in documents.cpp and households.cpp,
// reintegration_support in returnees.cpp, annual_cap here and in documents.cpp.
// Reads: amendment_rules and the person's attributes. Changes: the partner's
// AmendmentStatus, exemptions (person states), the event log.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::amendments {

inline bool in_force(const World& world, std::size_t k, AmendmentKind a) {
  return world.partners[k].amendments.in_force[std::size_t(a)];
}

/// Start of a day: amendments whose `in_force_from` is today, and agreed
/// amendments whose entry into force is due.
void enter_into_force(World& world);

/// Switches amendment `a` on or off for partner k (`by`: what decided it, for
/// the log). Switching on an exempting amendment exempts every pending
/// person it covers.
void set(World& world, std::size_t k, AmendmentKind a, bool on, const char* by);

/// Whether amendment a's terms cover person p today, in force or not:
/// exempting amendments, the persons they would exempt; humanitarian_review,
/// the vulnerable; the others, everyone. Reads nothing but p and the rules.
bool terms_cover(const World& world, std::uint32_t p, AmendmentKind a);

/// Whether an amendment in force exempts person p today.
bool covered(const World& world, std::uint32_t p);

/// The amendments whose coverage of removals and of the docket is reported,
/// with their metrics (the others cover every removal).
struct CoverageMetrics {
  AmendmentKind amendment;
  Metric metric;  // removals of covered persons (flow)
  Metric docket;  // share of the pending docket covered (level)
};
#define READMIT_COVERAGE_METRICS(ARG, amendment, whom) \
  {AmendmentKind::amendment, Metric::removals_covered_##amendment, Metric::docket_covered_##amendment},
inline constexpr CoverageMetrics covered_removal_metrics[] = {READMIT_COVERING_AMENDMENTS(READMIT_COVERAGE_METRICS, ~)};
#undef READMIT_COVERAGE_METRICS

/// Counts p's removal (today) under each amendment whose terms cover p.
void count_covered_removal(World& world, std::uint32_t p);

/// Ends p's case as exempted if an amendment covers p; returns whether it did.
bool exempt_if_covered(World& world, std::uint32_t p);

/// Arrived as a child, high mental-health risk, or a young child: the
/// persons the humanitarian review may spare.
bool vulnerable(const World& world, std::uint32_t p);

/// annual_cap: whether partner k has accepted its cap this calendar year.
bool cap_reached(World& world, std::size_t k);
/// annual_cap: counts one acceptance against this year's cap.
void count_cap_acceptance(World& world, std::size_t k);

}  // namespace readmit::amendments
