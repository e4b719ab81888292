#include "readmit/io/csv.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using readmit::csv_field;
using readmit::CsvWriter;

TEST_CASE("csv_field quotes only when RFC 4180 requires it", "[io][csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field(" padded ") == " padded ");
  CHECK(csv_field("semi;colon") == "semi;colon");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("\"") == "\"\"\"\"");
  CHECK(csv_field("line\nbreak") == "\"line\nbreak\"");
  // A carriage return could hide a line's start on a terminal: written as \x0D (safe_text).
  CHECK(csv_field("carriage\rreturn") == "carriage\\x0Dreturn");
  CHECK(csv_field("all,\"of\"\r\nthem") == "\"all,\"\"of\"\"\\x0D\nthem\"");
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

TEST_CASE("CsvWriter::write_numbers writes a repeated number as if formatted again", "[io][csv]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> row = {1, 111, nan, 111, 111, 0.1 + 0.2, 0.1 + 0.2, 0.3, -0.0, 0.0, nan, nan, 2.5e-300};
  std::string expected = "p,";
  for (std::size_t i = 0; i < row.size(); ++i) {
    std::ostringstream one;
    CsvWriter(one).write_values(row[i]);
    expected += one.str().substr(0, one.str().size() - 1) + (i + 1 < row.size() ? "," : "\n");
  }
  std::string text;
  {
    CsvWriter writer(text);
    for (int repeat = 0; repeat < 3; ++repeat) writer.write_numbers("p,", row);
  }
  CHECK(text == expected + expected + expected);
  CHECK(expected == "p,1,111,NA,111,111,0.30000000000000004,0.30000000000000004,0.3,-0,0,NA,NA,2.5e-300\n");
}

TEST_CASE("parse_csv_record reads back what CsvWriter writes", "[io][csv]") {
  using readmit::parse_csv_record;
  const std::vector<std::string> fields{"plain", "", "a,b", "say \"hi\"", " padded ", "\""};
  std::ostringstream out;
  CsvWriter(out).write_row(fields);
  std::string line = out.str();
  line.pop_back();  // the '\n'
  CHECK(parse_csv_record(line) == fields);
  CHECK(parse_csv_record("") == std::vector<std::string>{""});
  CHECK(parse_csv_record("a,") == std::vector<std::string>{"a", ""});
  CHECK_FALSE(parse_csv_record("\"open").has_value());
  CHECK_FALSE(parse_csv_record("\"closed\"x,b").has_value());
}

TEST_CASE("parse_csv_number reads the numbers format_number writes", "[io][csv]") {
  using readmit::parse_csv_number;
  for (const double value : {0.1, -2.5, 1e300, 119.24999999999999, 3.0})
    CHECK(parse_csv_number(readmit::format_number(value)) == value);
  CHECK(std::isnan(*parse_csv_number("NA")));
  CHECK(*parse_csv_number("Inf") == std::numeric_limits<double>::infinity());
  CHECK(*parse_csv_number("-Inf") == -std::numeric_limits<double>::infinity());
  for (const char* bad : {"", "abc", "1.5x", "nan", "inf", " 1"}) CHECK_FALSE(parse_csv_number(bad).has_value());
}

// Issue #21, defect 16: free text reaches no spreadsheet as a formula and no
// terminal as a control sequence.
TEST_CASE("free text is neutralised for spreadsheets and terminals", "[io][csv]") {
  using readmit::safe_text;
  CHECK(safe_text("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")");
  CHECK(safe_text("+1+cmd") == "'+1+cmd");
  CHECK(safe_text("-2+3") == "'-2+3");
  CHECK(safe_text("@SUM(A1)") == "'@SUM(A1)");
  // Numbers (and readmit's own words) are left alone.
  CHECK(safe_text("-0.25") == "-0.25");
  CHECK(safe_text("-Inf") == "-Inf");
  CHECK(safe_text("NA") == "NA");
  CHECK(safe_text("sanction step 2 by review") == "sanction step 2 by review");
  CHECK(safe_text("caf\xc3\xa9 \xc2\xa0") == "caf\xc3\xa9 \xc2\xa0");  // no C1 control: unchanged
  // Escape sequences, bells, carriage returns and C1 controls become visible text.
  CHECK(safe_text("clear \x1b[2J bell\x07 cr\r csi\xc2\x9b") == "clear \\x1B[2J bell\\x07 cr\\x0D csi\\u009B");
  CHECK(safe_text("tab\tand\nline") == "tab\tand\nline");
  std::string row;
  {
    readmit::CsvWriter writer(row);
    writer.write_values("=cmd", -1.5, "\x1b]0;x\x07");
  }
  CHECK(row == "'=cmd,-1.5,\\x1B]0;x\\x07\n");
}
