#include "readmit/util/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <catch2/catch.hpp>

using namespace readmit;

TEST_CASE("split keeps empty parts between separators", "[util][text]") {
  CHECK(split("a.b.c", '.') == std::vector<std::string_view>{"a", "b", "c"});
  CHECK(split("", '.') == std::vector<std::string_view>{""});
  CHECK(split("a..b.", '.') == std::vector<std::string_view>{"a", "", "b", ""});
  CHECK(split("x|y", '|') == std::vector<std::string_view>{"x", "y"});
}

TEST_CASE("edit_distance counts insertions, deletions and substitutions", "[util][text]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("docket_at_strat", "docket_at_start") == 2);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("us_243", "us_243d") == 1);
}

TEST_CASE("unknown names suggest the closest candidate, or list short candidate lists", "[util][text]") {
  const std::vector<std::string_view> keys{"detention_beds", "release_prob", "raid_size"};
  CHECK(closest_match("detention_bedz", keys) == std::optional<std::string_view>("detention_beds"));
  CHECK_FALSE(closest_match("zzzzzzzzzzzz", keys).has_value());
  CHECK(unknown_name_message("unknown key", "raid_sise", keys) ==
        "unknown key \"raid_sise\"; did you mean \"raid_size\"?");
  CHECK(unknown_name_message("unknown key", "qqqqqqqq", keys) ==
        "unknown key \"qqqqqqqq\"; expected one of: detention_beds, release_prob, raid_size");
  CHECK(unknown_name_message("unknown parameter", "p", keys, " of a gamma distribution") ==
        "unknown parameter \"p\" of a gamma distribution; expected one of: detention_beds, release_prob, raid_size");
  const std::vector<std::string_view> many(17, "candidate");
  CHECK(unknown_name_message("unknown key", "qqqqqqqq", many) == "unknown key \"qqqqqqqq\"");
}

TEST_CASE("format_number writes doubles in shortest round-trip form", "[util][text]") {
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

TEST_CASE("format_number writes NaN and infinities as R does", "[util][text]") {
  CHECK(format_number(std::numeric_limits<double>::quiet_NaN()) == "NA");
  CHECK(format_number(-std::numeric_limits<double>::quiet_NaN()) == "NA");
  CHECK(format_number(std::numeric_limits<double>::infinity()) == "Inf");
  CHECK(format_number(-std::numeric_limits<double>::infinity()) == "-Inf");
}

TEST_CASE("format_number writes integers as plain digits", "[util][text]") {
  CHECK(format_number(0) == "0");
  CHECK(format_number(-42) == "-42");
  CHECK(format_number(std::size_t{1000000}) == "1000000");
  CHECK(format_number(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
  CHECK(format_number(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
}

TEST_CASE("format_number output parses back to the same double", "[util][text]") {
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
