#include "readmit/model/accounting.hpp"

#include "readmit/model/sanctions.hpp"

namespace readmit::accounting {

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
  record(Metric::sanction_step, double(d.sanction_step));
  record(Metric::sanction_pressure, sanctions::pressure(world, k));
  record(Metric::compliance_class, d.compliance_class);
  record(Metric::review_median_decision_days, d.last_review.median_decision_days);
  record(Metric::review_undecided_share, d.last_review.undecided_share);
  record(Metric::review_denied_share, d.last_review.denied_share);
  record(Metric::review_charter_refused_share, d.last_review.charter_refused_share);
  record(Metric::review_custody_releases, d.last_review.custody_releases);
  record(Metric::review_release_removal_ratio, d.last_review.release_removal_ratio);
  record(Metric::linkage_suspended, d.linkage_suspended ? 1 : 0);
  record(Metric::amendment_request_open, partner.amendments.request_open ? 1 : 0);
  double in_force_count = 0;
  for (std::size_t a = 0; a < amendment_kind_count; ++a) {
    const double on = partner.amendments.in_force[a] ? 1 : 0;
    record(Metric(std::size_t(Metric::in_force_family_unity) + a), on);
    in_force_count += on;
  }
  record(Metric::amendments_in_force, in_force_count);
}

}  // namespace readmit::accounting
