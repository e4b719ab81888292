#pragma once
// The removing state's compliance review (MODEL.md section 8): the measures
// computed over a rolling window, and the classification rule written in the
// scenario.
#include <string_view>

#include "readmit/scenario/scenario.hpp"

namespace readmit {

/// What one review measures for one partner over its window. NaN means the
/// window held nothing to measure (no decisions, no charters, no removals
/// and no releases); a NaN measure never exceeds a threshold.
struct ReviewMeasures {
  double median_decision_days;   // median days from request to decision, decisions in the window
  double undecided_share;        // of requests reaching the age timely_days in the window, the share then undecided
  double denied_share;           // denials (incl. category and humanitarian) per decision in the window
  double charter_refused_share;  // charters refused per charter offered in the window
  double custody_releases;       // 180-day releases in the window
  double release_removal_ratio;  // releases per removal (inf if releases but no removal)
};

enum class ComplianceClass { compliant = 0, at_risk = 1, uncooperative = 2 };

std::string_view compliance_class_name(ComplianceClass c);

/// Whether `rule` fires: with `any`, one finite threshold exceeded (strictly);
/// with `all`, every finite threshold exceeded. Infinite thresholds are
/// ignored, so a rule with none finite never fires.
bool rule_fires(const ClassificationRule& rule, const ReviewMeasures& measures);

/// Uncooperative if that rule fires, else at risk if that one does, else compliant.
ComplianceClass classify(const ComplianceParams& compliance, const ReviewMeasures& measures);

}  // namespace readmit
