#pragma once
// Calendar dates as whole days since 1970-01-01 (proleptic Gregorian), the
// engine's unit of time.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace readmit {

struct Date {
  std::int32_t days_since_epoch = 0;

  /// Parses an ISO date "YYYY-MM-DD"; nullopt if malformed or not a real day.
  static std::optional<Date> parse(std::string_view text);
  static Date from_ymd(int year, unsigned month, unsigned day);
  std::string to_string() const;  // "YYYY-MM-DD"
  int year() const;
  unsigned month() const;  // 1..12
  unsigned day() const;    // 1..31

  Date plus_days(std::int32_t days) const { return {days_since_epoch + days}; }
  /// The same day of the month `months` later, clamped to the month's last day.
  Date plus_months(int months) const;
  friend auto operator<=>(const Date&, const Date&) = default;
};

/// Whole calendar months from `start`'s month to `date`'s month (0 for the same month).
int months_between(Date start, Date date);

}  // namespace readmit
