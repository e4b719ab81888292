#pragma once
// Helpers shared by the scenario tests: test data paths, temporary folders,
// loading from text, and structural comparison of ConfigNode trees.
#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "readmit/scenario/config_node.hpp"
#include "readmit/scenario/loader.hpp"

namespace readmit::test {

inline std::filesystem::path data_dir() { return std::filesystem::path(READMIT_TEST_DATA_DIR) / "scenario"; }
inline std::filesystem::path valid_file(const std::string& name) { return data_dir() / "valid" / name; }

/// A fresh folder under the system's temporary folder, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() / ("readmit_test_" + std::to_string(::getpid()) + "_" +
                                                      std::to_string(counter++) + "_" + std::to_string(entropy()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Parses YAML text that must be well formed (test input).
inline ConfigNode parse_or_throw(const std::string& text, const std::string& origin = "test.yaml") {
  DiagnosticSink sink;
  auto node = parse_yaml(text, origin, sink);
  sink.throw_if_any();
  return *node;
}

/// Every diagnostic of a ScenarioError as "FILE:LINE:COL: error: ..." text;
/// empty if `action` does not throw one.
template <class Action>
std::vector<std::string> diagnostics_of(Action&& action) {
  try {
    action();
  } catch (const ScenarioError& e) {
    std::vector<std::string> texts;
    for (const auto& d : e.diagnostics()) texts.push_back(d.to_string());
    return texts;
  }
  return {};
}

/// Same kinds, scalar texts, keys (in order) and items; locations are ignored.
inline bool same_tree(const ConfigNode& a, const ConfigNode& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ConfigNode::Kind::null:
      return true;
    case ConfigNode::Kind::scalar:
      return a.text() == b.text();
    case ConfigNode::Kind::sequence:
      if (a.items().size() != b.items().size()) return false;
      for (std::size_t i = 0; i < a.items().size(); ++i)
        if (!same_tree(a.items()[i], b.items()[i])) return false;
      return true;
    case ConfigNode::Kind::map:
      if (a.entries().size() != b.entries().size()) return false;
      for (std::size_t i = 0; i < a.entries().size(); ++i)
        if (a.entries()[i].key != b.entries()[i].key || !same_tree(a.entries()[i].value, b.entries()[i].value))
          return false;
      return true;
  }
  return false;
}

/// The node at a dotted path ("partners.alpha.population"; list items by index).
inline const ConfigNode* node_at(const ConfigNode& root, const std::string& dotted) {
  const ConfigNode* node = &root;
  std::size_t start = 0;
  while (node != nullptr && start <= dotted.size()) {
    const auto dot = dotted.find('.', start);
    const std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (node->is_sequence()) {
      const std::size_t index = std::stoul(part);
      node = index < node->items().size() ? &node->items()[index] : nullptr;
    } else {
      node = node->find(part);
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return node;
}

}  // namespace readmit::test
