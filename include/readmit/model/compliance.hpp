#pragma once
// The removing state's compliance review (docs/model.md §7.15): the measures
// of a partner's own conduct over a rolling window, normalised by what was
// asked of it, and the classification rule written in the scenario.
#include <limits>
#include <string_view>

#include "readmit/scenario/scenario.hpp"

namespace readmit {

/// What one review measures for one partner over its window. NaN means the
/// window held nothing to measure (no decisions, no received request old
/// enough, no charter offered, no interview requested); a NaN measure never
/// exceeds a threshold.
struct ReviewMeasures {
  double median_decision_days;  // median days from receipt to decision, decisions in the window
  double undecided_share;  // of requests reaching timely_days since receipt in the window, the share then undecided
  double denied_share;     // denials (incl. category and humanitarian) per decision in the window
  double charter_refused_share;    // charters refused per charter offered with passengers ready
  double interview_shortfall;      // persons requested for interview (up to the round size) not interviewed
  double undecided_release_share;  // 180-day releases of received, undecided cases, per request received
  double custody_releases;         // every 180-day release in the window (reported; never a threshold)

  static constexpr ReviewMeasures none() {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan, nan, nan, nan, nan};
  }
};

enum class ComplianceClass { compliant = 0, at_risk = 1, uncooperative = 2 };

std::string_view compliance_class_name(ComplianceClass c);

/// Whether `rule` fires: with `any`, one finite threshold exceeded (strictly);
/// with `all`, every finite threshold exceeded. Infinite thresholds are
/// ignored, so a rule with none finite never fires.
bool rule_fires(const ClassificationRule& rule, const ReviewMeasures& measures);

/// Uncooperative if that rule fires, else at risk if that one does, else compliant.
ComplianceClass classify(const ComplianceParams& compliance, const ReviewMeasures& measures);

/// How bad conduct the uncooperative rule finds is: the largest ratio of a
/// measure to its finite threshold, at most `max_severity` (a partner that
/// decides nothing is twice past a threshold of one half, not infinitely).
inline constexpr double max_severity = 2.0;
double severity(const ClassificationRule& rule, const ReviewMeasures& measures);

}  // namespace readmit
