// The analysis of an experiment, through the stats module: sensitivity
// indices of every outcome and policy difference, and PRIM boxes.
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <cmath>

#include "readmit/stats/prim.hpp"
#include "readmit/stats/sensitivity.hpp"
#include "running/tables.hpp"

namespace readmit {

namespace {

SqlValue number(double value) { return std::isfinite(value) ? SqlValue(value) : SqlValue(); }
SqlValue count(std::size_t value) { return SqlValue(std::int64_t(value)); }

/// One analysed series: an outcome of a policy, or a policy's difference.
struct Series {
  std::size_t outcome = 0;
  std::size_t policy = 0;
  bool difference = false;
};

std::vector<Row> series_rows(const Experiment& e, const OutcomeTable& table, const Series& s) {
  const auto& y = s.difference ? table.differences[s.outcome][s.policy] : table.means[s.outcome][s.policy];
  const std::string outcome = e.outcomes[s.outcome].name();
  const std::string& policy = e.policies[s.policy].name;
  const std::string baseline = s.difference ? e.policies[0].name : std::string();
  std::vector<Row> rows;
  const auto add = [&](std::size_t factor, const char* index, double value, double low, double high, double p,
                       std::size_t n) {
    rows.push_back({outcome, policy, baseline, e.uncertainties[factor].path, std::string(index), number(value),
                    number(low), number(high), number(p), count(n)});
  };
  const std::size_t k = e.uncertainties.size();
  const std::uint64_t seed = e.design_seed;
  const std::size_t bootstrap = e.bootstrap_samples;
  if (e.points() >= 3) {
    const auto analysis = prcc(e.point_values, y, bootstrap, seed);
    for (std::size_t f = 0; f < k; ++f) {
      const auto& r = analysis.factors[f];
      add(f, "prcc", r.prcc.value, r.prcc.ci_low, r.prcc.ci_high, r.p_value, analysis.points_used);
    }
  }
  if (e.method == DesignMethod::sobol) {
    const auto analysis = sobol_indices(y, k, bootstrap, seed);
    for (std::size_t f = 0; f < k; ++f) {
      const auto& r = analysis.factors[f];
      add(f, "sobol_first_order", r.first_order.value, r.first_order.ci_low, r.first_order.ci_high, NAN,
          analysis.base_points_used);
      add(f, "sobol_total", r.total.value, r.total.ci_low, r.total.ci_high, NAN, analysis.base_points_used);
    }
  }
  if (e.method == DesignMethod::morris && e.morris) {
    const auto effects = morris_effects(*e.morris, y, bootstrap, seed);
    for (std::size_t f = 0; f < k; ++f) {
      const auto& r = effects[f];
      add(f, "morris_mu_star", r.mu_star.value, r.mu_star.ci_low, r.mu_star.ci_high, NAN, r.effects_used);
      add(f, "morris_mu", r.mu, NAN, NAN, NAN, r.effects_used);
      add(f, "morris_sigma", r.sigma, NAN, NAN, NAN, r.effects_used);
    }
  }
  return rows;
}

/// The labels of a label factor in [lower, upper] (its indices), joined by '|'.
std::string values_in(const Uncertainty& u, double lower, double upper) {
  std::string text;
  const auto& values = u.distribution.values;
  for (std::size_t i = 0; i < u.labels.size(); ++i) {
    const double v = values.size() == u.labels.size() ? values[i] : double(i);
    if (v >= lower && v <= upper) text += (text.empty() ? "" : "|") + u.labels[i];
  }
  return text;
}

}  // namespace

std::vector<Column> sensitivity_columns() {
  return {{"outcome", "TEXT"}, {"policy", "TEXT"},   {"baseline", "TEXT"},  {"parameter", "TEXT"}, {"index", "TEXT"},
          {"value", "REAL"},   {"ci95_low", "REAL"}, {"ci95_high", "REAL"}, {"p_value", "REAL"},   {"n", "INTEGER"}};
}

std::vector<Row> sensitivity_rows(const Experiment& e, const OutcomeTable& table, unsigned threads) {
  std::vector<Series> series;
  for (std::size_t o = 0; o < e.outcomes.size(); ++o) {
    for (std::size_t q = 0; q < e.policies.size(); ++q) series.push_back({o, q, false});
    for (std::size_t q = 1; q < e.policies.size(); ++q) series.push_back({o, q, true});
  }
  if (e.uncertainties.empty()) return {};
  std::vector<std::vector<Row>> parts(series.size());
  tbb::task_arena arena(static_cast<int>(std::max(1u, threads)));
  arena.execute([&] {
    tbb::parallel_for(std::size_t(0), series.size(),
                      [&](std::size_t i) { parts[i] = series_rows(e, table, series[i]); });
  });
  std::vector<Row> rows;
  for (auto& part : parts) rows.insert(rows.end(), part.begin(), part.end());
  return rows;
}

std::vector<Column> prim_columns() {
  return {{"query", "INTEGER"},      {"outcome", "TEXT"},
          {"policy", "TEXT"},        {"baseline", "TEXT"},
          {"direction", "TEXT"},     {"threshold", "REAL"},
          {"points", "INTEGER"},     {"points_of_interest", "INTEGER"},
          {"box", "INTEGER"},        {"coverage", "REAL"},
          {"density", "REAL"},       {"mass", "REAL"},
          {"box_points", "INTEGER"}, {"box_points_of_interest", "INTEGER"},
          {"parameter", "TEXT"},     {"lower", "REAL"},
          {"upper", "REAL"},         {"values", "TEXT"},
          {"lower_quasi_p", "REAL"}, {"upper_quasi_p", "REAL"}};
}

std::vector<Row> prim_rows(const Experiment& e, const OutcomeTable& table) {
  std::vector<Row> rows;
  const std::size_t k = e.uncertainties.size();
  for (std::size_t q = 0; q < e.prim.size(); ++q) {
    const PrimQuery& query = e.prim[q];
    const auto outcome = std::size_t(std::find_if(e.outcomes.begin(), e.outcomes.end(),
                                                  [&](const Outcome& o) { return o.name() == query.outcome.name(); }) -
                                     e.outcomes.begin());
    const auto& y = query.difference ? table.differences[outcome][query.policy] : table.means[outcome][query.policy];
    // Points without a finite value are left out.
    std::vector<std::size_t> used;
    for (std::size_t p = 0; p < y.size(); ++p)
      if (std::isfinite(y[p])) used.push_back(p);
    DesignMatrix x(used.size(), k);
    std::vector<unsigned char> of_interest(used.size());
    for (std::size_t i = 0; i < used.size(); ++i) {
      for (std::size_t d = 0; d < k; ++d) x(i, d) = e.point_values(used[i], d);
      const double v = y[used[i]];
      of_interest[i] = query.below ? v < query.threshold : v > query.threshold;
    }
    PrimOptions options = query.options;
    options.whole_value_factors.resize(k);
    for (std::size_t d = 0; d < k; ++d)
      options.whole_value_factors[d] = e.uncertainties[d].integer || !e.uncertainties[d].labels.empty();
    const Row head{count(q + 1),
                   query.outcome.name(),
                   e.policies[query.policy].name,
                   query.difference ? e.policies[0].name : std::string(),
                   std::string(query.below ? "below" : "above"),
                   query.threshold,
                   count(used.size()),
                   count(std::size_t(std::count(of_interest.begin(), of_interest.end(), 1)))};
    std::optional<PrimResult> result;
    if (!used.empty() && k > 0) result = prim(x, of_interest, options);
    if (!result || result->boxes.empty()) {
      Row row = head;
      row.resize(prim_columns().size());  // no box: the rest is NULL
      rows.push_back(std::move(row));
      continue;
    }
    for (std::size_t b = 0; b < result->boxes.size(); ++b) {
      const PrimBox& box = result->boxes[b];
      const PrimStep& step = box.box();
      Row base = head;
      base.insert(base.end(), {count(b + 1), number(step.coverage), number(step.density), number(step.mass),
                               count(step.points), count(step.points_of_interest)});
      if (step.restricted.empty()) {
        Row row = base;
        row.resize(prim_columns().size());
        rows.push_back(std::move(row));
      }
      for (const std::size_t d : step.restricted) {
        Row row = base;
        const auto& u = e.uncertainties[d];
        row.insert(row.end(), {u.path, number(step.lower[d]), number(step.upper[d]),
                               u.labels.empty() ? SqlValue() : SqlValue(values_in(u, step.lower[d], step.upper[d])),
                               number(box.lower_quasi_p[d]), number(box.upper_quasi_p[d])});
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

}  // namespace readmit
