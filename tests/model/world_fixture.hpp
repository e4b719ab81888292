#pragma once
// A World built by hand for sub-model tests: the quiet one-partner scenario
// of the engine tests (every random and delaying mechanism off) with
// overrides, and persons added one at a time with chosen attributes. Tests
// then call one sub-model's functions and check its rule, without the
// schedule around it.
#include <functional>
#include <string>
#include <vector>

#include "engine/engine_fixtures.hpp"
#include "readmit/model/synthesis.hpp"
#include "readmit/model/world.hpp"

namespace readmit::test {

struct TestWorld {
  explicit TestWorld(const std::vector<std::string>& overrides = {}, const std::string& base = quiet_base_yaml)
      : scenario(make_scenario(overrides, base)), world(scenario, 0) {
    for (std::size_t k = 0; k < world.partners.size(); ++k)
      world.partners[k].diplomacy.cooperation = world.params(k).cooperation.initial;
  }

  /// Adds a person of partner k today, starting in `start`, with attributes
  /// changed by `adjust` (default: adult arrival, no household).
  std::uint32_t add(StartState start, const std::function<void(synthesis::NewPerson&)>& adjust = {},
                    std::size_t k = 0) {
    synthesis::NewPerson n;
    n.age_at_arrival_years = 30;
    n.years_resident = 5;
    n.spouse = SpouseStatus::none;
    n.ties = TiesToPartner::some;
    n.start = start;
    n.sentence_days = 30;
    if (adjust) adjust(n);
    return synthesis::add(world, k, n);
  }

  /// Events due on `day` of a kind for person p.
  std::size_t due(std::int32_t day, EventKind kind, std::uint32_t p) {
    if (day < 0 || day >= world.days) return 0;
    std::size_t n = 0;
    for (const auto& e : world.partners[0].calendar.bucket(day)) n += e.kind == kind && e.person == p ? 1 : 0;
    return n;
  }

  double flow(Metric m, std::size_t k = 0) { return world.metric(world.month, k, m); }

  Scenario scenario;  // before `world`, which refers to it
  World world;
};

}  // namespace readmit::test
