#include "readmit/scenario/config_node.hpp"

#include <yaml-cpp/yaml.h>
#if __has_include(<yaml-cpp/depthguard.h>)
#include <yaml-cpp/depthguard.h>  // YAML::DeepRecursion (yaml-cpp >= 0.7)
#define READMIT_YAML_DEPTH_GUARD 1
#endif

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <system_error>

#include "readmit/util/bounded_file.hpp"

namespace readmit {

ConfigNode ConfigNode::make_scalar(std::string text, SourceLocation where) {
  ConfigNode node;
  node.kind_ = Kind::scalar;
  node.text_ = std::move(text);
  node.where_ = std::move(where);
  return node;
}

ConfigNode ConfigNode::make_map(SourceLocation where) {
  ConfigNode node;
  node.kind_ = Kind::map;
  node.where_ = std::move(where);
  return node;
}

ConfigNode ConfigNode::make_sequence(SourceLocation where) {
  ConfigNode node;
  node.kind_ = Kind::sequence;
  node.where_ = std::move(where);
  return node;
}

ConfigNode ConfigNode::make_null(SourceLocation where) {
  ConfigNode node;
  node.where_ = std::move(where);
  return node;
}

const ConfigNode::Entry* ConfigNode::entry(std::string_view key) const {
  if (!index_.empty()) {
    const auto it = index_.find(std::string(key));
    return it == index_.end() ? nullptr : &entries_[it->second];
  }
  for (const auto& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

const ConfigNode* ConfigNode::find(std::string_view key) const {
  const Entry* e = entry(key);
  return e == nullptr ? nullptr : &e->value;
}

ConfigNode* ConfigNode::find(std::string_view key) {
  return const_cast<ConfigNode*>(static_cast<const ConfigNode&>(*this).find(key));
}

void ConfigNode::reindex() {
  index_.clear();
  if (entries_.size() < indexed_from) return;
  index_.reserve(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) index_.emplace(entries_[i].key, i);
}

ConfigNode& ConfigNode::append(std::string key, SourceLocation key_where, ConfigNode value) {
  entries_.push_back({std::move(key), std::move(key_where), std::move(value)});
  if (!index_.empty())
    index_.emplace(entries_.back().key, entries_.size() - 1);
  else if (entries_.size() >= indexed_from)
    reindex();
  return entries_.back().value;
}

ConfigNode& ConfigNode::set(std::string key, SourceLocation key_where, ConfigNode value) {
  if (ConfigNode* existing = find(key)) return *existing = std::move(value);
  return append(std::move(key), std::move(key_where), std::move(value));
}

bool ConfigNode::erase(std::string_view key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->key == key) {
      entries_.erase(it);
      reindex();
      return true;
    }
  }
  return false;
}

std::string ConfigNode::describe() const {
  switch (kind_) {
    case Kind::null:
      return "nothing";
    case Kind::scalar:
      return quoted_excerpt(text_);
    case Kind::map:
      return "a map";
    case Kind::sequence:
      return "a list";
  }
  return "?";
}

namespace {

// Limits that keep hostile input (alias bombs, self-referencing anchors,
// absurd nesting) from hanging or crashing the loader.
constexpr int max_nesting_depth = 64;
constexpr std::size_t max_node_count = 1'000'000;

struct Converter {
  std::shared_ptr<const std::string> origin;
  DiagnosticSink& sink;
  std::size_t node_count = 0;
  bool failed = false;

  SourceLocation::Kind kind = SourceLocation::Kind::file;

  SourceLocation at(const YAML::Mark& mark) const { return {origin, mark.line + 1, mark.column + 1, kind}; }

  // `path` is the key path of `node`, for messages ("partners.alpha", "timeline[0]").
  ConfigNode convert(const YAML::Node& node, int depth, const std::string& path) {
    const SourceLocation where = at(node.Mark());
    if (failed) return ConfigNode::make_null(where);
    if (++node_count > max_node_count || depth > max_nesting_depth) {
      sink.error(where, "",
                 depth > max_nesting_depth
                     ? "nesting deeper than " + std::to_string(max_nesting_depth) + " levels"
                     : "more than " + std::to_string(max_node_count) + " values (recursive or repeated aliases?)");
      failed = true;
      return ConfigNode::make_null(where);
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return ConfigNode::make_null(where);
      case YAML::NodeType::Scalar:
        return ConfigNode::make_scalar(node.Scalar(), where);
      case YAML::NodeType::Sequence: {
        ConfigNode out = ConfigNode::make_sequence(where);
        for (const auto& item : node)
          out.items().push_back(convert(item, depth + 1, path + "[" + std::to_string(out.items().size()) + "]"));
        return out;
      }
      case YAML::NodeType::Map: {
        ConfigNode out = ConfigNode::make_map(where);
        for (const auto& pair : node) {
          const SourceLocation key_where = at(pair.first.Mark());
          if (!pair.first.IsScalar()) {
            sink.error(key_where, path, "expected a plain key, found a map or list used as a key");
            continue;
          }
          const std::string key = pair.first.Scalar();
          const std::string key_path = path.empty() ? key : path + "." + key;
          if (out.find(key) != nullptr) {
            sink.error(key_where, key_path, "duplicate key (each key may appear once in a map)");
            continue;
          }
          out.append(key, key_where, convert(pair.second, depth + 1, key_path));
        }
        return out;
      }
    }
    return ConfigNode::make_null(where);
  }
};

// The column of a tab in a line's indentation, if any: a YAML error that
// yaml-cpp reports as an unrelated "illegal map value" or similar.
std::optional<int> tab_in_indentation(std::string_view line) {
  for (std::size_t i = 0; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i)
    if (line[i] == '\t') return int(i) + 1;
  return std::nullopt;
}

std::string_view line_of(const std::string& text, int line_number) {
  std::size_t start = 0;
  for (int line = 1; line < line_number; ++line) {
    start = text.find('\n', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  const auto end = text.find('\n', start);
  return std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The flow bracket (`[` or `{`) that is never closed, found by a rough scan
// that knows comments, quoted scalars and block scalars. Used only to point
// yaml-cpp's "end of ... flow not found", which it reports at the end of the
// input, at the bracket the user has to fix.
struct OpenBracket {
  int line = 0;
  int column = 0;
  char bracket = 0;
};

// The scan, line by line: quoted scalars and block scalars may span lines.
class FlowBracketScan {
 public:
  void scan_line(std::string_view line, int line_number) {
    const auto first = line.find_first_not_of(" \t\r");
    const int indent = first == std::string_view::npos ? -1 : int(first);
    if (inside_block_scalar(indent)) return;
    char previous = 0;  // last character that is not a space, on this line
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quote_ != 0) {
        i = scan_quoted(line, i, previous);
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') continue;
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;  // a comment
      scan_syntax(c, previous, indent, {line_number, int(i) + 1, c});
      previous = c;
    }
  }

  // The bracket left open inside a collection closed around it, else the
  // innermost one still open at the end.
  std::optional<OpenBracket> unclosed() const {
    if (unmatched_) return unmatched_;
    if (!open_.empty()) return open_.back();
    return std::nullopt;
  }

 private:
  // Whether a line of this indentation is content of the block scalar
  // being scanned; a line indented no deeper than its parent ends it.
  bool inside_block_scalar(int indent) {
    if (block_scalar_parent_ < 0) return false;
    if (indent < 0 || indent > block_scalar_parent_) return true;
    block_scalar_parent_ = -1;
    return false;
  }

  // The character at `i` inside a quoted scalar; returns the index of the
  // last character it consumes (an escape or a doubled quote takes two).
  std::size_t scan_quoted(std::string_view line, std::size_t i, char& previous) {
    const char c = line[i];
    if (quote_ == '"' && c == '\\') return i + 1;
    if (c != quote_) return i;
    if (quote_ == '\'' && i + 1 < line.size() && line[i + 1] == '\'') return i + 1;
    quote_ = 0;
    previous = c;
    return i;
  }

  // Whether a character after `previous` begins a value: at the start of a
  // line, after a key, a list dash or a '?', or inside a flow collection.
  bool starts_value(char previous) const {
    return previous == 0 || previous == ':' || previous == '-' || previous == '?' ||
           (!open_.empty() && (previous == ',' || previous == '[' || previous == '{'));
  }

  // A character outside quotes and comments: `at` is where it is.
  void scan_syntax(char c, char previous, int indent, const OpenBracket& at) {
    const bool value_start = starts_value(previous);
    if ((c == '"' || c == '\'') && value_start)
      quote_ = c;
    else if ((c == '[' || c == '{') && (value_start || !open_.empty()))
      open_.push_back(at);
    else if ((c == ']' || c == '}') && !open_.empty())
      close(c);
    else if ((c == '|' || c == '>') && open_.empty() && (previous == ':' || previous == '-'))
      block_scalar_parent_ = indent;
  }

  // Closes the innermost open bracket that `closing` matches, and any left
  // open inside it: the first of those is the one never closed.
  void close(char closing) {
    const char opening = closing == ']' ? '[' : '{';
    const auto match =
        std::find_if(open_.rbegin(), open_.rend(), [&](const OpenBracket& b) { return b.bracket == opening; });
    if (match == open_.rend()) return;
    if (match != open_.rbegin() && !unmatched_) unmatched_ = open_.back();
    open_.erase(std::prev(match.base()), open_.end());
  }

  std::vector<OpenBracket> open_;
  std::optional<OpenBracket> unmatched_;  // left open inside a collection closed around it
  int block_scalar_parent_ = -1;          // indentation of the line that started a block scalar
  char quote_ = 0;                        // the quote of the scalar being scanned, if any
};

std::optional<OpenBracket> unclosed_flow_bracket(const std::string& text) {
  FlowBracketScan scan;
  int line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    scan.scan_line(std::string_view(text).substr(start, end - start), ++line_number);
    start = end + 1;
  }
  return scan.unclosed();
}

// yaml-cpp's messages, with a hint where its wording does not say what to fix.
std::string explain(const std::string& message) {
  if (message == YAML::ErrorMsg::MAP_VALUE)
    return message +
           " (a key indented differently from the keys around it, or a value containing ': ' that needs quotes)";
  if (message == YAML::ErrorMsg::END_OF_MAP || message == YAML::ErrorMsg::END_OF_SEQ ||
      message == YAML::ErrorMsg::BLOCK_ENTRY || message == YAML::ErrorMsg::MAP_KEY)
    return message + " (check the indentation of this line)";
  return message;
}

}  // namespace

namespace {

struct TextProblem {
  int line = 0;
  int column = 0;
  std::string message;
};

/// Line and column (in characters) of byte `offset`; the text before it is valid UTF-8.
std::pair<int, int> position_of(std::string_view text, std::size_t offset) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {  // not a continuation byte: a new character
      ++column;
    }
  }
  return {line, column};
}

/// What keeps `text` from being YAML text: another encoding, binary data,
/// bytes that are not UTF-8, control characters YAML does not allow.
/// Checked once, before parsing, so that no later step sees such bytes.
std::optional<TextProblem> encoding_problem(std::string_view text) {
  auto hex = [](unsigned char byte) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "0x%02X", unsigned(byte));
    return std::string(buffer);
  };
  using namespace std::string_view_literals;
  static constexpr std::pair<std::string_view, std::string_view> other_encodings[] = {
      {"\xFF\xFE\0\0"sv, "UTF-32 (byte order mark FF FE 00 00)"},
      {"\0\0\xFE\xFF"sv, "UTF-32 (byte order mark 00 00 FE FF)"},
      {"\xFF\xFE"sv, "UTF-16 (byte order mark FF FE)"},
      {"\xFE\xFF"sv, "UTF-16 (byte order mark FE FF)"}};
  for (const auto& [bom, name] : other_encodings)
    if (text.starts_with(bom))
      return TextProblem{1, 1, "expected UTF-8 text, found " + std::string(name) + "; save the file as UTF-8"};
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    // ASCII in UTF-16 without a byte order mark: every other byte is NUL.
    const std::size_t pairs = std::min<std::size_t>(text.size(), 64) / 2;
    std::size_t nul_even = 0, nul_odd = 0;
    for (std::size_t i = 0; i < 2 * pairs; ++i)
      if (text[i] == '\0') ++(i % 2 == 0 ? nul_even : nul_odd);
    if (pairs >= 2 && ((4 * nul_odd >= 3 * pairs && nul_even == 0) || (4 * nul_even >= 3 * pairs && nul_odd == 0)))
      return TextProblem{1, 1,
                         "expected UTF-8 text, found UTF-16 without a byte order mark (NUL bytes between the "
                         "characters); save the file as UTF-8"};
    const auto [line, column] = position_of(text, nul);
    return TextProblem{
        line, column,
        "expected a YAML text file, found binary data (a NUL byte at byte offset " + std::to_string(nul) + ")"};
  }
  if (const auto bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    const auto [line, column] = position_of(text, bad);
    return TextProblem{line, column,
                       "expected UTF-8 text, found the byte " + hex(static_cast<unsigned char>(text[bad])) +
                           " at byte offset " + std::to_string(bad) + " (not UTF-8; save the file as UTF-8)"};
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F) {
      const auto [line, column] = position_of(text, i);
      return TextProblem{line, column,
                         "expected YAML text, found the control character " + hex(byte) +
                             " (YAML allows tab, line feed and carriage return only)"};
    }
  }
  return std::nullopt;
}

/// yaml-cpp's parse error with a hint, located where the user has to fix it
/// when yaml-cpp's own mark points elsewhere: a tab in the indentation, a
/// key too long, a flow bracket that it reports open at the end of the input.
TextProblem parse_problem(const YAML::Exception& e, const std::string& text) {
  TextProblem problem{e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1, explain(e.msg)};
  if (problem.line == 0) return problem;
  const std::string_view line_text = line_of(text, problem.line);
  const auto key_start = line_text.find_first_not_of(' ');
  if (auto tab = tab_in_indentation(line_text)) {
    problem.column = *tab;
    problem.message = "tab character in indentation (YAML indents with spaces only)";
  } else if (e.msg == YAML::ErrorMsg::MAP_VALUE && key_start != std::string_view::npos &&
             std::size_t(problem.column - 1) > key_start + 1024) {
    problem.column = int(key_start) + 1;
    problem.message = "a key longer than 1024 characters (YAML's limit for a key without '?')";
  } else if (e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW || e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) {
    if (auto bracket = unclosed_flow_bracket(text)) {
      problem.line = bracket->line;
      problem.column = bracket->column;
      problem.message = std::string("'") + bracket->bracket + "' is never closed with '" +
                        (bracket->bracket == '[' ? ']' : '}') + "'";
    }
  }
  return problem;
}

/// yaml-cpp's tree as a ConfigNode tree (an empty document: an empty map),
/// or nullopt after reporting why not.
std::optional<ConfigNode> converted(const YAML::Node& root, const std::shared_ptr<const std::string>& origin,
                                    DiagnosticSink& sink, SourceLocation::Kind kind) {
  Converter converter{origin, sink, 0, false, kind};
  try {
    ConfigNode tree = converter.convert(root, 0, "");
    if (converter.failed) return std::nullopt;
    if (tree.is_null()) tree = ConfigNode::make_map({origin, 1, 1, kind});
    return tree;
  } catch (const YAML::Exception& e) {
    sink.error({origin, 0, 0, kind}, "", "malformed YAML: " + e.msg);
    return std::nullopt;
  }
}

}  // namespace

std::optional<std::string> read_text_file(const std::filesystem::path& path, const SourceLocation& included_from,
                                          DiagnosticSink& sink, const std::string& key_path, FileIdentity* identity) {
  BoundedFile file(path,
                   {.max_bytes = max_yaml_file_bytes, .what = "a YAML file", .shown = excerpt(path.string(), 1024)});
  auto text = file.read_all();
  if (!text) {
    sink.error(included_from, key_path, file.problem());
    return std::nullopt;
  }
  if (identity != nullptr) *identity = {file.device(), file.inode()};
  return text;
}

std::optional<ConfigNode> parse_yaml(const std::string& input, const std::string& origin, DiagnosticSink& sink,
                                     SourceLocation::Kind kind) {
  auto origin_ptr = std::make_shared<const std::string>(origin);
  if (auto problem = encoding_problem(input)) {
    sink.error({origin_ptr, problem->line, problem->column, kind}, "", problem->message);
    return std::nullopt;
  }
  // A UTF-8 byte order mark is allowed, and not part of the text.
  const std::string_view bom = "\xEF\xBB\xBF";
  const std::string text = input.starts_with(bom) ? input.substr(bom.size()) : input;
  YAML::Node root;
  try {
    root = YAML::Load(text);
#ifdef READMIT_YAML_DEPTH_GUARD
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp stops its recursive descent at a fixed depth and calls it a "bad file".
    const bool known = !e.mark.is_null();
    sink.error({origin_ptr, known ? e.mark.line + 1 : 0, known ? e.mark.column + 1 : 0, kind}, "",
               "nesting deeper than " + std::to_string(max_nesting_depth) + " levels");
    return std::nullopt;
#endif
  } catch (const YAML::Exception& e) {
    const TextProblem problem = parse_problem(e, text);
    sink.error({origin_ptr, problem.line, problem.column, kind}, "", "malformed YAML: " + problem.message);
    return std::nullopt;
  }
  return converted(root, origin_ptr, sink, kind);
}

std::optional<ConfigNode> read_yaml_file(const std::filesystem::path& path, const SourceLocation& included_from,
                                         DiagnosticSink& sink, const std::string& key_path, FileIdentity* identity) {
  auto text = read_text_file(path, included_from, sink, key_path, identity);
  if (!text) return std::nullopt;
  return parse_yaml(*text, path.string(), sink);
}

namespace {
void emit(YAML::Emitter& out, const ConfigNode& node, bool flow = false) {
  switch (node.kind()) {
    case ConfigNode::Kind::null:
      out << YAML::Null;
      break;
    case ConfigNode::Kind::scalar:
      out << node.text();
      break;
    case ConfigNode::Kind::sequence: {
      const bool flat =
          std::all_of(node.items().begin(), node.items().end(), [](const ConfigNode& n) { return n.is_scalar(); });
      out << (flat || flow ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
      for (const auto& item : node.items()) emit(out, item, flow);
      out << YAML::EndSeq;
      break;
    }
    case ConfigNode::Kind::map: {
      if (flow) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& entry : node.entries()) {
        out << YAML::Key << entry.key << YAML::Value;
        emit(out, entry.value, flow);
      }
      out << YAML::EndMap;
      break;
    }
  }
}
}  // namespace

std::string to_yaml(const ConfigNode& node) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, node);
  return std::string(out.c_str()) + "\n";
}

std::string to_flow_yaml(const ConfigNode& node) {
  YAML::Emitter out;
  emit(out, node, true);
  return out.c_str();
}

}  // namespace readmit
