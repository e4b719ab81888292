#pragma once
// One SQLite database of results (an experiment's or a sweep's), written
// once and atomically: built under a hidden temporary name next to its final
// path in a single transaction, then renamed onto the path, so a reader
// never sees a half-written database and a crash leaves the old one intact.
//
// The file depends only on what is inserted and in which order (and on the
// SQLite library version), so the same results give the same bytes.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "readmit/io/atomic_file.hpp"

namespace readmit {

/// A value of a row: NULL, INTEGER, REAL or TEXT. A NaN or infinite double
/// is stored as NULL (SQL has no NaN).
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

class ResultsDatabase {
 public:
  /// Creates the temporary database next to `path` (whose folder must
  /// exist). Throws IoError naming the path and SQLite's message.
  explicit ResultsDatabase(const std::filesystem::path& path);
  /// The same for `name` in `directory`: the temporary is created there
  /// with O_EXCL | O_NOFOLLOW and opened without following a link; with
  /// `staging`, commit() hands the complete file to it instead of renaming.
  ResultsDatabase(const Directory& directory, std::string name, StagedFiles* staging = nullptr);
  /// Without a successful commit(), the temporary file is removed.
  ~ResultsDatabase();
  ResultsDatabase(const ResultsDatabase&) = delete;
  ResultsDatabase& operator=(const ResultsDatabase&) = delete;

  /// Runs SQL statements without results (CREATE TABLE, CREATE INDEX).
  /// Throws IoError with SQLite's message.
  void execute(std::string_view sql);

  /// Inserts rows into one table through a prepared statement.
  class Inserter {
   public:
    /// One row: as many values as the columns named. Throws IoError.
    void row(std::span<const SqlValue> values);
    Inserter(Inserter&&) noexcept;
    ~Inserter();

   private:
    friend class ResultsDatabase;
    struct Statement;
    Inserter(ResultsDatabase& database, std::unique_ptr<Statement> statement);
    ResultsDatabase* database_;
    std::unique_ptr<Statement> statement_;
  };
  /// INSERT INTO table (columns...) VALUES (?, ...). Column names are
  /// quoted, so they may hold dots (parameter paths).
  Inserter inserter(std::string_view table, std::span<const std::string> columns);

  /// Commits the transaction, closes the database and renames it onto the
  /// final path (replacing an older one), or hands it to the staging. Every Inserter must be destroyed
  /// first. Throws IoError; std::logic_error if called twice or while an
  /// Inserter is alive.
  void commit();

  /// A quoted SQL identifier: "name", inner quotes doubled.
  static std::string quoted(std::string_view name);

 private:
  struct Connection;
  [[noreturn]] void fail(const std::string& what) const;

  Directory directory_;
  std::string name_;
  std::string temporary_name_;
  StagedFiles* staging_ = nullptr;
  std::unique_ptr<Connection> connection_;
  bool committed_ = false;
};

}  // namespace readmit
