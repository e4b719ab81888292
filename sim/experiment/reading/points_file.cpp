// The points of the `points` design, read from a CSV file: a header naming
// the parameters (and optionally `point`), one row per point, each value
// checked against its uncertainty when the file declares them.
#include <algorithm>
#include <cmath>

#include "reading/reader.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/util/bounded_file.hpp"

namespace readmit::experiment_file {

namespace {

constexpr std::uint64_t max_points_file_bytes = std::uint64_t(1) << 30;
constexpr std::size_t max_line_bytes = std::size_t(1) << 20;

}  // namespace

/// Reads the points CSV of the `points` design. Its header names the
/// parameters (a first column `point` is allowed); with `uncertainties`,
/// exactly theirs, and each value must lie in its distribution's range.
void read_points_file(Reader& r) {
  Experiment& e = r.experiment;
  const std::string origin_text = e.points_file.string();
  const auto origin = std::make_shared<const std::string>(origin_text);
  // Through the bounded reader: a regular file of at most 1 GiB, lines of at
  // most 1 MiB (never a device, a FIFO or an endless line).
  BoundedLineReader in(e.points_file, {.max_bytes = max_points_file_bytes, .what = "a CSV file"}, max_line_bytes);
  if (!in.is_open()) {
    r.sink.error(r.points_file_where, "design.file", in.problem());
    return;
  }
  std::string line;
  std::size_t line_number = 0;
  std::vector<std::string> header;
  const bool declared = !e.uncertainties.empty();
  std::vector<std::size_t> column_of;  // per uncertainty: its CSV column
  std::vector<LabelLookup> lookups;
  for (const auto& u : e.uncertainties) lookups.emplace_back(u);
  bool point_column = false;
  while (in.next(line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto fields = parse_csv_record(line);
    const SourceLocation at_line{origin, int(line_number), 1};
    if (!fields) {
      r.sink.error(at_line, "", "expected a CSV record, found a quote that is not closed or text after it");
      return;
    }
    if (header.empty()) {
      header = *fields;
      point_column = !header.empty() && header[0] == "point";
      for (std::size_t c = point_column ? 1 : 0; c < header.size(); ++c) {
        if (!valid_path(header[c])) {
          r.sink.error(at_line, "", "expected a parameter path as column name, found \"" + header[c] + "\"");
          return;
        }
        if (header[c] == "name") {
          r.sink.error(at_line, "name", std::string(uncertain_name_message));
          return;
        }
        if (!declared) {
          Uncertainty u;
          u.path = header[c];
          u.description = "values from " + e.points_file.filename().string();
          e.uncertainties.push_back(std::move(u));
          r.uncertainty_where.push_back(at_line);
          r.label_where.emplace_back();
        }
      }
      for (const auto& u : e.uncertainties) {
        const auto it = std::find(header.begin(), header.end(), u.path);
        if (it == header.end()) {
          r.sink.error(at_line, "", "expected a column for the uncertainty " + u.path + ", found none");
          return;
        }
        column_of.push_back(std::size_t(it - header.begin()));
      }
      if (header.size() != column_of.size() + (point_column ? 1 : 0)) {
        r.sink.error(at_line, "",
                     "expected only the uncertainties' columns (and `point`), found " + std::to_string(header.size()) +
                         " columns");
        return;
      }
      continue;
    }
    if (fields->size() != header.size()) {
      r.sink.error(at_line, "",
                   "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(fields->size()));
      continue;
    }
    if (e.point_texts.size() >= max_design_points) {
      r.sink.error(at_line, "", "expected at most " + grouped(max_design_points) + " design points, found more");
      return;
    }
    if (point_column && (*fields)[0] != std::to_string(e.point_texts.size() + 1)) {
      r.sink.error(at_line, "point",
                   "expected point " + std::to_string(e.point_texts.size() + 1) + ", found \"" + (*fields)[0] + "\"");
      continue;
    }
    std::vector<std::string> texts;
    for (std::size_t d = 0; d < e.uncertainties.size(); ++d) {
      const std::string& text = (*fields)[column_of[d]];
      texts.push_back(text);
      if (!declared) continue;
      const auto& u = e.uncertainties[d];
      const auto value = parse_real(text);
      const bool is_label = lookups[d].of_text(text).has_value();
      if (!u.labels.empty() ? !is_label
                            : (!value || *value < u.distribution.min_value() || *value > u.distribution.max_value() ||
                               (u.integer && std::floor(*value) != *value)))
        r.sink.error(at_line, u.path,
                     "expected a value of the uncertainty (" + u.description + "), found \"" + text + "\"");
    }
    e.point_texts.push_back(std::move(texts));
  }
  if (!in.problem().empty()) {
    r.sink.error(SourceLocation{origin, int(line_number) + 1, 1}, "", in.problem());
    return;
  }
  if (header.empty()) r.sink.error(SourceLocation{origin, 1, 1}, "", "expected a header row, found an empty file");
}

}  // namespace readmit::experiment_file
