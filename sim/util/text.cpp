#include "readmit/util/text.hpp"

#include <algorithm>
#include <cmath>

namespace readmit {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string_view> closest_match(std::string_view key, std::span<const std::string_view> candidates) {
  std::optional<std::string_view> best;
  std::size_t best_distance = std::max<std::size_t>(2, key.size() / 3) + 1;
  for (const auto candidate : candidates)
    if (const std::size_t d = edit_distance(key, candidate); d < best_distance) best_distance = d, best = candidate;
  return best;
}

std::string unknown_name_message(std::string_view what, std::string_view key,
                                 std::span<const std::string_view> candidates, std::string_view qualifier) {
  std::string message = std::string(what) + " \"" + std::string(key) + "\"" + std::string(qualifier);
  if (const auto best = closest_match(key, candidates)) {
    message += "; did you mean \"" + std::string(*best) + "\"?";
  } else if (!candidates.empty() && candidates.size() <= 16) {
    message += "; expected one of:";
    for (std::size_t i = 0; i < candidates.size(); ++i) message += (i ? ", " : " ") + std::string(candidates[i]);
  }
  return message;
}

std::string format_number(double value) {
  if (std::isnan(value)) return "NA";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  std::array<char, 32> buffer{};  // the longest shortest-form double, "-2.2250738585072014e-308", is 24
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string safe_name_from(std::string_view text) {
  std::string name;
  bool any = false;
  for (const char c : text.substr(0, 64)) {
    const bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    any = any || alphanumeric;
    name += alphanumeric || c == '_' || c == '-' ? c : '_';
  }
  return any ? name : std::string();
}

}  // namespace readmit
