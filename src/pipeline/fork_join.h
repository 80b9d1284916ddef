// ForkJoin: a small fixed pool that runs n independent tasks of one step
// (the metrics of one frame) and returns when all are done. The calling
// thread works too, so ForkJoin(1) starts no thread and runs the tasks in
// order on the caller. Tasks are handed out in the order given; what each
// task computes must not depend on which thread runs it, so results are the
// same for every pool size. Run() is called from one thread at a time.
#ifndef ACUITY_PIPELINE_FORK_JOIN_H_
#define ACUITY_PIPELINE_FORK_JOIN_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace acuity {

class ForkJoin {
 public:
  explicit ForkJoin(int threads) {
    for (int t = 1; t < threads; ++t) workers_.emplace_back([this] { Work(); });
  }
  ~ForkJoin() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    start_.notify_all();
    for (auto& w : workers_) w.join();
  }
  ForkJoin(const ForkJoin&) = delete;
  ForkJoin& operator=(const ForkJoin&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls fn(order[0]), fn(order[1]), ... each exactly once, spread over the
  // pool and the caller; returns when every call has returned.
  void Run(const std::vector<size_t>& order,
           const std::function<void(size_t)>& fn) {
    if (workers_.empty() || order.size() <= 1) {
      for (size_t i : order) fn(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_ = &fn;
      order_ = &order;
      next_.store(0);
      pending_ = order.size();
      ++generation_;
    }
    start_.notify_all();
    Drain(fn, order);
    // Every task done, and no worker still inside Drain() with this step's
    // fn and order (both die when Run returns).
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return pending_ == 0 && active_ == 0; });
    fn_ = nullptr;
    order_ = nullptr;
  }

 private:
  // Takes tasks until none is left; counts each finished one.
  void Drain(const std::function<void(size_t)>& fn,
             const std::vector<size_t>& order) {
    while (true) {
      const size_t k = next_.fetch_add(1);
      if (k >= order.size()) return;
      fn(order[k]);
      std::lock_guard<std::mutex> lock(mu_);
      if (--pending_ == 0) done_.notify_all();
    }
  }
  void Work() {
    size_t seen = 0;
    while (true) {
      const std::function<void(size_t)>* fn = nullptr;
      const std::vector<size_t>* order = nullptr;
      {
        std::unique_lock<std::mutex> lock(mu_);
        start_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        if (fn_ == nullptr) continue;  // that step is over already
        fn = fn_;
        order = order_;
        ++active_;
      }
      Drain(*fn, *order);
      std::lock_guard<std::mutex> lock(mu_);
      if (--active_ == 0) done_.notify_all();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable start_, done_;
  const std::function<void(size_t)>* fn_ = nullptr;
  const std::vector<size_t>* order_ = nullptr;
  std::atomic<size_t> next_{0};
  size_t pending_ = 0;
  int active_ = 0;  // workers inside Drain()
  size_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace acuity

#endif  // ACUITY_PIPELINE_FORK_JOIN_H_
