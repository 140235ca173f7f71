// Sampler configuration: names round-trip, ranges refuse absurd values with one line naming the key.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "core/sampler_config.hpp"

using namespace scorelab;

namespace {
// The message of the InputError `validate` throws, or "" when it accepts the config.
std::string validation_error(const SamplerConfig& c, std::string_view prefix = "sampler") {
  try {
    validate(c, prefix);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("sampler and solver names round-trip; unknown names are refused by name") {
  for (SamplerKind k : {SamplerKind::langevin, SamplerKind::annealed, SamplerKind::em, SamplerKind::pc,
                        SamplerKind::ode, SamplerKind::ddpm})
    CHECK(parse_sampler_kind(to_string(k)) == k);
  CHECK(std::string(to_string(SamplerKind::annealed)) == "annealed");
  CHECK(parse_sampler_kind("ddpm") == SamplerKind::ddpm);
  for (OdeSolver s : {OdeSolver::euler, OdeSolver::heun, OdeSolver::rk4}) CHECK(parse_ode_solver(to_string(s)) == s);
  CHECK(parse_ode_solver("heun") == OdeSolver::heun);

  CHECK_THROWS_AS(parse_sampler_kind("Langevin"), InputError);  // names are case-sensitive
  CHECK_THROWS_WITH_AS(parse_sampler_kind("euler"), doctest::Contains("'euler'"), InputError);
  CHECK_THROWS_WITH_AS(parse_ode_solver("rk45"), doctest::Contains("'rk45'"), InputError);
  CHECK_THROWS_AS(parse_ode_solver(""), InputError);
}

TEST_CASE("the defaults are valid") { CHECK(validation_error(SamplerConfig{}) == ""); }

TEST_CASE("the message names the key under the prefix, in one line") {
  SamplerConfig c;
  c.eps = -1;
  CHECK(validation_error(c) == "sampler.eps: must be in (0, 10] (got -1)");
  CHECK(validation_error(c, "scene.sampler") == "scene.sampler.eps: must be in (0, 10] (got -1)");
}

TEST_CASE("each range accepts its end points and refuses just beyond them") {
  struct Case {
    const char* key;
    std::function<void(SamplerConfig&)> set;
    bool valid;
  };
  const Case cases[] = {
      {"eps", [](SamplerConfig& c) { c.eps = 10; }, true},
      {"eps", [](SamplerConfig& c) { c.eps = 1e-12; }, true},
      {"eps", [](SamplerConfig& c) { c.eps = 10.000001; }, false},
      {"eps", [](SamplerConfig& c) { c.eps = 0; }, false},
      {"eps", [](SamplerConfig& c) { c.eps = kNaN; }, false},
      {"eps", [](SamplerConfig& c) { c.eps = kInf; }, false},
      {"s_churn", [](SamplerConfig& c) { c.s_churn = 1000; }, true},
      {"s_churn", [](SamplerConfig& c) { c.s_churn = -0.1; }, false},
      {"s_churn", [](SamplerConfig& c) { c.s_churn = kNaN; }, false},
      {"s_tmin", [](SamplerConfig& c) { c.s_tmin = -1; }, false},
      {"s_tmax", [](SamplerConfig& c) { c.s_tmin = 2, c.s_tmax = 1; }, false},
      {"s_tmax", [](SamplerConfig& c) { c.s_tmax = kInf; }, false},
      {"s_noise", [](SamplerConfig& c) { c.s_noise = 10; }, true},
      {"s_noise", [](SamplerConfig& c) { c.s_noise = 10.5; }, false},
      {"steps", [](SamplerConfig& c) { c.steps = 1; }, true},
      {"steps", [](SamplerConfig& c) { c.steps = 100000; }, true},
      {"steps", [](SamplerConfig& c) { c.steps = 0; }, false},
      {"steps", [](SamplerConfig& c) { c.steps = 100001; }, false},
      {"steps_per_level", [](SamplerConfig& c) { c.steps_per_level = 100000; }, true},
      {"steps_per_level", [](SamplerConfig& c) { c.steps_per_level = 0; }, false},
      {"steps_per_level", [](SamplerConfig& c) { c.steps_per_level = -5; }, false},
      {"snr", [](SamplerConfig& c) { c.snr = 10; }, true},
      {"snr", [](SamplerConfig& c) { c.snr = 0; }, false},
      {"snr", [](SamplerConfig& c) { c.snr = 11; }, false},
      {"snr", [](SamplerConfig& c) { c.snr = kNaN; }, false},
      {"corrector_steps", [](SamplerConfig& c) { c.corrector_steps = 0; }, true},
      {"corrector_steps", [](SamplerConfig& c) { c.corrector_steps = 100; }, true},
      {"corrector_steps", [](SamplerConfig& c) { c.corrector_steps = -1; }, false},
      {"corrector_steps", [](SamplerConfig& c) { c.corrector_steps = 101; }, false},
      {"particles", [](SamplerConfig& c) { c.particles = 1; }, true},
      {"particles", [](SamplerConfig& c) { c.particles = 100000000; }, true},
      {"particles", [](SamplerConfig& c) { c.particles = 0; }, false},
      {"particles", [](SamplerConfig& c) { c.particles = 100000001; }, false},
      {"sigma", [](SamplerConfig& c) { c.langevin_sigma = -1; }, true},  // the schedule's smallest level
      {"sigma", [](SamplerConfig& c) { c.langevin_sigma = 0; }, true},   // the clean data
      {"sigma", [](SamplerConfig& c) { c.langevin_sigma = 1e4; }, true},
      {"sigma", [](SamplerConfig& c) { c.langevin_sigma = 1.0001e4; }, false},
      {"sigma", [](SamplerConfig& c) { c.langevin_sigma = kNaN; }, false},
      {"sigma", [](SamplerConfig& c) { c.langevin_sigma = -kInf; }, false},
      {"init.low", [](SamplerConfig& c) { c.init.low = Vec2(kNaN, 0); }, false},
      {"init.high", [](SamplerConfig& c) { c.init.high = Vec2(0, kInf); }, false},
      {"init", [](SamplerConfig& c) { c.init.low = Vec2(-1, 2), c.init.high = Vec2(1, 2); }, false},
      {"init", [](SamplerConfig& c) { c.init.low = Vec2(3, -1), c.init.high = Vec2(1, 1); }, false},
      {"init", [](SamplerConfig& c) { c.init.low = Vec2(-1, -1), c.init.high = Vec2(1e-9, 1); }, true},
  };
  for (const Case& k : cases) {
    SamplerConfig c;
    k.set(c);
    std::string err = validation_error(c);
    CAPTURE(k.key);
    CAPTURE(err);
    if (k.valid) {
      CHECK(err == "");
    } else {
      CHECK(err.rfind(std::string("sampler.") + k.key + ": ", 0) == 0);  // starts with the key
      CHECK(err.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("the box is checked for a prior start too (switching kind later must not give an empty box)") {
  SamplerConfig c;
  c.init.kind = InitKind::prior;
  c.init.low = Vec2(1, 1);
  c.init.high = Vec2(0, 2);
  CHECK(validation_error(c).rfind("sampler.init: ", 0) == 0);
}
