// How fast results are written: rows of timeseries.csv's shape (names and
// ten statistics) through CsvWriter into a file, plain and gzip. The target
// is at least 300 MB/s plain on the benchmark machine (bench/README.md).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "readmit/io/csv.hpp"
#include "readmit/io/output_file.hpp"

namespace {

/// Rows of timeseries.csv's shape, with numbers of full precision (the
/// writer's hardest case: every digit formatted).
void write_rows(readmit::CsvWriter& csv, int rows) {
  for (int i = 0; i < rows; ++i) {
    const double x = 1000.0 + double(i) / 3.0;
    csv.write_values("us_docket", "country_07", "2031-04", "stock_supervised", 200, x, x / 7.0, x * 0.9, x * 0.95, x,
                     x * 1.05, x * 1.1, x - 1.5, x + 1.5);
  }
}

void BM_WriteTimeseriesRows(benchmark::State& state) {
  const bool gzip = state.range(0) != 0;
  const auto path = std::filesystem::temp_directory_path() / "readmit_bench_output.csv";
  constexpr int rows = 200000;
  // Throughput in bytes of CSV text (before compression): the text's size,
  // formatted once outside the timed loop.
  std::string text;
  {
    readmit::CsvWriter csv(text);
    write_rows(csv, rows);
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    readmit::OutputFile file(path, gzip);
    {
      readmit::CsvWriter csv(file);
      write_rows(csv, rows);
    }
    file.commit();
    bytes = std::filesystem::file_size(file.path());
    std::filesystem::remove(file.path());
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(text.size()));
  state.counters["file_bytes"] = double(bytes);
}
BENCHMARK(BM_WriteTimeseriesRows)->Arg(0)->Arg(1)->ArgName("gzip")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
