// Row kernels of the cpbd metric (src/metrics/cpbd.cc): the separable
// derivative-of-Gaussian filters, gradient magnitude, non-maximum
// suppression and thresholds of MATLAB's Canny, and MATLAB's thinned
// vertical Sobel edges.
//
// Determinism: the float kernels use only IEEE operations that are
// correctly rounded per lane (add, sub, mul, div, sqrt, compare) in the same
// order as the reference, and this file and its twin are compiled with
// floating-point contraction off (no fused multiply-add), so every SIMD
// target returns bit-identical results to the plain C++ reference. The
// Sobel kernels are exact integer arithmetic.
//
// Rows are plain arrays; where a kernel reads x - 1 or x + 1 the caller
// guarantees those samples exist (padding). Nothing here allocates.
#ifndef ACUITY_KERNELS_CPBD_H_
#define ACUITY_KERNELS_CPBD_H_

#include <cstddef>
#include <cstdint>

namespace acuity::kernels {

inline constexpr int kCpbdMaxCandidates = 7;

struct CpbdKernels {
  // out[x] = w[0] (r[0][x] +- r[n-1][x]) + w[1] (r[1][x] +- r[n-2][x]) + ...
  // over k < n/2, summed left to right, plus w[n/2] r[n/2][x] when n is odd
  // and `sign` > 0. sign > 0: symmetric taps (w[k] = w[n-1-k]), sign < 0:
  // antisymmetric (w[k] = -w[n-1-k], the odd middle tap is zero). n >= 2.
  // The rows may be shifted views of one row (a horizontal filter).
  void (*folded_fir)(const float* const* rows, const float* w, int n, int sign,
                     size_t width, float* out);
  // The vertical passes: both folds of the same 8-bit rows at once,
  // bit-identical to folded_fir on the rows converted to float (sums and
  // differences of two 8-bit values are exact in float, so the SIMD code
  // forms them in integers): sym = folded_fir(rows, ws, n, +1) and
  // anti = folded_fir(rows, wa, n, -1).
  void (*folded_fir2_u8)(const uint8_t* const* rows, const float* ws,
                         const float* wa, int n, size_t width, float* sym,
                         float* anti);
  // 8-bit code values to full-range 8-bit: out[x] = clamp(floor((2 (in[x] -
  // black) num + den) / (2 den)), 0, 255), i.e. (v - black) num / den
  // rounded half up, exactly. 0 <= black <= 255, 1 <= num <= 255,
  // 1 <= den <= 255.
  void (*rescale8)(const uint8_t* in, size_t width, int black, int num, int den,
                   uint8_t* out);
  // mag[x] = sqrt(gx^2 + gy^2); returns the largest mag (0 for width 0).
  float (*magnitude)(const float* gx, const float* gy, size_t width,
                     float* mag);
  // MATLAB cannyFindLocalMaxima without the threshold, for one row: out[x]
  // = 1 where mid[x] > floor and mid[x] is >= both neighbours interpolated
  // along the gradient (gx[x], gy[x]) from rows up/mid/dn, else 0.
  // out[0] = out[width-1] = 0. (A floor below the final low threshold
  // spares the work on pixels that cannot become edges.)
  // The comparison mid >= a (1 - d) + b d, d = num / den, is evaluated as
  // mid den >= a (den - num) + b num.
  void (*non_max)(const float* gx, const float* gy, const float* up,
                  const float* mid, const float* dn, size_t width, float floor,
                  uint8_t* out);
  // hist[b] += count of x with b = min(63, int(mag[x] * (63 / scale) + 0.5))
  // (MATLAB imhist(mag / max, 64)); scale > 0.
  void (*histogram64)(const float* mag, size_t n, float scale, uint32_t* hist);
  // The thresholds in one pass, for candidate high bins cand[0] < ... <
  // cand[m-1] (1..64, m <= kCpbdMaxCandidates) with thresholds low[j] <
  // high[j] increasing in j, k63 = 63 / scale and inv = 1 / scale as
  // histogram64 and classify compute them:
  //   counts[j] += #{x : min(63, int(mag[x] k63 + 0.5)) <= cand[j] - 1};
  //   for flags[x] != 0: v = mag[x] inv, flags[x] = 0x80 |
  //     #{j : v > low[j]} | #{j : v > high[j]} << 4.
  void (*threshold_pass)(const float* mag, size_t n, float k63, float inv,
                         const int* cand, const float* low, const float* high,
                         int m, uint8_t* flags, uint32_t* counts);
  // Once cand[i] is known to be the high bin: flags[x] with code f (from
  // threshold_pass) become 2 if f & 0x80 and (f >> 4 & 7) > i, else 1 if
  // f & 0x80 and (f & 15) > i, else 0 -- what classify gives; the x with 2
  // are appended to seeds in ascending order, and their count returned.
  size_t (*resolve)(uint8_t* flags, size_t n, int i, uint32_t* seeds);
  // For flags[x] != 0: v = mag[x] * (1 / scale); flags[x] = v > high ? 2 : v >
  // low ? 1 : 0. Appends the x with flags[x] == 2 to seeds in ascending order
  // and returns how many were appended.
  size_t (*classify)(const float* mag, size_t n, float scale, float low,
                     float high, uint8_t* flags, uint32_t* seeds);
  // Bit x of up (down) = row[x+1] > row[x] (row[x+1] < row[x]) for x <
  // width - 1; every other bit of the first ceil(width / 64) + 1 words is 0.
  // Words are little-endian 64-bit (bit x is bit x % 64 of word x / 64).
  void (*step_bits)(const uint8_t* row, size_t width, uint64_t* up,
                    uint64_t* down);
  // out[x] = |(a + 2b + c)[x-1] - (a + 2b + c)[x+1]| over rows
  // above/row/below (x - 1 and width must be readable).
  void (*sobel_x)(const uint8_t* above, const uint8_t* row,
                  const uint8_t* below, size_t width, uint16_t* out);
  // MATLAB edge(I, 'sobel', 2, 'vertical') thinning for one row, from
  // s = |Sobel x| of this row (s[-1], s[width] = 0), of the rows above and
  // below (all 0 outside the image) and the image rows above/below
  // (x - 1 and width readable) for |Sobel y|:
  // out[x] = s > 16 && ((s >= |Sobel y| && s[x-1] <= s && s > s[x+1]) ||
  //                     (up[x] <= s && s > dn[x])).
  void (*sobel_edges)(const uint16_t* up, const uint16_t* s, const uint16_t* dn,
                      const uint8_t* above, const uint8_t* below, size_t width,
                      uint8_t* out);
};

// Runtime-dispatched SIMD (Highway) kernels for this CPU.
const CpbdKernels& CpbdKernelsBest();
// Plain C++ reference twins: the definitions, kept simple on purpose.
const CpbdKernels& CpbdKernelsReference();
// The kernels of one compiled target. Precondition: `target` is an element
// of CompiledTargets() (kernels/targets.h); anything else aborts.
CpbdKernels CpbdKernelsOnTarget(int64_t target);

}  // namespace acuity::kernels

#endif  // ACUITY_KERNELS_CPBD_H_
