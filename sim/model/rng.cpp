#include "readmit/model/rng.hpp"

#include <algorithm>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <stdexcept>

#include "readmit/util/mix.hpp"

namespace readmit {

namespace {
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity, StreamPurpose purpose,
                           std::uint64_t sequence) {
  // Each key component passes through the mixer before the next is folded in,
  // so nearby keys give unrelated states.
  std::uint64_t x = seed;
  for (std::uint64_t part : {replication, entity, std::uint64_t(purpose), sequence}) {
    x = splitmix64(x) ^ part;
  }
  for (auto& word : state_) word = splitmix64(x);
}

RandomStream::result_type RandomStream::operator()() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double RandomStream::uniform01() { return double((*this)() >> 11) * 0x1.0p-53; }

bool RandomStream::bernoulli(double prob) {
  if (prob <= 0.0) return false;
  if (prob >= 1.0) return true;
  return uniform01() < prob;
}

double draw_normal(double mean, double sd, RandomStream& stream) {
  return boost::random::normal_distribution<double>(mean, sd)(stream);
}

namespace {
// Above this mean, counts are drawn from the normal approximation (exact to
// far below one part in a thousand there), rounded and kept in [0, 2^53]:
// Boost's integer algorithms would overflow long before a double does, and
// every later sum of counts stays exact in a double.
constexpr double exact_count_limit = 1e9;
constexpr double largest_count = 9007199254740992.0;  // 2^53

std::int64_t approximate_count(double mean, double variance, RandomStream& stream) {
  const double value = std::round(draw_normal(mean, std::sqrt(variance), stream));
  return std::int64_t(std::clamp(value, 0.0, largest_count));
}
}  // namespace

std::int64_t draw_poisson(double mean, RandomStream& stream) {
  if (!(mean > 0.0)) return 0;  // also NaN
  if (!std::isfinite(mean)) throw std::domain_error("draw_poisson: the mean is not finite");
  if (mean > exact_count_limit) return approximate_count(mean, mean, stream);
  return boost::random::poisson_distribution<std::int64_t, double>(mean)(stream);
}

std::int64_t draw_binomial(std::int64_t trials, double prob, RandomStream& stream) {
  if (trials <= 0 || prob <= 0.0) return 0;
  if (prob >= 1.0) return trials;
  const double mean = double(trials) * prob;
  if (double(trials) > exact_count_limit && mean * (1 - prob) > 1000)
    return std::min(trials, approximate_count(mean, mean * (1 - prob), stream));
  return boost::random::binomial_distribution<std::int64_t, double>(trials, prob)(stream);
}

double draw(const Distribution& d, RandomStream& stream) {
  using K = Distribution::Kind;
  double value = d.p1;
  switch (d.kind) {
    case K::constant:
      break;
    case K::uniform:
      value = d.p1 == d.p2 ? d.p1 : boost::random::uniform_real_distribution<double>(d.p1, d.p2)(stream);
      break;
    case K::normal:
      value = draw_normal(d.p1, d.p2, stream);
      break;
    case K::lognormal:
      value = d.p2 == 0.0 ? d.p1 : std::exp(std::log(d.p1) + draw_normal(0.0, d.p2, stream));
      break;
    case K::gamma:
      value = boost::random::gamma_distribution<double>(d.p1, d.p2)(stream);
      break;
    case K::exponential:
      value = boost::random::exponential_distribution<double>(1.0 / d.p1)(stream);
      break;
    case K::poisson:
      value = double(draw_poisson(d.p1, stream));
      break;
    case K::triangular:
      value = d.p1 == d.p3 ? d.p1 : boost::random::triangle_distribution<double>(d.p1, d.p2, d.p3)(stream);
      break;
  }
  return std::clamp(value, d.lower, d.upper);
}

std::size_t draw_category(const double* shares, std::size_t count, RandomStream& stream) {
  const double u = stream.uniform01();
  double cumulative = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    cumulative += shares[i];
    if (u < cumulative) return i;
  }
  // Rounding can leave u above the last cumulative share: take the last non-zero category.
  for (std::size_t i = count; i-- > 0;)
    if (shares[i] > 0.0) return i;
  return 0;
}

}  // namespace readmit
