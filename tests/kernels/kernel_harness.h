// One harness for the SIMD kernel tests (FFmpeg's checkasm idea): every
// compiled Highway target, and the runtime-dispatched entry point, against
// the kernel's plain C++ reference twin, over a sweep of planes:
//  - widths around every vector size (16/32/64 bytes; 8/16/32 u16 lanes,
//    and the 128-bit fallback for narrow planes), 1..4 and 1921;
//  - strides > width, the row padding full of random garbage (OwnedPlane),
//    so a kernel that reads padding into its results differs from the
//    reference, which reads only samples;
//  - bit depths 8..16 and fills that hit the extremes (all max, 0/max
//    checkerboards: the flush budgets of the integer accumulators).
// A kernel test states what it sweeps (Sweep), how to run the reference,
// one target and the dispatched entry (three callables returning a value
// compared with ==, floats bit for bit), and keeps its closed forms.
#ifndef ACUITY_TESTS_KERNELS_KERNEL_HARNESS_H_
#define ACUITY_TESTS_KERNELS_KERNEL_HARNESS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "acuity/plane.h"
#include "kernels/owned_plane.h"
#include "kernels/targets.h"

namespace acuity::kernels::test {

// A named family of fills, made for a bit depth's largest sample value.
struct Pattern {
  std::string name;
  std::function<Fill(uint32_t max)> make;
};

// The fills the kernel tests use, by name:
//   random      uniform in [0, max]
//   zero, max   constant planes
//   checkerboard  0/max alternating in x and y (the largest Laplacian)
//   extremes    0 or max at random (the flush budgets)
//   ramp        (7x + 3y) mod (max + 1): every value, smooth steps
//   ramp_noise  the ramp plus 0..2 (magnitudes near rounding boundaries)
inline Pattern NamedPattern(std::string_view name) {
  using F = std::function<Fill(uint32_t)>;
  F make;
  if (name == "random") {
    make = [](uint32_t max) -> Fill {
      return [max](int, int, std::mt19937& rng) { return rng() % (max + 1); };
    };
  } else if (name == "zero") {
    make = [](uint32_t) -> Fill {
      return [](int, int, std::mt19937&) { return 0u; };
    };
  } else if (name == "max") {
    make = [](uint32_t max) -> Fill {
      return [max](int, int, std::mt19937&) { return max; };
    };
  } else if (name == "checkerboard") {
    make = [](uint32_t max) -> Fill {
      return [max](int x, int y, std::mt19937&) {
        return ((x + y) & 1) ? max : 0u;
      };
    };
  } else if (name == "extremes") {
    make = [](uint32_t max) -> Fill {
      return
          [max](int, int, std::mt19937& rng) { return (rng() & 1) ? max : 0u; };
    };
  } else if (name == "ramp") {
    make = [](uint32_t max) -> Fill {
      return [max](int x, int y, std::mt19937&) {
        return static_cast<uint32_t>((x * 7 + y * 3) % (max + 1));
      };
    };
  } else if (name == "ramp_noise") {
    make = [](uint32_t max) -> Fill {
      return [max](int x, int y, std::mt19937& rng) {
        const uint32_t v = (x * 7 + y * 3) % (max + 1) + rng() % 3;
        return v > max ? max : v;
      };
    };
  } else {
    ADD_FAILURE() << "kernel_harness: no pattern '" << name << "'";
    make = [](uint32_t) -> Fill {
      return [](int, int, std::mt19937&) { return 0u; };
    };
  }
  return {std::string(name), make};
}

inline std::vector<Pattern> Patterns(
    std::initializer_list<std::string_view> names) {
  std::vector<Pattern> out;
  for (std::string_view n : names) out.push_back(NamedPattern(n));
  return out;
}

// A custom pattern (a test's own content, e.g. flat 8x8 blocks).
inline Pattern CustomPattern(std::string name,
                             std::function<Fill(uint32_t max)> make) {
  return {std::move(name), std::move(make)};
}

// The standard widths: 1..5, 7..10, around 16, 32, 64 and 128 (bytes at 8
// bits, lanes at 16; 68 and 76: a vector plus a 128-bit tail), past 256,
// and 1921 (a 1080p row plus one: every vector size's remainder at once).
inline const std::vector<int>& StandardWidths() {
  static const std::vector<int> widths = {
      1,  2,  3,  4,  5,  7,  8,  9,  10, 15, 16,  17,  18,  19,  31,  32,
      33, 34, 35, 63, 64, 65, 66, 67, 68, 76, 127, 128, 129, 130, 257, 1921};
  return widths;
}

// The bit depths the decoder hands over, 8..16, with 9, 13 and 14 at the
// edges of the SIMD paths (several switch to another path above 12 bits).
inline const std::vector<int>& StandardDepths() {
  static const std::vector<int> depths = {8, 9, 10, 12, 13, 14, 16};
  return depths;
}

// What a test sweeps. Defaults: the standard widths and depths, heights
// 1, 2, 3, 7 (no interior, one row, several), stride = width or width + 13
// samples, the random/zero/max/checkerboard/extremes patterns.
struct Sweep {
  std::vector<int> depths = StandardDepths();
  std::vector<Pattern> patterns =
      Patterns({"random", "zero", "max", "checkerboard", "extremes"});
  std::vector<int> widths = StandardWidths();
  std::vector<int> heights = {1, 2, 3, 7};
  std::vector<int> pads = {0, 13};
  uint32_t seed = 1;
};

// One plane of a sweep, with how it was made (to make a second plane of
// the same shape: MakePlane(c.width, c.height, c.depth, pad, c.fill, seed)).
struct PlaneCase {
  const OwnedPlane& plane;
  const Pattern& pattern;
  const Fill& fill;
  int width, height, depth, pad;
  uint32_t seed;
  std::string what;  // "random 17x3 depth 10 pad 13"
};

// Calls `body` once per (depth, pattern, width, height, pad) of the sweep,
// each plane with its own seed; stops at the first fatal failure. Returns
// how many planes it made.
inline int ForEachPlane(const Sweep& sweep,
                        const std::function<void(const PlaneCase&)>& body) {
  uint32_t seed = sweep.seed;
  int planes = 0;
  for (int depth : sweep.depths) {
    for (const Pattern& pattern : sweep.patterns) {
      const Fill fill = pattern.make(MaxValue(depth));
      for (int w : sweep.widths) {
        for (int h : sweep.heights) {
          for (int pad : sweep.pads) {
            const uint32_t s = seed++;
            const OwnedPlane p = MakePlane(w, h, depth, pad, fill, s);
            ++planes;
            body(PlaneCase{p, pattern, fill, w, h, depth, pad, s,
                           pattern.name + " " + std::to_string(w) + "x" +
                               std::to_string(h) + " depth " +
                               std::to_string(depth) + " pad " +
                               std::to_string(pad)});
            if (::testing::Test::HasFatalFailure()) return planes;
          }
        }
      }
    }
  }
  return planes;
}

// 1920x1080 planes of random samples (row padding 64), one per depth: the
// size production sees, every loop's steady state.
inline int ForEachLargePlane(
    std::initializer_list<int> depths,
    const std::function<void(const PlaneCase&)>& body) {
  Sweep sweep;
  sweep.depths = depths;
  sweep.patterns = Patterns({"random"});
  sweep.widths = {1920};
  sweep.heights = {1080};
  sweep.pads = {64};
  sweep.seed = 5;
  return ForEachPlane(sweep, body);
}

// ---------------------------------------------------------------- results

// Equality as the kernels promise it: integers and structs with ==, float
// results bit for bit (a -0 for a +0 or another NaN is a difference).
template <typename T>
bool SameResult(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
  } else {
    return a == b;
  }
}
template <typename T>
bool SameResult(const std::vector<T>& a, const std::vector<T>& b) {
  if constexpr (std::is_floating_point_v<T>) {
    return a.size() == b.size() &&
           std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
  } else {
    return a == b;
  }
}

// How `got` differs from `want`, readably: a vector's size or its first
// differing element, else `describe` (or gtest's printer).
template <typename T>
std::string Difference(const T& got, const T& want,
                       const std::function<std::string(const T&)>& describe) {
  if (describe) {
    return "\n  got  " + describe(got) + "\n  want " + describe(want);
  }
  return "\n  got  " + ::testing::PrintToString(got) + "\n  want " +
         ::testing::PrintToString(want);
}
template <typename T>
std::string Difference(
    const std::vector<T>& got, const std::vector<T>& want,
    const std::function<std::string(const std::vector<T>&)>&) {
  std::ostringstream s;
  if (got.size() != want.size()) {
    s << "\n  size " << got.size() << ", want " << want.size();
    return s.str();
  }
  for (size_t i = 0; i < got.size(); ++i) {
    if (!SameResult(got[i], want[i])) {
      s << "\n  first difference at [" << i << "] of " << got.size() << ": got "
        << ::testing::PrintToString(got[i]) << ", want "
        << ::testing::PrintToString(want[i]);
      break;
    }
  }
  return s.str();
}

// A readable form of a result for failure messages (optional).
template <typename T>
using Describer = std::type_identity_t<std::function<std::string(const T&)>>;

// Every compiled target's result (`on_target(target)`) equals `want`, the
// reference twin's. Fatal on the first difference.
template <typename T, typename OnTarget>
void ExpectTargetsEqual(const std::string& what, const T& want,
                        OnTarget&& on_target,
                        const Describer<T>& describe = nullptr) {
  ASSERT_FALSE(CompiledTargets().empty());
  for (int64_t target : CompiledTargets()) {
    const T got = on_target(target);
    ASSERT_TRUE(SameResult(got, want))
        << what << " target=" << TargetName(target)
        << Difference(got, want, describe);
  }
}

// The same, and the runtime-dispatched entry point (`dispatched()`) too.
template <typename T, typename OnTarget, typename Dispatched>
void ExpectTargetsAndDispatchEqual(const std::string& what, const T& want,
                                   OnTarget&& on_target,
                                   Dispatched&& dispatched,
                                   const Describer<T>& describe = nullptr) {
  ExpectTargetsEqual(what, want, on_target, describe);
  if (::testing::Test::HasFatalFailure()) return;
  const T got = dispatched();
  ASSERT_TRUE(SameResult(got, want))
      << what << " (dispatched)" << Difference(got, want, describe);
}

// Kernels whose results land in buffers get one test function that runs
// any entry point by a target number: kReference runs the reference twin,
// kDispatched the runtime-dispatched entry point, any other the OnTarget
// call for that Highway target.
inline constexpr int64_t kReference = 0;
inline constexpr int64_t kDispatched = -1;

// Every compiled target and the dispatched entry point give what
// `run(kReference)` gives.
template <typename Run>
void ExpectEntryPointsAgree(
    const std::string& what, Run&& run,
    const Describer<std::decay_t<decltype(run(kReference))>>& describe =
        nullptr) {
  ExpectTargetsAndDispatchEqual(
      what, run(kReference), run, [&] { return run(kDispatched); }, describe);
}

// A kernel reads samples only: two planes with the same samples and
// different garbage in their row padding (40 samples) give the same result
// on every target. `run(target, view)` returns a comparable result.
template <typename Run>
void ExpectPaddingIsNeverRead(int width, int height,
                              std::initializer_list<int> depths, Run&& run) {
  for (int depth : depths) {
    const uint32_t max = MaxValue(depth);
    const Fill fill = [max](int, int, std::mt19937& rng) {
      return rng() % (max + 1);
    };
    const OwnedPlane a = MakePlane(width, height, depth, 40, fill, 11);
    OwnedPlane b = MakePlane(width, height, depth, 40, fill, 12);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) b.Set(x, y, a.view.At(x, y));
    }
    ASSERT_NE(std::memcmp(a.bytes.data(), b.bytes.data(), a.bytes.size()), 0);
    for (int64_t target : CompiledTargets()) {
      const auto ra = run(target, a.view);
      const auto rb = run(target, b.view);
      ASSERT_TRUE(SameResult(ra, rb))
          << TargetName(target) << " depth " << depth
          << ": the result depends on the row padding";
    }
  }
}

// The same for kernels of two planes (u and v, cur and prev), one plane
// at a time: `run(target, a, b)`.
template <typename Run>
void ExpectPaddingIsNeverReadInEither(int width, int height,
                                      std::initializer_list<int> depths,
                                      Run&& run) {
  for (int depth : depths) {
    const OwnedPlane other =
        MakePlane(width, height, depth, 9,
                  NamedPattern("random").make(MaxValue(depth)), 13);
    ExpectPaddingIsNeverRead(
        width, height, {depth},
        [&](int64_t t, const PlaneView& a) { return run(t, a, other.view); });
    if (::testing::Test::HasFatalFailure()) return;
    ExpectPaddingIsNeverRead(
        width, height, {depth},
        [&](int64_t t, const PlaneView& b) { return run(t, other.view, b); });
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Kernels of the interior (1 <= x <= W-2, likewise y) of a plane, whose
// result has a pixel count: planes narrower or lower than 3 samples have
// none and give T{} (and so does an empty view); the others count
// (W-2)(H-2). `run(view)` calls the dispatched entry point.
template <typename Run, typename Count>
void ExpectInteriorOnly(Run&& run, Count&& count) {
  using T = std::decay_t<decltype(run(PlaneView{}))>;
  for (int w : {1, 2, 3, 64, 70}) {
    for (int h : {1, 2, 3}) {
      const OwnedPlane p =
          MakePlane(w, h, 8, 3, NamedPattern("random").make(255), 7);
      const T m = run(p.view);
      if (w >= 3 && h >= 3) {
        EXPECT_EQ(count(m), int64_t{w - 2} * (h - 2)) << w << "x" << h;
      } else {
        EXPECT_TRUE(m == T{}) << w << "x" << h;
      }
    }
  }
  EXPECT_TRUE(run(PlaneView{}) == T{});
}

// The kernels are stateless: 4 concurrent calls of `run()` (the first of
// them initialising Highway's dispatch) each return `want`.
template <typename T, typename Run>
void ExpectConcurrentCallsAgree(const T& want, Run&& run) {
  std::vector<T> got(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&got, &run, i] { got[i] = run(); });
  }
  for (std::thread& t : threads) t.join();
  for (const T& g : got) EXPECT_TRUE(SameResult(g, want));
}

}  // namespace acuity::kernels::test

#endif  // ACUITY_TESTS_KERNELS_KERNEL_HARNESS_H_
