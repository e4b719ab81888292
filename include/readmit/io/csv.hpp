#pragma once
// CSV rows (RFC 4180 quoting), assembled in memory with numbers formatted
// straight into the row (std::to_chars, as format_number: the same bytes on
// every platform), so that writing large results costs little more than
// copying them.
#include <charconv>
#include <concepts>
#include <cstddef>
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

class OutputFile;

/// Free text as a spreadsheet and a terminal may show it safely: a text that
/// starts with '=', '+', '-' or '@' and is not a number gets a leading "'"
/// (shown as text, never run as a formula), and control characters (but
/// tab and line feed: escape sequences, CR, C1 controls) are written as
/// \xHH or \u00HH. Other text is unchanged. Every text field CsvWriter and
/// csv_field write goes through it.
std::string safe_text(std::string_view text);

/// Returns `field` as it must appear in a CSV row: safe_text(field),
/// unchanged, or enclosed in double quotes with inner quotes doubled if it
/// contains a comma, a double quote, CR or LF (RFC 4180).
std::string csv_field(std::string_view field);

/// Splits one CSV record (RFC 4180 quoting, no line break inside a field,
/// the line without its '\n') into its fields. Reads back what CsvWriter
/// writes; nullopt if a quoted field is not closed or text follows its
/// closing quote.
std::optional<std::vector<std::string>> parse_csv_record(std::string_view line);

/// A number as CsvWriter writes it (format_number): the shortest round-trip
/// form, "NA" (NaN), "Inf" or "-Inf"; nullopt for anything else.
std::optional<double> parse_csv_number(std::string_view field);

/// Writes CSV rows. Rows end with a single '\n' rather than RFC 4180's CRLF,
/// matching what R and pandas write by default. Numbers are written as
/// format_number writes them (NaN as NA, infinities as Inf and -Inf).
/// Three destinations:
///  - a string: rows are appended to it;
///  - a stream it does not own: each row is written as it is finished
///    (stream errors stay in the stream's state for its owner to check);
///  - an OutputFile: rows are collected in blocks of about 1 MiB and written
///    in one piece each; flush() (or destruction) writes the last block.
class CsvWriter {
 public:
  explicit CsvWriter(std::string& out) noexcept : out_(&out) {}
  explicit CsvWriter(std::ostream& out) noexcept : out_(&own_), stream_(&out) {}
  explicit CsvWriter(OutputFile& file) noexcept : out_(&own_), file_(&file) {}
  ~CsvWriter() noexcept(false);
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  void write_row(std::initializer_list<std::string_view> fields);
  void write_row(std::span<const std::string> fields);

  /// Writes one row from a mix of text and numbers. Example:
  /// write_values("arm_a", 3, 0.25) writes "arm_a,3,0.25".
  template <typename... Fields>
  void write_values(const Fields&... fields) {
    [[maybe_unused]] bool first = true;
    (append_field(fields, first), ...);
    end_row();
  }

  /// Writes a row of `prefix` (fields already CSV-encoded, each followed by
  /// a comma) and then `numbers`: for rows that repeat their first fields.
  void write_numbers(std::string_view prefix, std::span<const double> numbers);

  /// Appends rows already formatted (each ending with '\n'), as they are.
  void write_raw(std::string_view rows);

  /// Writes what is collected to the OutputFile (nothing to do otherwise).
  void flush();

 private:
  template <typename Field>
  void append_field(const Field& field, bool& first) {
    if (!first) out_->push_back(',');
    first = false;
    if constexpr (std::is_convertible_v<const Field&, std::string_view>) {
      append_text(std::string_view(field));
    } else if constexpr (std::is_floating_point_v<Field>) {
      append_number(static_cast<double>(field));
    } else {
      static_assert(std::is_integral_v<Field> && !std::is_same_v<Field, bool>, "a CSV field is text or a number");
      char buffer[24];  // 20 digits and a sign
      const auto end = std::to_chars(buffer, buffer + sizeof buffer, field).ptr;
      out_->append(buffer, end);
    }
  }
  void append_text(std::string_view text);
  void append_number(double value);
  void end_row();

  std::string own_;  // the row, or the block, being assembled
  std::string* out_;
  std::ostream* stream_ = nullptr;
  OutputFile* file_ = nullptr;
};

}  // namespace readmit
