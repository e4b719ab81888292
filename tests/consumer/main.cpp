// Runs one replication of a scenario given on the command line through the
// installed library, and prints the removals of its first partner.
#include <iostream>

#include "readmit/engine/replication.hpp"
#include "readmit/scenario/loader.hpp"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const auto loaded = readmit::load_scenario(argv[1]);
  const auto result = readmit::run_replication(loaded.scenario, 0);
  double removals = 0;
  for (std::size_t t = 0; t < result.monthly.months(); ++t)
    removals += result.monthly.at(t, 0, readmit::Metric::removals);
  std::cout << "removals " << removals << "\n";
}
