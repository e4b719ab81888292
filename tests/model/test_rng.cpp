// Random streams keyed by identity, and the draws behind every mechanism.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <set>

#include "readmit/model/rng.hpp"

using namespace readmit;

namespace {

constexpr int samples = 100000;

/// Mean and variance of `samples` draws.
template <class Draw>
std::pair<double, double> moments(Draw draw_one) {
  double sum = 0, squares = 0;
  for (int i = 0; i < samples; ++i) {
    const double x = draw_one();
    sum += x;
    squares += x * x;
  }
  const double mean = sum / samples;
  return {mean, squares / samples - mean * mean};
}

}  // namespace

TEST_CASE("a stream is xoshiro256** keyed through splitmix64: the same numbers everywhere", "[model][rng]") {
  // Reference values from an independent implementation of the key mixing
  // and of xoshiro256** (Blackman and Vigna), not from this code.
  RandomStream stream(20170913, 3, person_entity(0, 42), StreamPurpose::person_attributes, 0);
  CHECK(stream() == 0x58f763cc64544b99ULL);
  CHECK(stream() == 0x9e3d26b99a55bc66ULL);
  CHECK(stream() == 0x65ab017b3db43996ULL);
}

TEST_CASE("every part of a stream's key changes its numbers", "[model][rng]") {
  auto first = [](std::uint64_t seed, std::uint64_t replication, std::uint64_t entity, StreamPurpose purpose,
                  std::uint64_t sequence) { return RandomStream(seed, replication, entity, purpose, sequence)(); };
  const auto base = first(1, 0, person_entity(0, 0), StreamPurpose::person_decision, 0);
  CHECK(first(1, 0, person_entity(0, 0), StreamPurpose::person_decision, 0) == base);
  std::set<std::uint64_t> values{base,
                                 first(2, 0, person_entity(0, 0), StreamPurpose::person_decision, 0),
                                 first(1, 1, person_entity(0, 0), StreamPurpose::person_decision, 0),
                                 first(1, 0, person_entity(1, 0), StreamPurpose::person_decision, 0),
                                 first(1, 0, person_entity(0, 1), StreamPurpose::person_decision, 0),
                                 first(1, 0, person_entity(0, 0), StreamPurpose::person_flight, 0),
                                 first(1, 0, person_entity(0, 0), StreamPurpose::person_decision, 1),
                                 first(1, 0, partner_entity(0), StreamPurpose::person_decision, 0)};
  CHECK(values.size() == 8);
}

TEST_CASE("uniform01 and bernoulli", "[model][rng]") {
  RandomStream stream(7, 0, 1, StreamPurpose::person_attributes);
  double low = 1, high = 0;
  const auto [mean, variance] = moments([&] {
    const double u = stream.uniform01();
    low = std::min(low, u), high = std::max(high, u);
    return u;
  });
  CHECK(low >= 0.0);
  CHECK(high < 1.0);
  // Mean 1/2, variance 1/12; four standard errors.
  CHECK(std::abs(mean - 0.5) < 4 * std::sqrt(1.0 / 12 / samples));
  CHECK(variance == Approx(1.0 / 12).epsilon(0.02));
  int never = 0, always = 0, third = 0;
  for (int i = 0; i < samples; ++i) {
    never += stream.bernoulli(0.0) || stream.bernoulli(-1.0);
    always += stream.bernoulli(1.0) && stream.bernoulli(2.0);
    third += stream.bernoulli(1.0 / 3.0);
  }
  CHECK(never == 0);
  CHECK(always == samples);
  CHECK(std::abs(third - samples / 3.0) < 4 * std::sqrt(samples * (1.0 / 3) * (2.0 / 3)));
}

TEST_CASE("Poisson and binomial draws have their means and variances, and their edge cases", "[model][rng]") {
  RandomStream stream(11, 0, 2, StreamPurpose::partner_visas);
  const auto [poisson_mean, poisson_variance] = moments([&] { return double(draw_poisson(3.5, stream)); });
  CHECK(std::abs(poisson_mean - 3.5) < 4 * std::sqrt(3.5 / samples));
  CHECK(poisson_variance == Approx(3.5).epsilon(0.03));
  const auto [binomial_mean, binomial_variance] = moments([&] { return double(draw_binomial(20, 0.25, stream)); });
  CHECK(std::abs(binomial_mean - 5.0) < 4 * std::sqrt(3.75 / samples));
  CHECK(binomial_variance == Approx(3.75).epsilon(0.03));
  CHECK(draw_poisson(0.0, stream) == 0);
  CHECK(draw_poisson(-2.0, stream) == 0);
  CHECK(draw_binomial(0, 0.5, stream) == 0);
  CHECK(draw_binomial(40, 0.0, stream) == 0);
  CHECK(draw_binomial(40, 1.0, stream) == 40);
}

TEST_CASE("categories are drawn with their shares; a zero share is never drawn", "[model][rng]") {
  RandomStream stream(13, 0, 3, StreamPurpose::person_attributes);
  const std::array<double, 4> shares{0.1, 0.0, 0.6, 0.3};
  std::array<int, 4> counts{};
  for (int i = 0; i < samples; ++i) ++counts[draw_category(shares.data(), shares.size(), stream)];
  CHECK(counts[1] == 0);
  for (std::size_t i : {0u, 2u, 3u})
    CHECK(std::abs(counts[i] - shares[i] * samples) < 4 * std::sqrt(samples * shares[i] * (1 - shares[i])));
}

TEST_CASE("configured distributions: means, medians and clamping to their range", "[model][rng]") {
  RandomStream stream(17, 0, 4, StreamPurpose::person_attributes);
  using K = Distribution::Kind;
  CHECK(draw(Distribution::constant(4.5), stream) == 4.5);
  const Distribution uniform{K::uniform, 2, 6};
  CHECK(moments([&] { return draw(uniform, stream); }).first == Approx(4.0).epsilon(0.01));
  const Distribution triangular{K::triangular, 0, 1, 5};
  CHECK(moments([&] { return draw(triangular, stream); }).first == Approx(2.0).epsilon(0.01));
  const Distribution gamma{K::gamma, 2, 3};
  CHECK(moments([&] { return draw(gamma, stream); }).first == Approx(6.0).epsilon(0.02));
  const Distribution exponential{K::exponential, 40};
  CHECK(moments([&] { return draw(exponential, stream); }).first == Approx(40.0).epsilon(0.02));
  // Lognormal: the configured value is the median.
  const Distribution lognormal{K::lognormal, 90, 0.8};
  int below = 0;
  for (int i = 0; i < samples; ++i) below += draw(lognormal, stream) < 90 ? 1 : 0;
  CHECK(std::abs(below - samples / 2) < 4 * std::sqrt(samples * 0.25));
  // Draws are clamped to the attribute's admissible range.
  Distribution clamped{K::normal, 0, 1};
  clamped.lower = -0.5, clamped.upper = 0.5;
  int at_bounds = 0;
  for (int i = 0; i < 1000; ++i) {
    const double x = draw(clamped, stream);
    REQUIRE(x >= -0.5);
    REQUIRE(x <= 0.5);
    at_bounds += std::abs(x) == 0.5 ? 1 : 0;
  }
  CHECK(at_bounds > 500);  // P(|Z| > 0.5) = 0.62
}
