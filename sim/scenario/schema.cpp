// The parameter table as people read it: the expectation a value must meet
// (in error messages) and `readmit schema` as text or Markdown
// (docs/parameters.md), from the table in parameters.cpp.
#include <cmath>
#include <string>

#include "readmit/scenario/parameters.hpp"
#include "readmit/util/text.hpp"

namespace readmit {

namespace {

using T = ParamType;

std::string format_bound(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("?");
}

std::string type_name(const ParamSpec& spec) {
  switch (spec.type) {
    case T::section:
      return "section";
    case T::map_of:
      return "map";
    case T::list_of:
      return "list";
    case T::integer:
      return "integer";
    case T::real:
      return "number";
    case T::probability:
      return "probability";
    case T::boolean:
      return "boolean";
    case T::date:
      return "date";
    case T::text:
      return "text";
    case T::choice:
      return "choice";
    case T::distribution:
      return "distribution";
    case T::shares:
      return "shares";
    case T::name_list:
      return "list of names";
    case T::partner_ref:
      return "partner name";
    case T::partner_list:
      return "list of partner names";
    case T::ladder_ref:
      return "ladder name";
    case T::amendment_ref:
      return "amendment name";
    case T::amendment_list:
      return "list of amendment names";
    case T::overrides:
      return "parameter changes";
    case T::custom:
      return "value";
  }
  return "?";
}

std::string choices_text(std::string_view choices) {
  std::string text;
  for (char c : choices) text += c == '|' ? std::string(", ") : std::string(1, c);
  return text;
}

}  // namespace

std::string describe_expectation(const ParamSpec& spec) {
  const bool has_min = std::isfinite(spec.min);
  const bool has_max = std::isfinite(spec.max);
  auto range = [&](const std::string& noun) {
    if (has_min && has_max) return noun + " in [" + format_bound(spec.min) + ", " + format_bound(spec.max) + "]";
    if (has_min) return noun + " >= " + format_bound(spec.min);
    if (has_max) return noun + " <= " + format_bound(spec.max);
    return noun;
  };
  switch (spec.type) {
    case T::integer:
      return range("a whole number");
    case T::real:
      if (spec.infinity_ok) return range("a number") + " or .inf";
      return range("a number");
    case T::probability:
      return "a probability in [0, 1]";
    case T::boolean:
      return "true or false";
    case T::date:
      return "a date YYYY-MM-DD";
    case T::text:
      if (spec.safe_name) return safe_name_expectation();
      if (has_max) return "a text of at most " + format_bound(spec.max) + " bytes";
      return "a text";
    case T::choice:
      return "one of: " + choices_text(spec.choices);
    case T::distribution:
      return "a number or a distribution {dist: "
             "constant|uniform|normal|lognormal|gamma|exponential|poisson|triangular, ...}";
    case T::shares:
      return "a map of shares over " + choices_text(spec.choices) + " summing to 1";
    case T::name_list:
      return spec.choices.empty() ? "a list of names" : "a list of names from: " + choices_text(spec.choices);
    case T::partner_ref:
      return "the name of a partner defined under partners";
    case T::partner_list:
      return "a list of partner names";
    case T::ladder_ref:
      return "a sanction ladder: us_243d, eu_art25a or a key of sanctions.ladders";
    case T::amendment_ref:
      return "an amendment name";
    case T::amendment_list:
      return "a list of amendment names";
    case T::overrides:
      return "a map of parameter paths to values";
    case T::custom:
      return std::string(spec.choices);
    case T::section:
    case T::map_of:
      return "a map";
    case T::list_of:
      return "a list";
  }
  return "?";
}

namespace {

using T = ParamType;

/// The default as the schema shows it: a section's is whether it may be left
/// out, a required value has none.
std::string default_text(const ParamSpec& spec) {
  if (spec.type == T::section) return spec.optional_section ? "(optional)" : "";
  if (spec.required) return "(required)";
  return std::string(spec.default_yaml);
}

/// Whether a row expects a value of its own (a section, a map with free keys
/// or a list expects its rows below).
bool expects_value(const ParamSpec& spec) {
  return spec.type != T::section && spec.type != T::map_of && spec.type != T::list_of;
}

/// `text` in a Markdown table cell: its '|' escaped.
std::string markdown_cell(std::string_view text) {
  std::string escaped;
  for (char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
  return escaped;
}

void append_markdown_row(std::string& out, const ParamSpec& spec) {
  const std::string default_value = default_text(spec);
  out += "| `" + std::string(spec.path) + "` | " + type_name(spec) + " | " + markdown_cell(spec.unit) + " | " +
         (default_value.empty() ? "" : "`" + markdown_cell(default_value) + "`") + " | " +
         (expects_value(spec) ? markdown_cell(describe_expectation(spec)) : std::string()) + " | " +
         markdown_cell(spec.meaning) + (spec.timeline_settable ? " *(timeline)*" : "") + " | " +
         markdown_cell(spec.source) + " |\n";
}

void append_text_block(std::string& out, const ParamSpec& spec) {
  const std::string default_value = default_text(spec);
  out += std::string(spec.path) + "\n";
  out += "  type:    " + type_name(spec) + (spec.unit.empty() ? "" : " (" + std::string(spec.unit) + ")") + "\n";
  if (expects_value(spec)) out += "  expects: " + describe_expectation(spec) + "\n";
  if (!default_value.empty()) out += "  default: " + default_value + "\n";
  out += "  meaning: " + std::string(spec.meaning) + "\n";
  if (!spec.source.empty()) out += "  source:  " + std::string(spec.source) + "\n";
  if (spec.timeline_settable) out += "  timeline: may be changed by timeline[].set\n";
}

}  // namespace

std::string schema_as_text() {
  std::string out;
  for (const auto& spec : parameter_table()) {
    append_text_block(out, spec);
    out += "\n";
  }
  return out;
}

std::string schema_as_markdown() {
  std::string out =
      "# Scenario parameters\n\n"
      "Generated by `readmit schema --format markdown` from the parameter table "
      "(sim/scenario/parameters.cpp and parameter_rows_*.cpp); do not edit by hand. A test checks that this file is "
      "current.\n\n"
      "Paths use `*` for the entries of a map with free keys and `[]` for the items of a list. "
      "Source labels follow docs/sources.md (where each figure and its source are listed): [S] solid, [R] reported, "
      "[A] assumption. "
      "Parameters marked *(timeline)* may be changed on a date by `timeline[].set`.\n\n"
      "| path | type | unit | default | expects | meaning | source |\n"
      "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const auto& spec : parameter_table()) append_markdown_row(out, spec);
  return out;
}

}  // namespace readmit
