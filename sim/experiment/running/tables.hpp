#pragma once
// Internal to the app module: the tables an experiment writes, each as a CSV
// file and a table of its SQLite database from the same rows
// (experiment_tables.cpp), and the analysis tables, sensitivity and PRIM
// boxes (experiment_analysis.cpp).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "readmit/experiment/experiment.hpp"
#include "readmit/io/atomic_file.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/io/results_db.hpp"

namespace readmit {

using Row = std::vector<SqlValue>;

/// A column of an output table: its name and SQL type.
struct Column {
  std::string name;
  std::string type;  // INTEGER, REAL or TEXT
};

/// Writes the same rows to OUT/FILE.csv and to a table of the database.
class TableWriter {
 public:
  /// The CSV file `csv_name` in `out`, staged in `staged`.
  /// `primary_key`: columns of the table's key (the table is then WITHOUT
  /// ROWID, ordered by it); `indexes`: extra indexes, each a list of columns.
  TableWriter(const Directory& out, const std::string& csv_name, StagedFiles& staged, ResultsDatabase& database,
              const std::string& table, std::vector<Column> columns, const std::vector<std::string>& primary_key = {},
              const std::vector<std::vector<std::string>>& indexes = {});
  void row(const Row& values);
  /// Commits the CSV file (the database is committed by its owner).
  void commit() {
    csv_.flush();
    file_.commit();
  }

 private:
  AtomicFileWriter file_;
  CsvWriter csv_;
  std::vector<Column> columns_;
  std::optional<ResultsDatabase::Inserter> insert_;
};

/// Per outcome (in Experiment::outcomes order), policy and point: the mean
/// of the outcome over replications, and (for policies after the
/// reference) the mean of its paired difference from the reference. NaN
/// where a point has no finite value.
struct OutcomeTable {
  std::vector<std::vector<std::vector<double>>> means;        // [outcome][policy][point]
  std::vector<std::vector<std::vector<double>>> differences;  // [outcome][policy][point], policy 0 unused
};

/// sensitivity.csv: outcome,policy,baseline,parameter,index,value,ci95_low,ci95_high,p_value,n
std::vector<Column> sensitivity_columns();
/// PRCC for every design, Sobol indices for sobol, Morris statistics for
/// morris; for each outcome of each policy and each paired difference.
/// Rows are computed in parallel on `threads` and returned in order.
std::vector<Row> sensitivity_rows(const Experiment& experiment, const OutcomeTable& table, unsigned threads);

/// prim_boxes.csv: one row per restricted parameter of every box found.
std::vector<Column> prim_columns();
std::vector<Row> prim_rows(const Experiment& experiment, const OutcomeTable& table);

}  // namespace readmit
