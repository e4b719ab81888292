#pragma once
// Joe & Kuo's Sobol direction numbers (private to the stats module).

#include <array>
#include <cstddef>
#include <cstdint>

namespace readmit::detail {

/// One row of Joe & Kuo's table: a primitive polynomial of degree `degree`
/// over GF(2), x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1 with `coefficients`
/// holding the bits a_1 .. a_(s-1) (a_1 the highest), and the initial
/// direction numbers m_1 .. m_s (odd, m_k < 2^k).
struct SobolPolynomial {
  std::uint32_t degree;
  std::uint32_t coefficients;
  std::array<std::uint32_t, 11> initial;
};

/// Rows for dimensions 2 .. sobol_table_dimensions (dimension 1 is the van
/// der Corput sequence and has no row).
inline constexpr std::size_t sobol_table_dimensions = 256;
extern const std::array<SobolPolynomial, sobol_table_dimensions - 1> sobol_polynomials;

}  // namespace readmit::detail
