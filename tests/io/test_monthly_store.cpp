// MonthlyStore: per-replication monthly values on disk, read back by months;
// the TemporaryFile it (and the event rows) spill into.
#include "readmit/io/monthly_store.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "readmit/io/atomic_file.hpp"
#include "readmit/io/temporary_file.hpp"
#include "scenario/scenario_test_support.hpp"

using readmit::MonthlySeries;
using readmit::MonthlyStore;
using readmit::test::TempDir;

namespace {

/// A recognizable value for each (replication, month, partner, column).
double value_of(std::size_t r, std::size_t t, std::size_t k, std::size_t c) {
  return double(r) * 1e6 + double(t) * 1e3 + double(k) * 100 + double(c) + 0.25;
}

MonthlySeries series(std::size_t r, std::size_t months, std::size_t partners, std::size_t columns) {
  MonthlySeries s(months, partners, columns);
  for (std::size_t t = 0; t < months; ++t)
    for (std::size_t k = 0; k < partners; ++k)
      for (std::size_t c = 0; c < columns; ++c) s.at(t, k, c) = value_of(r, t, k, c);
  return s;
}

}  // namespace

TEST_CASE("MonthlyStore gives back every value, by block of months and by replication", "[io][store]") {
  TempDir dir;
  constexpr std::size_t months = 7, partners = 2, columns = 3, replications = 5;
  MonthlyStore store(dir.path(), months, partners, columns);
  for (std::size_t r = 0; r < replications; ++r) store.append(series(r, months, partners, columns));
  REQUIRE(store.replications() == replications);
  // The file has no name: nothing is left in the folder.
  CHECK(std::filesystem::is_empty(dir.path()));

  std::vector<double> block;
  for (std::size_t first = 0; first < months; first += 3) {
    const std::size_t count = std::min<std::size_t>(3, months - first);
    store.read_months(first, count, block);
    REQUIRE(block.size() == replications * count * partners * columns);
    for (std::size_t r = 0; r < replications; ++r)
      for (std::size_t t = 0; t < count; ++t)
        for (std::size_t k = 0; k < partners; ++k)
          for (std::size_t c = 0; c < columns; ++c)
            REQUIRE(block[((r * count + t) * partners + k) * columns + c] == value_of(r, first + t, k, c));
  }
  std::vector<double> one;
  store.read_replication(3, one);
  REQUIRE(one.size() == months * partners * columns);
  CHECK(one[(4 * partners + 1) * columns + 2] == value_of(3, 4, 1, 2));

  CHECK_THROWS_AS(store.append(MonthlySeries(months, partners, columns + 1)), std::invalid_argument);
  CHECK_THROWS_AS(store.read_months(6, 2, block), std::out_of_range);
  CHECK_THROWS_AS(store.read_replication(5, one), std::out_of_range);
}

TEST_CASE("MonthlyStore in a missing folder throws IoError naming it", "[io][store]") {
  TempDir dir;
  const auto missing = dir.path() / "no" / "such";
  try {
    MonthlyStore store(missing, 1, 1, 1);
    FAIL("no exception");
  } catch (const readmit::IoError& e) {
    CHECK(std::string(e.what()).find(missing.string()) != std::string::npos);
  }
}

TEST_CASE("TemporaryFile gives back what was written, leaves no name and reports short reads", "[io][store]") {
  TempDir dir;
  readmit::TemporaryFile file(dir.path(), "event rows");
  CHECK(std::filesystem::is_empty(dir.path()));  // unlinked at once
  file.append("abc");
  file.append("defgh");
  file.write_at("XY", 2, 1);
  CHECK(file.size() == 8);
  std::string back(8, '\0');
  file.read_at(back.data(), back.size(), 0);
  CHECK(back == "aXYdefgh");
  std::string past(4, '\0');
  CHECK_THROWS_WITH(file.read_at(past.data(), past.size(), 6),
                    Catch::Matchers::Contains("cannot read the temporary event rows in '" + dir.path().string()) &&
                        Catch::Matchers::Contains("shorter than expected"));
}
