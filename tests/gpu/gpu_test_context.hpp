// The headless GL context the GPU tests share (one per test executable, made on first use).
// A test calls SCORELAB_REQUIRE_GPU() first: when no GL 4.3 context can be made at all, it prints
// why (doctest MESSAGE) and returns, so the test is skipped; any later GL failure is a test failure.
// scripts/test sets SCORELAB_REQUIRE_GL=1 (it installs Mesa's llvmpipe, so a context must exist):
// there a missing context fails the test instead, so CI can never pass by skipping every GPU test.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
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

inline bool gl_required() {
  const char* v = std::getenv("SCORELAB_REQUIRE_GL");
  return v != nullptr && std::string(v) == "1";
}

}  // namespace scorelab::test

#define SCORELAB_REQUIRE_GPU()                                                         \
  do {                                                                                 \
    std::string scorelab_gpu_why;                                                      \
    if (scorelab::test::gpu_context(&scorelab_gpu_why) == nullptr) {                   \
      if (scorelab::test::gl_required())                                               \
        FAIL("no GL 4.3 context, and SCORELAB_REQUIRE_GL=1: " << scorelab_gpu_why);    \
      MESSAGE("SKIPPED (no GL 4.3 context): " << scorelab_gpu_why);                    \
      return;                                                                          \
    }                                                                                  \
  } while (false)
