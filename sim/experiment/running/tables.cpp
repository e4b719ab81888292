// The writer of an experiment's output tables: each row to a CSV file and to
// a table of the SQLite database, from the same values.
#include <variant>

#include "running/tables.hpp"

namespace readmit {

TableWriter::TableWriter(const Directory& out, const std::string& csv_name, StagedFiles& staged,
                         ResultsDatabase& database, const std::string& table, std::vector<Column> columns,
                         const std::vector<std::string>& primary_key,
                         const std::vector<std::vector<std::string>>& indexes)
    : file_(out, csv_name, &staged), csv_(file_.stream()), columns_(std::move(columns)) {
  std::string sql = "CREATE TABLE " + ResultsDatabase::quoted(table) + " (";
  std::vector<std::string> names;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    sql += (i ? ", " : "") + ResultsDatabase::quoted(columns_[i].name) + " " + columns_[i].type;
    names.push_back(columns_[i].name);
  }
  if (!primary_key.empty()) {
    sql += ", PRIMARY KEY (";
    for (std::size_t i = 0; i < primary_key.size(); ++i)
      sql += (i ? ", " : "") + ResultsDatabase::quoted(primary_key[i]);
    sql += ")) WITHOUT ROWID;";
  } else {
    sql += ");";
  }
  for (std::size_t i = 0; i < indexes.size(); ++i) {
    sql += " CREATE INDEX " + ResultsDatabase::quoted(table + "_by_" + std::to_string(i + 1)) + " ON " +
           ResultsDatabase::quoted(table) + " (";
    for (std::size_t c = 0; c < indexes[i].size(); ++c) sql += (c ? ", " : "") + ResultsDatabase::quoted(indexes[i][c]);
    sql += ");";
  }
  database.execute(sql);
  insert_.emplace(database.inserter(table, names));
  csv_.write_row(names);
}

void TableWriter::row(const Row& values) {
  std::vector<std::string> fields;
  fields.reserve(values.size());
  for (const auto& value : values) {
    if (const auto* integer = std::get_if<std::int64_t>(&value))
      fields.push_back(format_number(*integer));
    else if (const auto* real = std::get_if<double>(&value))
      fields.push_back(format_number(*real));
    else if (const auto* text = std::get_if<std::string>(&value))
      fields.push_back(*text);
    else
      fields.emplace_back("NA");
  }
  csv_.write_row(fields);
  insert_->row(values);
}

}  // namespace readmit
