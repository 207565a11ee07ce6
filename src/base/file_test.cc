#include "eseal/base/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "eseal/base/log.h"

namespace eseal {
namespace {

std::string TempDir() {
  auto p = std::filesystem::temp_directory_path() / ("eseal_base_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(p);
  return p.string();
}

TEST(FileTest, AtomicWriteThenBoundedRead) {
  std::string path = TempDir() + "/a.txt";
  ASSERT_TRUE(WriteFileAtomic(path, std::string_view("hello"), 0600).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto b = ReadTextFile(path);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, "hello");
  EXPECT_EQ(ReadFile(path, 3).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ReadFile(path + ".missing").status().code(), StatusCode::kNotFound);
}

TEST(FileTest, SecretFileFirstLineOnlyAndErrorsDoNotLeak) {
  std::string path = TempDir() + "/pw";
  ASSERT_TRUE(WriteFileAtomic(path, std::string_view("s3cret\nignored\n"), 0600).ok());
  auto s = ReadSecretFile(path);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(AsChars(s->view()), "s3cret");
  ASSERT_TRUE(WriteFileAtomic(path, std::string_view("\n"), 0600).ok());
  auto e = ReadSecretFile(path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message().find("s3cret"), std::string::npos);
}

TEST(LogTest, JsonLinesWithEscaping) {
  std::string got;
  log::SetSink([&](std::string_view line) { got = std::string(line); });
  log::Info("seal.made", {{"name", "测试\"印章\"\n"}});
  log::SetSink(nullptr);
  EXPECT_NE(got.find("\"event\":\"seal.made\""), std::string::npos);
  EXPECT_NE(got.find("\"name\":\"测试\\\"印章\\\"\\n\""), std::string::npos);
  EXPECT_EQ(JsonEscape(std::string_view("\xff", 1)), "\\u00ff");
}

// Found by fuzz_http_json: FF BF BF passed through as if it were a three-byte character, and
// overlong forms and surrogates were copied too, so error replies that echo a request's
// bytes were not valid JSON. Ill-formed bytes are now escaped one by one.
TEST(LogTest, JsonEscapeEscapesIllFormedUtf8ByteByByte) {
  EXPECT_EQ(JsonEscape("\xff\xbf\xbf"), "\\u00ff\\u00bf\\u00bf");
  EXPECT_EQ(JsonEscape("\xed\xa0\x80"), "\\u00ed\\u00a0\\u0080");      // a surrogate
  EXPECT_EQ(JsonEscape("\xe0\x80\xaf"), "\\u00e0\\u0080\\u00af");      // overlong
  EXPECT_EQ(JsonEscape("\xf4\x90\x80\x80x"), "\\u00f4\\u0090\\u0080\\u0080x");  // > U+10FFFF
  EXPECT_EQ(JsonEscape("印\xF0\x9F\x98\x80"), "印\xF0\x9F\x98\x80");  // well formed: as is
}

}  // namespace
}  // namespace eseal
