#pragma once
// Unbiased random indices for designs and bootstrap resamples (private to the
// stats module).

#include <cstddef>
#include <cstdint>

#include "readmit/util/mix.hpp"

namespace readmit::detail {

/// A uniform index in [0, count) from splitmix64 `state`, without modulo bias:
/// draws below 2^64 mod count are rejected, so each remainder is equally
/// likely. count must be > 0.
inline std::size_t random_index(std::uint64_t& state, std::size_t count) {
  const auto range = static_cast<std::uint64_t>(count);
  const std::uint64_t rejected_below = (0 - range) % range;
  std::uint64_t draw = splitmix64(state);
  while (draw < rejected_below) draw = splitmix64(state);
  return static_cast<std::size_t>(draw % range);
}

}  // namespace readmit::detail
