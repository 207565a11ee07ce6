#include "eseal/crypto/kek.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>

#include "eseal/base/file.h"
#include "eseal/crypto/sm3.h"
#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::TempDir;

TEST(FileKekTest, CreatesAPrivateKeyFileOnceAndReopensIt) {
  TempDir dir;
  std::string path = dir.File("kek.hex");
  EXPECT_EQ(FileKek::Open(path, false).status().code(), StatusCode::kNotFound);
  auto kek = FileKek::Open(path, true);
  ASSERT_TRUE(kek.ok()) << kek.status().ToString();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto text = ReadTextFile(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->size(), 65u);  // 64 hex digits and a newline
  auto again = FileKek::Open(path, true);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->Id(), (*kek)->Id());
  auto d1 = (*kek)->Derive(AsBytes("ctx"));
  auto d2 = (*again)->Derive(AsBytes("ctx"));
  ASSERT_TRUE(d1.ok() && d2.ok());
  EXPECT_TRUE(ConstantTimeEquals(d1->view(), d2->view()));
  // No temporary files are left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST(FileKekTest, ConcurrentCreatorsAgreeOnOneKey) {
  TempDir dir;
  std::string path = dir.File("kek.hex");
  std::string id1, id2;
  std::thread a([&] {
    auto k = FileKek::Open(path, true);
    if (k.ok()) id1 = (*k)->Id();
  });
  std::thread b([&] {
    auto k = FileKek::Open(path, true);
    if (k.ok()) id2 = (*k)->Id();
  });
  a.join();
  b.join();
  EXPECT_FALSE(id1.empty());
  EXPECT_EQ(id1, id2);
}

TEST(FileKekTest, IdAndDeriveDependOnTheKey) {
  auto a = FileKek::FromBytes(Bytes(32, 1));
  auto b = FileKek::FromBytes(Bytes(32, 2));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->Id().size(), 16u);
  EXPECT_NE(a->Id(), b->Id());
  EXPECT_EQ(a->Id(), FileKek::FromBytes(Bytes(32, 1))->Id());
  auto da = a->Derive(AsBytes("x"));
  auto db = b->Derive(AsBytes("x"));
  auto da2 = a->Derive(AsBytes("y"));
  ASSERT_TRUE(da.ok() && db.ok() && da2.ok());
  EXPECT_EQ(da->size(), 32u);
  EXPECT_FALSE(ConstantTimeEquals(da->view(), db->view()));
  EXPECT_FALSE(ConstantTimeEquals(da->view(), da2->view()));
  // PRF = HMAC-SM3(kek, context).
  auto h = HmacSm3(Bytes(32, 1), AsBytes("x"));
  EXPECT_TRUE(ConstantTimeEquals(da->view(), ByteView(h)));
  // The id reveals nothing obvious of the key.
  EXPECT_EQ(a->Id().find("0101"), std::string::npos);
  EXPECT_EQ(FileKek::FromBytes(Bytes(16, 1)), nullptr);
}

TEST(FileKekTest, ReadsAFileWrittenByHand) {
  TempDir dir;
  std::string path = dir.File("kek.hex");
  std::string hex(64, 'A');
  ASSERT_TRUE(WriteFileAtomic(path, hex + "\r\n", 0600).ok());
  auto kek = FileKek::Open(path, false);
  ASSERT_TRUE(kek.ok()) << kek.status().ToString();
  EXPECT_EQ((*kek)->Id(), FileKek::FromBytes(Bytes(32, 0xAA))->Id());
}

TEST(FileKekTest, RefusesBadOrExposedFiles) {
  TempDir dir;
  std::string path = dir.File("kek.hex");
  std::string secret_hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeZ";
  ASSERT_TRUE(WriteFileAtomic(path, secret_hex, 0600).ok());
  auto bad = FileKek::Open(path, true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(bad.status().message().find("0123456789abcdef"), std::string::npos);
  ASSERT_TRUE(WriteFileAtomic(path, std::string(62, 'a'), 0600).ok());
  EXPECT_EQ(FileKek::Open(path, false).status().code(), StatusCode::kDataLoss);
  ASSERT_TRUE(WriteFileAtomic(path, std::string(64, 'a'), 0644).ok());
  EXPECT_EQ(FileKek::Open(path, false).status().code(), StatusCode::kFailedPrecondition);
  // create_if_missing never overwrites an existing (even broken) file.
  EXPECT_FALSE(FileKek::Open(path, true).ok());
  auto text = ReadTextFile(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, std::string(64, 'a'));
}

}  // namespace
}  // namespace eseal::crypto
