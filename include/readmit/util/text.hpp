#pragma once
// Small text helpers shared by the scenario loader, the sweep and experiment
// files and the command line: one place for splitting key paths, for number
// formatting that is the same on every platform, and for the "did you mean"
// wording of unknown names.
#include <array>
#include <charconv>
#include <concepts>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace readmit {

/// The parts of `text` between separators ("a.b" -> {"a", "b"}; "" -> {""}).
std::vector<std::string_view> split(std::string_view text, char separator);

/// Levenshtein edit distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `key`, if one is close enough to be a likely
/// typo (at most max(2, |key|/3) edits away).
std::optional<std::string_view> closest_match(std::string_view key, std::span<const std::string_view> candidates);

/// `WHAT "KEY"QUALIFIER; did you mean "X"?`, or, when nothing is close and
/// there are at most 16 candidates, `...; expected one of: a, b, c`.
std::string unknown_name_message(std::string_view what, std::string_view key,
                                 std::span<const std::string_view> candidates, std::string_view qualifier = {});

/// `text` made a safe file or folder name: each byte but letters, digits,
/// '_' and '-' becomes '_', at most 64 bytes; empty when no letter or digit
/// is left ("..", "...", "  "), so the name can never leave its folder.
std::string safe_name_from(std::string_view text);

/// Formats a double so the bytes are identical on every platform and parse
/// back to the same value: the shortest round-trip form from std::to_chars
/// (e.g. 0.1 -> "0.1", 1e300 -> "1e+300", 2.0 -> "2").
/// NaN -> "NA", +inf -> "Inf", -inf -> "-Inf" (as R writes them).
/// Negative zero keeps its sign: -0.0 -> "-0".
std::string format_number(double value);

/// Formats an integer as plain decimal digits with a leading '-' if negative.
template <std::integral Integer>
requires(!std::same_as<Integer, bool>) std::string format_number(Integer value) {
  static_assert(sizeof(Integer) <= 8, "buffer sized for 64-bit integers");
  std::array<char, 24> buffer{};  // 20 digits and a sign
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

}  // namespace readmit
