// The work queue on MPI (READMIT_MPI ON): rank 0 hands tasks to the other
// ranks as they become free and consumes the results in task order.
//
// Protocol: a worker alternates between sending one message to rank 0
// (ready, a result or a failure) and receiving one from it (a task or stop).
// Rank 0 therefore knows, for every worker, whether a message from it is
// pending (`busy`) or whether it waits for an answer (`held`), and can always
// drain the pending messages and stop everyone cleanly, after an error too.
#include <mpi.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>

#include "readmit/app/work_queue.hpp"

namespace readmit {

namespace {

enum Tag : int { tag_ready = 1, tag_task = 2, tag_result = 3, tag_failure = 4, tag_stop = 5 };

bool launched_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

/// An index followed by bytes.
std::string framed(std::uint64_t index, const std::string& bytes) {
  std::string message(sizeof index, '\0');
  std::memcpy(message.data(), &index, sizeof index);
  return message + bytes;
}

std::uint64_t index_of(const std::string& message) {
  std::uint64_t index = 0;
  if (message.size() >= sizeof index) std::memcpy(&index, message.data(), sizeof index);
  return index;
}

void send(const std::string& message, int to, int tag) {
  if (message.size() > std::size_t(INT_MAX))
    throw std::runtime_error("MPI: a message of " + std::to_string(message.size()) +
                             " bytes is over MPI's limit of 2 GiB; keep fewer files per point");
  MPI_Send(message.data(), int(message.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

struct Received {
  int source = 0;
  int tag = 0;
  std::string bytes;
};

Received receive(int from) {
  MPI_Status status;
  MPI_Probe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  Received message{status.MPI_SOURCE, status.MPI_TAG, std::string(std::size_t(count), '\0')};
  MPI_Recv(message.bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return message;
}

class MpiWorkQueue final : public WorkQueue {
 public:
  MpiWorkQueue(int rank, int size) : rank_(rank), size_(size), busy_(std::size_t(size), true) { busy_[0] = false; }

  ~MpiWorkQueue() override {
    if (rank_ == 0) {
      close();
    } else if (!served_) {
      // The coordinator waits for every worker: one that could not start
      // must still answer (its command failed, as the coordinator's will).
      serve([](const std::string&) -> std::string { throw std::runtime_error("the command did not start"); });
    }
    MPI_Finalize();
  }

  bool coordinator() const override { return rank_ == 0; }
  std::size_t workers() const override { return std::size_t(size_ - 1); }
  bool distributed() const override { return true; }
  std::string description() const override {
    return "MPI, " + std::to_string(size_) + " ranks (" + std::to_string(size_ - 1) + " workers)";
  }

  void run(const std::vector<std::string>& tasks, const Compute&, const Consume& consume) override {
    if (rank_ != 0) throw std::logic_error("WorkQueue::run on an MPI worker");
    // Results wait in memory until their turn: at most `window` tasks past
    // the next one to consume are handed out.
    const std::size_t window = 4 * workers();
    std::size_t next_task = 0, next_consume = 0;
    std::map<std::size_t, std::string> done;
    const auto dispatch = [&](int worker) {
      if (busy_[std::size_t(worker)] || next_task >= tasks.size() || next_task >= next_consume + window) return;
      send(framed(next_task, tasks[next_task]), worker, tag_task);
      busy_[std::size_t(worker)] = true;
      ++next_task;
    };
    try {
      for (int worker = 1; worker < size_; ++worker) dispatch(worker);
      while (next_consume < tasks.size()) {
        if (auto it = done.find(next_consume); it != done.end()) {
          std::string result = std::move(it->second);
          done.erase(it);
          consume(next_consume++, std::move(result));
          for (int worker = 1; worker < size_; ++worker) dispatch(worker);
          continue;
        }
        Received message = receive(MPI_ANY_SOURCE);
        busy_[std::size_t(message.source)] = false;
        if (message.tag == tag_failure)
          throw std::runtime_error("rank " + std::to_string(message.source) + ": " + message.bytes.substr(8));
        if (message.tag == tag_result) done.emplace(std::size_t(index_of(message.bytes)), message.bytes.substr(8));
        dispatch(message.source);
      }
    } catch (...) {
      drain();
      throw;
    }
  }

  void serve(const Compute& compute) override {
    if (rank_ == 0) throw std::logic_error("WorkQueue::serve on the coordinator");
    if (served_) return;  // the coordinator has closed the queue
    served_ = true;
    send({}, 0, tag_ready);
    while (true) {
      const Received message = receive(0);
      if (message.tag == tag_stop) return;
      const auto index = index_of(message.bytes);
      std::string reply;
      int tag = tag_result;
      try {
        reply = framed(index, compute(message.bytes.substr(8)));
      } catch (...) {
        reply = framed(index, describe_exception(std::current_exception()));
        tag = tag_failure;
      }
      send(reply, 0, tag);
    }
  }

 private:
  /// Waits for the message of every busy worker and discards it.
  void drain() {
    for (int worker = 1; worker < size_; ++worker)
      if (busy_[std::size_t(worker)]) {
        receive(worker);
        busy_[std::size_t(worker)] = false;
      }
  }

  void close() {
    drain();
    for (int worker = 1; worker < size_; ++worker) send({}, worker, tag_stop);
  }

  int rank_;
  int size_;
  std::vector<bool> busy_;  // per rank: a message from it is pending
  bool served_ = false;     // workers: serve() has run
};

/// The local queue under `mpirun -n 1`, which must still finalise MPI.
class SingleRankQueue final : public WorkQueue {
 public:
  ~SingleRankQueue() override { MPI_Finalize(); }
  bool coordinator() const override { return true; }
  std::size_t workers() const override { return 1; }
  bool distributed() const override { return false; }
  std::string description() const override { return "MPI, 1 rank"; }
  void run(const std::vector<std::string>& tasks, const Compute& compute, const Consume& consume) override {
    local_->run(tasks, compute, consume);
  }
  void serve(const Compute& compute) override { local_->serve(compute); }

 private:
  std::unique_ptr<WorkQueue> local_ = local_work_queue();
};

}  // namespace

std::unique_ptr<WorkQueue> make_work_queue(int& argc, char**& argv) {
  if (!launched_by_mpirun()) return local_work_queue();
  int provided = 0;
  // Only the main thread calls MPI; oneTBB's threads never do.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size == 1) return std::make_unique<SingleRankQueue>();
  return std::make_unique<MpiWorkQueue>(rank, size);
}

bool mpi_available() { return true; }

}  // namespace readmit
