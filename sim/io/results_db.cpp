#include "readmit/io/results_db.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>
#include <cerrno>
#include <cmath>
#include <random>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "readmit/io/atomic_file.hpp"

namespace readmit {

struct ResultsDatabase::Connection {
  sqlite3* handle = nullptr;
  ~Connection() {
    if (handle != nullptr) sqlite3_close_v2(handle);
  }
};

struct ResultsDatabase::Inserter::Statement {
  sqlite3_stmt* handle = nullptr;
  std::size_t columns = 0;
  ~Statement() {
    if (handle != nullptr) sqlite3_finalize(handle);
  }
};

namespace {

std::string describe_errno(int error_number) { return std::generic_category().message(error_number); }

std::string random_number() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::to_string(generator() >> 1);
}

}  // namespace

std::string ResultsDatabase::quoted(std::string_view name) {
  std::string text = "\"";
  for (char c : name) text += c == '"' ? std::string("\"\"") : std::string(1, c);
  return text + "\"";
}

ResultsDatabase::ResultsDatabase(const std::filesystem::path& path)
    : ResultsDatabase(Directory::open(path.parent_path().empty() ? "." : path.parent_path(), false),
                      path.filename().string()) {}

ResultsDatabase::ResultsDatabase(const Directory& directory, std::string name, StagedFiles* staging)
    : directory_(directory), name_(std::move(name)), staging_(staging), connection_(std::make_unique<Connection>()) {
  if (!is_plain_name(name_)) throw IoError("database '" + (directory_.path() / name_).string() + "': not a plain name");
  // A new empty file of a random name, never a file or link already there;
  // SQLite then opens it without following a link.
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temporary_name_ = "." + name_ + "." + std::to_string(::getpid()) + "." + random_number() + ".tmp";
    fd = ::openat(directory_.fd(), temporary_name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0)
    throw IoError("database '" + (directory_.path() / name_).string() + "': cannot create " +
                  (directory_.path() / temporary_name_).string() + ": " + describe_errno(errno));
  ::close(fd);
  const std::string temporary = (directory_.path() / temporary_name_).string();
  const int status =
      sqlite3_open_v2(temporary.c_str(), &connection_->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr);
  if (status != SQLITE_OK) {
    ::unlinkat(directory_.fd(), temporary_name_.c_str(), 0);
    fail("cannot create");
  }
  // The file is private until the rename: no journal is needed, and one
  // transaction holds every row.
  execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;");
}

ResultsDatabase::~ResultsDatabase() {
  connection_.reset();
  if (!committed_) ::unlinkat(directory_.fd(), temporary_name_.c_str(), 0);
}

void ResultsDatabase::fail(const std::string& what) const {
  const char* message = connection_ && connection_->handle ? sqlite3_errmsg(connection_->handle) : "out of memory";
  throw IoError("database '" + (directory_.path() / name_).string() + "': " + what + ": " + message);
}

void ResultsDatabase::execute(std::string_view sql) {
  const std::string text(sql);
  if (sqlite3_exec(connection_->handle, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    fail("cannot run \"" + text.substr(0, 80) + "\"");
}

ResultsDatabase::Inserter ResultsDatabase::inserter(std::string_view table, std::span<const std::string> columns) {
  std::string sql = "INSERT INTO " + quoted(table) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + quoted(columns[i]);
  sql += ") VALUES (";
  for (std::size_t i = 0; i < columns.size(); ++i) sql += i ? ", ?" : "?";
  sql += ")";
  auto statement = std::make_unique<Inserter::Statement>();
  statement->columns = columns.size();
  if (sqlite3_prepare_v2(connection_->handle, sql.c_str(), int(sql.size()), &statement->handle, nullptr) != SQLITE_OK)
    fail("cannot prepare \"" + sql.substr(0, 80) + "\"");
  return Inserter(*this, std::move(statement));
}

ResultsDatabase::Inserter::Inserter(ResultsDatabase& database, std::unique_ptr<Statement> statement)
    : database_(&database), statement_(std::move(statement)) {}
ResultsDatabase::Inserter::Inserter(Inserter&&) noexcept = default;
ResultsDatabase::Inserter::~Inserter() = default;

void ResultsDatabase::Inserter::row(std::span<const SqlValue> values) {
  if (values.size() != statement_->columns)
    throw std::invalid_argument("ResultsDatabase: a row of " + std::to_string(values.size()) + " values for " +
                                std::to_string(statement_->columns) + " columns");
  sqlite3_stmt* s = statement_->handle;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const int column = int(i) + 1;
    int status = SQLITE_OK;
    if (const auto* integer = std::get_if<std::int64_t>(&values[i])) {
      status = sqlite3_bind_int64(s, column, *integer);
    } else if (const auto* real = std::get_if<double>(&values[i]); real && std::isfinite(*real)) {
      status = sqlite3_bind_double(s, column, *real);
    } else if (const auto* text = std::get_if<std::string>(&values[i])) {
      status = sqlite3_bind_text(s, column, text->data(), int(text->size()), SQLITE_TRANSIENT);
    } else {
      status = sqlite3_bind_null(s, column);
    }
    if (status != SQLITE_OK) database_->fail("cannot bind a value");
  }
  if (sqlite3_step(s) != SQLITE_DONE) database_->fail("cannot insert a row");
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
}

void ResultsDatabase::commit() {
  if (committed_) throw std::logic_error("ResultsDatabase::commit called twice");
  if (sqlite3_next_stmt(connection_->handle, nullptr) != nullptr)
    throw std::logic_error("ResultsDatabase::commit while an Inserter is alive");
  execute("COMMIT;");
  if (sqlite3_close(connection_->handle) != SQLITE_OK) fail("cannot close");
  connection_->handle = nullptr;
  // Make the data durable before the rename publishes it, as write_file_atomically does.
  if (const int fd = ::openat(directory_.fd(), temporary_name_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (staging_ != nullptr) {
    staging_->add(directory_, temporary_name_, directory_, name_);
  } else if (::renameat(directory_.fd(), temporary_name_.c_str(), directory_.fd(), name_.c_str()) != 0) {
    throw IoError("cannot rename '" + (directory_.path() / temporary_name_).string() + "' to '" +
                  (directory_.path() / name_).string() + "': " + describe_errno(errno));
  }
  committed_ = true;
}

}  // namespace readmit
