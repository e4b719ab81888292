#include "readmit/scenario/date.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace readmit {

namespace {
std::chrono::year_month_day to_ymd(Date date) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{date.days_since_epoch}}};
}

bool parse_digits(std::string_view text, int& value) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{};
}
}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0, month = 0, day = 0;
  if (!parse_digits(text.substr(0, 4), year) || !parse_digits(text.substr(5, 2), month) ||
      !parse_digits(text.substr(8, 2), day))
    return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                        std::chrono::day{unsigned(day)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count())};
}

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  return Date{static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count())};
}

std::string Date::to_string() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", year(), month(), day());
  return buffer;
}

int Date::year() const { return int(to_ymd(*this).year()); }
unsigned Date::month() const { return unsigned(to_ymd(*this).month()); }
unsigned Date::day() const { return unsigned(to_ymd(*this).day()); }

Date Date::plus_months(int months) const {
  const auto ymd = to_ymd(*this);
  const auto first = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{months};
  const auto last_day =
      std::chrono::year_month_day_last{first.year(), std::chrono::month_day_last{first.month()}}.day();
  const auto day = std::min(ymd.day(), last_day);
  return from_ymd(int(first.year()), unsigned(first.month()), unsigned(day));
}

int months_between(Date start, Date date) {
  return (date.year() - start.year()) * 12 + int(date.month()) - int(start.month());
}

}  // namespace readmit
