#include "readmit/scenario/diagnostics.hpp"

#include <utf8/cpp17.h>

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace readmit {

std::string SourceLocation::to_string() const {
  std::string text = origin ? *origin : std::string("<unknown>");
  if (line > 0) text += ":" + std::to_string(line) + ":" + std::to_string(column);
  return text;
}

std::string Diagnostic::to_string() const {
  std::string text = where.to_string() + (severity == Severity::error ? ": error: " : ": warning: ");
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

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> origins;
  auto rank = [&origins](const Diagnostic& d) {
    const std::string origin = d.where.origin ? *d.where.origin : std::string();
    auto it = std::find(origins.begin(), origins.end(), origin);
    if (it == origins.end()) it = origins.insert(origins.end(), origin);
    return std::size_t(it - origins.begin());
  };
  for (const auto& d : diagnostics) rank(d);
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    return std::tuple(rank(a), a.where.line, a.where.column) < std::tuple(rank(b), b.where.line, b.where.column);
  });
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics, std::size_t left_out)
    : std::runtime_error(join_messages(diagnostics)),
      diagnostics_(std::move(diagnostics)),
      error_count_(diagnostics_.size() - (left_out > 0 ? 1 : 0) + left_out) {}

void DiagnosticSink::error(const SourceLocation& where, std::string key_path, std::string message) {
  if (diagnostics_.size() >= max_errors) {
    ++errors_left_out_;
    return;
  }
  diagnostics_.push_back({where, std::move(key_path), std::move(message), Severity::error});
}

void DiagnosticSink::warning(const SourceLocation& where, std::string key_path, std::string message) {
  if (warnings_.size() >= max_errors) return;
  warnings_.push_back({where, std::move(key_path), std::move(message), Severity::warning});
}

void DiagnosticSink::sort_by_position() {
  sort_diagnostics(diagnostics_);
  sort_diagnostics(warnings_);
}

void DiagnosticSink::throw_if_any() {
  if (diagnostics_.empty()) return;
  std::vector<Diagnostic> all = diagnostics_;
  if (errors_left_out_ > 0) {
    Diagnostic more;
    more.where.origin = all.back().where.origin;
    more.message = "and " + std::to_string(errors_left_out_) + " more errors (only the first " +
                   std::to_string(max_errors) + " are listed)";
    all.push_back(std::move(more));
  }
  throw ScenarioError(std::move(all), errors_left_out_);
}

std::size_t invalid_utf8_at(std::string_view text) {
  const std::size_t at = utf8::find_invalid(text);
  return at == std::string_view::npos ? std::string_view::npos : at;
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // The length of the character starting here, if it is valid UTF-8.
    std::size_t length = 1;
    if (byte >= 0x80) {
      length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
      if (i + length > text.size() || invalid_utf8_at(text.substr(i, length)) != std::string_view::npos) length = 0;
    }
    std::string piece;
    if (length == 0 || byte < 0x20 || byte == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", unsigned(byte));
      piece = escaped;
      length = 1;
    } else {
      piece.assign(text.substr(i, length));
    }
    if (out.size() + piece.size() > max_bytes) return out + "...";
    out += piece;
    i += length;
  }
  return out;
}

std::string quoted_excerpt(std::string_view text, std::size_t max_bytes) {
  std::string shown = excerpt(text, max_bytes);
  std::string quoted = "\"" + shown + "\"";
  if (shown.size() >= 3 && shown.compare(shown.size() - 3, 3, "...") == 0 && text.size() > max_bytes)
    quoted += " (" + std::to_string(text.size()) + " bytes)";
  return quoted;
}

}  // namespace readmit
