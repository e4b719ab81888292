#pragma once
// The schema engine of every input file. A key table (rows of ParamSpec:
// path, type, unit, default, range, meaning; parameters.hpp) made a tree,
// and the walker that reads a YAML tree (config_node.hpp) against it: every
// key known or named with the closest known one, every value checked by its
// row with one number parser, every problem reported at once, located
// (FILE:LINE:COL: error: key.path: expected ..., found ...). Scenarios
// (parameters.hpp) and experiment and sweep files (experiment/experiment.hpp)
// are read by it; a KeyTarget stores what it reads.
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "readmit/scenario/config_node.hpp"
#include "readmit/scenario/parameters.hpp"

namespace readmit {

/// A key table as a tree: each section's keys, the entries of each map with
/// free keys and the items of each list; with every row's default parsed.
class KeySchema {
 public:
  struct Node {
    const ParamSpec* spec = nullptr;                                      // null for the root
    std::vector<std::pair<std::string, std::unique_ptr<Node>>> children;  // a section's keys, in table order
    std::unique_ptr<Node> element;                                        // map_of and list_of: their entries
    const Node* child(std::string_view key) const;
    std::vector<std::string_view> keys() const;
  };

  /// `rows` in table order, each after its parent: a row's path is its
  /// parent's and a key, `*` (the entries of a map_of) or `[]` (the items
  /// of a list_of). Throws std::logic_error for a row without a parent or
  /// with a default that does not parse.
  explicit KeySchema(std::span<const ParamSpec> rows);
  const Node& root() const { return *root_; }
  /// The row's default_yaml, parsed (null for "~").
  const ConfigNode& default_node(const ParamSpec& spec) const;

 private:
  std::unique_ptr<Node> root_;
  std::map<const ParamSpec*, ConfigNode> defaults_;
};

class SchemaWalker;

/// Where the walker puts what it reads.
class KeyTarget {
 public:
  virtual ~KeyTarget() = default;
  /// Entering an entry of a map_of or list_of (`key`: the map key, or the
  /// list index as text; `where`: the key, or the item), or a section with
  /// ParamSpec::make (key empty): the index to append to the keys below, if any.
  virtual std::optional<std::size_t> enter(const ParamSpec& spec, const PathKeys& keys, std::string_view key,
                                           const SourceLocation& where) = 0;
  /// A leaf's value, valid by its row; `node` is where it was written and
  /// `path` its key path (for the target's own later messages).
  virtual void store(const ParamSpec& spec, const PathKeys& keys, const ParamValue& value, const ConfigNode& node,
                     const std::string& path) = 0;
  /// A row of type `overrides` or `custom`, which the target reads itself
  /// (reporting to walker.sink(); walker.parse_leaf checks a value by a row).
  virtual void custom(const ParamSpec& spec, const ConfigNode& node, const std::string& path, const PathKeys& keys,
                      SchemaWalker& walker);
  /// The names a reference of `type` may take (partner_ref: the partners),
  /// and what an unknown one is ("undefined partner").
  virtual std::pair<std::vector<std::string_view>, std::string> references(ParamType type) const;
  /// A number declared with its range (WalkOptions::declared_ranges).
  virtual void declared(const DeclaredRange& range);
};

struct WalkOptions {
  std::optional<Date> start;     // the horizon, for ParamSpec::within_horizon dates
  std::optional<Date> end;       // first day after it
  bool declared_ranges = false;  // numbers may be {value, range, origin, reason}
};

class SchemaWalker {
 public:
  SchemaWalker(const KeySchema& schema, KeyTarget& target, DiagnosticSink& sink, WalkOptions options = {})
      : schema_(schema), target_(target), sink_(sink), options_(std::move(options)) {}

  /// Reads a whole file's tree against the table; returns it resolved: every
  /// key of the table in table order, defaults filled in.
  ConfigNode walk(const ConfigNode& tree);
  /// Reads `node` (a map, or null: nothing given) as the section `schema`.
  void section(const KeySchema::Node& schema, const ConfigNode* node, const SourceLocation& parent_where,
               const std::string& path, PathKeys keys, ConfigNode& out);
  /// The typed value of one leaf, or nullopt after reporting why not.
  std::optional<ParamValue> parse_leaf(const ParamSpec& spec, const ConfigNode& node, const std::string& path);

  const KeySchema& schema() const { return schema_; }
  DiagnosticSink& sink() { return sink_; }
  void error(const SourceLocation& where, const std::string& path, std::string message);

 private:
  void visit(const KeySchema::Node& schema, const ConfigNode* node, const SourceLocation& parent_where,
             const std::string& path, const PathKeys& keys, ConfigNode& out);
  void collection(const KeySchema::Node& schema, const ConfigNode* node, const SourceLocation& parent_where,
                  const std::string& path, const PathKeys& keys, ConfigNode& out);
  const ConfigNode* collection_or_default(const ParamSpec& spec, const ConfigNode* node,
                                          const SourceLocation& parent_where, const std::string& path, ConfigNode& out);
  void collection_item(const KeySchema::Node& schema, const ConfigNode& given, std::size_t i, const std::string& path,
                       const PathKeys& keys, ConfigNode& out);
  bool entry_key_valid(const ParamSpec& spec, const ConfigNode::Entry& entry, const std::string& path);
  void leaf(const ParamSpec& spec, const ConfigNode* node, const SourceLocation& parent_where, const std::string& path,
            const PathKeys& keys, ConfigNode& out);
  void declared_range(const ParamSpec& spec, const ConfigNode& node, const std::string& path, const PathKeys& keys);
  bool read_origin(const ConfigNode& node, const std::string& path, DeclaredRange& declared);
  bool read_reason(const ConfigNode& node, const std::string& path, DeclaredRange& declared);
  std::optional<std::pair<double, double>> range_bounds(const ParamSpec& spec, const ConfigNode& node,
                                                        const std::string& path);
  std::optional<ParamValue> parse_integer(const ParamSpec& spec, const ConfigNode& node, const std::string& path);
  std::optional<ParamValue> parse_real(const ParamSpec& spec, const ConfigNode& node, const std::string& path);
  std::optional<ParamValue> parse_boolean(const ParamSpec& spec, const ConfigNode& node, const std::string& path);
  std::optional<ParamValue> parse_date(const ParamSpec& spec, const ConfigNode& node, const std::string& path);
  std::optional<ParamValue> parse_text(const ParamSpec& spec, const ConfigNode& node, const std::string& path);
  std::optional<ParamValue> parse_choice(const ParamSpec& spec, const ConfigNode& node, const std::string& path);
  std::optional<ParamValue> parse_names(const ParamSpec& spec, const ConfigNode& node, const std::string& path);
  bool name_item_valid(const ParamSpec& spec, ParamType item_type, const ConfigNode& item, const std::string& path);
  std::optional<ParamValue> parse_shares(const ParamSpec& spec, const ConfigNode& node, const std::string& path);
  bool check_reference(ParamType type, const ConfigNode& node, const std::string& path);
  std::optional<ParamValue> fail(const ConfigNode& node, const std::string& path, const std::string& expected);

  const KeySchema& schema_;
  KeyTarget& target_;
  DiagnosticSink& sink_;
  WalkOptions options_;
};

/// Whether `text` is a parameter path usable in `--set PATH=VALUE`: dotted
/// parts, no `=` and no blank.
bool is_parameter_path(std::string_view text);

/// Parses a YAML number: decimal (a leading '+' allowed) or the YAML
/// spellings .inf, -.inf, .nan. The one number parser of every input file.
std::optional<double> parse_yaml_number(const std::string& text);

/// Parses a whole number (a leading '+' allowed) that fits 64 bits.
std::optional<std::int64_t> parse_yaml_integer(const std::string& text);

}  // namespace readmit
