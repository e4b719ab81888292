#pragma once
// Per-replication monthly values kept on disk while an ensemble runs, so that
// per-month quantiles can be computed at the end without holding every
// replication in memory.
#include <cstddef>
#include <filesystem>
#include <vector>

#include "readmit/io/temporary_file.hpp"
#include "readmit/model/metrics.hpp"

namespace readmit {

/// An append-only file of MonthlySeries records, one per replication, all
/// of the same shape, read back a range of months at a time.
///
/// The file is created in `directory` and unlinked at once: it has no name,
/// so nothing is left behind however the process ends, and its space is
/// freed when the store is destroyed. Values are stored as doubles (8 bytes
/// each: months x partners x columns x 8 bytes per replication), so
/// statistics read back are exactly those of the simulated values.
class MonthlyStore {
 public:
  /// Throws IoError naming `directory` if the file cannot be created.
  MonthlyStore(const std::filesystem::path& directory, std::size_t months, std::size_t partners, std::size_t columns);

  /// Appends one replication. Throws IoError on a failed write and
  /// std::invalid_argument if the series has another shape.
  void append(const MonthlySeries& series);

  std::size_t replications() const { return replications_; }
  std::size_t months() const { return months_; }
  std::size_t partners() const { return partners_; }
  std::size_t columns() const { return columns_; }
  /// Values of one month of one replication: partners() x columns().
  std::size_t month_size() const { return partners_ * columns_; }

  /// Reads months [first_month, first_month + month_count) of every
  /// replication into `out`, laid out
  /// out[((replication * month_count) + (month - first_month)) * month_size() + partner * columns() + column].
  /// Throws IoError on a failed read.
  void read_months(std::size_t first_month, std::size_t month_count, std::vector<double>& out) const;

  /// From `block`, as read_months gave it for `month_count` months, the
  /// value of month `t` of the block, partner `slot` (or the sum over
  /// partners, in partner order, when slot == partners()) and `column`, in
  /// every replication: one sample over replications, into `sample`.
  void gather(const std::vector<double>& block, std::size_t month_count, std::size_t t, std::size_t slot,
              std::size_t column, std::vector<double>& sample) const;

  /// Reads every month of one replication into `out`, laid out
  /// out[month * month_size() + partner * columns() + column].
  /// Throws IoError on a failed read.
  void read_replication(std::size_t replication, std::vector<double>& out) const;

 private:
  TemporaryFile file_;
  std::size_t months_, partners_, columns_;
  std::size_t replications_ = 0;
  std::vector<double> buffer_;
};

}  // namespace readmit
