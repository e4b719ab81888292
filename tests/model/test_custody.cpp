// Custody: detention, beds, and the custody review of the 180-day rule.
#include <catch2/catch.hpp>

#include "readmit/model/custody.hpp"
#include "readmit/model/pipeline.hpp"
#include "world_fixture.hpp"

using namespace readmit;
using readmit::test::TestWorld;

TEST_CASE("a detained person is reviewed at day 180 and released with release_prob", "[model][custody]") {
  SECTION("release_prob 1: released on supervision at the review") {
    TestWorld t({"removing_state.release_prob=1", "removing_state.custody_review_days=180"});
    const auto p = t.add(StartState::detained);
    REQUIRE(t.world.people.state[p] == PersonState::detained);
    REQUIRE(t.due(180, EventKind::custody_review, p) == 1);
    t.world.day = 180;
    custody::on_custody_review(t.world, p, /*detention_start=*/0);
    CHECK(t.world.people.state[p] == PersonState::supervised);
    CHECK(t.flow(Metric::custody_releases) == 1);
    CHECK(custody::beds_in_use(t.world) == 0);
  }
  SECTION("release_prob 0: held, and reviewed again after another custody_review_days") {
    TestWorld t({"removing_state.release_prob=0", "removing_state.custody_review_days=180"});
    const auto p = t.add(StartState::detained);
    t.world.day = 180;
    custody::on_custody_review(t.world, p, 0);
    CHECK(t.world.people.state[p] == PersonState::detained);
    CHECK(t.flow(Metric::custody_holds) == 1);
    CHECK(t.due(360, EventKind::custody_review, p) == 1);
  }
  SECTION("a scheduled person (removal foreseeable) is looked at again after custody_rereview_days") {
    TestWorld t({"removing_state.release_prob=1", "removing_state.custody_rereview_days=30"});
    const auto p = t.add(StartState::detained);
    t.world.people.request[p] = RequestStatus::issued;
    t.world.day = 10;
    pipeline::set_state(t.world, p, PersonState::scheduled);
    t.world.day = 180;
    custody::on_custody_review(t.world, p, 0);
    CHECK(t.world.people.state[p] == PersonState::scheduled);
    CHECK(t.flow(Metric::custody_releases) == 0);
    CHECK(t.due(210, EventKind::custody_review, p) == 1);
  }
  SECTION("a review of an earlier detention spell does nothing") {
    TestWorld t({"removing_state.release_prob=1"});
    const auto p = t.add(StartState::detained);
    t.world.day = 180;
    custody::on_custody_review(t.world, p, /*detention_start=*/-5);
    CHECK(t.world.people.state[p] == PersonState::detained);
    CHECK(t.flow(Metric::custody_releases) == 0);
  }
}

TEST_CASE("detention is limited by beds; the overflow is released on supervision", "[model][custody]") {
  TestWorld t({"removing_state.detention_beds=2"});
  const auto a = t.add(StartState::detained);
  const auto b = t.add(StartState::detained);
  CHECK_FALSE(custody::has_bed(t.world, 0));
  const auto c = t.add(StartState::detained);
  CHECK(t.world.people.state[a] == PersonState::detained);
  CHECK(t.world.people.state[b] == PersonState::detained);
  CHECK(t.world.people.state[c] == PersonState::supervised);
  CHECK(t.flow(Metric::released_no_bed) == 1);
  CHECK(t.flow(Metric::detentions) == 2);
  // Every one of them still gets a document request.
  for (auto p : {a, b, c}) CHECK(t.due(0, EventKind::request_due, p) == 1);
  // Re-detention needs a free bed too.
  CHECK_FALSE(custody::redetain(t.world, c));
  pipeline::set_state(t.world, a, PersonState::supervised);
  CHECK(custody::redetain(t.world, c));
  CHECK(t.world.people.state[c] == PersonState::awaiting_document);
}

TEST_CASE("a sentence's end starts post-order detention", "[model][custody]") {
  TestWorld t;
  const auto p = t.add(StartState::prison, [](auto& n) { n.sentence_days = 45; });
  CHECK(t.world.people.state[p] == PersonState::prison);
  REQUIRE(t.due(45, EventKind::sentence_end, p) == 1);
  t.world.day = 45;
  custody::on_sentence_end(t.world, p);
  CHECK(t.world.people.state[p] == PersonState::detained);
  CHECK(t.world.people.detention_start[p] == 45);
  CHECK(t.flow(Metric::prison_releases) == 1);
  CHECK(t.due(45 + 180, EventKind::custody_review, p) == 1);
}

TEST_CASE("bed-days and their cost count the detained states only", "[model][custody]") {
  TestWorld t({"removing_state.detention_cost_per_day_usd=150"});
  t.add(StartState::detained);
  t.add(StartState::supervised);
  t.add(StartState::prison);
  custody::count_day(t.world, 0);
  custody::count_day(t.world, 0);
  CHECK(t.flow(Metric::bed_days) == 2);
  CHECK(t.flow(Metric::detention_cost_usd) == 300);
}
