#include "readmit/app/distributed_run.hpp"

#include <algorithm>

#include "readmit/app/assumptions.hpp"
#include "readmit/util/byte_codec.hpp"

namespace readmit {

std::string encode_replications(const std::vector<ReplicationResult>& results) {
  ByteWriter out;
  out.put(std::uint64_t(results.size()));
  for (const auto& r : results) {
    const auto& m = r.monthly;
    out.put(std::uint64_t(m.months()));
    out.put(std::uint64_t(m.partners()));
    out.put(std::uint64_t(m.columns()));
    for (std::size_t t = 0; t < m.months(); ++t)
      for (std::size_t k = 0; k < m.partners(); ++k)
        for (std::size_t c = 0; c < m.columns(); ++c) out.put(m.at(t, k, c));
    out.put(std::uint64_t(r.persons));
    out.put(std::uint64_t(r.removals.size()));
    for (const auto& removals : r.removals) {
      out.put(std::uint64_t(removals.size()));
      for (const auto& removal : removals) {
        out.put(removal.first_request_day);
        out.put(removal.days_request_to_removal);
      }
    }
    out.put(std::uint64_t(r.events.size()));
    for (const auto& e : r.events) {
      out.put(e.day);
      out.put(std::uint64_t(e.partner));
      out.put_text(e.kind);
      out.put_text(e.detail);
    }
    out.put(r.timings.synthesis_seconds);
    out.put(r.timings.simulation_seconds);
  }
  return out.take();
}

std::vector<ReplicationResult> decode_replications(const std::string& bytes) {
  ByteReader in(bytes);
  std::vector<ReplicationResult> results;
  const auto count = std::size_t(in.get<std::uint64_t>());
  for (std::size_t i = 0; i < count; ++i) {
    const auto months = std::size_t(in.get<std::uint64_t>());
    const auto partners = std::size_t(in.get<std::uint64_t>());
    const auto columns = std::size_t(in.get<std::uint64_t>());
    ReplicationResult& r = results.emplace_back(ReplicationResult{.monthly = MonthlySeries(months, partners, columns),
                                                                  .tallies = {},
                                                                  .removals = {},
                                                                  .events = {},
                                                                  .timings = {}});
    for (std::size_t t = 0; t < months; ++t)
      for (std::size_t k = 0; k < partners; ++k)
        for (std::size_t c = 0; c < columns; ++c) r.monthly.at(t, k, c) = in.get<double>();
    r.persons = std::size_t(in.get<std::uint64_t>());
    r.removals.resize(std::size_t(in.get<std::uint64_t>()));
    for (auto& removals : r.removals) {
      removals.resize(std::size_t(in.get<std::uint64_t>()));
      for (auto& removal : removals) {
        removal.first_request_day = in.get<std::int32_t>();
        removal.days_request_to_removal = in.get<float>();
      }
    }
    r.events.resize(std::size_t(in.get<std::uint64_t>()));
    for (auto& e : r.events) {
      e.day = in.get<std::int32_t>();
      e.partner = std::size_t(in.get<std::uint64_t>());
      e.kind = in.get_text();
      e.detail = in.get_text();
    }
    r.timings.synthesis_seconds = in.get<double>();
    r.timings.simulation_seconds = in.get<double>();
  }
  if (!in.done()) throw std::runtime_error("a worker's batch of replications has trailing bytes");
  return results;
}

namespace {

std::string batch_task(std::size_t scenario, std::uint64_t first, std::uint64_t count) {
  ByteWriter out;
  out.put(std::uint64_t(scenario));
  out.put(first);
  out.put(count);
  return out.take();
}

}  // namespace

std::function<void(std::size_t, const Scenario&, const EnsembleOptions&, std::uint64_t, const ReplicationConsumer&)>
distributed_stream(WorkQueue& queue) {
  return [&queue](std::size_t index, const Scenario&, const EnsembleOptions& options, std::uint64_t first,
                  const ReplicationConsumer& consume) {
    if (options.replications <= 0) return;
    const auto total = std::uint64_t(options.replications);
    const std::uint64_t workers = std::max<std::uint64_t>(1, queue.workers());
    const std::uint64_t batch = std::clamp<std::uint64_t>((total + 4 * workers - 1) / (4 * workers), 1, 64);
    std::vector<std::string> tasks;
    for (std::uint64_t start = 0; start < total; start += batch)
      tasks.push_back(batch_task(index, first + start, std::min(batch, total - start)));
    std::int64_t finished = 0;
    queue.run(
        tasks, [](const std::string&) -> std::string { throw std::logic_error("batches run on the workers"); },
        [&](std::size_t task, std::string&& bytes) {
          auto results = decode_replications(bytes);
          for (std::size_t i = 0; i < results.size(); ++i) {
            consume(first + task * batch + i, std::move(results[i]));
            if (options.progress) options.progress(++finished, options.replications);
          }
        });
  };
}

void serve_ensembles(const EnsembleRunOptions& options, WorkQueue& queue) {
  std::vector<LoadedScenario> loaded;
  std::exception_ptr failure;
  try {
    loaded = load_ensemble_scenarios(options);
  } catch (...) {
    failure = std::current_exception();  // the coordinator reports it too; answer its tasks with it
  }
  queue.serve([&](const std::string& task) {
    if (failure) std::rethrow_exception(failure);
    ByteReader in(task);
    const auto scenario = std::size_t(in.get<std::uint64_t>());
    const auto first = in.get<std::uint64_t>();
    const auto count = in.get<std::uint64_t>();
    if (scenario >= loaded.size()) throw std::runtime_error("a batch names an unknown scenario");
    std::vector<ReplicationResult> results;
    EnsembleOptions ensemble;
    ensemble.replications = std::int64_t(count);
    ensemble.threads = options.threads;
    if (options.uncertainty_assumptions) ensemble.scenario_for = assumption_scenarios(loaded[scenario].scenario);
    stream_ensemble(loaded[scenario].scenario, ensemble, first,
                    [&](std::uint64_t, ReplicationResult&& result) { results.push_back(std::move(result)); });
    return encode_replications(results);
  });
}

}  // namespace readmit
