#include "readmit/io/monthly_store.hpp"

#include <stdexcept>

namespace readmit {

MonthlyStore::MonthlyStore(const std::filesystem::path& directory, std::size_t months, std::size_t partners,
                           std::size_t columns)
    : file_(directory, "monthly values"), months_(months), partners_(partners), columns_(columns) {}

void MonthlyStore::append(const MonthlySeries& series) {
  if (series.months() != months_ || series.partners() != partners_ || series.columns() != columns_) {
    throw std::invalid_argument("MonthlyStore::append: series shape differs from the store's");
  }
  const std::size_t bytes = months_ * month_size() * sizeof(double);
  // MonthlySeries exposes values one at a time; copy them in storage order.
  buffer_.resize(months_ * month_size());
  std::size_t i = 0;
  for (std::size_t t = 0; t < months_; ++t)
    for (std::size_t k = 0; k < partners_; ++k)
      for (std::size_t c = 0; c < columns_; ++c) buffer_[i++] = series.at(t, k, c);
  file_.write_at(buffer_.data(), bytes, replications_ * bytes);
  ++replications_;
}

void MonthlyStore::read_months(std::size_t first_month, std::size_t month_count, std::vector<double>& out) const {
  if (first_month + month_count > months_) throw std::out_of_range("MonthlyStore::read_months: past the last month");
  const std::size_t record = months_ * month_size() * sizeof(double);
  const std::size_t count = month_count * month_size();
  out.resize(replications_ * count);
  for (std::size_t r = 0; r < replications_; ++r)
    file_.read_at(out.data() + r * count, count * sizeof(double),
                  r * record + first_month * month_size() * sizeof(double));
}

void MonthlyStore::gather(const std::vector<double>& block, std::size_t month_count, std::size_t t, std::size_t slot,
                          std::size_t column, std::vector<double>& sample) const {
  sample.resize(replications_);
  for (std::size_t r = 0; r < replications_; ++r) {
    const double* month_values = block.data() + (r * month_count + t) * month_size();
    if (slot < partners_) {
      sample[r] = month_values[slot * columns_ + column];
    } else {
      double sum = 0;  // partner order: the same bits every time
      for (std::size_t k = 0; k < partners_; ++k) sum += month_values[k * columns_ + column];
      sample[r] = sum;
    }
  }
}

void MonthlyStore::read_replication(std::size_t replication, std::vector<double>& out) const {
  if (replication >= replications_) throw std::out_of_range("MonthlyStore::read_replication: no such replication");
  const std::size_t count = months_ * month_size();
  out.resize(count);
  file_.read_at(out.data(), count * sizeof(double), replication * count * sizeof(double));
}

}  // namespace readmit
