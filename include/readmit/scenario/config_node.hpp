#pragma once
// A YAML document as a tree whose every node remembers its source location,
// so that errors can be reported against the file (and line) a value came
// from after `extends`, amendment overlays and `--set` overrides are merged.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
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

  /// Map entries in file order. Keys change only through append, set and
  /// erase, which keep the key index (maps are looked up in constant time, so
  /// that a map of many keys is read in linear time).
  const std::vector<Entry>& entries() const { return entries_; }
  const std::vector<ConfigNode>& items() const { return items_; }
  std::vector<ConfigNode>& items() { return items_; }

  const ConfigNode* find(std::string_view key) const;
  ConfigNode* find(std::string_view key);
  /// The entry of `key` (with the key's location), or null.
  const Entry* entry(std::string_view key) const;
  /// Appends an entry whose key is not in the map yet (the caller checked
  /// with find) and returns the stored value.
  ConfigNode& append(std::string key, SourceLocation key_where, ConfigNode value);
  /// Adds or replaces a map entry and returns the stored value.
  ConfigNode& set(std::string key, SourceLocation key_where, ConfigNode value);
  bool erase(std::string_view key);

  /// Short description for messages: `"lots"`, `a map`, `a list`, `nothing`.
  std::string describe() const;

 private:
  static constexpr std::size_t indexed_from = 16;  // entries
  void reindex();

  Kind kind_ = Kind::null;
  SourceLocation where_;
  std::string text_;
  std::vector<Entry> entries_;  // file order is kept: outputs and messages follow it
  std::vector<ConfigNode> items_;
  // Position of each key in entries_, kept once a map has more than a few
  // entries (a short map is searched faster than it is hashed).
  std::unordered_map<std::string, std::size_t> index_;
};

struct ConfigNode::Entry {
  std::string key;
  SourceLocation key_where;
  ConfigNode value;
};

/// Parses YAML text. The text is checked first: UTF-8 (a UTF-8 byte order
/// mark is allowed), no NUL byte, no control character but tab, line feed and
/// carriage return; UTF-16 and UTF-32 are named as such. Syntax errors and
/// duplicate keys are reported to `sink` with the parser's position, located
/// in `origin`; returns nullopt when the text cannot be parsed.
std::optional<ConfigNode> parse_yaml(const std::string& input, const std::string& origin, DiagnosticSink& sink,
                                     SourceLocation::Kind kind = SourceLocation::Kind::file);

/// The largest YAML file read (scenarios are a few kilobytes).
inline constexpr std::uint64_t max_yaml_file_bytes = std::uint64_t(16) << 20;

/// A file's device and inode: the same file under two names is one file.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

/// Reads a text file: opened once (without blocking), checked with fstat to
/// be a regular file of at most max_yaml_file_bytes, read in bounded chunks.
/// Directories, devices, FIFOs, sockets, symbolic-link loops, missing and
/// oversized files are reported to `sink` at `included_from`, under
/// `key_path` (the key that named the file, if any), at once.
std::optional<std::string> read_text_file(const std::filesystem::path& path, const SourceLocation& included_from,
                                          DiagnosticSink& sink, const std::string& key_path = {},
                                          FileIdentity* identity = nullptr);

/// read_text_file, then parse_yaml.
std::optional<ConfigNode> read_yaml_file(const std::filesystem::path& path, const SourceLocation& included_from,
                                         DiagnosticSink& sink, const std::string& key_path = {},
                                         FileIdentity* identity = nullptr);

/// Writes the tree as YAML (block style, keys in tree order).
std::string to_yaml(const ConfigNode& node);
/// Writes the tree as YAML on one line (flow style: `{dist: gamma, shape: 2}`).
std::string to_flow_yaml(const ConfigNode& node);

}  // namespace readmit
