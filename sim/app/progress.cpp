#include "readmit/app/progress.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/io/atomic_file.hpp"

namespace readmit {

namespace {

/// 1:02:03 or 2:03.
std::string clock_text(double seconds) {
  const auto total = std::int64_t(std::llround(std::max(0.0, seconds)));
  char buffer[32];
  if (total >= 3600)
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", static_cast<long long>(total / 3600),
                  static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
  else
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
  return buffer;
}

double rounded(double value) { return std::round(value * 1000.0) / 1000.0; }

}  // namespace

ProgressSettings parse_progress(std::string_view text, bool stderr_is_terminal) {
  using Style = ProgressSettings::Style;
  if (text == "auto") return {stderr_is_terminal ? Style::bar : Style::none, {}};
  if (text == "bar") return {Style::bar, {}};
  if (text == "none") return {Style::none, {}};
  if (text == "jsonl") return {Style::jsonl, {}};
  if (text.starts_with("jsonl=") && text.size() > 6) return {Style::jsonl, std::filesystem::path(text.substr(6))};
  throw UsageError("--progress \"" + std::string(text) + "\": expected auto, bar, none, jsonl or jsonl=FILE");
}

ProgressReporter::ProgressReporter(const ProgressSettings& settings, std::string command, std::string unit,
                                   std::size_t batch)
    : settings_(settings),
      command_(std::move(command)),
      unit_(std::move(unit)),
      batch_(std::max<std::size_t>(1, batch)),
      out_(&std::cerr) {
  if (settings_.style == ProgressSettings::Style::jsonl && !settings_.jsonl_file.empty()) {
    file_.open(settings_.jsonl_file, std::ios::binary | (settings_.append ? std::ios::app : std::ios::trunc));
    if (!file_) throw IoError("--progress: cannot write '" + settings_.jsonl_file.string() + "'");
    out_ = &file_;
  }
}

ProgressReporter::~ProgressReporter() { finish(); }

void ProgressReporter::start(std::size_t already_done, std::size_t total) {
  already_done_ = already_done;
  last_line_done_ = already_done;
  started_ = std::chrono::steady_clock::now();
  if (settings_.style == ProgressSettings::Style::bar && total > 0) draw_bar(already_done, total, {}, 0, 0);
}

void ProgressReporter::update(std::size_t done, std::size_t total, std::string_view label) {
  if (!active()) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  const double rate = elapsed > 0 && done > already_done_ ? double(done - already_done_) / elapsed : 0.0;
  if (settings_.style == ProgressSettings::Style::bar) {
    // Redrawing is cheap but not free: at most ten times a second, and the last.
    if (done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    draw_bar(done, total, label, elapsed, rate);
  } else if (done >= total || done >= last_line_done_ + batch_) {
    last_line_done_ = done;
    write_line(done, total, elapsed, rate);
  }
}

void ProgressReporter::draw_bar(std::size_t done, std::size_t total, std::string_view label, double elapsed,
                                double rate) {
  constexpr std::size_t width = 24;
  const std::size_t filled = total > 0 ? std::min(width, done * width / total) : 0;
  std::string line = "\r" + std::string(label.empty() ? std::string_view(command_) : label) + " [" +
                     std::string(filled, '#') + std::string(width - filled, '-') + "] " + std::to_string(done) + "/" +
                     std::to_string(total) + " " + unit_;
  if (rate > 0) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "  %.3g/s", rate);
    line += buffer;
    line +=
        "  " + clock_text(elapsed) + " elapsed, " + clock_text(double(total - std::min(done, total)) / rate) + " left";
  }
  *out_ << line << "\x1b[K" << std::flush;
  bar_shown_ = true;
}

void ProgressReporter::write_line(std::size_t done, std::size_t total, double elapsed, double rate) {
  nlohmann::ordered_json line;
  line["command"] = command_;
  line["unit"] = unit_;
  line["done"] = done;
  line["total"] = total;
  line["elapsed_seconds"] = rounded(elapsed);
  line["rate"] = rounded(rate);
  line["eta_seconds"] = rate > 0 ? nlohmann::ordered_json(rounded(double(total - std::min(done, total)) / rate))
                                 : nlohmann::ordered_json(nullptr);
  *out_ << line.dump() << '\n' << std::flush;
}

void ProgressReporter::finish() {
  if (bar_shown_) *out_ << "\r\x1b[K" << std::flush;
  bar_shown_ = false;
}

}  // namespace readmit
