// Test planes that own their pixels, for kernel tests.
#ifndef ACUITY_TESTS_KERNELS_OWNED_PLANE_H_
#define ACUITY_TESTS_KERNELS_OWNED_PLANE_H_

#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

#include "acuity/plane.h"

namespace acuity::kernels::test {

// A plane that owns its pixels. Every byte of the buffer (including the row
// padding between width and stride) starts as random garbage, so a kernel
// that reads padding into its results gives a different answer from the
// reference, which reads only valid samples.
struct OwnedPlane {
  std::vector<uint8_t> bytes;
  PlaneView view;

  void Set(int x, int y, uint32_t v) {
    uint8_t* row = bytes.data() + y * view.stride;
    if (view.bit_depth > 8) {
      const uint16_t s = static_cast<uint16_t>(v);
      std::memcpy(row + 2 * x, &s, 2);
    } else {
      row[x] = static_cast<uint8_t>(v);
    }
  }
};

using Fill = std::function<uint32_t(int x, int y, std::mt19937& rng)>;

inline OwnedPlane MakePlane(int width, int height, int bit_depth,
                            int pad_samples, const Fill& fill, uint32_t seed) {
  std::mt19937 rng(seed);
  OwnedPlane p;
  const int bps = bit_depth > 8 ? 2 : 1;
  p.view.stride = static_cast<ptrdiff_t>(width + pad_samples) * bps;
  p.bytes.resize(static_cast<size_t>(p.view.stride) * height);
  for (uint8_t& b : p.bytes) b = static_cast<uint8_t>(rng());
  p.view.data = p.bytes.data();
  p.view.width = width;
  p.view.height = height;
  p.view.bit_depth = bit_depth;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) p.Set(x, y, fill(x, y, rng));
  }
  return p;
}

inline uint32_t MaxValue(int bit_depth) {
  return (uint32_t{1} << bit_depth) - 1;
}

}  // namespace acuity::kernels::test

#endif  // ACUITY_TESTS_KERNELS_OWNED_PLANE_H_
