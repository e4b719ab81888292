// Output files: plain or gzip, in blocks; CsvWriter's three destinations.
#include <catch2/catch.hpp>

#include <zlib.h>
#include <cmath>
#include <limits>

#include "readmit/io/csv.hpp"
#include "readmit/io/output_file.hpp"
#include "scenario/scenario_test_support.hpp"

using namespace readmit;
using readmit::test::read_text;
using readmit::test::TempDir;

namespace {

std::string gunzip(const std::string& compressed) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[1 << 16];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    REQUIRE((status == Z_OK || status == Z_STREAM_END));
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  return out;
}

/// Rows of several MiB, so that CsvWriter writes several blocks.
void write_rows(CsvWriter& csv) {
  csv.write_row({"label", "count", "share"});
  for (int i = 0; i < 200000; ++i) csv.write_values("row, with a comma", i, double(i) / 7.0);
}

}  // namespace

TEST_CASE("an output file holds exactly the rows written to it, plain or gzip", "[io][output]") {
  TempDir dir;
  std::string expected;
  {
    CsvWriter csv(expected);
    write_rows(csv);
  }
  REQUIRE(expected.size() > 4 * (std::size_t{1} << 20));
  for (const bool gzip : {false, true}) {
    OutputFile file(dir.path() / "rows.csv", gzip);
    CHECK(file.path() == dir.path() / (gzip ? "rows.csv.gz" : "rows.csv"));
    {
      CsvWriter csv(file);
      write_rows(csv);
    }
    CHECK_FALSE(std::filesystem::exists(file.path()));  // nothing under the final name before commit
    file.commit();
    const std::string on_disk = read_text(file.path());
    if (gzip) {
      CHECK(on_disk.size() < expected.size() / 4);
      CHECK(gunzip(on_disk) == expected);
    } else {
      CHECK(on_disk == expected);
    }
  }
}

TEST_CASE("CsvWriter writes numbers as format_number does, and quotes text only when needed", "[io][csv]") {
  std::string out;
  CsvWriter csv(out);
  csv.write_values("plain", "a,b", std::string("say \"hi\""), -0.0, 0.1 + 0.2, 1e300, std::int64_t{-42},
                   std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity());
  csv.write_raw("x,1\n");
  CHECK(out == "plain,\"a,b\",\"say \"\"hi\"\"\",-0,0.30000000000000004,1e+300,-42,NA,Inf\nx,1\n");
}
