#include "readmit/model/accounting.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <cmath>

#include "readmit/model/cooperation.hpp"
#include "readmit/model/decisions.hpp"
#include "readmit/model/sanctions.hpp"

namespace readmit::accounting {

bool census_month(int month) { return month % 12 == 0; }

std::vector<Coverage> coverage_census(const World& world) {
  using Counts = std::vector<Coverage>;
  const auto& people = world.people;
  const auto& coverage = amendments::covered_removal_metrics;
  // Integer counts: the result does not depend on how the pass is split.
  return tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, people.size(), person_scan_grain), Counts(world.partners.size()),
      [&](const tbb::blocked_range<std::size_t>& range, Counts local) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          const auto p = std::uint32_t(i);
          if (!people.entered(p) || is_terminal(people.state[p])) continue;
          Coverage& c = local[people.partner[p]];
          for (std::size_t a = 0; a < std::size(coverage); ++a)
            if (amendments::terms_cover(world, p, coverage[a].amendment)) ++c[a];
        }
        return local;
      },
      [](Counts a, const Counts& b) {
        for (std::size_t k = 0; k < a.size(); ++k)
          for (std::size_t i = 0; i < a[k].size(); ++i) a[k][i] += b[k][i];
        return a;
      });
}

void record_coverage(World& world, std::size_t k, int month, const Coverage* census) {
  const auto& coverage = amendments::covered_removal_metrics;
  if (census == nullptr) {
    for (const auto& c : coverage) world.metric(month, k, c.docket) = world.metric(month - 1, k, c.docket);
    return;
  }
  const auto& stock = world.partners[k].stock;
  double pending = 0;
  for (std::size_t st = 0; st < person_state_count; ++st)
    if (!is_terminal(PersonState(st))) pending += double(stock[st]);
  for (std::size_t a = 0; a < std::size(coverage); ++a)
    world.metric(month, k, coverage[a].docket) = pending > 0 ? double((*census)[a]) / pending : std::nan("");
}

void record_stocks(World& world, std::size_t k, int month) {
  const auto& partner = world.partners[k];
  auto record = [&](Metric m, double value) { world.metric(month, k, m) = value; };
  auto stock = [&](PersonState st) { return double(partner.stock[std::size_t(st)]); };
  record(Metric::stock_prison, stock(PersonState::prison));
  record(Metric::stock_detained, stock(PersonState::detained));
  record(Metric::stock_awaiting_document, stock(PersonState::awaiting_document));
  record(Metric::stock_scheduled, stock(PersonState::scheduled));
  record(Metric::stock_supervised, stock(PersonState::supervised));
  record(Metric::stock_removed, stock(PersonState::removed));
  record(Metric::stock_relief, stock(PersonState::relief));
  record(Metric::stock_exempted, stock(PersonState::exempted));
  record(Metric::stock_unremovable, stock(PersonState::unremovable));
  record(Metric::stock_document_queue, double(partner.desk.queued));
  record(Metric::stock_awaiting_interview, double(partner.desk.awaiting_interview_count));
  record(Metric::stock_in_decision, double(partner.desk.in_decision));
  record(Metric::stock_supervised_with_request, double(partner.supervised_with_request));
}

void record_diplomacy(World& world, std::size_t k, int month) {
  const auto& partner = world.partners[k];
  const auto& d = partner.diplomacy;
  auto record = [&](Metric m, double value) { world.metric(month, k, m) = value; };
  record(Metric::cooperation, d.cooperation);
  record(Metric::cooperation_target, d.target);
  record(Metric::halted, d.halted ? 1 : 0);
  record(Metric::demand_pressed, d.demand_pressed);
  record(Metric::sanction_evidence, decisions::evidence_today(world, k));
  record(Metric::standing, decisions::standing(world, k));
  record(Metric::sanction_step, double(d.sanction_step));
  record(Metric::sanction_cost, cooperation::sanction_cost(world, k));
  record(Metric::sanction_response, cooperation::sanction_response(world, k));
  record(Metric::backlash, d.backlash);
  record(Metric::compliance_class, d.compliance_class);
  record(Metric::review_median_decision_days, d.last_review.median_decision_days);
  record(Metric::review_undecided_share, d.last_review.undecided_share);
  record(Metric::review_denied_share, d.last_review.denied_share);
  record(Metric::review_charter_refused_share, d.last_review.charter_refused_share);
  record(Metric::review_interview_shortfall, d.last_review.interview_shortfall);
  record(Metric::review_undecided_release_share, d.last_review.undecided_release_share);
  record(Metric::review_custody_releases, d.last_review.custody_releases);
  record(Metric::linkage_suspended, d.linkage_suspended ? 1 : 0);
  record(Metric::amendment_request_open, partner.amendments.request_open ? 1 : 0);
  double in_force_count = 0;
  for (std::size_t a = 0; a < amendment_kind_count; ++a) {
    const double on = partner.amendments.in_force[a] ? 1 : 0;
    record(in_force_metric(AmendmentKind(a)), on);
    in_force_count += on;
  }
  record(Metric::amendments_in_force, in_force_count);
}

}  // namespace readmit::accounting
