// What an experiment analyses: its outcomes (METRIC or PARTNER:METRIC, run
// totals of the scenario), the analysis options, and the PRIM questions of
// scenario discovery.
#include <algorithm>

#include "reading/reader.hpp"
#include "readmit/util/text.hpp"

namespace readmit::experiment_file {

namespace {

constexpr std::string_view prim_keys[] = {
    "outcome",     "policy",   "difference",        "below",    "above", "peel_alpha",
    "paste_alpha", "min_mass", "threshold_density", "max_boxes"};
constexpr std::string_view analysis_keys[] = {"bootstrap_samples"};

/// Outcomes named as METRIC or PARTNER:METRIC.
Outcome parse_outcome(const std::string& text) {
  Outcome outcome;
  if (const auto colon = text.find(':'); colon != std::string::npos) {
    outcome.partner = text.substr(0, colon);
    outcome.metric = text.substr(colon + 1);
  } else {
    outcome.metric = text;
  }
  return outcome;
}

}  // namespace

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

void read_outcomes(Reader& r, const ConfigNode& root) {
  Experiment& e = r.experiment;
  if (const ConfigNode* outcomes = root.find("outcomes")) {
    if (!outcomes->is_sequence() || outcomes->items().empty()) {
      r.sink.error(outcomes->where(), "outcomes",
                   "expected a list of run totals (METRIC or PARTNER:METRIC), found " + outcomes->describe());
    } else {
      for (std::size_t i = 0; i < outcomes->items().size(); ++i) {
        const auto& item = outcomes->items()[i];
        if (!item.is_scalar() || item.text().empty()) {
          r.sink.error(item.where(), "outcomes[" + std::to_string(i) + "]",
                       "expected a run total (METRIC or PARTNER:METRIC), found " + item.describe());
          continue;
        }
        e.outcomes.push_back(parse_outcome(item.text()));
        r.outcome_where.push_back(item.where());
      }
    }
  }
  if (const ConfigNode* analysis = root.find("analysis")) {
    if (!analysis->is_map()) {
      r.sink.error(analysis->where(), "analysis", "expected {bootstrap_samples: N}, found " + analysis->describe());
    } else {
      check_keys(*analysis, "analysis.", analysis_keys, r.sink);
      if (const ConfigNode* n = analysis->find("bootstrap_samples"))
        if (auto v = r.integer_option(*n, "analysis.bootstrap_samples", 0, 100000)) e.bootstrap_samples = *v;
    }
  }
  if (const ConfigNode* prim = root.find("prim")) {
    if (!prim->is_sequence()) {
      r.sink.error(prim->where(), "prim", "expected a list of {outcome: NAME, below: X}, found " + prim->describe());
    } else {
      for (const auto& item : prim->items()) r.prim_nodes.push_back(&item);
    }
  }
}

void read_prim(Reader& r) {
  Experiment& e = r.experiment;
  for (std::size_t i = 0; i < r.prim_nodes.size(); ++i) {
    const ConfigNode& node = *r.prim_nodes[i];
    const std::string path = "prim[" + std::to_string(i) + "]";
    if (!node.is_map()) {
      r.sink.error(node.where(), path,
                   "expected {outcome: NAME, below: X} or {outcome: NAME, above: X}, found " + node.describe());
      continue;
    }
    check_keys(node, path + ".", prim_keys, r.sink);
    PrimQuery query;
    const ConfigNode* outcome = node.find("outcome");
    std::vector<std::string> names;
    for (const auto& o : e.outcomes) names.push_back(o.name());
    if (outcome == nullptr || !outcome->is_scalar()) {
      r.sink.error(outcome ? outcome->where() : node.where(), path + ".outcome",
                   "expected one of the outcomes, found " + (outcome ? outcome->describe() : std::string("nothing")));
      continue;
    }
    const auto found = std::find(names.begin(), names.end(), outcome->text());
    if (found == names.end()) {
      std::vector<std::string_view> known(names.begin(), names.end());
      r.sink.error(outcome->where(), path + ".outcome",
                   unknown_name_message("not one of the outcomes:", outcome->text(), known));
      continue;
    }
    query.outcome = e.outcomes[std::size_t(found - names.begin())];
    if (const ConfigNode* policy = node.find("policy")) {
      std::vector<std::string_view> known;
      for (const auto& p : e.policies) known.push_back(p.name);
      const auto it = std::find(known.begin(), known.end(), policy->is_scalar() ? policy->text() : std::string());
      if (it == known.end()) {
        r.sink.error(policy->where(), path + ".policy",
                     unknown_name_message("unknown policy", policy->is_scalar() ? policy->text() : "", known));
        continue;
      }
      query.policy = std::size_t(it - known.begin());
    }
    if (const ConfigNode* difference = node.find("difference")) {
      const std::string text = difference->is_scalar() ? difference->text() : std::string();
      if (text != "true" && text != "false") {
        r.sink.error(difference->where(), path + ".difference",
                     "expected true or false, found " + difference->describe());
        continue;
      }
      query.difference = text == "true";
      if (query.difference && query.policy == 0) {
        r.sink.error(difference->where(), path + ".difference",
                     "expected a `policy` other than the reference (" + e.policies[0].name +
                         ") for a paired difference, found " + (node.find("policy") ? "the reference" : "none"));
        continue;
      }
    }
    const ConfigNode* below = node.find("below");
    const ConfigNode* above = node.find("above");
    if ((below == nullptr) == (above == nullptr)) {
      r.sink.error(node.where(), path,
                   std::string("expected `below: X` or `above: X`, found ") + (below ? "both" : "neither"));
      continue;
    }
    query.below = below != nullptr;
    const auto threshold = r.real_option(below ? *below : *above, path + (below ? ".below" : ".above"));
    if (!threshold) continue;
    query.threshold = *threshold;
    const auto fraction = [&](std::string_view key, double& target, double low, double high) {
      if (const ConfigNode* n = node.find(key)) {
        const auto v = r.real_option(*n, path + "." + std::string(key));
        if (v && (*v < low || *v > high))
          r.sink.error(
              n->where(), path + "." + std::string(key),
              "expected a number in [" + format_number(low) + ", " + format_number(high) + "], found " + n->describe());
        else if (v)
          target = *v;
      }
    };
    fraction("peel_alpha", query.options.peel_alpha, 0.001, 0.499);
    fraction("paste_alpha", query.options.paste_alpha, 0.001, 0.499);
    fraction("min_mass", query.options.min_mass, 0, 0.999);
    fraction("threshold_density", query.options.threshold_density, 0.001, 1);
    if (const ConfigNode* n = node.find("max_boxes"))
      if (auto v = r.integer_option(*n, path + ".max_boxes", 1, 100)) query.options.max_boxes = *v;
    e.prim.push_back(query);
  }
}

}  // namespace readmit::experiment_file

namespace readmit {

std::string PrimQuery::name() const {
  return outcome.name() + (below ? " below " : " above ") + format_number(threshold);
}

}  // namespace readmit
