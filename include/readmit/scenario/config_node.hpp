#pragma once
// A YAML document as a tree whose every node remembers its source location,
// so that errors can be reported against the file (and line) a value came
// from after `extends`, amendment overlays and `--set` overrides are merged.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "readmit/scenario/diagnostics.hpp"

namespace readmit {

class ConfigNode {
 public:
  enum class Kind { null, scalar, map, sequence };
  struct Entry;

  ConfigNode() = default;
  static ConfigNode make_scalar(std::string text, SourceLocation where);
  static ConfigNode make_map(SourceLocation where);
  static ConfigNode make_sequence(SourceLocation where);
  static ConfigNode make_null(SourceLocation where);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  bool is_map() const { return kind_ == Kind::map; }
  bool is_sequence() const { return kind_ == Kind::sequence; }
  const SourceLocation& where() const { return where_; }
  const std::string& text() const { return text_; }  // scalars only

  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<Entry>& entries() { return entries_; }
  const std::vector<ConfigNode>& items() const { return items_; }
  std::vector<ConfigNode>& items() { return items_; }

  const ConfigNode* find(std::string_view key) const;
  ConfigNode* find(std::string_view key);
  /// Adds or replaces a map entry and returns the stored value.
  ConfigNode& set(std::string key, SourceLocation key_where, ConfigNode value);
  bool erase(std::string_view key);

  /// Short description for messages: `"lots"`, `a map`, `a list`, `nothing`.
  std::string describe() const;

 private:
  Kind kind_ = Kind::null;
  SourceLocation where_;
  std::string text_;
  std::vector<Entry> entries_;  // file order is kept: outputs and messages follow it
  std::vector<ConfigNode> items_;
};

struct ConfigNode::Entry {
  std::string key;
  SourceLocation key_where;
  ConfigNode value;
};

/// Parses YAML text. Syntax errors and duplicate keys are reported to `sink`
/// with the parser's position; returns nullopt when the text cannot be parsed.
std::optional<ConfigNode> parse_yaml(const std::string& text, const std::string& origin, DiagnosticSink& sink);

/// Reads and parses a YAML file; unreadable files are reported to `sink` at
/// `included_from`, under `key_path` (the key that named the file, if any).
std::optional<ConfigNode> read_yaml_file(const std::filesystem::path& path, const SourceLocation& included_from,
                                         DiagnosticSink& sink, const std::string& key_path = {});

/// Deep merge: maps merge key by key, anything else in `overlay` replaces `base`.
void merge_into(ConfigNode& base, const ConfigNode& overlay);

/// Writes the tree as YAML (block style, keys in tree order).
std::string to_yaml(const ConfigNode& node);

}  // namespace readmit
