// Every compiled target of the cpbd kernels against the reference twins,
// bit for bit, over awkward widths; and the whole metric per target.
#include "kernels/cpbd.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernel_harness.h"
#include "metrics/cpbd.h"

namespace acuity::kernels::test {
namespace kernels_cpbd_test {
namespace {

// The harness's standard widths, as row lengths.
const std::vector<size_t> kWidths(test::StandardWidths().begin(),
                                  test::StandardWidths().end());

// Rows padded on both sides with garbage that must not reach the results.
constexpr size_t kMargin = 24;

template <typename T>
struct Rows {
  std::vector<std::vector<T>> storage;
  std::vector<const T*> ptrs;  // each at column 0 of its row
};

template <typename T, typename Gen>
Rows<T> MakeRows(int n, size_t width, Gen gen) {
  Rows<T> r;
  r.storage.resize(n);
  for (int k = 0; k < n; ++k) {
    r.storage[k].resize(width + 2 * kMargin);
    for (T& v : r.storage[k]) v = gen();
  }
  for (int k = 0; k < n; ++k) r.ptrs.push_back(r.storage[k].data() + kMargin);
  return r;
}

std::string Name(int64_t target) { return TargetName(target); }

TEST(CpbdKernelsTest, FoldedFirMatchesReference) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> value(-300.0f, 300.0f);
  const CpbdKernels& ref = CpbdKernelsReference();
  for (int n : {2, 3, 5, 13, 16}) {
    std::vector<float> w(n);
    for (float& v : w) v = value(rng) / 1000.0f;
    for (size_t width : kWidths) {
      const auto rows = MakeRows<float>(n, width, [&] { return value(rng); });
      for (int sign : {1, -1}) {
        std::vector<float> want(width);
        ref.folded_fir(rows.ptrs.data(), w.data(), n, sign, width, want.data());
        test::ExpectTargetsEqual(
            "n=" + std::to_string(n) + " sign=" + std::to_string(sign) +
                " w=" + std::to_string(width),
            want, [&](int64_t t) {
              std::vector<float> got(width);
              CpbdKernelsOnTarget(t).folded_fir(rows.ptrs.data(), w.data(), n,
                                                sign, width, got.data());
              return got;
            });
      }
    }
  }
}

TEST(CpbdKernelsTest, VerticalFirOn8BitRowsMatchesReference) {
  std::mt19937 rng(6);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  const CpbdKernels& ref = CpbdKernelsReference();
  for (int n : {2, 3, 5, 13, 16}) {
    std::vector<float> ws(n), wa(n);
    for (float& v : ws) v = value(rng);
    for (float& v : wa) v = value(rng);
    for (size_t width : kWidths) {
      const auto rows = MakeRows<uint8_t>(
          n, width, [&] { return static_cast<uint8_t>(rng()); });
      std::vector<std::vector<float>> as_float(n);
      std::vector<const float*> float_ptrs(n);
      for (int k = 0; k < n; ++k) {
        as_float[k].assign(rows.ptrs[k], rows.ptrs[k] + width);
        float_ptrs[k] = as_float[k].data();
      }
      std::vector<float> want_s(width), want_a(width);
      ref.folded_fir2_u8(rows.ptrs.data(), ws.data(), wa.data(), n, width,
                         want_s.data(), want_a.data());
      // The definition: folded_fir on the rows as float.
      std::vector<float> def_s(width), def_a(width);
      ref.folded_fir(float_ptrs.data(), ws.data(), n, 1, width, def_s.data());
      ref.folded_fir(float_ptrs.data(), wa.data(), n, -1, width, def_a.data());
      EXPECT_TRUE(SameResult(want_s, def_s)) << "n=" << n << " w=" << width;
      EXPECT_TRUE(SameResult(want_a, def_a)) << "n=" << n << " w=" << width;
      for (int64_t t : CompiledTargets()) {
        std::vector<float> sym(width), anti(width);
        CpbdKernelsOnTarget(t).folded_fir2_u8(rows.ptrs.data(), ws.data(),
                                              wa.data(), n, width, sym.data(),
                                              anti.data());
        EXPECT_TRUE(SameResult(sym, want_s)) << Name(t) << " n=" << n;
        EXPECT_TRUE(SameResult(anti, want_a)) << Name(t) << " n=" << n;
      }
    }
  }
}

TEST(CpbdKernelsTest, RescaleMatchesReference) {
  const CpbdKernels& ref = CpbdKernelsReference();
  std::mt19937 rng(2);
  // The standard scales (8-bit limited: 16, 255/219; full: identity) and
  // random ones; rows hold every code value.
  std::vector<std::array<int, 3>> params = {{16, 255, 219}, {0, 1, 1}};
  for (int i = 0; i < 200; ++i) {
    params.push_back({static_cast<int>(rng() % 256),
                      static_cast<int>(1 + rng() % 255),
                      static_cast<int>(1 + rng() % 255)});
  }
  for (size_t width :
       {size_t{1}, size_t{3}, size_t{63}, size_t{256}, size_t{1921}}) {
    std::vector<uint8_t> in(width);
    for (size_t x = 0; x < width; ++x) in[x] = static_cast<uint8_t>(x * 37);
    for (int64_t t : CompiledTargets()) {
      const CpbdKernels k = CpbdKernelsOnTarget(t);
      for (const auto& p : params) {
        std::vector<uint8_t> want(width), got(width);
        ref.rescale8(in.data(), width, p[0], p[1], p[2], want.data());
        k.rescale8(in.data(), width, p[0], p[1], p[2], got.data());
        ASSERT_EQ(got, want) << Name(t) << " black=" << p[0] << " num=" << p[1]
                             << " den=" << p[2];
      }
    }
  }
  // The limited-range definition itself: round((v - 16) * 255 / 219).
  std::vector<uint8_t> all(256), out(256);
  for (int v = 0; v < 256; ++v) all[v] = static_cast<uint8_t>(v);
  ref.rescale8(all.data(), 256, 16, 255, 219, out.data());
  for (int v = 0; v < 256; ++v) {
    const double y = std::round((v - 16) * 255.0 / 219.0);
    EXPECT_EQ(out[v], static_cast<int>(std::min(255.0, std::max(0.0, y)))) << v;
  }
}

TEST(CpbdKernelsTest, MagnitudeAndNonMaxMatchReference) {
  const CpbdKernels& ref = CpbdKernelsReference();
  std::mt19937 rng(3);
  // Small integers make ties (equal magnitudes, |gx| = |gy|, zeros) common.
  std::uniform_int_distribution<int> small(-4, 4);
  std::uniform_real_distribution<float> real(-100.0f, 100.0f);
  for (bool ties : {true, false}) {
    const auto gen = [&] {
      return ties ? static_cast<float>(small(rng)) : real(rng);
    };
    for (size_t width : kWidths) {
      const auto g = MakeRows<float>(2, width, gen);
      const auto m = MakeRows<float>(3, width, [&] {
        return ties ? static_cast<float>(std::abs(small(rng)))
                    : std::abs(real(rng));
      });
      std::vector<float> want_mag(width);
      const float want_max =
          ref.magnitude(g.ptrs[0], g.ptrs[1], width, want_mag.data());
      // Without a floor, and with one that drops part of the pixels.
      const float floors[2] = {-1.0f, ties ? 2.0f : 40.0f};
      std::vector<uint8_t> want_lm[2];
      for (int f = 0; f < 2; ++f) {
        want_lm[f].resize(width);
        ref.non_max(g.ptrs[0], g.ptrs[1], m.ptrs[0], m.ptrs[1], m.ptrs[2],
                    width, floors[f], want_lm[f].data());
      }
      for (int64_t t : CompiledTargets()) {
        const CpbdKernels k = CpbdKernelsOnTarget(t);
        std::vector<float> mag(width);
        const float max = k.magnitude(g.ptrs[0], g.ptrs[1], width, mag.data());
        EXPECT_TRUE(SameResult(mag, want_mag)) << Name(t) << " w=" << width;
        EXPECT_EQ(max, want_max) << Name(t) << " w=" << width;
        for (int f = 0; f < 2; ++f) {
          std::vector<uint8_t> lm(width);
          k.non_max(g.ptrs[0], g.ptrs[1], m.ptrs[0], m.ptrs[1], m.ptrs[2],
                    width, floors[f], lm.data());
          EXPECT_EQ(lm, want_lm[f])
              << Name(t) << " w=" << width << " ties=" << ties << " f=" << f;
        }
      }
    }
  }
}

// Non-maximum suppression picks the neighbours MATLAB's four cases pick.
TEST(CpbdKernelsTest, NonMaxFollowsTheGradientDirection) {
  const CpbdKernels& ref = CpbdKernelsReference();
  // A 3x3 neighbourhood around a centre of magnitude 5; one neighbour pair
  // is raised to 6 so the centre is not a maximum along that direction.
  struct Case {
    float gx, gy;
    int raised_row, raised_col;  // -1..1 around the centre
    bool is_max;
  };
  const Case cases[] = {
      {1, 0, 0, 1, false},    // horizontal gradient: right neighbour
      {1, 0, -1, 0, true},    // ...a vertical neighbour does not matter
      {0, 1, 1, 0, false},    // vertical gradient: the row below
      {0, 1, 0, 1, true},     //
      {1, 1, 1, 1, false},    // diagonal (same signs): down-right
      {1, 1, -1, 1, true},    // ...not up-right
      {1, -1, -1, 1, false},  // anti-diagonal: up-right
      {1, -1, 1, 1, true},    //
      {0, 0, 0, 0, false},    // no gradient: never a maximum
  };
  for (const Case& c : cases) {
    float up[3] = {5, 5, 5}, mid[3] = {5, 5, 5}, dn[3] = {5, 5, 5};
    if (c.gx != 0 || c.gy != 0) {
      float* row = c.raised_row < 0 ? up : (c.raised_row > 0 ? dn : mid);
      row[1 + c.raised_col] = 6;
    }
    const float gx[3] = {0, c.gx, 0}, gy[3] = {0, c.gy, 0};
    uint8_t out[3];
    ref.non_max(gx, gy, up, mid, dn, 3, -1.0f, out);
    EXPECT_EQ(out[1] != 0, c.is_max)
        << "gx=" << c.gx << " gy=" << c.gy << " raised " << c.raised_row << ","
        << c.raised_col;
    EXPECT_EQ(out[0], 0);
    EXPECT_EQ(out[2], 0);
  }
}

TEST(CpbdKernelsTest, HistogramAndClassifyMatchReference) {
  const CpbdKernels& ref = CpbdKernelsReference();
  std::mt19937 rng(4);
  const float scale = 123.456f;
  std::uniform_real_distribution<float> value(0.0f, scale);
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{17}, size_t{1023},
                   size_t{1024}, size_t{1025}, size_t{5000}}) {
    std::vector<float> mag(n);
    for (size_t i = 0; i < n; ++i) {
      // Some values on bin edges and at the maximum.
      mag[i] = (i % 5 == 0) ? scale * static_cast<float>(rng() % 64) / 63.0f
                            : value(rng);
    }
    if (n > 0) mag[n - 1] = scale;
    std::vector<uint8_t> flags(n);
    for (auto& f : flags) f = (rng() % 3) ? 1 : 0;
    std::vector<uint32_t> want_hist(64, 0);
    ref.histogram64(mag.data(), n, scale, want_hist.data());
    uint64_t total = 0;
    for (uint32_t c : want_hist) total += c;
    EXPECT_EQ(total, n);
    std::vector<uint8_t> want_flags = flags;
    std::vector<uint32_t> want_seeds(n + 1);
    const size_t want_count = ref.classify(
        mag.data(), n, scale, 0.2f, 0.5f, want_flags.data(), want_seeds.data());
    want_seeds.resize(want_count);
    for (int64_t t : CompiledTargets()) {
      const CpbdKernels k = CpbdKernelsOnTarget(t);
      std::vector<uint32_t> hist(64, 0);
      k.histogram64(mag.data(), n, scale, hist.data());
      EXPECT_EQ(hist, want_hist) << Name(t) << " n=" << n;
      std::vector<uint8_t> got_flags = flags;
      std::vector<uint32_t> seeds(n + 1);
      const size_t count = k.classify(mag.data(), n, scale, 0.2f, 0.5f,
                                      got_flags.data(), seeds.data());
      seeds.resize(count);
      EXPECT_EQ(got_flags, want_flags) << Name(t) << " n=" << n;
      EXPECT_EQ(seeds, want_seeds) << Name(t) << " n=" << n;
    }
  }
}

TEST(CpbdKernelsTest, ThresholdPassAndResolveMatchReference) {
  const CpbdKernels& ref = CpbdKernelsReference();
  std::mt19937 rng(7);
  const float scale = 77.7f;
  std::uniform_real_distribution<float> value(0.0f, scale);
  for (size_t n : {size_t{0}, size_t{1}, size_t{15}, size_t{64}, size_t{1000},
                   size_t{4099}}) {
    std::vector<float> mag(n);
    for (size_t i = 0; i < n; ++i) {
      mag[i] = (i % 4 == 0) ? scale * static_cast<float>(rng() % 64) / 63.0f
                            : value(rng) * value(rng) / scale;
    }
    if (n > 0) mag[0] = scale;
    std::vector<uint8_t> lm(n);
    for (auto& f : lm) f = (rng() % 3) == 0;
    for (int m : {1, 2, 3, 5, 7}) {
      for (int first : {1, 3, 64 - m + 1}) {
        std::vector<int> cand(m);
        std::vector<float> low(m), high(m);
        for (int j = 0; j < m; ++j) {
          cand[j] = first + j;
          low[j] = static_cast<float>(0.4 * (cand[j] / 64.0));
          high[j] = static_cast<float>(cand[j] / 64.0);
        }
        std::vector<uint8_t> want_flags = lm;
        std::vector<uint32_t> want_counts(m, 0);
        ref.threshold_pass(mag.data(), n, 63.0f / scale, 1.0f / scale,
                           cand.data(), low.data(), high.data(), m,
                           want_flags.data(), want_counts.data());
        // Consistent with the histogram and classify.
        std::vector<uint32_t> hist(64, 0);
        ref.histogram64(mag.data(), n, scale, hist.data());
        for (int j = 0; j < m; ++j) {
          uint32_t cum = 0;
          for (int b = 0; b < cand[j]; ++b) cum += hist[b];
          EXPECT_EQ(want_counts[j], cum) << "cand " << cand[j];
        }
        for (int i = 0; i < m; ++i) {
          std::vector<uint8_t> classified = lm, resolved = want_flags;
          std::vector<uint32_t> s1(n + 1), s2(n + 1);
          const size_t c1 = ref.classify(mag.data(), n, scale, low[i], high[i],
                                         classified.data(), s1.data());
          const size_t c2 = ref.resolve(resolved.data(), n, i, s2.data());
          EXPECT_EQ(resolved, classified);
          ASSERT_EQ(c1, c2);
          s1.resize(c1);
          s2.resize(c2);
          EXPECT_EQ(s1, s2);
        }
        for (int64_t t : CompiledTargets()) {
          const CpbdKernels k = CpbdKernelsOnTarget(t);
          std::vector<uint8_t> flags = lm;
          std::vector<uint32_t> counts(m, 0);
          k.threshold_pass(mag.data(), n, 63.0f / scale, 1.0f / scale,
                           cand.data(), low.data(), high.data(), m,
                           flags.data(), counts.data());
          EXPECT_EQ(flags, want_flags) << Name(t) << " n=" << n << " m=" << m;
          EXPECT_EQ(counts, want_counts) << Name(t) << " n=" << n;
          for (int i = 0; i < m; ++i) {
            std::vector<uint8_t> got = want_flags, want = want_flags;
            std::vector<uint32_t> sg(n + 1), sw(n + 1);
            sg.resize(k.resolve(got.data(), n, i, sg.data()));
            sw.resize(ref.resolve(want.data(), n, i, sw.data()));
            EXPECT_EQ(got, want) << Name(t) << " n=" << n << " i=" << i;
            EXPECT_EQ(sg, sw) << Name(t) << " n=" << n << " i=" << i;
          }
        }
      }
    }
  }
}

TEST(CpbdKernelsTest, StepBitsMatchReference) {
  const CpbdKernels& ref = CpbdKernelsReference();
  std::mt19937 rng(8);
  for (size_t width : kWidths) {
    for (int levels : {2, 256}) {
      const auto row = MakeRows<uint8_t>(
          1, width, [&] { return static_cast<uint8_t>(rng() % levels); });
      const size_t words = (width + 63) / 64 + 1;
      std::vector<uint64_t> want_up(words, ~uint64_t{0}),
          want_down(words, ~uint64_t{0});
      ref.step_bits(row.ptrs[0], width, want_up.data(), want_down.data());
      for (size_t x = 0; x < 64 * words; ++x) {
        const bool up = (want_up[x / 64] >> (x % 64)) & 1;
        const bool down = (want_down[x / 64] >> (x % 64)) & 1;
        const bool in = x + 1 < width;
        ASSERT_EQ(up, in && row.ptrs[0][x + 1] > row.ptrs[0][x]) << x;
        ASSERT_EQ(down, in && row.ptrs[0][x + 1] < row.ptrs[0][x]) << x;
      }
      const std::string what =
          "w=" + std::to_string(width) + " levels=" + std::to_string(levels);
      // Every word written, the guard words too: start from other garbage.
      const auto bits = [&](int64_t t, bool want_up) {
        std::vector<uint64_t> up(words, ~uint64_t{0}), down(words, 0);
        CpbdKernelsOnTarget(t).step_bits(row.ptrs[0], width, up.data(),
                                         down.data());
        return want_up ? up : down;
      };
      test::ExpectTargetsEqual(what + " up", want_up,
                               [&](int64_t t) { return bits(t, true); });
      test::ExpectTargetsEqual(what + " down", want_down,
                               [&](int64_t t) { return bits(t, false); });
    }
  }
}

TEST(CpbdKernelsTest, SobelMatchesReference) {
  const CpbdKernels& ref = CpbdKernelsReference();
  std::mt19937 rng(5);
  for (bool extremes : {false, true}) {
    const auto pixel = [&] {
      return static_cast<uint8_t>(extremes ? ((rng() & 1) ? 255 : 0)
                                           : rng() % 256);
    };
    for (size_t width : kWidths) {
      const auto img = MakeRows<uint8_t>(3, width, pixel);
      // |Sobel x| rows with zero guards at -1 and width, values with ties.
      std::vector<std::vector<uint16_t>> s(3,
                                           std::vector<uint16_t>(width + 2, 0));
      for (auto& row : s) {
        for (size_t x = 1; x <= width; ++x) {
          row[x] = static_cast<uint16_t>(extremes ? (rng() % 4) * 340
                                                  : rng() % 1021);
        }
      }
      std::vector<uint16_t> want_sx(width);
      ref.sobel_x(img.ptrs[0], img.ptrs[1], img.ptrs[2], width, want_sx.data());
      std::vector<uint8_t> want_e(width);
      ref.sobel_edges(s[0].data() + 1, s[1].data() + 1, s[2].data() + 1,
                      img.ptrs[0], img.ptrs[2], width, want_e.data());
      const std::string what = "w=" + std::to_string(width);
      test::ExpectTargetsEqual(what, want_sx, [&](int64_t t) {
        std::vector<uint16_t> sx(width);
        CpbdKernelsOnTarget(t).sobel_x(img.ptrs[0], img.ptrs[1], img.ptrs[2],
                                       width, sx.data());
        return sx;
      });
      test::ExpectTargetsEqual(what, want_e, [&](int64_t t) {
        std::vector<uint8_t> e(width);
        CpbdKernelsOnTarget(t).sobel_edges(s[0].data() + 1, s[1].data() + 1,
                                           s[2].data() + 1, img.ptrs[0],
                                           img.ptrs[2], width, e.data());
        return e;
      });
    }
  }
}

// The one-pass thresholds (estimate, candidates, resolve) and the full
// histogram give the same metric, and widths from step bits equal the
// walked widths of CPBD_compute.m.
TEST(CpbdKernelsTest, FastPathsEqualTheDefinitions) {
  std::vector<cv::Mat> images;
  cv::Mat noise(300, 400, CV_8UC1);
  cv::randu(noise, 0, 256);
  for (double sigma : {0.7, 1.5, 4.0}) {
    cv::Mat b;
    cv::GaussianBlur(noise, b, cv::Size(0, 0), sigma);
    images.push_back(b);
  }
  // Long ramps (walks of 64+ and capped at 101 pixels) with steps on them.
  cv::Mat ramps(200, 700, CV_8UC1);
  for (int r = 0; r < ramps.rows; ++r) {
    for (int c = 0; c < ramps.cols; ++c) {
      const int ramp = (c % 350) * 200 / 350;
      ramps.at<uint8_t>(r, c) =
          static_cast<uint8_t>(ramp + ((c / 23 + r / 40) % 2) * 40);
    }
  }
  images.push_back(ramps);
  // Flat with a few spots: most magnitudes in bin 0.
  cv::Mat spots(256, 256, CV_8UC1, cv::Scalar(100));
  for (int i = 0; i < 12; ++i) {
    cv::circle(spots, cv::Point(20 + 19 * i, 30 + 17 * i), 6, cv::Scalar(180),
               -1);
  }
  images.push_back(spots);
  for (size_t i = 0; i < images.size(); ++i) {
    const cv::Mat& img = images[i];
    metrics::CpbdCalculator fast(CpbdKernelsBest(), false);
    metrics::CpbdCalculator full(CpbdKernelsBest(), true);
    const auto v = fast.FromGray(img);
    ASSERT_TRUE(v.has_value()) << "image " << i;
    EXPECT_EQ(v, full.FromGray(img)) << "image " << i;
    const cv::Mat widths =
        metrics::MarzilianoWidths(img, metrics::MatlabSobelVertical(img));
    EXPECT_EQ(metrics::CpbdFromMaps(img, metrics::MatlabCanny(img), widths), v)
        << "image " << i;
  }
}

// The whole metric on every target equals the reference twins' value.
TEST(CpbdKernelsTest, MetricIsTheSameOnEveryTarget) {
  for (const cv::Size size : {cv::Size(641, 361), cv::Size(130, 67)}) {
    cv::Mat img(size, CV_8UC1);
    cv::randu(img, 0, 256);
    cv::GaussianBlur(img, img, cv::Size(0, 0), 1.2);
    const auto want = metrics::CpbdFromGray(img, CpbdKernelsReference());
    ASSERT_TRUE(want.has_value());
    for (int64_t t : CompiledTargets()) {
      EXPECT_EQ(metrics::CpbdFromGray(img, CpbdKernelsOnTarget(t)), want)
          << Name(t);
    }
  }
}

}  // namespace
}  // namespace kernels_cpbd_test
}  // namespace acuity::kernels::test
