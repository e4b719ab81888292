// readmit._core: the C++ library for the Python package `readmit`
// (sim/python/readmit/). Thin on purpose: loading, running and reporting go
// through the same library calls as the command line, so Python and the
// `readmit` tool write the same bytes. Runs release the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/app/report.hpp"
#include "readmit/io/atomic_file.hpp"
#include "readmit/model/metrics.hpp"
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

py::dict run(const std::vector<std::string>& scenarios, const std::vector<std::vector<std::string>>& overrides,
             std::int64_t replications, std::optional<std::uint64_t> seed, unsigned threads, const std::string& out_dir,
             const std::string& command_line, bool monthly, const std::optional<std::string>& until_ci,
             std::int64_t max_replications) {
  readmit::EnsembleRunOptions options;
  options.scenarios.assign(scenarios.begin(), scenarios.end());
  options.scenario_overrides = overrides;
  options.replications = replications;
  options.seed = seed;
  options.threads = threads;
  options.out_dir = out_dir;
  options.command_line = command_line;
  options.write_monthly = monthly;
  if (until_ci) options.until_ci = readmit::parse_until_ci(*until_ci);
  options.max_replications = max_replications;
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
  for (const auto& info : readmit::metric_info) {
    py::dict row;
    row["name"] = std::string(info.name);
    row["kind"] = info.kind == readmit::MetricKind::stock  ? "stock"
                  : info.kind == readmit::MetricKind::flow ? "flow"
                                                           : "level";
    row["meaning"] = std::string(info.meaning);
    rows.append(row);
  }
  return rows;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "readmit's C++ core; use the `readmit` package";
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const readmit::ScenarioError& error) {
      raise_scenario_error(error);
    } catch (const readmit::ReportError& error) {
      PyErr_SetString(error.invalid_folder() ? PyExc_ValueError : PyExc_RuntimeError, error.what());
    } catch (const readmit::IoError& error) {
      PyErr_SetString(PyExc_OSError, error.what());
    }
  });
  m.def(
      "load",
      [](const std::string& path, const std::vector<std::string>& overrides) {
        return loaded_info(readmit::load_scenario(path, overrides));
      },
      py::arg("path"), py::arg("overrides"), "Loads and validates a scenario; raises readmit.ScenarioError.");
  m.def("run", &run, py::arg("scenarios"), py::arg("overrides"), py::arg("replications"), py::arg("seed"),
        py::arg("threads"), py::arg("out_dir"), py::arg("command_line"), py::arg("monthly"), py::arg("until_ci"),
        py::arg("max_replications"), "readmit run (one scenario) or compare (several) into out_dir, the GIL released.");
  m.def(
      "write_report",
      [](const std::string& directory) {
        py::gil_scoped_release release;
        return readmit::write_report(directory, true).string();
      },
      py::arg("directory"), "Writes DIRECTORY/report.html and DIRECTORY/figures/; returns the page's path.");
  m.def("schema", &schema, "Every scenario parameter, as a list of dicts.");
  m.def("metrics", &metrics, "Every monthly metric, as a list of dicts.");
  m.attr("version") = std::string(readmit::version());
  m.attr("git_revision") = std::string(readmit::git_revision());
}
