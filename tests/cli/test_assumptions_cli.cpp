// Values declared with their range (issue #19): how files declare, merge and
// show them, what is refused, and what `compare --assumptions` and
// `--uncertainty assumptions` write.
#include <catch2/catch.hpp>

#include "cli_runner.hpp"
#include "scenario/scenario_test_support.hpp"

namespace fs = std::filesystem;
using readmit::test::contains;
using readmit::test::read_text;
using readmit::test::run_readmit;
using readmit::test::TempDir;

namespace {

const std::string minimal = readmit::test::valid_file("minimal.yaml").string();

/// A base declaring two ranges, above minimal.yaml.
fs::path ranged_base(TempDir& work) {
  return work.write("base.yaml",
                    "extends: " + minimal +
                        "\nname: base\nhorizon_months: 12\nreplications: 6\npartners:\n  alpha:\n"
                        "    population:\n      inflow_per_month: 20\n"
                        "    agreement:\n"
                        "      acceptance_base_prob: {value: 0.8, range: [0.2, 1], reason: what it accepts}\n"
                        "      document_officers: {value: 50, range: [1, 80], origin: fitted, reason: fit}\n");
}

}  // namespace

TEST_CASE("a value declared with its range merges, shows and warns as the files say", "[cli][assumptions]") {
  TempDir work;
  const auto base = ranged_base(work);
  const std::string b = base.string();
  // A plain value over a declaration keeps the range; `range: none` replaces it whole.
  const auto derived =
      work.write("derived.yaml",
                 "extends: base.yaml\nname: derived\npartners:\n  alpha:\n    agreement:\n"
                 "      acceptance_base_prob: 0.5\n"
                 "      document_officers: {value: 500, range: none, reason: the alternative's own}\n");
  const auto shown = run_readmit({"show", derived.string(), "--origin"});
  REQUIRE(shown.code == 0);
  const std::string d = derived.string();
  CHECK(contains(shown.out, "\npartners.alpha.agreement.acceptance_base_prob: 0.5  # " + d +
                                ":6:29; assumed in [0.2, 1] (" + b + ":10:49): what it accepts\n"));
  CHECK(contains(shown.out, "\npartners.alpha.agreement.document_officers: 500  # " + d +
                                ":7:34; assumed, this scenario's own value, no range (" + d +
                                ":7:46): the alternative's own\n"));
  CHECK(shown.err.empty());
  // A value outside the range it keeps warns, located.
  const auto outside = run_readmit({"validate", b, "--set", "partners.alpha.agreement.acceptance_base_prob=0.1"});
  CHECK(outside.code == 0);
  CHECK(contains(outside.err,
                 "warning: partners.alpha.agreement.acceptance_base_prob: lies outside its declared "
                 "range [0.2, 1] (" +
                     b + ":10:49)"));
  // What is refused, each located at the key.
  const std::pair<std::string, std::string> bad[] = {
      {"{value: 0.5, range: [0.9, 0.2], reason: r}", "found LOW above HIGH"},
      {"{value: 0.5, range: [0, 2], reason: r}", "expected [LOW, HIGH]: two numbers in [0, 1]"},
      {"{value: 0.5, range: [0, 1]}", "acceptance_base_prob.reason: expected why the range is plausible"},
      {"{value: 0.5, range: [0, 1], reason: r, origni: fitted}", "unknown key \"origni\""},
      {"{value: 0.5, range: [0, 1], reason: r, origin: guessed}", "unknown origin \"guessed\""},
      {"{value: 0.5, reason: r}", "acceptance_base_prob.range: expected [LOW, HIGH]"},
  };
  for (const auto& [text, message] : bad) {
    INFO(text);
    const auto file = work.write("bad.yaml", "extends: " + minimal +
                                                 "\nname: bad\npartners:\n  alpha:\n    agreement:\n"
                                                 "      acceptance_base_prob: " +
                                                 text + "\n");
    const auto r = run_readmit({"validate", file.string()});
    CHECK(r.code == 2);
    CHECK(contains(r.err, file.string() + ":6:"));
    CHECK(contains(r.err, message));
  }
}

TEST_CASE("compare --assumptions flags every headline difference and writes its tables", "[cli][assumptions]") {
  TempDir work;
  const auto base = ranged_base(work);
  const auto fewer = work.write("fewer.yaml",
                                "extends: base.yaml\nname: fewer\npartners:\n  alpha:\n"
                                "    population:\n      inflow_per_month: 5\n");
  const auto out = work.path() / "out";
  const auto r =
      run_readmit({"compare", base.string(), fewer.string(), "--assumptions", "-t", "2", "--out", out.string()});
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "what each difference rests on: 2 declared ranges of base, each at both ends"));
  CHECK(contains(r.out, "  fewer - base, all partners:\n"));
  CHECK(contains(r.out, "    months_under_sanction "));
  CHECK(contains(r.out, "fixed: zero in both in every replication"));
  const std::string assumptions = read_text(out / "assumptions.csv");
  CHECK(assumptions.rfind("alternative,baseline,metric,partner,parameter,origin,low,high,difference_at_low,", 0) == 0);
  CHECK(contains(assumptions, "\nfewer,base,removals,all,partners.alpha.agreement.document_officers,fitted,1,80,"));
  const std::string robustness = read_text(out / "robustness.csv");
  CHECK(contains(robustness, "\nfewer,base,months_under_sanction,all,0,"));
  CHECK(contains(robustness, ",fixed,,,zero in both in every replication\n"));
  // What the tables rest on, and that they are the command's files, in metadata.json (the report says it).
  const std::string metadata = read_text(out / "metadata.json");
  CHECK(contains(metadata, "\"assumptions\": {\n    \"ranges\": 2,\n    \"replications\": 6\n  },"));
  CHECK(contains(metadata, "\"assumptions.csv\",\n    \"robustness.csv\",\n    \"metadata.json\"\n"));
  CHECK_FALSE(contains(metadata, "\"uncertainty\""));
  // A plain compare into the same folder no longer lists them.
  REQUIRE(run_readmit({"compare", base.string(), fewer.string(), "-t", "2", "--out", out.string()}).code == 0);
  CHECK_FALSE(fs::exists(out / "assumptions.csv"));
  // Nothing to move, or nothing to compare: refused before anything runs.
  const auto plain = work.write("plain.yaml", "extends: " + minimal + "\nname: plain\n");
  const auto other = work.write("other.yaml", "extends: " + minimal + "\nname: other\n");
  const auto none = run_readmit(
      {"compare", plain.string(), other.string(), "--assumptions", "--out", (work.path() / "none").string()});
  CHECK(none.code == 2);
  CHECK(contains(none.err, "declares no range ({value, range, reason}); there is nothing to move"));
  CHECK_FALSE(fs::exists(work.path() / "none"));
  const auto alone = run_readmit({"run", base.string(), "--assumptions"});
  CHECK(alone.code == 2);
}

TEST_CASE("--uncertainty assumptions draws the ranges and splits each total's variance", "[cli][assumptions]") {
  TempDir work;
  const auto base = ranged_base(work);
  const auto one = work.path() / "one", two = work.path() / "two";
  REQUIRE(run_readmit({"run", base.string(), "--uncertainty", "assumptions", "-t", "1", "--out", one.string()}).code ==
          0);
  const auto r = run_readmit({"run", base.string(), "--uncertainty", "assumptions", "-t", "2", "--out", two.string()});
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "base: variance of each total across replications, from the declared ranges and from chance"));
  CHECK(contains(r.out, "% ranges, "));
  CHECK(read_text(one / "replications.csv") == read_text(two / "replications.csv"));
  CHECK(read_text(two / "variance.csv")
            .rfind("scenario,partner,metric,replications,variance,chance_variance,assumption_share\n", 0) == 0);
  const std::string metadata = read_text(two / "metadata.json");
  CHECK(contains(metadata, "\"uncertainty\": \"assumptions\",\n"));
  CHECK(contains(metadata, "\"variance.csv\",\n    \"metadata.json\"\n"));
  // The draws move the totals: not the run at the declared values.
  const auto fixed = work.path() / "fixed";
  REQUIRE(run_readmit({"run", base.string(), "-t", "2", "--out", fixed.string()}).code == 0);
  CHECK(read_text(fixed / "replications.csv") != read_text(two / "replications.csv"));
  const auto plain = work.write("plain.yaml", "extends: " + minimal + "\nname: plain\n");
  const auto refused = run_readmit({"run", plain.string(), "--uncertainty", "assumptions"});
  CHECK(refused.code == 2);
  CHECK(contains(refused.err, "declares no range ({value, range, reason}); there is nothing to draw"));
}
