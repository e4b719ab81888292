#pragma once
// How the parameter table (parameters.cpp, parameter_rows_*.cpp) stores values into the typed
// Scenario: the generic setter, and the element makers of its maps and
// lists. Private to the scenario module; included by those files only.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "readmit/scenario/parameters.hpp"

namespace readmit::scenario_detail {

/// Stores a validated value into the field it is for (enums and shares
/// from their table encoding).
template <class Target>
void store(Target& target, const ParamValue& value) {
  if constexpr (std::is_enum_v<Target>) {
    target = static_cast<Target>(std::get<std::int64_t>(value));
  } else if constexpr (std::is_same_v<Target, std::uint64_t>) {
    target = static_cast<std::uint64_t>(std::get<std::int64_t>(value));
  } else if constexpr (std::is_same_v<Target, std::optional<Date>>) {
    target = std::get<Date>(value);
  } else if constexpr (std::is_same_v<Target, std::optional<std::int64_t>>) {
    target = std::get<std::int64_t>(value);
  } else if constexpr (requires { std::tuple_size<Target>::value; }) {
    const auto& shares = std::get<std::vector<double>>(value);
    for (std::size_t i = 0; i < target.size(); ++i) target[i] = shares.at(i);
  } else {
    target = std::get<Target>(value);
  }
}

#define TO(target)                                          \
  [](Scenario& s, const PathKeys& k, const ParamValue& v) { \
    (void)s;                                                \
    (void)k;                                                \
    store(target, v);                                       \
  }
#define PARTNER s.partners[k[0]]
#define AMENDMENT_COMMON(i) s.amendment_rules.common[std::size_t(AmendmentKind::i)]

// Partners, ladders and steps are appended in file order; a ladder that
// names a preset replaces the preset's steps.
inline std::optional<std::size_t> make_partner(Scenario& s, const PathKeys&, std::string_view key) {
  s.partners.emplace_back().name = std::string(key);
  return s.partners.size() - 1;
}
inline std::optional<std::size_t> make_cohort(Scenario& s, const PathKeys& k, std::string_view key) {
  PARTNER.population.cohorts.emplace_back().name = std::string(key);
  return PARTNER.population.cohorts.size() - 1;
}
inline std::optional<std::size_t> make_visa_demand(Scenario& s, const PathKeys& k, std::string_view key) {
  PARTNER.visa_demand.push_back({std::string(key), 0.0});
  return PARTNER.visa_demand.size() - 1;
}
inline std::optional<std::size_t> make_ladder(Scenario& s, const PathKeys&, std::string_view key) {
  for (std::size_t i = 0; i < s.sanctions.ladders.size(); ++i) {
    if (s.sanctions.ladders[i].name == key) {
      s.sanctions.ladders[i].steps.clear();
      return i;
    }
  }
  s.sanctions.ladders.push_back({std::string(key), {}});
  return s.sanctions.ladders.size() - 1;
}
inline std::optional<std::size_t> make_step(Scenario& s, const PathKeys& k, std::string_view) {
  auto& steps = s.sanctions.ladders[k[0]].steps;
  steps.emplace_back();
  return steps.size() - 1;
}
inline std::optional<std::size_t> make_window(Scenario& s, const PathKeys&, std::string_view key) {
  s.outcome_windows.emplace_back().name = std::string(key);
  return s.outcome_windows.size() - 1;
}
inline std::optional<std::size_t> make_event(Scenario& s, const PathKeys&, std::string_view) {
  s.timeline.emplace_back();
  return s.timeline.size() - 1;
}
inline std::optional<std::size_t> engage_sanction(Scenario& s, const PathKeys& k, std::string_view) {
  s.timeline[k[0]].sanction.emplace(
      TimelineEvent::SanctionDecision{});  // clang rejects emplace() here (llvm-project#50248)
  return std::nullopt;
}
inline std::optional<std::size_t> engage_amendment(Scenario& s, const PathKeys& k, std::string_view) {
  s.timeline[k[0]].amendment.emplace(TimelineEvent::AmendmentSwitch{});  // likewise
  return std::nullopt;
}

inline std::optional<std::size_t> engage_request(Scenario& s, const PathKeys& k, std::string_view) {
  s.timeline[k[0]].request.emplace(TimelineEvent::RequestMove{});  // likewise
  return std::nullopt;
}

inline void set_event_partner(Scenario& s, const PathKeys& k, const ParamValue& v) {
  s.timeline[k[0]].sanction->partner = s.partner_index(std::get<std::string>(v));
}
inline void set_event_request_partner(Scenario& s, const PathKeys& k, const ParamValue& v) {
  s.timeline[k[0]].request->partner = s.partner_index(std::get<std::string>(v));
}
inline void set_event_amendment(Scenario& s, const PathKeys& k, const ParamValue& v) {
  s.timeline[k[0]].amendment->amendment = *amendment_from_name(std::get<std::string>(v));
}
inline void set_event_amendment_partners(Scenario& s, const PathKeys& k, const ParamValue& v) {
  auto& partners = s.timeline[k[0]].amendment->partners;
  partners.clear();
  for (const auto& name : std::get<std::vector<std::string>>(v)) partners.push_back(s.partner_index(name));
}

}  // namespace readmit::scenario_detail
