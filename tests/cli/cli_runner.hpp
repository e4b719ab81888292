#pragma once
// Runs the real `readmit` executable for tests, capturing its exit code and
// output (stdin empty, stderr not a terminal).
#include <sys/wait.h>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/scenario_test_support.hpp"

namespace readmit::test {

struct CliResult {
  int code = -1;  // exit code, or 128 + signal number
  std::string out;
  std::string err;
};

/// Whether `part` occurs in `text` (a message, an output file).
inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

inline std::string shell_quoted(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// Runs `readmit ARGS...` in `cwd` (default: the current folder).
inline CliResult run_readmit(const std::vector<std::string>& args, const std::filesystem::path& cwd = {}) {
  TempDir capture;
  const auto out = capture.path() / "stdout";
  const auto err = capture.path() / "stderr";
  std::string command;
  if (!cwd.empty()) command += "cd " + shell_quoted(cwd.string()) + " && ";
  command += shell_quoted(READMIT_EXECUTABLE);
  for (const auto& a : args) command += " " + shell_quoted(a);
  command += " >" + shell_quoted(out.string()) + " 2>" + shell_quoted(err.string()) + " </dev/null";
  const int status = std::system(command.c_str());
  CliResult result;
  if (status == -1) return result;
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  result.out = read_text(out);
  result.err = read_text(err);
  return result;
}

}  // namespace readmit::test
