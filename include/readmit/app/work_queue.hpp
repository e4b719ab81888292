#pragma once
// Where the tasks of a command run: on this process, or spread over the
// ranks of an MPI job (`mpirun -n R readmit sweep|experiment|run ...`).
//
// Every rank runs the same command line. Rank 0, the coordinator, checks
// the input, decides the tasks, hands each to whichever worker rank is free
// (a work queue, so fast and slow tasks balance themselves), receives the
// results and consumes them in task order: it alone writes files, and what
// it writes is what one process writes. Ranks 1..R-1 compute the tasks they
// are sent (each with its own oneTBB threads) until the coordinator closes
// the queue. Without MPI, or outside mpirun, the queue computes each task in
// order on the calling thread.
//
// MPI lives in sim/app/mpi/work_queue_mpi.cpp, built when READMIT_MPI is ON;
// nothing else knows about it.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace readmit {

class WorkQueue {
 public:
  /// Turns a task (bytes the coordinator made) into its result (bytes).
  using Compute = std::function<std::string(const std::string& task)>;
  /// Receives the result of task `index` on the coordinator, in task order.
  using Consume = std::function<void(std::size_t index, std::string&& result)>;

  virtual ~WorkQueue() = default;

  /// True for the process that decides tasks and writes outputs (rank 0,
  /// or the only process).
  virtual bool coordinator() const = 0;
  /// Processes that compute tasks: 1 alone, R - 1 under mpirun -n R > 1.
  virtual std::size_t workers() const = 0;
  /// True when tasks run on other processes (MPI with more than one rank).
  virtual bool distributed() const = 0;
  /// "1 process" or "MPI, 3 ranks (2 workers)", for metadata.json.
  virtual std::string description() const = 0;

  /// Coordinator only: computes every task, on this process or on the
  /// workers, and hands each result to `consume` in task order. May be
  /// called again with new tasks (workers keep serving). Throws the first
  /// error: a task's own (a worker's message names its rank) or one thrown
  /// by `consume`; tasks under way are finished and discarded first.
  virtual void run(const std::vector<std::string>& tasks, const Compute& compute, const Consume& consume) = 0;

  /// Workers only: computes the tasks the coordinator sends until it closes
  /// the queue (when it is destroyed, whether it ran tasks or failed first).
  /// An exception from `compute` is sent to the coordinator, and serving
  /// goes on until it closes. Serves once: a second call returns at once.
  /// Every worker must serve (the coordinator waits for each); a worker
  /// destroyed without serving serves a failure first.
  virtual void serve(const Compute& compute) = 0;
};

/// The queue of this process. Under mpirun (the launcher's environment
/// says so) with more than one rank, and in a build with READMIT_MPI, MPI is
/// initialised here and finalised when the queue is destroyed; otherwise
/// the local queue.
std::unique_ptr<WorkQueue> make_work_queue(int& argc, char**& argv);

/// A queue that computes every task in order on the calling thread.
std::unique_ptr<WorkQueue> local_work_queue();

/// The message of an exception, for a worker to send: a ScenarioError's
/// diagnostics one per line, or what().
std::string describe_exception(const std::exception_ptr& error);

/// Whether this build can run on MPI (READMIT_MPI).
bool mpi_available();

}  // namespace readmit
