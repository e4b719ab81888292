#include "readmit/scenario/scenario.hpp"

#include <cmath>
#include <stdexcept>

namespace readmit {

double Distribution::mean() const {
  switch (kind) {
    case Kind::constant:
      return p1;
    case Kind::uniform:
      return 0.5 * (p1 + p2);
    case Kind::normal:
      return p1;
    case Kind::lognormal:
      return p1 * std::exp(0.5 * p2 * p2);
    case Kind::gamma:
      return p1 * p2;
    case Kind::exponential:
    case Kind::poisson:
      return p1;
    case Kind::triangular:
      return (p1 + p2 + p3) / 3.0;
  }
  return p1;
}

std::size_t Scenario::partner_index(std::string_view partner_name) const {
  for (std::size_t i = 0; i < partners.size(); ++i)
    if (partners[i].name == partner_name) return i;
  throw std::out_of_range("no partner named " + std::string(partner_name));
}

const SanctionLadder& SanctionParams::active_ladder() const {
  for (const auto& l : ladders)
    if (l.name == ladder) return l;
  throw std::out_of_range("no sanction ladder named " + ladder);
}

}  // namespace readmit
