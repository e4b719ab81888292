// What an experiment analyses, checked once the scenario is known: its
// outcomes (METRIC or PARTNER:METRIC, run totals of the scenario) and the
// PRIM questions of scenario discovery (read by the key table, keys.cpp).
#include <algorithm>

#include "reading/reader.hpp"
#include "readmit/util/text.hpp"

namespace readmit::experiment_file {

std::string missing_outcome(const RunTotalsLayout& layout, const Outcome& outcome) {
  if (layout.slot_index(outcome.partner) == layout.slots().size()) {
    std::vector<std::string_view> known(layout.slots().begin(), layout.slots().end());
    return unknown_name_message("unknown partner", outcome.partner, known);
  }
  if (layout.metric_index(outcome.metric) == layout.metrics().size()) {
    std::vector<std::string_view> known(layout.metrics().begin(), layout.metrics().end());
    return unknown_name_message("unknown run total", outcome.metric, known);
  }
  return {};
}

namespace {

/// The outcome a question names, or nullopt after saying why not.
std::optional<Outcome> prim_outcome(Reader& r, const PrimEntry& entry, const std::string& path) {
  const auto& outcomes = r.experiment.outcomes;
  std::vector<std::string> names;
  for (const auto& o : outcomes) names.push_back(o.name());
  const auto found = std::find(names.begin(), names.end(), *entry.outcome.value);
  if (found != names.end()) return outcomes[std::size_t(found - names.begin())];
  const std::vector<std::string_view> known(names.begin(), names.end());
  r.sink.error(entry.outcome.where, path + ".outcome",
               unknown_name_message("not one of the outcomes:", *entry.outcome.value, known));
  return std::nullopt;
}

/// The policy (its index) a question names, 0 (the reference) when none,
/// or nullopt after saying why not.
std::optional<std::size_t> prim_policy(Reader& r, const PrimEntry& entry, const std::string& path) {
  if (!entry.policy.value) return 0;
  std::vector<std::string_view> known;
  for (const auto& p : r.experiment.policies) known.push_back(p.name);
  const auto it = std::find(known.begin(), known.end(), *entry.policy.value);
  if (it != known.end()) return std::size_t(it - known.begin());
  r.sink.error(entry.policy.where, path + ".policy",
               unknown_name_message("unknown policy", *entry.policy.value, known));
  return std::nullopt;
}

/// A question as written made a PrimQuery, or nullopt after saying why not.
std::optional<PrimQuery> prim_query(Reader& r, const PrimEntry& entry, const std::string& path) {
  if (!entry.outcome.value) return std::nullopt;  // reported by the walk
  PrimQuery query = entry.query;
  const auto outcome = prim_outcome(r, entry, path);
  const auto policy = prim_policy(r, entry, path);
  if (!outcome || !policy) return std::nullopt;
  query.outcome = *outcome;
  query.policy = *policy;
  query.difference = entry.difference.value.value_or(false);
  if (query.difference && query.policy == 0) {
    r.sink.error(entry.difference.where, path + ".difference",
                 "expected a `policy` other than the reference (" + r.experiment.policies[0].name +
                     ") for a paired difference, found " + (entry.policy.value ? "the reference" : "none"));
    return std::nullopt;
  }
  if (entry.below.value.has_value() == entry.above.value.has_value()) {
    r.sink.error(entry.where, path,
                 std::string("expected `below: X` or `above: X`, found ") + (entry.below.value ? "both" : "neither"));
    return std::nullopt;
  }
  query.below = entry.below.value.has_value();
  query.threshold = query.below ? *entry.below.value : *entry.above.value;
  return query;
}

}  // namespace

void read_prim(Reader& r) {
  for (std::size_t i = 0; i < r.prim.size(); ++i)
    if (auto query = prim_query(r, r.prim[i], "prim[" + std::to_string(i) + "]"))
      r.experiment.prim.push_back(std::move(*query));
}

}  // namespace readmit::experiment_file

namespace readmit {

std::string PrimQuery::name() const {
  return outcome.name() + (below ? " below " : " above ") + format_number(threshold);
}

}  // namespace readmit
