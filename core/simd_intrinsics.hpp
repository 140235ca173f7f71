// The x86 intrinsics headers, included before Eigen with one false warning silenced: GCC 12's
// AVX-512 intrinsics declare `__m512d __Y = __Y;` (a deliberately undefined vector) and
// -Wmaybe-uninitialized then fires wherever Eigen's AVX-512 packets inline them (GCC bug 105593,
// fixed in GCC 13). The pragma covers only these headers' own lines, so every warning in our
// code and in Eigen's stays on. Included first by core/types.hpp and the precompiled header.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif
