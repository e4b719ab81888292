#pragma once
// Random streams keyed by identity, never by thread: a stream is derived from
// (seed, replication, entity, purpose, sequence) by a fixed mixing function,
// so the same person or partner gets the same draws in every run of the same
// replication, whatever the thread count or the order of work, and
// replication k of two scenarios shares streams (common random numbers).
//
// Draws go through Boost.Random distributions, which give the same numbers
// on every platform (unlike the std:: distributions).
#include <cstdint>
#include <limits>

#include "readmit/scenario/scenario.hpp"

namespace readmit {

/// What a stream is for; part of its key, so purposes never share draws.
enum class StreamPurpose : std::uint64_t {
  person_attributes = 1,
  person_relief,
  person_decision,
  person_custody,
  person_flight,
  person_household,
  person_returnee,
  partner_arrivals,
  partner_cooperation,
  partner_interviews,  // the phases of the partner's cycles: interview rounds (0), charters (1)
  partner_charters,
  partner_visas,
  partner_linkage,
  partner_negotiation,
  person_amendment,
  partner_disposition,
  person_cohort,
  partner_standing,  // the removing state's discretion toward the partner
  assumption_draw,   // a declared range drawn for a replication (--uncertainty assumptions)
};

/// xoshiro256** seeded through splitmix64 from the stream's key.
class RandomStream {
 public:
  using result_type = std::uint64_t;

  RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity, StreamPurpose purpose,
               std::uint64_t sequence = 0);

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()();

  double uniform01();           // in [0, 1)
  bool bernoulli(double prob);  // true with probability `prob`

 private:
  std::uint64_t state_[4];
};

/// One draw from a configured distribution, clamped to its [lower, upper].
double draw(const Distribution& distribution, RandomStream& stream);
double draw_normal(double mean, double sd, RandomStream& stream);
/// Counts: exact below a mean of 1e9, the normal approximation above, never
/// beyond 2^53 (so sums of counts stay exact). A mean that is not finite
/// throws std::domain_error (scenario bounds keep every mean far below).
std::int64_t draw_poisson(double mean, RandomStream& stream);
std::int64_t draw_binomial(std::int64_t trials, double prob, RandomStream& stream);
/// Index drawn from shares that sum to 1.
std::size_t draw_category(const double* shares, std::size_t count, RandomStream& stream);

/// Entity ids: persons are numbered within their partner.
constexpr std::uint64_t person_entity(std::size_t partner, std::uint64_t local_id) {
  return (std::uint64_t(partner + 1) << 40) | local_id;
}
constexpr std::uint64_t partner_entity(std::size_t partner) { return std::uint64_t(partner + 1) << 56; }

}  // namespace readmit
