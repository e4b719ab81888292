// The work queue of a build without MPI (READMIT_MPI OFF): always local.
#include "readmit/app/work_queue.hpp"

namespace readmit {

std::unique_ptr<WorkQueue> make_work_queue(int&, char**&) { return local_work_queue(); }

bool mpi_available() { return false; }

}  // namespace readmit
