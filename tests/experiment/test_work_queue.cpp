// The local work queue, the byte form of replications sent between ranks,
// and the progress reporter's options.
#include <catch2/catch.hpp>

#include "readmit/app/distributed_run.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/app/progress.hpp"
#include "readmit/app/work_queue.hpp"
#include "scenario/scenario_test_support.hpp"

using namespace readmit;

TEST_CASE("the local work queue computes every task in order", "[experiment][queue]") {
  const auto queue = local_work_queue();
  CHECK(queue->coordinator());
  CHECK(queue->workers() == 1);
  std::vector<std::string> consumed;
  queue->run(
      {"a", "b", "c"}, [](const std::string& task) { return task + task; },
      [&](std::size_t index, std::string&& result) { consumed.push_back(std::to_string(index) + result); });
  CHECK(consumed == std::vector<std::string>{"0aa", "1bb", "2cc"});
  CHECK_THROWS_AS(queue->serve([](const std::string&) { return std::string(); }), std::logic_error);
  const auto message = describe_exception(std::make_exception_ptr(
      ScenarioError({{SourceLocation{std::make_shared<const std::string>("f.yaml"), 2, 3}, "k", "bad"}})));
  CHECK(message == "f.yaml:2:3: error: k: bad");
}

TEST_CASE("replications sent between ranks come back exactly", "[experiment][queue]") {
  const auto loaded = load_scenario(READMIT_TEST_DATA_DIR "/ensemble/two_partners.yaml");
  std::vector<ReplicationResult> results;
  for (std::uint64_t r = 0; r < 3; ++r) results.push_back(run_replication(loaded.scenario, r));
  const auto decoded = decode_replications(encode_replications(results));
  REQUIRE(decoded.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& a = results[i].monthly;
    const auto& b = decoded[i].monthly;
    REQUIRE(b.months() == a.months());
    REQUIRE(b.columns() == a.columns());
    bool same = true;
    for (std::size_t t = 0; t < a.months(); ++t)
      for (std::size_t k = 0; k < a.partners(); ++k)
        for (std::size_t c = 0; c < a.columns(); ++c)
          same = same && (std::isnan(a.at(t, k, c)) ? std::isnan(b.at(t, k, c)) : a.at(t, k, c) == b.at(t, k, c));
    CHECK(same);
    CHECK(decoded[i].removals == results[i].removals);
    CHECK(decoded[i].persons == results[i].persons);
    REQUIRE(decoded[i].events.size() == results[i].events.size());
    for (std::size_t e = 0; e < results[i].events.size(); ++e) {
      CHECK(decoded[i].events[e].day == results[i].events[e].day);
      CHECK(decoded[i].events[e].kind == results[i].events[e].kind);
      CHECK(decoded[i].events[e].detail == results[i].events[e].detail);
    }
  }
  CHECK_THROWS_AS(decode_replications(encode_replications(results).substr(0, 100)), std::runtime_error);
}

TEST_CASE("--progress: auto follows the terminal; jsonl goes to stderr or a file", "[experiment][progress]") {
  using Style = ProgressSettings::Style;
  CHECK(parse_progress("auto", true).style == Style::bar);
  CHECK(parse_progress("auto", false).style == Style::none);
  CHECK(parse_progress("bar", false).style == Style::bar);
  CHECK(parse_progress("none", true).style == Style::none);
  CHECK(parse_progress("jsonl", false).style == Style::jsonl);
  CHECK(parse_progress("jsonl", false).jsonl_file.empty());
  CHECK(parse_progress("jsonl=p.jsonl", false).jsonl_file == "p.jsonl");
  for (const char* bad : {"", "json", "jsonl=", "BAR"}) CHECK_THROWS_AS(parse_progress(bad, true), UsageError);
}
