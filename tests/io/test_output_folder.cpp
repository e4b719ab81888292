// The output folder every command holds (io/output_folder.hpp): who may
// write there, the manifest of what readmit wrote, results published whole,
// and no link followed (issue #21).
#include <catch2/catch.hpp>

#include <filesystem>

#include "readmit/io/output_folder.hpp"
#include "scenario/scenario_test_support.hpp"

namespace fs = std::filesystem;
using namespace readmit;
using readmit::test::read_text;
using readmit::test::TempDir;

namespace {

OutputFolder::Options exclusive(bool force = false) {
  return {.access = FolderAccess::exclusive, .force = force, .create = true, .description = "test"};
}

/// Publishes `files` (name, contents) as one command's outputs.
void publish(OutputFolder& folder, const std::vector<std::pair<std::string, std::string>>& files,
             ManifestScope scope = ManifestScope::outputs) {
  const OutputFolder::TopLevel top(folder);
  StagedFiles staged;
  for (const auto& [name, text] : files) {
    if (name.starts_with("figures/"))
      write_file_atomically(folder.directory().child("figures", true), name.substr(8), text, &staged);
    else
      write_file_atomically(folder.directory(), name, text, &staged);
  }
  folder.publish(staged, scope);
}

}  // namespace

TEST_CASE("a command replaces or removes only the files the manifest says readmit wrote", "[io][folder]") {
  TempDir dir;
  const auto out = dir.path() / "out";
  fs::create_directories(out / "figures");
  dir.write("out/summary.csv", "the user's");
  dir.write("out/notes.txt", "the user's");
  dir.write("out/figures/mine.png", "the user's");
  CHECK_THROWS_AS(OutputFolder(out, exclusive()), OutputFolderRefused);
  CHECK(read_text(out / "summary.csv") == "the user's");
  {
    OutputFolder folder(out, exclusive(/*force=*/true));
    publish(folder, {{"comparison.csv", "1"}, {"metadata.json", "{}"}});
    publish(folder, {{"report.html", "page"}, {"figures/a.png", "a"}}, ManifestScope::report);
  }
  {
    OutputFolder folder(out, exclusive());  // adopted: no --force needed now
    CHECK(folder.manifest() == std::map<std::string, std::string>{{"comparison.csv", "output"},
                                                                  {"figures/a.png", "report"},
                                                                  {"metadata.json", "output"},
                                                                  {"report.html", "report"}});
    // A report replaces the earlier report's files only.
    publish(folder, {{"report.html", "page 2"}, {"figures/b.png", "b"}}, ManifestScope::report);
    CHECK_FALSE(fs::exists(out / "figures" / "a.png"));
    CHECK(fs::exists(out / "comparison.csv"));
    // New outputs replace every earlier file of readmit's, the report too.
    publish(folder, {{"summary.csv", "2"}, {"metadata.json", "{}"}});
  }
  CHECK_FALSE(fs::exists(out / "comparison.csv"));
  CHECK_FALSE(fs::exists(out / "report.html"));
  CHECK_FALSE(fs::exists(out / "figures" / "b.png"));
  CHECK(read_text(out / "summary.csv") == "2");
  CHECK(read_text(out / "notes.txt") == "the user's");
  CHECK(read_text(out / "figures" / "mine.png") == "the user's");
}

TEST_CASE("results not published leave the old ones whole and no temporary behind", "[io][folder]") {
  TempDir dir;
  const auto out = dir.path() / "out";
  {
    OutputFolder folder(out, exclusive());
    publish(folder, {{"summary.csv", "old"}, {"metadata.json", "old"}});
  }
  {
    OutputFolder folder(out, exclusive());
    const OutputFolder::TopLevel top(folder);
    StagedFiles staged;
    write_file_atomically(folder.directory(), "summary.csv", "new", &staged);
    write_file_atomically(folder.directory(), "metadata.json", "new", &staged);
    CHECK(read_text(out / "summary.csv") == "old");  // nothing in place before publish
  }                                                  // interrupted: never published
  CHECK(read_text(out / "summary.csv") == "old");
  CHECK(read_text(out / "metadata.json") == "old");
  for (const auto& entry : fs::directory_iterator(out)) {
    const auto name = entry.path().filename().string();
    CHECK((name == ".readmit" || name == ".readmit-manifest" || name.front() != '.'));
  }
}

TEST_CASE("the lock: shards share a folder, every other command holds it alone", "[io][folder]") {
  TempDir dir;
  const auto out = dir.path() / "out";
  OutputFolder::Options shared{.access = FolderAccess::shared, .force = false, .create = true, .description = "shard"};
  {
    const OutputFolder first(out, shared);
    const OutputFolder second(out, shared);
    CHECK_THROWS_WITH(OutputFolder(out, exclusive()), Catch::Contains("is in use by another readmit run"));
  }
  const OutputFolder alone(out, exclusive());
  CHECK_THROWS_WITH(OutputFolder(out, shared), Catch::Contains("is in use by another readmit run"));
}

TEST_CASE("no symbolic link is followed out of the folder", "[io][folder]") {
  TempDir dir;
  const auto out = dir.path() / "out";
  fs::create_directories(dir.path() / "elsewhere");
  const OutputFolder folder(out, exclusive());
  fs::create_directory_symlink(dir.path() / "elsewhere", out / "points");
  CHECK_THROWS_WITH(folder.directory().child("points", true), Catch::Contains("is a symbolic link"));
  folder.directory().remove_tree("points");  // removes the link, not what it points to
  CHECK(fs::exists(dir.path() / "elsewhere"));
  CHECK_FALSE(fs::exists(fs::symlink_status(out / "points")));
  // A marker that is a link is refused too.
  const auto other = dir.path() / "other";
  fs::create_directories(other);
  fs::create_symlink(dir.path() / "elsewhere" / "x", other / ".readmit");
  CHECK_THROWS_AS(OutputFolder(other, exclusive()), OutputFolderRefused);
  CHECK_FALSE(fs::exists(dir.path() / "elsewhere" / "x"));
}
