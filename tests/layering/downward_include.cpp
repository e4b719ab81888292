// Compiled against the model module only: must succeed, because the scenario
// module sits below the model. The control for upward_include.cpp.
#include "readmit/model/population.hpp"
#include "readmit/scenario/scenario.hpp"
