#pragma once
// splitmix64 (Steele, Lea and Flood 2014): the fixed mixing function behind
// every random stream's key and every design's sampling, so that the same
// key gives the same numbers on every platform.
#include <cstdint>

namespace readmit {

/// Advances `state` and returns the next well-mixed 64-bit value.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// A uniform double in [0, 1) from the next value of `state`.
constexpr double splitmix64_unit(std::uint64_t& state) { return double(splitmix64(state) >> 11) * 0x1.0p-53; }

}  // namespace readmit
