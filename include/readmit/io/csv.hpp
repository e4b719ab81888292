#pragma once

#include <array>
#include <charconv>
#include <concepts>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "readmit/util/text.hpp"

namespace readmit {

/// Returns `field` as it must appear in a CSV row: unchanged, or enclosed in
/// double quotes with inner quotes doubled if it contains a comma, a double
/// quote, CR or LF (RFC 4180).
std::string csv_field(std::string_view field);

/// Splits one CSV record (RFC 4180 quoting, no line break inside a field,
/// the line without its '\n') into its fields. Reads back what CsvWriter
/// writes; nullopt if a quoted field is not closed or text follows its
/// closing quote.
std::optional<std::vector<std::string>> parse_csv_record(std::string_view line);

/// A number as CsvWriter writes it (format_number): the shortest round-trip
/// form, "NA" (NaN), "Inf" or "-Inf"; nullopt for anything else.
std::optional<double> parse_csv_number(std::string_view field);

/// Writes CSV rows (RFC 4180 quoting) to a stream it does not own.
/// Rows end with a single '\n' rather than RFC 4180's CRLF, matching what R
/// and pandas write by default. Stream errors are left in the stream's state
/// for the owner to check (AtomicFileWriter::commit() does).
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) noexcept : out_(&out) {}

  void write_row(std::initializer_list<std::string_view> fields);
  void write_row(std::span<const std::string> fields);

  /// Writes one row from a mix of text and numbers; numbers are formatted
  /// with format_number. Example: write_values("arm_a", 3, 0.25).
  template <typename... Fields>
  void write_values(const Fields&... fields) {
    const std::array<std::string, sizeof...(Fields)> formatted{to_text(fields)...};
    write_row(std::span<const std::string>(formatted));
  }

 private:
  template <typename Field>
  static std::string to_text(const Field& field) {
    if constexpr (std::is_convertible_v<const Field&, std::string_view>) {
      return std::string(std::string_view(field));
    } else {
      return format_number(field);
    }
  }

  template <typename Range>
  void write_fields(const Range& fields);

  std::ostream* out_;
};

}  // namespace readmit
