#pragma once
// The amendments (docs/model.md section 7.19), listed once: AmendmentKind,
// amendment_names(), the overlay files' names and the amendments' output
// families (model/metrics.hpp) are made from these lists.
#include <cstddef>

namespace readmit {

// Every amendment: F(ARG, NAME) for each, ARG passed through (so that a list
// of rows can be made from it inside another list).
#define READMIT_AMENDMENTS(F, ARG) \
  F(ARG, family_unity)             \
  F(ARG, childhood_arrival)        \
  F(ARG, long_residence)           \
  F(ARG, humanitarian_review) F(ARG, advance_notice) F(ARG, reintegration_support) F(ARG, annual_cap)

// The amendments whose terms single out persons (the others cover every
// removal), with whom they cover: their removals_covered_NAME and
// docket_covered_NAME outputs are made from this list. F(ARG, NAME, WHOM).
#define READMIT_COVERING_AMENDMENTS(F, ARG)                              \
  F(ARG, family_unity, "persons with a citizen spouse or a young child") \
  F(ARG, childhood_arrival, "persons who arrived as children")           \
  F(ARG, long_residence, "long residents")                               \
  F(ARG, humanitarian_review, "vulnerable persons")

#define READMIT_AMENDMENT_ENUM(ARG, name) name,
enum class AmendmentKind { READMIT_AMENDMENTS(READMIT_AMENDMENT_ENUM, ~) };
#undef READMIT_AMENDMENT_ENUM
#define READMIT_AMENDMENT_ONE(ARG, name) +1
inline constexpr std::size_t amendment_kind_count = 0 READMIT_AMENDMENTS(READMIT_AMENDMENT_ONE, ~);
#undef READMIT_AMENDMENT_ONE

}  // namespace readmit
