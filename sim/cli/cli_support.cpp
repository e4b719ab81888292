#include "cli_support.hpp"

#include <iostream>
#include <new>
#include <nlohmann/json.hpp>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/io/output_folder.hpp"
#include "readmit/util/text.hpp"

namespace readmit::cli {

namespace {

/// The deepest subcommand that was given on the command line.
const CLI::App* given_command(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands())
    if (sub->parsed()) return given_command(*sub);
  return &app;
}

}  // namespace

std::optional<std::string> unknown_argument_message(const CLI::App& app) {
  const CLI::App* command = given_command(app);
  for (const CLI::App* level = command; level != nullptr; level = level->get_parent()) {
    const auto extras = level->remaining();
    if (extras.empty()) continue;
    const std::string& first = extras.front();
    const std::string where = level->get_parent() == nullptr ? std::string("readmit") : "readmit " + level->get_name();
    if (first.empty() || first[0] != '-')
      return where + ": unexpected argument '" + excerpt(first, 200) + "' (readmit " +
             (level->get_parent() ? level->get_name() + " " : std::string()) + "--help)";
    const std::string name = first.substr(0, first.find('='));
    std::vector<std::string> options;
    for (const CLI::Option* option : level->get_options()) {
      for (const auto& l : option->get_lnames()) options.push_back("--" + l);
      for (const auto& s : option->get_snames()) options.push_back("-" + s);
    }
    const std::vector<std::string_view> candidates(options.begin(), options.end());
    std::string message = where + ": unknown option '" + excerpt(name, 200) + "'";
    if (const auto best = closest_match(name, candidates))
      message += "; did you mean '" + std::string(*best) + "'?";
    else
      message += " (readmit " + (level->get_parent() ? level->get_name() + " " : std::string()) + "--help)";
    return message;
  }
  return std::nullopt;
}

void print_diagnostics(std::ostream& out, const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) out << d.to_string() << "\n";
}

int run_guarded(const std::function<int()>& command) {
  try {
    return command();
  } catch (const ScenarioError& e) {
    print_diagnostics(std::cerr, e.diagnostics());
    return exit_invalid_input;
  } catch (const UsageError& e) {
    std::cerr << "readmit: error: " << e.what() << "\n";
    return exit_invalid_input;
  } catch (const OutputFolderRefused& e) {
    std::cerr << "readmit: error: " << e.what() << "\n";
    return exit_invalid_input;
  } catch (const IoError& e) {
    std::cerr << "readmit: error: " << e.what() << "\n";
    return exit_runtime_failure;
  } catch (const std::bad_alloc&) {
    std::cerr << "readmit: error: out of memory (the run needs more memory than the system gave it; "
                 "try fewer --threads or replications, or a smaller scenario)\n";
    return exit_runtime_failure;
  } catch (const nlohmann::json::exception& e) {
    std::cerr << "readmit: error: internal error while writing JSON: " << e.what()
              << " (please report it with the command line)\n";
    return exit_runtime_failure;
  } catch (const std::exception& e) {
    std::cerr << "readmit: error: " << e.what() << "\n";
    return exit_runtime_failure;
  } catch (...) {
    std::cerr << "readmit: error: an unknown internal error (please report it with the command line)\n";
    return exit_runtime_failure;
  }
}

}  // namespace readmit::cli
