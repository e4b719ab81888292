// The results database: written atomically, the same bytes for the same
// rows, NaN stored as NULL, quoted identifiers.
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <cmath>

#include "readmit/io/atomic_file.hpp"
#include "readmit/io/results_db.hpp"
#include "scenario/scenario_test_support.hpp"

using namespace readmit;
using readmit::test::read_text;
using readmit::test::TempDir;

namespace {

void fill(const std::filesystem::path& path) {
  ResultsDatabase db(path);
  db.execute(
      "CREATE TABLE t (\"a.b\" INTEGER, x REAL, name TEXT, PRIMARY KEY (\"a.b\")) WITHOUT ROWID;"
      "CREATE INDEX t_by_name ON t (name);");
  {
    auto insert = db.inserter("t", std::vector<std::string>{"a.b", "x", "name"});
    for (std::int64_t i = 0; i < 500; ++i)
      insert.row(
          std::vector<SqlValue>{i, i % 7 == 0 ? SqlValue(NAN) : SqlValue(0.5 * double(i)), "n" + std::to_string(i)});
    insert.row(std::vector<SqlValue>{std::int64_t(1000), SqlValue(), SqlValue()});
    CHECK_THROWS_AS(db.commit(), std::logic_error);  // an Inserter is alive
  }
  db.commit();
}

}  // namespace

TEST_CASE("a results database appears whole under its name, with the same bytes for the same rows", "[io][database]") {
  TempDir dir;
  const auto first = dir.path() / "first.sqlite", second = dir.path() / "second.sqlite";
  fill(first);
  fill(second);
  CHECK(read_text(first) == read_text(second));
  // Nothing but the two databases is left.
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  CHECK(files == 2);

  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(first.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "select count(*), count(x), sum(\"a.b\") from t", -1, &statement, nullptr) ==
          SQLITE_OK);
  REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
  CHECK(sqlite3_column_int64(statement, 0) == 501);
  CHECK(sqlite3_column_int64(statement, 1) == 500 - 72);  // NaN stored as NULL (every 7th of 0..499)
  CHECK(sqlite3_column_int64(statement, 2) == 499 * 500 / 2 + 1000);
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST_CASE("a results database not committed leaves nothing; errors name the database", "[io][database]") {
  TempDir dir;
  const auto path = dir.path() / "x.sqlite";
  {
    ResultsDatabase db(path);
    db.execute("CREATE TABLE t (a INTEGER);");
    try {
      db.execute("CREATE TABLE t (a INTEGER);");
      FAIL("a duplicate table was accepted");
    } catch (const IoError& e) {
      CHECK(std::string(e.what()) ==
            "database '" + path.string() + "': cannot run \"CREATE TABLE t (a INTEGER);\": table t already exists");
    }
    auto insert = db.inserter("t", std::vector<std::string>{"a"});
    CHECK_THROWS_AS(insert.row(std::vector<SqlValue>{std::int64_t(1), std::int64_t(2)}), std::invalid_argument);
  }
  CHECK(std::filesystem::is_empty(dir.path()));
  CHECK_THROWS_AS(ResultsDatabase(dir.path() / "missing" / "x.sqlite"), IoError);
  CHECK(ResultsDatabase::quoted("a\"b.c") == "\"a\"\"b.c\"");
}
