#include "readmit/io/csv.hpp"

#include <bit>
#include <cmath>
#include <cstdint>

#include "readmit/io/output_file.hpp"

namespace readmit {

namespace {

constexpr std::size_t block_bytes = std::size_t{1} << 20;

bool needs_quotes(std::string_view field) { return field.find_first_of(",\"\r\n") != std::string_view::npos; }

void append_quoted(std::string& out, std::string_view field) {
  out.push_back('"');
  for (const char character : field) {
    if (character == '"') out.push_back('"');
    out.push_back(character);
  }
  out.push_back('"');
}

/// A byte a terminal may act on: C0 controls but tab and line feed, DEL, and
/// the lead byte 0xC2 of the C1 controls U+0080..U+009F (checked with the next).
bool maybe_control(unsigned char byte) {
  return (byte < 0x20 && byte != '\t' && byte != '\n') || byte == 0x7F || byte == 0xC2;
}

/// Whether `text` needs neutralise(): a leading formula character (and it is
/// not a number), or a control character.
bool needs_neutralising(std::string_view text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@') &&
      !parse_csv_number(text))
    return true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (!maybe_control(byte)) continue;
    if (byte != 0xC2) return true;
    if (i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return true;
  }
  return false;
}

std::string neutralise(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string safe;
  safe.reserve(text.size() + 8);
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@') &&
      !parse_csv_number(text))
    safe.push_back('\'');
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F &&
        static_cast<unsigned char>(text[i + 1]) >= 0x80) {
      const auto code = static_cast<unsigned char>(text[++i]);
      safe += "\\u00";
      safe.push_back(hex[code >> 4]);
      safe.push_back(hex[code & 0xF]);
    } else if (maybe_control(byte) && byte != 0xC2) {
      safe += "\\x";
      safe.push_back(hex[byte >> 4]);
      safe.push_back(hex[byte & 0xF]);
    } else {
      safe.push_back(text[i]);
    }
  }
  return safe;
}

}  // namespace

std::string safe_text(std::string_view text) { return needs_neutralising(text) ? neutralise(text) : std::string(text); }

std::string csv_field(std::string_view field) {
  if (needs_neutralising(field)) return csv_field(neutralise(field));
  if (!needs_quotes(field)) return std::string(field);
  std::string quoted;
  quoted.reserve(field.size() + 2);
  append_quoted(quoted, field);
  return quoted;
}

std::optional<std::vector<std::string>> parse_csv_record(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  while (true) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return std::nullopt;  // unclosed quote
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      if (i < line.size() && line[i] != ',') return std::nullopt;  // text after the closing quote
    } else {
      const auto comma = line.find(',', i);
      const auto end = comma == std::string_view::npos ? line.size() : comma;
      field.assign(line.substr(i, end - i));
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) return fields;
    ++i;  // the comma
  }
}

std::optional<double> parse_csv_number(std::string_view field) {
  if (field == "NA") return std::nan("");
  if (field == "Inf") return HUGE_VAL;
  if (field == "-Inf") return -HUGE_VAL;
  double value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (field.empty() || error != std::errc() || end != field.data() + field.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

CsvWriter::~CsvWriter() noexcept(false) {
  // A block left unwritten by an exception is dropped: the file is not
  // committed then, and a second exception would terminate.
  if (std::uncaught_exceptions() == 0) flush();
}

void CsvWriter::append_text(std::string_view text) {
  if (needs_neutralising(text)) return append_text(neutralise(text));
  if (needs_quotes(text))
    append_quoted(*out_, text);
  else
    out_->append(text);
}

void CsvWriter::append_number(double value) {
  if (std::isnan(value)) {
    out_->append("NA");
  } else if (std::isinf(value)) {
    out_->append(value > 0 ? "Inf" : "-Inf");
  } else {
    char buffer[32];  // the longest shortest-form double, "-2.2250738585072014e-308", is 24
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out_->append(buffer, end);
  }
}

void CsvWriter::end_row() {
  out_->push_back('\n');
  if (stream_) {
    stream_->write(own_.data(), static_cast<std::streamsize>(own_.size()));
    own_.clear();
  } else if (file_ && own_.size() >= block_bytes) {
    flush();
  }
}

void CsvWriter::write_numbers(std::string_view prefix, std::span<const double> numbers) {
  out_->append(prefix);
  // Statistics repeat (the mean and quantiles of one replication, or of
  // counts that are mostly 0): a number equal to the last one formatted in
  // this row copies its text instead of formatting it again.
  bool have_last = false;
  std::uint64_t last_bits = 0;
  std::size_t last_begin = 0, last_size = 0;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (i > 0) out_->push_back(',');
    const double value = numbers[i];
    if (!std::isfinite(value)) {
      append_number(value);
    } else if (have_last && std::bit_cast<std::uint64_t>(value) == last_bits) {
      char last[32];  // a copy: appending a string's own bytes may reallocate under them
      out_->copy(last, last_size, last_begin);
      out_->append(last, last_size);
    } else {
      last_begin = out_->size();
      append_number(value);
      last_size = out_->size() - last_begin;
      last_bits = std::bit_cast<std::uint64_t>(value);
      have_last = true;
    }
  }
  end_row();
}

void CsvWriter::write_raw(std::string_view rows) {
  if (stream_) {
    stream_->write(rows.data(), static_cast<std::streamsize>(rows.size()));
    return;
  }
  out_->append(rows);
  if (file_ && own_.size() >= block_bytes) flush();
}

void CsvWriter::flush() {
  if (!file_ || own_.empty()) return;
  file_->write(own_);
  own_.clear();
}

void CsvWriter::write_row(std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (const auto field : fields) append_field(field, first);
  end_row();
}

void CsvWriter::write_row(std::span<const std::string> fields) {
  bool first = true;
  for (const auto& field : fields) append_field(field, first);
  end_row();
}

}  // namespace readmit
