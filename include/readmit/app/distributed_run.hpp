#pragma once
// `readmit run` and `readmit compare` under MPI: the replications of each
// scenario are cut into batches that the work queue hands to its workers;
// the coordinator adds the results in replication order, so every output is
// the same bytes as on one process.
//
// A batch travels as bytes: per replication its monthly values, the days
// from request to removal, the event log, the person count and the timings,
// which is everything the outputs use (ReplicationResult::tallies stay on
// the worker).
#include "readmit/app/ensemble_run.hpp"
#include "readmit/app/work_queue.hpp"

namespace readmit {

/// For EnsembleRunOptions::stream on the coordinator: each call cuts the
/// replications into batches of about replications / (4 x workers), at most
/// 64, runs them on the queue and consumes them in order.
std::function<void(std::size_t, const Scenario&, const EnsembleOptions&, std::uint64_t, const ReplicationConsumer&)>
distributed_stream(WorkQueue& queue);

/// On a worker: loads the scenarios of `options` as run_ensembles does and
/// computes the batches the coordinator sends, each on `options.threads`
/// threads, until it closes the queue.
void serve_ensembles(const EnsembleRunOptions& options, WorkQueue& queue);

/// The bytes of a batch of replications, and back (exposed for tests).
std::string encode_replications(const std::vector<ReplicationResult>& results);
std::vector<ReplicationResult> decode_replications(const std::string& bytes);

}  // namespace readmit
