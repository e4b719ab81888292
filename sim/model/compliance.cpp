#include "readmit/model/compliance.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace readmit {

std::string_view compliance_class_name(ComplianceClass c) {
  switch (c) {
    case ComplianceClass::compliant:
      return "compliant";
    case ComplianceClass::at_risk:
      return "at_risk";
    case ComplianceClass::uncooperative:
      return "uncooperative";
  }
  return "?";
}

namespace {

/// Each measure of a review beside the rule's threshold for it (infinite: not checked).
std::array<std::pair<double, double>, 6> measured_against(const ClassificationRule& rule, const ReviewMeasures& m) {
  return {{{m.median_decision_days, rule.median_decision_days_above},
           {m.undecided_share, rule.undecided_share_above},
           {m.denied_share, rule.denied_share_above},
           {m.charter_refused_share, rule.charter_refused_share_above},
           {m.interview_shortfall, rule.interview_shortfall_above},
           {m.undecided_release_share, rule.undecided_release_share_above}}};
}

}  // namespace

bool rule_fires(const ClassificationRule& rule, const ReviewMeasures& m) {
  const auto checks = measured_against(rule, m);
  int finite = 0, exceeded = 0;
  for (const auto& [value, threshold] : checks) {
    if (std::isinf(threshold)) continue;
    ++finite;
    if (value > threshold) ++exceeded;  // false for NaN
  }
  if (finite == 0) return false;
  return rule.combine == Combine::any ? exceeded > 0 : exceeded == finite;
}

double severity(const ClassificationRule& rule, const ReviewMeasures& m) {
  const auto checks = measured_against(rule, m);
  double worst = 1.0;
  for (const auto& [value, threshold] : checks) {
    if (std::isinf(threshold) || !(value > threshold)) continue;  // NaN never exceeds
    worst = std::max(worst, threshold > 0 ? value / threshold : max_severity);
  }
  return std::min(worst, max_severity);
}

ComplianceClass classify(const ComplianceParams& compliance, const ReviewMeasures& measures) {
  if (rule_fires(compliance.uncooperative, measures)) return ComplianceClass::uncooperative;
  if (rule_fires(compliance.at_risk, measures)) return ComplianceClass::at_risk;
  return ComplianceClass::compliant;
}

}  // namespace readmit
