// The headless GL context the GPU tests share (one per test executable, made on first use).
// A test calls SCORELAB_REQUIRE_GPU() first: when no GL 4.3 context can be made at all, it prints
// why (doctest MESSAGE) and returns, so the test is skipped; any later GL failure is a test failure.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "app/gl/gl.hpp"
#include "app/gl/headless_context.hpp"

namespace scorelab::test {

inline gl::HeadlessContext* gpu_context(std::string* why) {
  static std::string reason;
  static std::unique_ptr<gl::HeadlessContext> context = [] {
    auto made = gl::HeadlessContext::try_create(&reason);
    if (made) gl::enable_debug_output();  // GL errors and warnings to stderr, at the offending call
    return made;
  }();
  if (why != nullptr) *why = reason;
  return context.get();
}

}  // namespace scorelab::test

#define SCORELAB_REQUIRE_GPU()                                                         \
  do {                                                                                 \
    std::string scorelab_gpu_why;                                                      \
    if (scorelab::test::gpu_context(&scorelab_gpu_why) == nullptr) {                   \
      MESSAGE("SKIPPED (no GL 4.3 context): " << scorelab_gpu_why);                    \
      return;                                                                          \
    }                                                                                  \
  } while (false)
