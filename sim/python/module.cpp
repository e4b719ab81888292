// readmit._core: the C++ library for the Python package `readmit`
// (sim/python/readmit/). Thin on purpose: loading, running, experiments and
// reports go through the same library calls as the command line, so Python
// and the `readmit` tool write the same bytes. Runs release the GIL. Output
// folders are read by the package's own reader (readmit/folder.py).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/app/report.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/experiment/experiment.hpp"
#include "readmit/io/atomic_file.hpp"
#include "readmit/io/data_dictionary.hpp"
#include "readmit/io/output_folder.hpp"
#include "readmit/scenario/loader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/util/version.hpp"

namespace py = pybind11;

namespace {

py::dict loaded_info(const readmit::LoadedScenario& loaded) {
  py::dict info;
  info["name"] = loaded.scenario.name;
  info["resolved_yaml"] = loaded.resolved_yaml();
  info["source_files"] = loaded.source_files;
  info["overrides"] = loaded.overrides;
  info["seed"] = loaded.scenario.seed;
  info["replications"] = loaded.scenario.replications;
  py::list partners;
  for (const auto& partner : loaded.scenario.partners) partners.append(partner.name);
  info["partners"] = partners;
  return info;
}

/// Raises readmit.ScenarioError(message, diagnostics), each diagnostic a dict
/// with file, line, column, key_path and message.
void raise_scenario_error(const readmit::ScenarioError& error) {
  py::list diagnostics;
  for (const auto& d : error.diagnostics()) {
    py::dict item;
    item["file"] = d.where.origin ? *d.where.origin : std::string();
    item["line"] = d.where.line;
    item["column"] = d.where.column;
    item["key_path"] = d.key_path;
    item["message"] = d.message;
    item["text"] = d.to_string();
    diagnostics.append(item);
  }
  const py::object type = py::module_::import("readmit").attr("ScenarioError");
  const py::object instance = type(error.what(), diagnostics);
  PyErr_SetObject(type.ptr(), instance.ptr());
}

/// A whole-number option given from Python (None: not given), checked as the
/// command line checks it: a bool, a float or a number out of range is
/// refused with the command line's limits (readmit.ValueError).
std::optional<std::int64_t> option_value(const py::handle& value, const readmit::OptionLimit& limit) {
  if (value.is_none()) return std::nullopt;
  const std::string shown = py::repr(value).cast<std::string>();
  if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value)) readmit::refuse_option(limit, shown);
  try {
    return readmit::check_option(limit, value.cast<std::int64_t>());
  } catch (const py::cast_error&) {
    readmit::refuse_option(limit, shown);  // beyond 64 bits
  }
}

/// A scenario file with overlays merged onto it and overrides applied, as
/// `readmit run` would load a file that extends it.
readmit::LoadedScenario load(const std::string& path, const std::vector<std::string>& overlays,
                             const std::vector<std::string>& overrides) {
  if (overlays.empty()) return readmit::load_run_scenario(path, {.overrides = overrides});
  const std::vector<std::filesystem::path> overlay_paths(overlays.begin(), overlays.end());
  return readmit::resolve_run_scenario(readmit::merge_scenario_files(path, overlay_paths), {.overrides = overrides});
}

py::dict run(const std::vector<std::string>& scenarios, const std::vector<std::vector<std::string>>& overlays,
             const std::vector<std::vector<std::string>>& overrides, const py::object& replications,
             const py::object& seed, const py::object& threads, const std::string& out_dir,
             const std::string& command_line, bool monthly, const std::optional<std::string>& until_ci,
             const py::object& max_replications) {
  readmit::EnsembleRunOptions options;
  options.scenarios.assign(scenarios.begin(), scenarios.end());
  for (const auto& files : overlays) options.scenario_overlays.emplace_back(files.begin(), files.end());
  options.scenario_overrides = overrides;
  options.replications = option_value(replications, readmit::replications_limit);
  if (const auto value = option_value(seed, readmit::seed_limit)) options.seed = std::uint64_t(*value);
  options.threads = unsigned(option_value(threads, readmit::threads_limit).value_or(0));
  options.out_dir = out_dir;
  options.command_line = command_line;
  options.write_monthly = monthly;
  if (until_ci) options.until_ci = readmit::parse_until_ci(*until_ci);
  options.max_replications = option_value(max_replications, readmit::max_replications_limit).value_or(10000);
  readmit::EnsembleRunOutcome outcome;
  {
    py::gil_scoped_release release;
    outcome = readmit::run_ensembles(options);
  }
  py::dict result;
  result["out_dir"] = outcome.out_dir.string();
  result["replications"] = outcome.replications;
  result["summary"] = outcome.summary;
  result["wall_seconds"] = outcome.wall_seconds;
  return result;
}

/// `readmit experiment FILE --out OUT` (or sweep) on this process's cores.
py::dict experiment(const std::string& file, const std::string& command, const std::string& out_dir,
                    const py::object& replications, const py::object& threads, bool force,
                    const std::string& command_line) {
  readmit::ExperimentOptions options;
  options.file = file;
  options.command = command;
  options.out_dir = out_dir;
  options.replications = option_value(replications, readmit::replications_limit).value_or(0);
  options.threads = unsigned(option_value(threads, readmit::threads_limit).value_or(0));
  options.force = force;
  options.command_line = command_line;
  readmit::ExperimentOutcome outcome;
  {
    py::gil_scoped_release release;
    const auto queue = readmit::local_work_queue();
    outcome = readmit::run_experiment(options, *queue);
  }
  py::dict result;
  result["out_dir"] = outcome.out_dir.string();
  result["points"] = outcome.points_total;
  result["policies"] = outcome.policies;
  result["analysed"] = outcome.analysed;
  result["wall_seconds"] = outcome.wall_seconds;
  return result;
}

/// Writes the report of `directory` with readmit.report.render called in
/// this process (no second interpreter), the folder held by the library as
/// `readmit report` holds it. A FolderError of the renderer is an invalid
/// folder (ValueError), any other exception a failed report (RuntimeError).
std::string write_report(const std::string& directory, bool force, const py::object& render) {
  const readmit::ReportRenderer renderer = [&render](const std::filesystem::path& folder,
                                                     const std::filesystem::path& into) {
    py::gil_scoped_acquire gil;
    try {
      render(folder.string(), into.string());
    } catch (py::error_already_set& error) {
      const bool invalid = error.matches(py::module_::import("readmit.folder").attr("FolderError"));
      throw readmit::ReportError("report: " + std::string(error.what()), invalid);
    }
  };
  py::gil_scoped_release release;
  return readmit::write_report(directory, {.quiet = true, .force = force, .render = renderer}).string();
}

py::list schema() {
  py::list rows;
  for (const auto& spec : readmit::parameter_table()) {
    py::dict row;
    row["path"] = std::string(spec.path);
    row["expected"] = readmit::describe_expectation(spec);
    row["unit"] = std::string(spec.unit);
    row["default"] = spec.required ? py::object(py::none()) : py::object(py::str(std::string(spec.default_yaml)));
    row["required"] = spec.required;
    row["min"] = spec.min;
    row["max"] = spec.max;
    row["choices"] = std::string(spec.choices);
    row["timeline"] = spec.timeline_settable;
    row["meaning"] = std::string(spec.meaning);
    row["source"] = std::string(spec.source);
    rows.append(row);
  }
  return rows;
}

py::list metrics() {
  py::list rows;
  for (const auto& m : readmit::data_dictionary()) {
    py::dict row;
    row["metric"] = m.name;
    row["table"] = m.table;
    row["kind"] = m.kind;
    row["unit"] = m.unit;
    row["label"] = m.label;
    row["meaning"] = m.meaning;
    row["drivers"] = m.drivers;
    row["windowed"] = m.windowed;
    row["headline"] = m.headline;
    rows.append(row);
  }
  return rows;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "readmit's C++ core; use the `readmit` package";
  py::register_exception_translator(
      [](std::exception_ptr pointer) {  // NOLINT(performance-unnecessary-value-param): pybind11 requires this signature
        try {
          if (pointer) std::rethrow_exception(pointer);
        } catch (const readmit::ScenarioError& error) {
          raise_scenario_error(error);
        } catch (const readmit::ReportError& error) {
          PyErr_SetString(error.invalid_folder() ? PyExc_ValueError : PyExc_RuntimeError, error.what());
        } catch (const readmit::UsageError& error) {
          PyErr_SetString(PyExc_ValueError, error.what());
        } catch (const readmit::IoError& error) {
          PyErr_SetString(PyExc_OSError, error.what());
        }
      });
  m.def(
      "load",
      [](const std::string& path, const std::vector<std::string>& overlays, const std::vector<std::string>& overrides) {
        return loaded_info(load(path, overlays, overrides));
      },
      py::arg("path"), py::arg("overlays"), py::arg("overrides"),
      "Loads and validates a scenario with overlays and overrides; raises readmit.ScenarioError.");
  m.def("run", &run, py::arg("scenarios"), py::arg("overlays"), py::arg("overrides"), py::arg("replications"),
        py::arg("seed"), py::arg("threads"), py::arg("out_dir"), py::arg("command_line"), py::arg("monthly"),
        py::arg("until_ci"), py::arg("max_replications"),
        "readmit run (one scenario) or compare (several) into out_dir, the GIL released.");
  m.def("experiment", &experiment, py::arg("file"), py::arg("command"), py::arg("out_dir"), py::arg("replications"),
        py::arg("threads"), py::arg("force"), py::arg("command_line"),
        "readmit experiment (or sweep) FILE into out_dir, the GIL released.");
  m.def("write_report", &write_report, py::arg("directory"), py::arg("force"), py::arg("render"),
        "Writes DIRECTORY/report.html and DIRECTORY/figures/ with RENDER(directory, into), holding the folder as "
        "`readmit report` does; returns the page's path.");
  m.def(
      "save",
      [](const std::string& from, const std::string& to, bool force, const std::string& description) {
        py::gil_scoped_release release;
        readmit::copy_output_folder(from, to, force, description);
      },
      py::arg("source"), py::arg("directory"), py::arg("force"), py::arg("description"),
      "Copies an output folder's files into DIRECTORY as a command writes them: held, atomically, only readmit's "
      "files replaced.");
  m.def("schema", &schema, "Every scenario parameter, as a list of dicts.");
  m.def("metrics", &metrics, "Every output metric (the data dictionary, as metrics.csv), as a list of dicts.");
  m.attr("version") = std::string(readmit::version());
  m.attr("git_revision") = std::string(readmit::git_revision());
}
