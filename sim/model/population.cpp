#include "readmit/model/population.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <algorithm>
#include <functional>
#include <limits>
#include <vector>

#include "readmit/model/calendar.hpp"

namespace readmit {

namespace {

/// Blocks at least this large grow their columns in parallel.
constexpr std::size_t parallel_block_persons = 65536;

}  // namespace

std::string_view person_state_name(PersonState state) {
  static constexpr std::string_view names[] = {"prison",  "detained", "awaiting_document", "scheduled",  "supervised",
                                               "removed", "relief",   "exempted",          "unremovable"};
  return names[std::size_t(state)];
}

template <class F>
void Population::for_each_column(F&& f) {
  f(partner, std::uint16_t{0});
  f(local_id, std::uint32_t{0});
  f(age_at_arrival_years, 0.0f);
  f(years_resident_at_entry, 0.0f);
  f(entry_day, std::int32_t{0});
  f(entry_status, EntryStatus::other);
  f(offense, Offense::none);
  f(spouse, SpouseStatus::none);
  f(mental_health, MentalHealthRisk::low);
  f(ties, TiesToPartner::some);
  f(main_earner, std::uint8_t{0});
  f(children_begin, std::uint32_t{0});
  f(children_count, std::uint8_t{0});
  f(state, PersonState::supervised);
  f(request, RequestStatus::none);
  f(token, std::uint32_t{0});
  f(detention_start, no_day);
  f(request_day, no_day);
  f(first_request_day, no_day);
  f(document_expiry, no_day);
  f(ready_day, no_day);
  f(requests_made, std::uint16_t{0});
  f(flights_missed, std::uint16_t{0});
  f(detained_minors, std::uint8_t{0});
  f(state_since, no_day);
  f(queued_since, std::int32_t{0});
  f(request_record, no_record);
}

std::uint32_t Population::add(std::uint16_t partner_index, std::uint32_t id) { return add_block(partner_index, id, 1); }

std::uint32_t Population::add_block(std::uint16_t partner_index, std::uint32_t first_id, std::size_t count) {
  const auto first = static_cast<std::uint32_t>(size());
  if (count < parallel_block_persons) {
    for_each_column([&](auto& column, auto initial) { column.resize(column.size() + count, initial); });
  } else {
    // A large block (a docket): the columns grow in parallel, each touching
    // its new memory for the first time.
    std::vector<std::function<void()>> grow;
    for_each_column([&](auto& column, auto initial) {
      grow.emplace_back([&column, initial, count] { column.resize(column.size() + count, initial); });
    });
    tbb::parallel_for(std::size_t(0), grow.size(), [&](std::size_t i) { grow[i](); });
  }
  std::fill(partner.begin() + first, partner.end(), partner_index);
  for (std::size_t i = 0; i < count; ++i) local_id[first + i] = first_id + std::uint32_t(i);
  return first;
}

void Population::reserve(std::size_t persons) {
  for_each_column([&](auto& column, auto) { column.reserve(persons); });
}

int Population::minor_children(std::uint32_t p, std::int32_t day) const {
  const double years_since_entry = double(day - entry_day[p]) / days_per_year;
  int minors = 0;
  for (std::uint32_t c = 0; c < children_count[p]; ++c)
    if (child_age_at_entry[partner[p]][children_begin[p] + c] + years_since_entry < 18.0) ++minors;
  return minors;
}

double Population::youngest_child_age(std::uint32_t p, std::int32_t day) const {
  double youngest = std::numeric_limits<double>::infinity();
  for (std::uint32_t c = 0; c < children_count[p]; ++c)
    youngest = std::min(youngest, double(child_age_at_entry[partner[p]][children_begin[p] + c]));
  return youngest + double(day - entry_day[p]) / days_per_year;
}

}  // namespace readmit
