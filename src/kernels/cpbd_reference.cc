// Plain C++ reference twins of the cpbd kernels: the definitions, kept simple
// on purpose. The SIMD targets in cpbd.cc must match them bit for bit.
//
// No floating-point contraction: a * b + c must round twice, as it does in
// every SIMD target (see cpbd.h).
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "kernels/cpbd.h"

namespace acuity::kernels {
namespace {

void FoldedFir(const float* const* rows, const float* w, int n, int sign,
               size_t width, float* out) {
  const int half = n / 2;
  for (size_t x = 0; x < width; ++x) {
    float acc = 0.0f;
    for (int k = 0; k < half; ++k) {
      const float a = rows[k][x], b = rows[n - 1 - k][x];
      const float term = w[k] * (sign > 0 ? a + b : a - b);
      acc = k == 0 ? term : acc + term;
    }
    if ((n & 1) != 0 && sign > 0) acc = acc + w[half] * rows[half][x];
    out[x] = acc;
  }
}

void FoldedFir2U8(const uint8_t* const* rows, const float* ws, const float* wa,
                  int n, size_t width, float* sym, float* anti) {
  const int half = n / 2;
  for (size_t x = 0; x < width; ++x) {
    float acc_s = 0.0f, acc_a = 0.0f;
    for (int k = 0; k < half; ++k) {
      const float a = rows[k][x], b = rows[n - 1 - k][x];
      const float ts = ws[k] * (a + b), ta = wa[k] * (a - b);
      acc_s = k == 0 ? ts : acc_s + ts;
      acc_a = k == 0 ? ta : acc_a + ta;
    }
    if ((n & 1) != 0)
      acc_s = acc_s + ws[half] * static_cast<float>(rows[half][x]);
    sym[x] = acc_s;
    anti[x] = acc_a;
  }
}

void Rescale8(const uint8_t* in, size_t width, int black, int num, int den,
              uint8_t* out) {
  for (size_t x = 0; x < width; ++x) {
    const int v = std::max(in[x] - black, 0);
    out[x] =
        static_cast<uint8_t>(std::min((2 * v * num + den) / (2 * den), 255));
  }
}

float Magnitude(const float* gx, const float* gy, size_t width, float* mag) {
  float max = 0.0f;
  for (size_t x = 0; x < width; ++x) {
    mag[x] = std::sqrt(gx[x] * gx[x] + gy[x] * gy[x]);
    max = std::max(max, mag[x]);
  }
  return max;
}

void NonMax(const float* gx, const float* gy, const float* up, const float* mid,
            const float* dn, size_t width, float floor, uint8_t* out) {
  if (width == 0) return;
  out[0] = 0;
  out[width - 1] = 0;
  for (size_t x = 1; x + 1 < width; ++x) {
    const float ix = gx[x], iy = gy[x];
    const float ax = std::abs(ix), ay = std::abs(iy);
    // MATLAB's four cases partition the nonzero gradients: |ix| major
    // (cases 1 and 4) or |iy| major (2 and 3), opposite signs (1 and 2) or
    // not (3 and 4); |ix| = |iy| goes to case 2 when the signs differ, else
    // to 4. Each interpolates between an axis neighbour and a diagonal one
    // on both sides.
    const bool anti = (ix > 0 && iy < 0) || (ix < 0 && iy > 0);
    const bool horiz = ax > ay || (ax == ay && !anti && ix != 0);
    const float num = horiz ? ay : ax;
    const float den = horiz ? ax : ay;
    const float a_axis = horiz ? mid[x + 1] : up[x];
    const float b_axis = horiz ? mid[x - 1] : dn[x];
    const float a_diag = anti ? up[x + 1] : (horiz ? dn[x + 1] : up[x - 1]);
    const float b_diag = anti ? dn[x - 1] : (horiz ? up[x - 1] : dn[x + 1]);
    // MATLAB: mid >= axis * (1 - d) + diag * d with d = num / den, here
    // multiplied by den > 0 (no division).
    const float g1 = a_axis * (den - num) + a_diag * num;
    const float g2 = b_axis * (den - num) + b_diag * num;
    const float m = mid[x] * den;
    out[x] = mid[x] > floor && den != 0 && m >= g1 && m >= g2;
  }
}

void Histogram64(const float* mag, size_t n, float scale, uint32_t* hist) {
  const float k63 = 63.0f / scale;
  for (size_t i = 0; i < n; ++i) {
    const float t = mag[i] * k63 + 0.5f;
    hist[std::min(63, static_cast<int>(t))]++;
  }
}

size_t Classify(const float* mag, size_t n, float scale, float low, float high,
                uint8_t* flags, uint32_t* seeds) {
  const float inv = 1.0f / scale;
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    if (flags[i] == 0) continue;
    const float v = mag[i] * inv;
    flags[i] = v > high ? 2 : (v > low ? 1 : 0);
    if (flags[i] == 2) seeds[count++] = static_cast<uint32_t>(i);
  }
  return count;
}

void ThresholdPass(const float* mag, size_t n, float k63, float inv,
                   const int* cand, const float* low, const float* high, int m,
                   uint8_t* flags, uint32_t* counts) {
  for (size_t x = 0; x < n; ++x) {
    const int bin = std::min(63, static_cast<int>(mag[x] * k63 + 0.5f));
    for (int j = 0; j < m; ++j) counts[j] += bin <= cand[j] - 1;
    if (flags[x] == 0) continue;
    const float v = mag[x] * inv;
    int above_low = 0, above_high = 0;
    for (int j = 0; j < m; ++j) {
      above_low += v > low[j];
      above_high += v > high[j];
    }
    flags[x] = static_cast<uint8_t>(0x80 | above_low | (above_high << 4));
  }
}

size_t Resolve(uint8_t* flags, size_t n, int i, uint32_t* seeds) {
  size_t count = 0;
  for (size_t x = 0; x < n; ++x) {
    const int f = flags[x];
    const bool marked = (f & 0x80) != 0;
    const bool strong = marked && ((f >> 4) & 7) > i;
    const bool weak = marked && (f & 15) > i;
    flags[x] = strong ? 2 : (weak ? 1 : 0);
    if (strong) seeds[count++] = static_cast<uint32_t>(x);
  }
  return count;
}

void StepBits(const uint8_t* row, size_t width, uint64_t* up, uint64_t* down) {
  const size_t words = (width + 63) / 64 + 1;
  std::fill(up, up + words, uint64_t{0});
  std::fill(down, down + words, uint64_t{0});
  for (size_t x = 0; x + 1 < width; ++x) {
    const uint64_t bit = uint64_t{1} << (x % 64);
    if (row[x + 1] > row[x]) up[x / 64] |= bit;
    if (row[x + 1] < row[x]) down[x / 64] |= bit;
  }
}

int ColumnSum(const uint8_t* a, const uint8_t* b, const uint8_t* c,
              ptrdiff_t x) {
  return a[x] + 2 * b[x] + c[x];
}

void SobelX(const uint8_t* above, const uint8_t* row, const uint8_t* below,
            size_t width, uint16_t* out) {
  for (size_t i = 0; i < width; ++i) {
    const ptrdiff_t x = static_cast<ptrdiff_t>(i);
    const int d = ColumnSum(above, row, below, x - 1) -
                  ColumnSum(above, row, below, x + 1);
    out[i] = static_cast<uint16_t>(std::abs(d));
  }
}

void SobelEdges(const uint16_t* up, const uint16_t* s, const uint16_t* dn,
                const uint8_t* above, const uint8_t* below, size_t width,
                uint8_t* out) {
  for (size_t i = 0; i < width; ++i) {
    const ptrdiff_t x = static_cast<ptrdiff_t>(i);
    const int v = s[x];
    const int sy = std::abs((above[x - 1] + 2 * above[x] + above[x + 1]) -
                            (below[x - 1] + 2 * below[x] + below[x + 1]));
    const bool hmax = s[x - 1] <= v && v > s[x + 1];
    const bool vmax = up[x] <= v && v > dn[x];
    out[i] = v > 16 && ((v >= sy && hmax) || vmax);
  }
}

}  // namespace

const CpbdKernels& CpbdKernelsReference() {
  static const CpbdKernels kReference = {
      FoldedFir,     FoldedFir2U8, Rescale8, Magnitude, NonMax, Histogram64,
      ThresholdPass, Resolve,      Classify, StepBits,  SobelX, SobelEdges,
  };
  return kReference;
}

}  // namespace acuity::kernels
