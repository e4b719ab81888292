#include "readmit/scenario/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace readmit {

std::string SourceLocation::to_string() const {
  std::string text = origin ? *origin : std::string("<unknown>");
  if (line > 0) text += ":" + std::to_string(line) + ":" + std::to_string(column);
  return text;
}

std::string Diagnostic::to_string() const {
  std::string text = where.to_string() + ": error: ";
  if (!key_path.empty()) text += key_path + ": ";
  return text + message;
}

namespace {
std::string join_messages(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) {
    if (!text.empty()) text += '\n';
    text += d.to_string();
  }
  return text;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_messages(diagnostics)), diagnostics_(std::move(diagnostics)) {}

void DiagnosticSink::error(const SourceLocation& where, std::string key_path, std::string message) {
  diagnostics_.push_back({where, std::move(key_path), std::move(message)});
}

void DiagnosticSink::sort_by_position() {
  std::vector<std::string> origins;
  auto rank = [&origins](const Diagnostic& d) {
    const std::string origin = d.where.origin ? *d.where.origin : std::string();
    auto it = std::find(origins.begin(), origins.end(), origin);
    if (it == origins.end()) it = origins.insert(origins.end(), origin);
    return std::size_t(it - origins.begin());
  };
  for (const auto& d : diagnostics_) rank(d);
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    return std::tuple(rank(a), a.where.line, a.where.column) < std::tuple(rank(b), b.where.line, b.where.column);
  });
}

void DiagnosticSink::throw_if_any() {
  if (!diagnostics_.empty()) throw ScenarioError(diagnostics_);
}

}  // namespace readmit
