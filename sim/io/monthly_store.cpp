#include "readmit/io/monthly_store.hpp"

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "readmit/io/atomic_file.hpp"

namespace readmit {

namespace {

std::string describe_errno(int error_number) { return std::generic_category().message(error_number); }

}  // namespace

MonthlyStore::MonthlyStore(const std::filesystem::path& directory, std::size_t months, std::size_t partners,
                           std::size_t columns)
    : directory_(directory), months_(months), partners_(partners), columns_(columns) {
  std::string name = (directory / ".readmit-monthly.XXXXXX").string();
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) {
    throw IoError("cannot write in '" + directory.string() +
                  "': cannot create a temporary file: " + describe_errno(errno));
  }
  ::unlink(name.c_str());
}

MonthlyStore::~MonthlyStore() {
  if (fd_ >= 0) ::close(fd_);
}

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
  const auto* data = reinterpret_cast<const char*>(buffer_.data());
  auto offset = off_t(replications_ * bytes);
  std::size_t written = 0;
  while (written < bytes) {
    const ssize_t n = ::pwrite(fd_, data + written, bytes - written, offset + off_t(written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw IoError("cannot write the temporary monthly values in '" + directory_.string() +
                    "': " + describe_errno(n < 0 ? errno : ENOSPC));
    }
    written += std::size_t(n);
  }
  ++replications_;
}

void MonthlyStore::read_exactly(void* data, std::size_t bytes, std::size_t offset) const {
  auto* bytes_out = static_cast<char*>(data);
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::pread(fd_, bytes_out + done, bytes - done, off_t(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw IoError("cannot read the temporary monthly values in '" + directory_.string() +
                    "': " + (n < 0 ? describe_errno(errno) : std::string("file shorter than expected")));
    }
    done += std::size_t(n);
  }
}

void MonthlyStore::read_months(std::size_t first_month, std::size_t month_count, std::vector<double>& out) const {
  if (first_month + month_count > months_) throw std::out_of_range("MonthlyStore::read_months: past the last month");
  const std::size_t record = months_ * month_size() * sizeof(double);
  const std::size_t count = month_count * month_size();
  out.resize(replications_ * count);
  for (std::size_t r = 0; r < replications_; ++r)
    read_exactly(out.data() + r * count, count * sizeof(double),
                 r * record + first_month * month_size() * sizeof(double));
}

void MonthlyStore::read_replication(std::size_t replication, std::vector<double>& out) const {
  if (replication >= replications_) throw std::out_of_range("MonthlyStore::read_replication: no such replication");
  const std::size_t count = months_ * month_size();
  out.resize(count);
  read_exactly(out.data(), count * sizeof(double), replication * count * sizeof(double));
}

}  // namespace readmit
