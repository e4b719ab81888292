#include "readmit/io/csv.hpp"

namespace readmit {

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(field);
  }
  std::string quoted;
  quoted.reserve(field.size() + 2);
  quoted.push_back('"');
  for (const char character : field) {
    if (character == '"') {
      quoted.push_back('"');
    }
    quoted.push_back(character);
  }
  quoted.push_back('"');
  return quoted;
}

template <typename Range>
void CsvWriter::write_fields(const Range& fields) {
  bool first = true;
  for (const auto& field : fields) {
    if (!first) {
      *out_ << ',';
    }
    first = false;
    *out_ << csv_field(field);
  }
  *out_ << '\n';
}

void CsvWriter::write_row(std::initializer_list<std::string_view> fields) { write_fields(fields); }

void CsvWriter::write_row(std::span<const std::string> fields) { write_fields(fields); }

}  // namespace readmit
