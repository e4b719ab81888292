#pragma once
// The parameter table: the one place that states every scenario parameter's
// path, type, unit, default, admissible range, meaning and source. Defaults,
// validation, `readmit schema` and docs/parameters.md all come from it. Its
// rows (ParamSpec) are also the form of the experiment file's key table:
// schema_walker.hpp reads any file against such a table.
//
// Paths use `*` for the entries of a map with free keys (partners.*) and `[]`
// for the items of a list (timeline.[]).
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/scenario/scenario.hpp"

namespace readmit {

enum class ParamType {
  section,         // a map with fixed keys (the rows below it)
  map_of,          // a map with free keys; its element is the row ending in `.*`
  list_of,         // a list; its item is the row ending in `.[]`
  integer,         // a whole number
  real,            // a finite number
  probability,     // a number in [0, 1]
  boolean,         // true or false
  date,            // YYYY-MM-DD
  text,            // any string
  choice,          // one of `choices`
  distribution,    // a number, or {dist: KIND, ...parameters, min:, max:}
  shares,          // {category: share, ...} over `choices`, summing to 1
  name_list,       // a list of strings
  partner_ref,     // the name of a partner defined under `partners`
  partner_list,    // a list of partner names
  ladder_ref,      // a sanction preset or a key of sanctions.ladders
  amendment_ref,   // one of the amendment names (AmendmentKind)
  amendment_list,  // a list of amendment names
  overrides,       // {parameter.path: value, ...}: changes of parameters, read by the KeyTarget
  custom,          // read by the KeyTarget (schema_walker.hpp) itself
};

using PathKeys = std::vector<std::size_t>;
/// Stores a validated value into the typed scenario; `keys` index the map
/// entries and list items on the path, outermost first.
using ParamSetter = void (*)(Scenario&, const PathKeys& keys, const ParamValue& value);
/// Creates the element of a map_of or list_of (or engages an optional
/// section) and returns its index to append to the keys, if any.
using ElementMaker = std::optional<std::size_t> (*)(Scenario&, const PathKeys& keys, std::string_view key);

struct ParamSpec {
  std::string_view path{};
  ParamType type = ParamType::section;
  std::string_view unit{};
  std::string_view default_yaml{};  // YAML text of the default; unused when `required`
  bool required = false;            // leaves: must be given; map_of/list_of: must be non-empty
  double min = -std::numeric_limits<double>::infinity();
  /// Numbers: the largest value; texts: the most bytes; maps with free keys
  /// and lists: the most entries.
  double max = std::numeric_limits<double>::infinity();
  std::string_view choices{};  // "a|b|c" for choice and shares; custom: the form its value takes (for messages)
  std::string_view meaning{};
  std::string_view source{};  // where the default comes from
  ParamSetter set = nullptr;
  ElementMaker make = nullptr;
  bool timeline_settable = false;  // may appear under timeline[].set
  bool within_horizon = false;     // dates: must fall in [start_date, end of horizon)
  bool optional_section = false;   // sections: may be absent (no defaults are applied then)
  bool infinity_ok = false;        // reals: .inf allowed (a threshold that never fires)
  bool first_of_month = false;     // dates: must be the first day of a month
  bool safe_name = false;          // texts: a name (letters, digits, '_', '-'; see is_safe_name)
  bool path_keys = false;          // map_of: its keys are parameter paths (a.b.c), not names
};

/// Whether `text` is a name that may become a folder, a CSV cell or a key
/// path part: 1 to max_safe_name_bytes letters, digits, '_' or '-', starting
/// with a letter or a digit. Partner, ladder, step, visa category, timeline
/// entry and scenario names are such names.
inline constexpr std::size_t max_safe_name_bytes = 64;
bool is_safe_name(std::string_view text);
/// "a name of letters, digits, ..." for messages.
std::string safe_name_expectation();

/// Whether the table's default of a parameter is sourced, assumed ("[A]" in its
/// source) or fitted ("fitted" in its source).
ValueOrigin table_origin(const ParamSpec& spec);
/// "sourced", "assumed" or "fitted".
std::string_view value_origin_name(ValueOrigin origin);

/// Every parameter, in document order (the order of `readmit show`).
std::span<const ParamSpec> parameter_table();

/// Human-readable type and range, e.g. "probability in [0, 1]" or "whole number >= 0".
std::string describe_expectation(const ParamSpec& spec);

/// The names of the amendments, in AmendmentKind order.
std::span<const std::string_view> amendment_names();
std::optional<AmendmentKind> amendment_from_name(std::string_view name);

/// Built-in sanction ladders (us_243d, eu_art25a).
std::vector<SanctionLadder> sanction_presets();

/// The parameter table as text: one block per parameter (for `readmit schema`).
std::string schema_as_text();
/// The parameter table as Markdown (docs/parameters.md is this text).
std::string schema_as_markdown();

}  // namespace readmit
