#include "readmit/model/population.hpp"

#include <algorithm>
#include <limits>

#include "readmit/model/calendar.hpp"

namespace readmit {

std::string_view person_state_name(PersonState state) {
  static constexpr std::string_view names[] = {"prison",  "detained", "awaiting_document", "scheduled",  "supervised",
                                               "removed", "relief",   "exempted",          "unremovable"};
  return names[std::size_t(state)];
}

std::uint32_t Population::add(std::uint16_t partner_index, std::uint32_t id) {
  const auto p = static_cast<std::uint32_t>(partner.size());
  partner.push_back(partner_index);
  local_id.push_back(id);
  age_at_arrival_years.push_back(0);
  years_resident_at_entry.push_back(0);
  entry_day.push_back(0);
  entry_status.push_back(EntryStatus::other);
  offense.push_back(Offense::none);
  spouse.push_back(SpouseStatus::none);
  mental_health.push_back(MentalHealthRisk::low);
  ties.push_back(TiesToPartner::some);
  main_earner.push_back(0);
  children_begin.push_back(static_cast<std::uint32_t>(child_age_at_entry.size()));
  children_count.push_back(0);
  state.push_back(PersonState::supervised);
  request.push_back(RequestStatus::none);
  token.push_back(0);
  detention_start.push_back(no_day);
  request_day.push_back(no_day);
  first_request_day.push_back(no_day);
  document_expiry.push_back(no_day);
  ready_day.push_back(no_day);
  requests_made.push_back(0);
  flights_missed.push_back(0);
  detained_minors.push_back(0);
  state_since.push_back(no_day);
  queued_since.push_back(0);
  request_record.push_back(no_record);
  return p;
}

int Population::minor_children(std::uint32_t p, std::int32_t day) const {
  const double years_since_entry = double(day - entry_day[p]) / days_per_year;
  int minors = 0;
  for (std::uint32_t c = 0; c < children_count[p]; ++c)
    if (child_age_at_entry[children_begin[p] + c] + years_since_entry < 18.0) ++minors;
  return minors;
}

double Population::youngest_child_age(std::uint32_t p, std::int32_t day) const {
  double youngest = std::numeric_limits<double>::infinity();
  for (std::uint32_t c = 0; c < children_count[p]; ++c)
    youngest = std::min(youngest, double(child_age_at_entry[children_begin[p] + c]));
  return youngest + double(day - entry_day[p]) / days_per_year;
}

}  // namespace readmit
