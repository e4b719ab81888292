#include "readmit/app/work_queue.hpp"

#include <stdexcept>

#include "readmit/scenario/diagnostics.hpp"

namespace readmit {

namespace {

class LocalWorkQueue final : public WorkQueue {
 public:
  bool coordinator() const override { return true; }
  std::size_t workers() const override { return 1; }
  bool distributed() const override { return false; }
  std::string description() const override { return "1 process"; }
  void run(const std::vector<std::string>& tasks, const Compute& compute, const Consume& consume) override {
    for (std::size_t i = 0; i < tasks.size(); ++i) consume(i, compute(tasks[i]));
  }
  void serve(const Compute&) override { throw std::logic_error("WorkQueue::serve on the coordinator"); }
};

}  // namespace

std::unique_ptr<WorkQueue> local_work_queue() { return std::make_unique<LocalWorkQueue>(); }

std::string describe_exception(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const ScenarioError& e) {
    std::string text;
    for (const auto& d : e.diagnostics()) text += (text.empty() ? "" : "\n") + d.to_string();
    return text;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace readmit
