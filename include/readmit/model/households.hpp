#pragma once
// Households (docs/model.md §7.12): detention separates a person from their
// minor children (child-days separated); at removal the household follows
// with a probability set by the spouse's status and the children's ages, or
// stays behind (children affected, main earner lost). advance_notice lets
// some households prepare.
// Reads: household parameters, the person's spouse and children. Changes:
// the month's household flows.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::households {

/// What becomes of p's household when p is removed today.
void on_removal(World& world, std::uint32_t p);

/// Counts today's child-days separated by partner k's detentions.
void count_day(World& world, std::size_t k);

}  // namespace readmit::households
