// ForkJoin: every task runs exactly once per step, on the caller too, for
// pool sizes 1..8 and step sizes 0..40, over many steps in a row (workers
// that wake late must not run a finished step's tasks), and the pool
// really runs tasks side by side.
#include "pipeline/fork_join.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

namespace acuity {
namespace pipeline_fork_join_test {
namespace {

TEST(ForkJoinTest, EachTaskOnceInEveryStep) {
  for (int threads = 1; threads <= 8; ++threads) {
    ForkJoin pool(threads);
    EXPECT_EQ(pool.threads(), threads);
    for (int step = 0; step < 200; ++step) {
      const size_t n = static_cast<size_t>(step % 41);
      std::vector<size_t> order(n);
      std::iota(order.rbegin(), order.rend(), size_t{0});  // n-1 .. 0
      std::vector<std::atomic<int>> runs(n);
      pool.Run(order, [&](size_t i) { runs[i].fetch_add(1); });
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(runs[i].load(), 1)
            << "threads " << threads << " step " << step << " task " << i;
      }
    }
  }
}

TEST(ForkJoinTest, OneThreadRunsInOrderOnTheCaller) {
  ForkJoin pool(1);
  const std::vector<size_t> order = {3, 0, 2, 1};
  std::vector<size_t> seen;
  const auto caller = std::this_thread::get_id();
  pool.Run(order, [&](size_t i) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    seen.push_back(i);
  });
  EXPECT_EQ(seen, order);
}

TEST(ForkJoinTest, TasksRunSideBySide) {
  // Four tasks that each wait until all four have started: only a pool of
  // four threads can finish them (bounded wait, so a failure is a failed
  // assertion, not a hang).
  ForkJoin pool(4);
  std::atomic<int> started{0};
  std::atomic<int> met{0};
  pool.Run({0, 1, 2, 3}, [&](size_t) {
    started.fetch_add(1);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (started.load() < 4 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    if (started.load() == 4) met.fetch_add(1);
  });
  EXPECT_EQ(met.load(), 4);
}

}  // namespace
}  // namespace pipeline_fork_join_test
}  // namespace acuity
