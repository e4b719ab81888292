// Compiled against the model module only: must fail, because the engine sits
// above the model (see cmake/ReadmitModule.cmake).
#include "readmit/engine/replication.hpp"
