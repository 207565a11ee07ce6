#include "eseal/crypto/random.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

namespace eseal::crypto {
namespace {

TEST(SystemRngTest, FillsAndDiffers) {
  Rng& rng = SystemRng();
  auto a = RandomBytes(rng, 32);
  auto b = RandomBytes(rng, 32);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_NE(*a, Bytes(32, 0));
  EXPECT_TRUE(RandomBytes(rng, 0).ok());
}

TEST(SystemRngTest, LargeRequestsAreFilledCompletely) {
  // Larger than one RAND_priv_bytes chunk; the tail must be random too.
  auto big = RandomBytes(SystemRng(), (1 << 20) + 100);
  ASSERT_TRUE(big.ok());
  Bytes tail(big->end() - 64, big->end());
  EXPECT_NE(tail, Bytes(64, 0));
}

TEST(SystemRngTest, UsableFromThreads) {
  std::set<Bytes> seen;
  std::mutex mu;
  auto work = [&] {
    for (int i = 0; i < 100; ++i) {
      auto b = RandomBytes(SystemRng(), 16);
      ASSERT_TRUE(b.ok());
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(*b);
    }
  };
  std::thread t1(work), t2(work);
  t1.join();
  t2.join();
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace eseal::crypto
