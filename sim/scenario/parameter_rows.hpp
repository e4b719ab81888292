#pragma once
// The parameter table in document order, one block of rows per file:
// run and removing state (parameters.cpp), partners
// (parameter_rows_partners.cpp), and the review, sanctions, amendments,
// timeline and outcome windows (parameter_rows_policy.cpp). Private to the
// scenario module.
#include <span>

#include "readmit/scenario/parameters.hpp"

namespace readmit::scenario_detail {

std::span<const ParamSpec> partner_rows();
std::span<const ParamSpec> policy_rows();

}  // namespace readmit::scenario_detail
