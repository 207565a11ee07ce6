// A fixed set of threads running request work (Api::Begin with its bearer lookup, and
// Api::Run) off the transport's io threads, behind a bounded queue: when the queue is full
// the transport answers 503 at once instead of letting waiting work pile up.
// Thread-safety: TryPost and queued from any thread; Shutdown once, not from a pool thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace eseal::http {

class WorkPool {
 public:
  WorkPool(int threads, size_t max_queued);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Queues `task`; false when the queue already holds max_queued tasks or the pool is shut
  // down (the task is not run). A task must not throw.
  bool TryPost(std::function<void()> task);
  // Runs what is queued, then joins the threads. Later TryPost calls return false.
  void Shutdown();
  // Tasks waiting for a thread (not those running).
  size_t queued() const;

 private:
  void Loop();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  size_t max_queued_;
  bool shut_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace eseal::http
