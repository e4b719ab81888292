#include "readmit/io/csv.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <catch2/catch.hpp>

using readmit::csv_field;
using readmit::CsvWriter;
using readmit::format_number;

TEST_CASE("csv_field quotes only when RFC 4180 requires it", "[io][csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field(" padded ") == " padded ");
  CHECK(csv_field("semi;colon") == "semi;colon");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("\"") == "\"\"\"\"");
  CHECK(csv_field("line\nbreak") == "\"line\nbreak\"");
  CHECK(csv_field("carriage\rreturn") == "\"carriage\rreturn\"");
  CHECK(csv_field("all,\"of\"\r\nthem") == "\"all,\"\"of\"\"\r\nthem\"");
}

TEST_CASE("CsvWriter writes rows from string lists", "[io][csv]") {
  std::ostringstream out;
  CsvWriter writer(out);

  writer.write_row({"run", "arm", "note"});
  writer.write_row(std::vector<std::string>{"1", "baseline", "ok, fine"});
  writer.write_row({"2", "", "\"quoted\""});

  CHECK(out.str() ==
        "run,arm,note\n"
        "1,baseline,\"ok, fine\"\n"
        "2,,\"\"\"quoted\"\"\"\n");
}

TEST_CASE("CsvWriter::write_values formats numbers reproducibly", "[io][csv]") {
  std::ostringstream out;
  CsvWriter writer(out);

  writer.write_values("arm,a", std::string("b"), 3, -7LL, std::uint64_t{18446744073709551615ULL}, 0.25,
                      std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::infinity());
  writer.write_values();

  CHECK(out.str() == "\"arm,a\",b,3,-7,18446744073709551615,0.25,NA,-Inf\n\n");
}

TEST_CASE("format_number writes doubles in shortest round-trip form", "[io][csv]") {
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(0.0) == "0");
  CHECK(format_number(-0.0) == "-0");  // sign kept so the value round-trips
  CHECK(format_number(2.0) == "2");
  CHECK(format_number(-1.5) == "-1.5");
  CHECK(format_number(1.0 / 3.0) == "0.3333333333333333");
  CHECK(format_number(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format_number(123456.0) == "123456");
  CHECK(format_number(1e300) == "1e+300");
  CHECK(format_number(1e21) == "1e+21");
  CHECK(format_number(1e-7) == "1e-07");
  CHECK(format_number(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
  CHECK(format_number(std::numeric_limits<double>::denorm_min()) == "5e-324");
  CHECK(format_number(-std::numeric_limits<double>::min()) == "-2.2250738585072014e-308");
}

TEST_CASE("format_number writes NaN and infinities as R does", "[io][csv]") {
  CHECK(format_number(std::numeric_limits<double>::quiet_NaN()) == "NA");
  CHECK(format_number(-std::numeric_limits<double>::quiet_NaN()) == "NA");
  CHECK(format_number(std::numeric_limits<double>::infinity()) == "Inf");
  CHECK(format_number(-std::numeric_limits<double>::infinity()) == "-Inf");
}

TEST_CASE("format_number writes integers as plain digits", "[io][csv]") {
  CHECK(format_number(0) == "0");
  CHECK(format_number(-42) == "-42");
  CHECK(format_number(std::size_t{1000000}) == "1000000");
  CHECK(format_number(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
  CHECK(format_number(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
}

TEST_CASE("format_number output parses back to the same double", "[io][csv]") {
  boost::random::mt19937 generator(20240601u);
  boost::random::uniform_int_distribution<std::uint64_t> any_bits;
  int checked = 0;
  for (int i = 0; i < 100000; ++i) {
    const auto bits = any_bits(generator);
    double value = 0.0;
    static_assert(sizeof(bits) == sizeof(value));
    std::memcpy(&value, &bits, sizeof(value));
    if (!std::isfinite(value)) {
      continue;
    }
    const std::string text = format_number(value);
    double parsed = 0.0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), parsed);
    REQUIRE(result.ec == std::errc{});
    REQUIRE(result.ptr == text.data() + text.size());
    REQUIRE(std::memcmp(&parsed, &value, sizeof(value)) == 0);
    ++checked;
  }
  CHECK(checked > 99000);
}
