// Every file in tests/scenario/malformed/ holds one defect and states the
// diagnostics it must produce, in order, as comments:
//   # expect: LINE:COL: error: key.path: message      (in the file itself)
//   # expect-in: OTHER:LINE:COL: error: ...           (in OTHER, relative to the file's folder)
// `{dir}` in an expectation stands for the file's folder as passed to the
// loader. Files in subfolders (parts/) are only included by these files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "readmit/scenario/loader.hpp"
#include "scenario_test_support.hpp"

using namespace readmit;

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::vector<std::string> expectations(const std::filesystem::path& file) {
  const std::string dir = file.parent_path().string();
  std::vector<std::string> expected;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    static const std::string here = "# expect: ", elsewhere = "# expect-in: ";
    if (line.rfind(here, 0) == 0)
      expected.push_back(file.string() + ":" + replace_all(line.substr(here.size()), "{dir}", dir));
    else if (line.rfind(elsewhere, 0) == 0)
      expected.push_back(dir + "/" + replace_all(line.substr(elsewhere.size()), "{dir}", dir));
  }
  return expected;
}

std::vector<std::filesystem::path> malformed_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(test::data_dir() / "malformed"))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("malformed scenarios report exactly the expected diagnostics", "[scenario][malformed]") {
  const auto files = malformed_files();
  CHECK(files.size() >= 30);
  for (const auto& file : files) {
    INFO("file: " << file.string());
    const auto expected = expectations(file);
    CHECK_FALSE(expected.empty());
    std::vector<std::string> actual;
    bool loaded = false;
    try {
      load_scenario(file);
      loaded = true;
    } catch (const ScenarioError& e) {
      for (const auto& d : e.diagnostics()) actual.push_back(d.to_string());
      // what() is every diagnostic, one a line, as the CLI prints them.
      std::string joined;
      for (const auto& text : actual) joined += (joined.empty() ? "" : "\n") + text;
      CHECK(std::string(e.what()) == joined);
    } catch (const std::exception& e) {
      FAIL("not a ScenarioError: " << e.what());
    }
    CHECK_FALSE(loaded);
    CHECK(actual == expected);
  }
}

TEST_CASE("a malformed file named on the command line is reported against its own name", "[scenario][malformed]") {
  CHECK(test::diagnostics_of([] { load_scenario("no/such/file.yaml"); }) ==
        std::vector<std::string>{"no/such/file.yaml: error: file not found: no/such/file.yaml"});
  const auto dir = test::data_dir() / "valid";
  CHECK(test::diagnostics_of([&] { load_scenario(dir); }) ==
        std::vector<std::string>{dir.string() + ": error: expected a YAML file, found a directory: " + dir.string()});
  test::TempDir temp;
  const auto binary = temp.write("binary.yaml", std::string("name: x\0y\n", 10));
  CHECK(
      test::diagnostics_of([&] { load_scenario(binary); }) ==
      std::vector<std::string>{
          binary.string() + ":1:8: error: expected a YAML text file, found binary data (a NUL byte at byte offset 7)"});
}
