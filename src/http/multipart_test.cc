// The transport's own parsers of outside bytes: query strings and multipart/form-data
// (multipart.cc), and the bounded worker pool (work_pool.cc).
#include "multipart.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "work_pool.h"

namespace eseal::http {
namespace {

TEST(QueryTest, DecodesPairsInOrder) {
  auto q = ParseQuery("a=1&b=x%20y&c+d=%E7%9B%96&&e&=v");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->size(), 5u);
  EXPECT_EQ((*q)[0].name, "a");
  EXPECT_EQ((*q)[0].data, "1");
  EXPECT_EQ((*q)[1].data, "x y");
  EXPECT_EQ((*q)[2].name, "c d");
  EXPECT_EQ((*q)[2].data, "盖");
  EXPECT_EQ((*q)[3].name, "e");
  EXPECT_EQ((*q)[3].data, "");
  EXPECT_EQ((*q)[4].name, "");
  EXPECT_EQ((*q)[4].data, "v");
  EXPECT_TRUE(ParseQuery("").ok());
}

TEST(QueryTest, MalformedEscapesAreRefusedInChineseAndEnglish) {
  for (const char* bad : {"a=%zz", "a=%4", "%=1", "a=%00"}) {
    auto q = ParseQuery(bad);
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(q.status().message(), "查询参数含有错误的 % 转义 / the query has a malformed %-escape");
  }
}

TEST(MultipartTest, Boundary) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=----abc"), "----abc");
  EXPECT_EQ(*MultipartBoundary("multipart/form-data;boundary=\"a b;c\"; charset=utf-8"), "a b;c");
  EXPECT_FALSE(MultipartBoundary("multipart/form-data").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')).ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"open").ok());
}

TEST(MultipartTest, SplitsAFormAsBrowsersAndCurlSendIt) {
  std::string body =
      "preamble\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"document\"; filename=\"合同.ofd\"\r\n"
      "Content-Type: application/ofd\r\n\r\n"
      "PK\x03\x04\r\n--Xy not the end\r\n"
      "--XyZ  \r\n"
      "content-disposition: form-data; name=password\r\n\r\n"
      "correct horse\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
      "\r\n--XyZ--\r\nepilogue";
  auto parts = ParseMultipart(body, "XyZ");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "document");
  EXPECT_EQ((*parts)[0].filename, "合同.ofd");
  EXPECT_EQ((*parts)[0].content_type, "application/ofd");
  EXPECT_EQ((*parts)[0].data, std::string("PK\x03\x04\r\n--Xy not the end"));
  EXPECT_EQ((*parts)[1].name, "password");
  EXPECT_EQ((*parts)[1].data, "correct horse");
  EXPECT_EQ((*parts)[2].name, "empty");
  EXPECT_EQ((*parts)[2].data, "");
}

TEST(MultipartTest, RefusesIncompleteOrAmbiguousForms) {
  const char* head = "--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n";
  EXPECT_FALSE(ParseMultipart(std::string(head) + "no closing delimiter", "B").ok());
  EXPECT_FALSE(ParseMultipart("--B\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--B--", "B").ok());
  EXPECT_FALSE(ParseMultipart("--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--", "B").ok());
  EXPECT_FALSE(ParseMultipart("--B\r\nno colon here\r\n\r\nx\r\n--B--", "B").ok());
  EXPECT_FALSE(ParseMultipart("nothing at all", "B").ok());
  EXPECT_FALSE(ParseMultipart("--B\r\nContent-Disposition: form-data; name=\"a" + std::string(9000, 'x') +
                                  "\"\r\n\r\nx\r\n--B--",
                              "B")
                   .ok());
  std::string many;
  for (int i = 0; i < 4; ++i) many += "--B\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nv\r\n";
  many += "--B--";
  EXPECT_TRUE(ParseMultipart(many, "B", 4).ok());
  auto over = ParseMultipart(many, "B", 3);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().message(), "表单的部分超过 3 个 / the form has more than 3 parts");
}

TEST(WorkPoolTest, RefusesWorkBeyondItsQueue) {
  WorkPool pool(1, 1);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool.TryPost([&] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();  // the one thread is busy
  std::atomic<int> ran{0};
  EXPECT_TRUE(pool.TryPost([&] { ++ran; }));   // queued
  EXPECT_FALSE(pool.TryPost([&] { ++ran; }));  // the queue is full
  EXPECT_EQ(pool.queued(), 1u);
  release.set_value();
  pool.Shutdown();  // runs what was queued
  EXPECT_EQ(ran.load(), 1);
  EXPECT_FALSE(pool.TryPost([] {}));
}

}  // namespace
}  // namespace eseal::http
