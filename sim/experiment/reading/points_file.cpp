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

/// The points file being read, line by line.
class PointsFile {
 public:
  explicit PointsFile(Reader& r)
      : r_(r),
        e_(r.experiment),
        origin_(std::make_shared<const std::string>(e_.points_file.string())),
        declared_(!e_.uncertainties.empty()) {
    for (const auto& u : e_.uncertainties) lookups_.emplace_back(u);
  }

  void read() {
    // Through the bounded reader: a regular file of at most 1 GiB, lines of at
    // most 1 MiB (never a device, a FIFO or an endless line).
    BoundedLineReader in(e_.points_file, {.max_bytes = max_points_file_bytes, .what = "a CSV file"}, max_line_bytes);
    if (!in.is_open()) {
      r_.sink.error(r_.points_file_where, "design.file", in.problem());
      return;
    }
    std::string line;
    while (in.next(line))
      if (!read_line(line)) return;
    if (!in.problem().empty())
      r_.sink.error(at(line_number_ + 1), "", in.problem());
    else if (header_.empty())
      r_.sink.error(at(1), "", "expected a header row, found an empty file");
  }

 private:
  SourceLocation at(std::size_t line) const { return SourceLocation{origin_, int(line), 1}; }

  /// One line: the header or a point. False when reading must stop.
  bool read_line(std::string& line) {
    ++line_number_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return true;
    const auto fields = parse_csv_record(line);
    if (!fields) {
      r_.sink.error(at(line_number_), "", "expected a CSV record, found a quote that is not closed or text after it");
      return false;
    }
    return header_.empty() ? read_header(*fields) : read_point(*fields);
  }

  bool read_header(const std::vector<std::string>& header) {
    header_ = header;
    point_column_ = !header_.empty() && header_[0] == "point";
    for (std::size_t c = point_column_ ? 1 : 0; c < header_.size(); ++c) {
      if (!is_parameter_path(header_[c])) {
        r_.sink.error(at(line_number_), "",
                      "expected a parameter path as column name, found " + quoted_excerpt(header_[c]));
        return false;
      }
      if (header_[c] == "name") {
        r_.sink.error(at(line_number_), "name", std::string(uncertain_name_message));
        return false;
      }
      if (!declared_) add_column(header_[c]);
    }
    return match_columns();
  }

  /// A column of a file that declares no uncertainties: its values as given.
  void add_column(const std::string& path) {
    Uncertainty u;
    u.path = path;
    u.description = "values from " + e_.points_file.filename().string();
    e_.uncertainties.push_back(std::move(u));
    r_.uncertainty_where.push_back(at(line_number_));
    r_.label_where.emplace_back();
  }

  /// Each uncertainty's column, and no other.
  bool match_columns() {
    for (const auto& u : e_.uncertainties) {
      const auto it = std::find(header_.begin(), header_.end(), u.path);
      if (it == header_.end()) {
        r_.sink.error(at(line_number_), "", "expected a column for the uncertainty " + u.path + ", found none");
        return false;
      }
      column_of_.push_back(std::size_t(it - header_.begin()));
    }
    if (header_.size() == column_of_.size() + (point_column_ ? 1 : 0)) return true;
    r_.sink.error(
        at(line_number_), "",
        "expected only the uncertainties' columns (and `point`), found " + std::to_string(header_.size()) + " columns");
    return false;
  }

  bool read_point(const std::vector<std::string>& fields) {
    if (fields.size() != header_.size()) {
      r_.sink.error(at(line_number_), "",
                    "expected " + std::to_string(header_.size()) + " fields, found " + std::to_string(fields.size()));
      return true;
    }
    if (e_.point_texts.size() >= max_design_points) {
      r_.sink.error(at(line_number_), "",
                    "expected at most " + grouped(max_design_points) + " design points, found more");
      return false;
    }
    const std::string number = std::to_string(e_.point_texts.size() + 1);
    if (point_column_ && fields[0] != number) {
      r_.sink.error(at(line_number_), "point", "expected point " + number + ", found " + quoted_excerpt(fields[0]));
      return true;
    }
    std::vector<std::string> texts;
    for (std::size_t d = 0; d < e_.uncertainties.size(); ++d) {
      texts.push_back(fields[column_of_[d]]);
      check_value(d, texts.back());
    }
    e_.point_texts.push_back(std::move(texts));
    return true;
  }

  /// With declared uncertainties, a value must be one of theirs.
  void check_value(std::size_t d, const std::string& text) {
    const auto& u = e_.uncertainties[d];
    if (!declared_) return;
    const auto value = finite_number(text);
    const bool valid = !u.labels.empty()
                           ? lookups_[d].of_text(text).has_value()
                           : value && *value >= u.distribution.min_value() && *value <= u.distribution.max_value() &&
                                 !(u.integer && std::floor(*value) != *value);
    if (!valid)
      r_.sink.error(at(line_number_), u.path,
                    "expected a value of the uncertainty (" + u.description + "), found " + quoted_excerpt(text));
  }

  Reader& r_;
  Experiment& e_;
  std::shared_ptr<const std::string> origin_;
  bool declared_;  // the file lists uncertainties: the columns are theirs
  std::vector<LabelLookup> lookups_;
  std::vector<std::string> header_;
  std::vector<std::size_t> column_of_;  // per uncertainty: its CSV column
  bool point_column_ = false;
  std::size_t line_number_ = 0;
};

}  // namespace

void read_points_file(Reader& r) { PointsFile(r).read(); }

}  // namespace readmit::experiment_file
