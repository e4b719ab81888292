// The hostile inputs of issue #12, one row each: how the input is made, the
// command, and the exact exit code and message. Every row runs the real
// binary in a fresh folder (file names in messages are relative to it) and
// must answer at once: no hang, no crash, nothing written where it should not
// be. Row names say which defect of the issue they check.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>

#include "cli/cli_runner.hpp"
#include "scenario/scenario_test_support.hpp"

namespace fs = std::filesystem;
using namespace std::string_literals;
using readmit::test::TempDir;

namespace {

const std::string base_yaml =
    "name: base\nstart_date: 2020-01-01\nhorizon_months: 12\npartners:\n  alpha:\n    population:\n"
    "      docket_at_start: 10\n";

struct BadInput {
  std::string defect;                              // the item
  std::function<void(const TempDir&)> prepare;     // files in the run's folder (base.yaml is there)
  std::vector<std::string> args;                   // readmit's arguments
  int code;                                        // exit code
  std::string err;                                 // stderr, exactly
  std::function<void(const TempDir&)> check = {};  // what must (not) exist afterwards
};

void write(const TempDir& dir, const std::string& name, const std::string& text) { dir.write(name, text); }

std::function<void(const TempDir&)> scenario(const std::string& name, const std::string& text) {
  return [=](const TempDir& dir) { write(dir, name, text); };
}

const std::string name_expectation =
    "expected a name of letters, digits, '_' or '-', starting with a letter or a digit, at most 64 bytes";

/// Nothing but the inputs: the run wrote no folder anywhere (here or above).
void nothing_written(const TempDir& dir) {
  CHECK_FALSE(fs::exists(dir.path() / "results"));
  CHECK_FALSE(fs::exists(dir.path() / "out"));
  CHECK_FALSE(fs::exists(dir.path().parent_path() / "dir"));
}

std::vector<BadInput> table() {
  std::vector<BadInput> rows;
  // Hostile 1: the output folder from an unchecked scenario name.
  for (const std::string name : {"/abs/dir", "../../..", "..", "\"\"", "a/../../b"}) {
    const std::string shown = name == "\"\"" ? "" : name;
    rows.push_back({"hostile 1: path traversal by scenario name " + name,
                    scenario("named.yaml", "extends: base.yaml\nname: " + name + "\n"),
                    {"run", "named.yaml", "-r", "1"},
                    2,
                    "named.yaml:2:7: error: name: " + name_expectation + ", found \"" + shown + "\"\n",
                    nothing_written});
  }
  // Hostile 2: silent overflow of draws and sums.
  rows.push_back({"hostile 2: visa demand of 1e300",
                  {},
                  {"run", "base.yaml", "-r", "1", "--set", "partners.alpha.visa_demand.b_general=1e300"},
                  2,
                  "command line (--set partners.alpha.visa_demand.b_general=1e300): error: "
                  "partners.alpha.visa_demand.b_general: expected a number in [0, 10000000], found \"1e300\"\n",
                  nothing_written});
  rows.push_back(
      {"hostile 2: a Poisson distribution of mean 1e300",
       {},
       {"validate", "base.yaml", "--set", "partners.alpha.population.children_count={dist: poisson, mean: 1e300}"},
       2,
       "command line (--set partners.alpha.population.children_count={dist: poisson, mean: 1e300}): error: "
       "partners.alpha.population.children_count.mean: expected a number in [-1e9, 1e9], found \"1e300\"\n"
       "base.yaml: 1 error\n"});
  rows.push_back({"hostile 2: inflow beyond its bound",
                  {},
                  {"validate", "base.yaml", "--set", "partners.alpha.population.inflow_per_month=1e7"},
                  2,
                  "command line (--set partners.alpha.population.inflow_per_month=1e7): error: "
                  "partners.alpha.population.inflow_per_month: expected a number in [0, 1000000], found \"1e7\"\n"
                  "base.yaml: 1 error\n"});
  // Hostile 3: included files that are not regular files, or too large.
  rows.push_back({"hostile 3: extends /dev/zero",
                  scenario("zero.yaml", "extends: /dev/zero\n"),
                  {"validate", "zero.yaml"},
                  2,
                  "zero.yaml:1:10: error: extends: expected a YAML file, found a character device: /dev/zero\n"
                  "zero.yaml: 1 error\n"});
  rows.push_back({"hostile 3: amendments /dev/urandom",
                  scenario("random.yaml", "amendments: [/dev/urandom]\n"),
                  {"validate", "random.yaml"},
                  2,
                  "random.yaml:1:14: error: amendments: expected a YAML file, found a character device: /dev/urandom\n"
                  "random.yaml: 1 error\n"});
  rows.push_back({"hostile 3: a FIFO",
                  [](const TempDir& dir) {
                    REQUIRE(::mkfifo((dir.path() / "pipe").c_str(), 0600) == 0);
                    write(dir, "fifo.yaml", "extends: pipe\n");
                  },
                  {"validate", "fifo.yaml"},
                  2,
                  "fifo.yaml:1:10: error: extends: expected a YAML file, found a named pipe (FIFO): pipe\n"
                  "fifo.yaml: 1 error\n"});
  rows.push_back({"hostile 3: a FIFO named on the command line",
                  [](const TempDir& dir) { REQUIRE(::mkfifo((dir.path() / "pipe.yaml").c_str(), 0600) == 0); },
                  {"run", "pipe.yaml"},
                  2,
                  "pipe.yaml: error: expected a YAML file, found a named pipe (FIFO): pipe.yaml\n",
                  nothing_written});
  rows.push_back({"hostile 3: a 1 GB sparse file",
                  [](const TempDir& dir) {
                    fs::resize_file(dir.write("sparse.yaml", ""), std::uintmax_t(1) << 30);
                    write(dir, "big.yaml", "extends: sparse.yaml\n");
                  },
                  {"validate", "big.yaml"},
                  2,
                  "big.yaml:1:10: error: extends: expected a YAML file of at most 16777216 bytes (16 MiB), found "
                  "1073741824 bytes: sparse.yaml\nbig.yaml: 1 error\n"});
  rows.push_back({"hostile 3: a symbolic link loop",
                  [](const TempDir& dir) {
                    fs::create_symlink("loop_b.yaml", dir.path() / "loop_a.yaml");
                    fs::create_symlink("loop_a.yaml", dir.path() / "loop_b.yaml");
                    write(dir, "loop.yaml", "extends: loop_a.yaml\n");
                  },
                  {"validate", "loop.yaml"},
                  2,
                  "loop.yaml:1:10: error: extends: too many levels of symbolic links (a loop?): loop_a.yaml\n"
                  "loop.yaml: 1 error\n"});
  rows.push_back({"hostile 3: a directory",
                  [](const TempDir& dir) { fs::create_directory(dir.path() / "folder"); },
                  {"show", "folder"},
                  2,
                  "folder: error: expected a YAML file, found a directory: folder\n"});
  // Hostile 4: text that is not UTF-8.
  rows.push_back({"hostile 4: invalid UTF-8 in the name",
                  scenario("latin1.yaml", "extends: base.yaml\nname: caf\xe9\n"),
                  {"run", "latin1.yaml", "-r", "1"},
                  2,
                  "latin1.yaml:2:10: error: expected UTF-8 text, found the byte 0xE9 at byte offset 28 (not UTF-8; "
                  "save the file as UTF-8)\n",
                  nothing_written});
  rows.push_back({"hostile 4: UTF-16 with a byte order mark",
                  scenario("utf16.yaml", "\xff\xfen\0a\0m\0e\0:\0 \0x\0\n\0"s),
                  {"validate", "utf16.yaml"},
                  2,
                  "utf16.yaml:1:1: error: expected UTF-8 text, found UTF-16 (byte order mark FF FE); save the file as "
                  "UTF-8\nutf16.yaml: 1 error\n"});
  rows.push_back({"hostile 4: UTF-16 without a byte order mark",
                  scenario("utf16.yaml", "n\0a\0m\0e\0:\0 \0x\0\n\0"s),
                  {"validate", "utf16.yaml"},
                  2,
                  "utf16.yaml:1:1: error: expected UTF-8 text, found UTF-16 without a byte order mark (NUL bytes "
                  "between the characters); save the file as UTF-8\nutf16.yaml: 1 error\n"});
  rows.push_back(
      {"hostile 4: binary data",
       scenario("binary.yaml", "name: x\nseed: 1\0\x01\x02\n"s),
       {"validate", "binary.yaml"},
       2,
       "binary.yaml:2:8: error: expected a YAML text file, found binary data (a NUL byte at byte offset 15)\n"
       "binary.yaml: 1 error\n"});
  rows.push_back(
      {"hostile 4: a terminal escape sequence",
       scenario("escape.yaml", "extends: base.yaml\ndescription: \x1b[2J\n"),
       {"validate", "escape.yaml"},
       2,
       "escape.yaml:2:14: error: expected YAML text, found the control character 0x1B (YAML allows tab, line "
       "feed and carriage return only)\nescape.yaml: 1 error\n"});
  rows.push_back({"hostile 4: invalid UTF-8 in --set",
                  {},
                  {"validate", "base.yaml", "--set", "description=\xff"},
                  2,
                  "command line (--set description=\\xFF): error: expected UTF-8 text, found a byte that is not UTF-8 "
                  "at byte offset 12\nbase.yaml: 1 error\n"});
  // Hostile 5: counts and lengths without limits.
  rows.push_back({"hostile 5: 40,000 partners",
                  [](const TempDir& dir) {
                    std::string text = "name: many\nstart_date: 2020-01-01\npartners:\n";
                    for (int i = 0; i < 40000; ++i)
                      text += "  p" + std::to_string(i) + ": {population: {docket_at_start: 1}}\n";
                    write(dir, "many.yaml", text);
                  },
                  {"validate", "many.yaml"},
                  2,
                  "many.yaml:4:3: error: partners: expected at most 1000 entries, found 40000\nmany.yaml: 1 error\n"});
  rows.push_back({"hostile 5: a partner name of 100 KB",
                  scenario("long.yaml", "extends: base.yaml\npartners:\n  ? " + std::string(100000, 'p') +
                                            "\n  : population: {docket_at_start: 1}\n"),
                  {"validate", "long.yaml"},
                  2,
                  "long.yaml:3:5: error: partners." + std::string(60, 'p') + "...: " + name_expectation + ", found \"" +
                      std::string(60, 'p') + "...\" (100000 bytes)\nlong.yaml: 1 error\n"});
  rows.push_back({"hostile 5: a scenario name of 10 MB",
                  scenario("huge.yaml", "extends: base.yaml\nname: " + std::string(10 << 20, 'n') + "\n"),
                  {"run", "huge.yaml", "-r", "1"},
                  2,
                  "huge.yaml:2:7: error: name: " + name_expectation + ", found \"" + std::string(60, 'n') +
                      "...\" (10485760 bytes)\n",
                  nothing_written});
  rows.push_back({"hostile 5: a timeline note of 1 MB",
                  scenario("note.yaml", "extends: base.yaml\ntimeline:\n  - date: 2020-02-01\n    note: " +
                                            std::string(1 << 20, 'z') + "\n"),
                  {"validate", "note.yaml"},
                  2,
                  "note.yaml:4:11: error: timeline[0].note: expected a text of at most 500 bytes, found \"" +
                      std::string(60, 'z') + "...\" (1048576 bytes)\nnote.yaml: 1 error\n"});
  {
    std::string path = "a";
    for (int i = 0; i < 49999; ++i) path += ".a";  // 100 KB: below the kernel's 128 KiB for one argument
    std::string shown;
    for (int i = 0; i < 100; ++i) shown += "a.";
    rows.push_back({"hostile 5: a --set path of 50,000 parts",
                    {},
                    {"validate", "base.yaml", "--set", path + "=1"},
                    2,
                    "command line (--set " + shown + "...): error: " + shown +
                        "...: expected a key path of at most 64 parts\nbase.yaml: 1 error\n"});
  }
  // Hostile 6: no estimate before work.
  rows.push_back(
      {"hostile 6: about 1.2e9 persons",
       {},
       {"run", "base.yaml", "-r", "1", "-t", "1", "--max-memory", "1G", "--set",
        "partners.alpha.population.inflow_per_month=1000000", "--set", "horizon_months=1200"},
       2,
       "readmit: error: the run needs about 268.9 GB of memory (1200173215 persons a replication x 160 B x 1 "
       "replications at once = 192.0 GB, results and statistics 76.9 GB), more than --max-memory 1.1 GB; use "
       "fewer --threads, fewer replications or a smaller scenario\n",
       nothing_written});
  // Hostile 7: two runs into one folder.
  {
    // This process holds the folder's lock, as a running readmit would.
    auto held = std::make_shared<int>(-1);
    rows.push_back({"hostile 7: a folder held by another run",
                    [held](const TempDir& dir) {
                      fs::create_directories(dir.path() / "out");
                      write(dir, "out/.readmit", "held by the test\n");
                      *held = ::open((dir.path() / "out/.readmit").c_str(), O_RDWR | O_CLOEXEC);
                      REQUIRE(::flock(*held, LOCK_EX | LOCK_NB) == 0);
                    },
                    {"run", "base.yaml", "-r", "1", "--out", "out"},
                    2,
                    "readmit: error: output folder 'out' is in use by another readmit run (held by the test); wait for "
                    "it to finish or choose another --out\n",
                    [held](const TempDir& dir) {
                      ::close(*held);
                      CHECK_FALSE(fs::exists(dir.path() / "out/metadata.json"));
                    }});
  }
  // Hostile 8: values echoed whole, files printed, temporaries left.
  rows.push_back({"hostile 8: a 1 MB scalar in a message",
                  scenario("scalar.yaml", "extends: base.yaml\nhorizon_months: " + std::string(1 << 20, '9') + "\n"),
                  {"validate", "scalar.yaml"},
                  2,
                  "scalar.yaml:2:17: error: horizon_months: expected a whole number in [1, 1200], found \"" +
                      std::string(60, '9') + "...\" (1048576 bytes)\nscalar.yaml: 1 error\n"});
  rows.push_back({"hostile 8: extends a file that is not a scenario (its text is not printed)",
                  [](const TempDir& dir) {
                    write(dir, "passwd",
                          "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n");
                    write(dir, "steal.yaml", "extends: passwd\n");
                  },
                  {"validate", "steal.yaml"},
                  2,
                  "passwd:1:1: error: expected a map of scenario keys at the top level, found a text of 79 bytes\n"
                  "steal.yaml: 1 error\n"});
  rows.push_back({"hostile 8: an unknown key of 1000 characters",
                  scenario("key.yaml", "extends: base.yaml\n" + std::string(1000, 'k') + ": 1\n"),
                  {"validate", "key.yaml"},
                  2,
                  "key.yaml:2:1: error: " + std::string(60, 'k') + "...: unknown key \"" + std::string(60, 'k') +
                      "...\"; expected one of: name, description, start_date, horizon_months, seed, replications, "
                      "removing_state, partners, compliance, sanctions, amendment_rules, negotiation, timeline, "
                      "outcome_windows\n"
                      "key.yaml: 1 error\n"});
  // Issue #21, defect 15: a sweep's or experiment's `scenario:` file and
  // its overlays, missing, not regular files or too large, are named where
  // the sweep or experiment file names them.
  const std::string sweep_of = "replications: 1\ngrid:\n  partners.alpha.population.docket_at_start: [5]\n";
  rows.push_back({"issue 21, 15: a sweep's scenario file is missing",
                  scenario("sweep.yaml", "scenario: missing.yaml\n" + sweep_of),
                  {"sweep", "sweep.yaml", "--out", "out"},
                  2,
                  "sweep.yaml:1:11: error: scenario: file not found: missing.yaml\n",
                  nothing_written});
  rows.push_back({"issue 21, 15: a sweep's scenario file is a FIFO",
                  [sweep_of](const TempDir& dir) {
                    REQUIRE(::mkfifo((dir.path() / "pipe.yaml").c_str(), 0600) == 0);
                    write(dir, "sweep.yaml", "scenario: pipe.yaml\n" + sweep_of);
                  },
                  {"sweep", "sweep.yaml", "--out", "out"},
                  2,
                  "sweep.yaml:1:11: error: scenario: expected a YAML file, found a named pipe (FIFO): pipe.yaml\n",
                  nothing_written});
  rows.push_back(
      {"issue 21, 15: an experiment's overlays: too large, a device, missing",
       [](const TempDir& dir) {
         fs::resize_file(dir.write("big.yaml", ""), std::uintmax_t(20) << 20);
         write(dir, "experiment.yaml",
               "scenario: base.yaml\nreplications: 1\npolicies:\n  a: {}\n"
               "  b: {overlays: [big.yaml, /dev/zero, missing.yaml]}\n"
               "uncertainties:\n  partners.alpha.population.docket_at_start: [5, 10]\ndesign: {method: grid}\n");
       },
       {"experiment", "experiment.yaml", "--out", "out"},
       2,
       "experiment.yaml:5:18: error: policies.b.overlays[0]: expected a YAML file of at most 16777216 bytes "
       "(16 MiB), found 20971520 bytes: big.yaml\n"
       "experiment.yaml:5:28: error: policies.b.overlays[1]: expected a YAML file, found a character device: "
       "/dev/zero\n"
       "experiment.yaml:5:39: error: policies.b.overlays[2]: file not found: missing.yaml\n",
       nothing_written});
  // Issue #21, defect 8: `name` labels every row of a point; it cannot be uncertain.
  rows.push_back({"issue 21, 8: an uncertain name",
                  scenario("named.yaml",
                           "scenario: base.yaml\nreplications: 1\npolicies: {a: {}, b: {}}\nuncertainties:\n"
                           "  name: [n1, n2]\n  partners.alpha.population.docket_at_start: [5, 10]\n"
                           "design: {method: grid}\n"),
                  {"experiment", "named.yaml", "--out", "out"},
                  2,
                  "named.yaml:5:3: error: uncertainties.name: expected a parameter of the model, found `name`: it "
                  "labels every row of a point (each policy's scenario is named after the policy), so it cannot vary\n",
                  nothing_written});
  // Issue #21, defect 4: the points file goes through the bounded reader.
  rows.push_back({"issue 21, 4: a points file that is a FIFO",
                  [](const TempDir& dir) {
                    REQUIRE(::mkfifo((dir.path() / "points.csv").c_str(), 0600) == 0);
                    write(dir, "points.yaml", "scenario: base.yaml\ndesign: {method: points, file: points.csv}\n");
                  },
                  {"experiment", "points.yaml", "--out", "out"},
                  2,
                  "points.yaml:2:32: error: design.file: expected a CSV file, found a named pipe (FIFO): points.csv\n",
                  nothing_written});
  return rows;
}

}  // namespace

TEST_CASE("hostile inputs: each is refused at once with its exact message", "[bad_inputs]") {
  for (const auto& row : table()) {
    INFO(row.defect);
    TempDir dir;
    dir.write("base.yaml", base_yaml);
    if (row.prepare) row.prepare(dir);
    const auto r = readmit::test::run_readmit(row.args, dir.path());
    CHECK(r.code == row.code);
    if (!row.err.empty()) CHECK(r.err == row.err);
    CHECK(r.out.empty());
    if (row.check) row.check(dir);
  }
}

TEST_CASE("a file with thousands of errors gets a bounded answer that counts them all", "[bad_inputs]") {
  TempDir dir;
  std::string text =
      "name: many_errors\nstart_date: 2020-01-01\npartners:\n  alpha:\n    population: {docket_at_start: 1}\n";
  for (int i = 0; i < 5000; ++i) text += "unknown_" + std::to_string(i) + ": 1\n";
  dir.write("errors.yaml", text);
  const auto r = readmit::test::run_readmit({"validate", "errors.yaml"}, dir.path());
  CHECK(r.code == 2);
  std::size_t lines = 0;
  for (char c : r.err) lines += c == '\n';
  CHECK(lines == 202);  // 200 errors, the count of the others, the total
  CHECK(r.err.find("\nerrors.yaml: error: and 4800 more errors (only the first 200 are listed)\n"
                   "errors.yaml: 5000 errors\n") != std::string::npos);
}
