// Hostile and real packages through Package (the safe zip reader).
#include "eseal/ofd/package.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "eseal/base/file.h"
#include "eseal/ofd/reader.h"
#include "test_zip.h"

namespace eseal::ofd {
namespace {

using testing::BuildZip;
using testing::BuildZipFiles;
using testing::MinimalOfd;
using testing::ZipEntrySpec;

// The hostile tests must never hold a 200 MB entry: peak RSS stays far below it. Sanitizer
// builds carry their own overhead (shadow memory, quarantine), so they get a looser bound
// that still proves the entry was not inflated.
#if defined(__SANITIZE_ADDRESS__) || defined(__has_feature)
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kRssBound = uint64_t{190} << 20;
#elif __has_feature(address_sanitizer)
constexpr uint64_t kRssBound = uint64_t{190} << 20;
#else
constexpr uint64_t kRssBound = uint64_t{100} << 20;
#endif
#else
constexpr uint64_t kRssBound = uint64_t{100} << 20;
#endif

std::vector<std::string> RealOfdFiles() {
  std::vector<std::string> out;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(ESEAL_SHARED_TESTDATA "/ofdrw")) {
    if (e.is_regular_file() && e.path().extension() == ".ofd") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

ZipEntrySpec File(std::string name, std::string content) {
  ZipEntrySpec s;
  s.name = std::move(name);
  s.data = ToBytes(content);
  return s;
}

TEST(PackageTest, OpensEveryRealFileAndReadsEveryEntry) {
  std::vector<std::string> files = RealOfdFiles();
  ASSERT_GE(files.size(), 37u);
  for (const std::string& f : files) {
    auto p = Package::OpenFile(f);
    ASSERT_TRUE(p.ok()) << f << ": " << p.status().ToString();
    ASSERT_NE(p->Find("/OFD.xml"), nullptr) << f;
    for (const EntryInfo& e : p->entries()) {
      if (e.is_directory) continue;
      auto b = p->Read(e.path);
      ASSERT_TRUE(b.ok()) << f << " " << e.name << ": " << b.status().ToString();
      EXPECT_EQ(b->size(), e.size);
    }
  }
}

TEST(PackageTest, ListsAndFinds) {
  auto p = Package::OpenFile(ESEAL_SHARED_TESTDATA "/ofdrw/unsigned/helloworld.ofd");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->FilePaths().size(), 4u);
  EXPECT_NE(p->Find("Doc_0/Document.xml"), nullptr);
  EXPECT_NE(p->Find("/Doc_0/Document.xml"), nullptr);
  EXPECT_EQ(p->Find("/doc_0/document.xml"), nullptr);
  EXPECT_NE(p->FindIgnoringCase("/doc_0/document.xml"), nullptr);
  EXPECT_EQ(p->Read("/nope.xml").status().code(), StatusCode::kNotFound);
  auto doc = p->Read("/Doc_0/Document.xml");
  ASSERT_TRUE(doc.ok());
  EXPECT_NE(AsChars(*doc).find("<ofd:Pages>"), std::string_view::npos);
  EXPECT_EQ(p->Read("/Doc_0/Document.xml", 100).status().code(), StatusCode::kResourceExhausted);
}

struct Hostile {
  const char* what;
  std::vector<ZipEntrySpec> entries;
  StatusCode code;
  const char* message_part;
};

TEST(PackageTest, RefusesHostileNames) {
  std::vector<Hostile> cases = {
      {"traversal",
       {File("OFD.xml", "<a/>"), File("../../etc/evil", "x")},
       StatusCode::kInvalidArgument,
       "traversal"},
      {"traversal inside", {File("Doc_0/../../x", "x")}, StatusCode::kInvalidArgument, "traversal"},
      {"absolute", {File("/etc/passwd", "x")}, StatusCode::kInvalidArgument, "absolute"},
      {"drive", {File("C:/x", "x")}, StatusCode::kInvalidArgument, "absolute"},
      {"backslash", {File("Doc_0\\Document.xml", "x")}, StatusCode::kInvalidArgument, "backslash"},
      {"duplicate",
       {File("OFD.xml", "a"), File("OFD.xml", "b")},
       StatusCode::kInvalidArgument,
       "duplicate"},
      {"case duplicate",
       {File("OFD.xml", "a"), File("ofd.XML", "b")},
       StatusCode::kInvalidArgument,
       "duplicate"},
      {"slash duplicate",
       {File("OFD.xml", "a"), File("/OFD.xml", "b")},
       StatusCode::kInvalidArgument,
       "OFD.xml"},
      {"file and folder",
       {File("Doc_0", "a"), File("Doc_0/x", "b")},
       StatusCode::kInvalidArgument,
       "folder"},
  };
  for (const Hostile& c : cases) {
    auto p = Package::Open(BuildZip(c.entries));
    ASSERT_FALSE(p.ok()) << c.what;
    EXPECT_EQ(p.status().code(), c.code) << c.what << ": " << p.status().ToString();
    EXPECT_NE(p.status().message().find(c.message_part), std::string::npos)
        << c.what << ": " << p.status().ToString();
  }
}

TEST(PackageTest, RefusesEncryptionAndUnknownCompression) {
  ZipEntrySpec enc = File("OFD.xml", "<a/>");
  enc.encrypted = true;
  auto p = Package::Open(BuildZip({enc}));
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << p.status().ToString();
  EXPECT_NE(p.status().message().find("encrypted"), std::string::npos);

  ZipEntrySpec lzma = File("OFD.xml", "<a/>");
  lzma.method = 14;
  p = Package::Open(BuildZip({lzma}));
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << p.status().ToString();
  EXPECT_NE(p.status().message().find("compression method 14"), std::string::npos);
}

TEST(PackageTest, RefusesTruncatedAndGarbage) {
  Bytes ok = MinimalOfd();
  ASSERT_TRUE(Package::Open(ok).ok());
  for (size_t cut : {ok.size() / 2, ok.size() - 10, size_t{30}, size_t{0}}) {
    Bytes t(ok.begin(), ok.begin() + static_cast<long>(cut));
    auto p = Package::Open(t);
    ASSERT_FALSE(p.ok()) << cut;
    EXPECT_EQ(p.status().code(), StatusCode::kDataLoss) << cut << ": " << p.status().ToString();
  }
  // Corrupt the first entry's compressed data: the central directory still reads, the
  // entry does not.
  Bytes bad = ok;
  bad[30 + 7 + 5] ^= 0x55;  // inside the first entry's data ("Doc_0/Document.xml" header is 30+18)
  auto p = Package::Open(bad);
  if (p.ok()) {
    bool failed = false;
    for (const EntryInfo& e : p->entries()) {
      auto r = p->Read(e.path);
      if (!r.ok()) {
        EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << r.status().ToString();
        failed = true;
      }
    }
    EXPECT_TRUE(failed);
  } else {
    EXPECT_EQ(p.status().code(), StatusCode::kDataLoss);
  }
}

TEST(PackageTest, RefusesZipBombByRatioWithoutInflating) {
  // 200 MB of zeros deflate to about 200 KB: refused at open by the ratio limit.
  ZipEntrySpec img;
  img.name = "Doc_0/Res/image_1.png";
  img.zeros = uint64_t{200} << 20;
  Bytes zip = BuildZip({File("OFD.xml", "<a/>"), img});
  EXPECT_LT(zip.size(), 1u << 20);
  auto p = Package::Open(zip);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kResourceExhausted) << p.status().ToString();
  EXPECT_NE(p.status().message().find("image_1.png"), std::string::npos);
  EXPECT_NE(p.status().message().find("ratio"), std::string::npos);

  // With the ratio check off, the per-entry size limit refuses it.
  Limits no_ratio;
  no_ratio.max_ratio = 0;
  no_ratio.max_entry_size = 100 << 20;
  p = Package::Open(zip, no_ratio);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(p.status().message().find("more than the limit"), std::string::npos);

  // And the total limit catches several entries that are each allowed.
  Limits total;
  total.max_ratio = 0;
  total.max_total_uncompressed = 300 << 20;
  ZipEntrySpec img2 = img;
  img2.name = "Doc_0/Res/image_2.png";
  p = Package::Open(BuildZip({img, img2}), total);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(p.status().message().find("image_2.png"), std::string::npos);
  EXPECT_LT(testing::PeakRssBytes(), kRssBound);
}

TEST(PackageTest, LyingHeaderIsCaughtWhileInflating) {
  // The header claims 1000 bytes; the data inflates to 200 MB. Open accepts the header,
  // reading stops as soon as the 1001st byte comes out.
  ZipEntrySpec img;
  img.name = "Doc_0/Res/image_1.png";
  img.zeros = uint64_t{200} << 20;
  img.declared_size = 1000;
  Limits limits;
  limits.max_ratio = 0;  // let the lie through the header checks
  auto p = Package::Open(BuildZip({File("OFD.xml", "<a/>"), img}), limits);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto r = p->Read("/Doc_0/Res/image_1.png");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << r.status().ToString();
  EXPECT_NE(r.status().message().find("declared"), std::string::npos);
  EXPECT_LT(testing::PeakRssBytes(), kRssBound);

  // The other way: the header claims more than comes out.
  ZipEntrySpec small = File("a.xml", "hello");
  small.declared_size = 50;
  p = Package::Open(BuildZip({small}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Read("/a.xml").status().code(), StatusCode::kDataLoss);
}

TEST(PackageTest, RefusesTooManyEntries) {
  std::vector<ZipEntrySpec> many;
  for (int i = 0; i < 20001; ++i) {
    ZipEntrySpec s;
    s.name = "f" + std::to_string(i);
    s.method = 0;
    many.push_back(std::move(s));
  }
  auto p = Package::Open(BuildZip(many));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(p.status().message().find("20001"), std::string::npos);
}

TEST(PackageTest, RefusesOversizedPackage) {
  Limits tiny;
  tiny.max_package_size = 100;
  auto p = Package::Open(MinimalOfd(), tiny);
  EXPECT_EQ(p.status().code(), StatusCode::kResourceExhausted);
}

TEST(PackageTest, HugePageCountIsRefusedQuickly) {
  std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Document "
      "xmlns:ofd=\"http://www.ofdspec.org/2016\">"
      "<ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID></ofd:CommonData><ofd:Pages>";
  for (int i = 0; i < 10000; ++i) {
    doc += "<ofd:Page ID=\"" + std::to_string(i + 1) + "\" BaseLoc=\"Pages/Page_" +
           std::to_string(i) + "/Content.xml\"/>";
  }
  doc += "</ofd:Pages></ofd:Document>";
  auto r = Reader::OpenBytes(MinimalOfd({{"Doc_0/Document.xml", doc}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status().ToString();
  EXPECT_NE(r.status().message().find("5000 pages"), std::string::npos);
  // A caller that really wants 10,000 pages can say so.
  Limits more;
  more.max_pages = 20000;
  auto ok = Reader::OpenBytes(MinimalOfd({{"Doc_0/Document.xml", doc}}), more);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->page_count(), 10000u);
}

TEST(PackageTest, XxeInOfdXmlIsRefused) {
  std::string xxe =
      "<?xml version=\"1.0\"?><!DOCTYPE ofd:OFD [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<ofd:OFD "
      "xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:DocBody><ofd:DocRoot>&xxe;</ofd:DocRoot>"
      "</ofd:DocBody></ofd:OFD>";
  auto r = Reader::OpenBytes(MinimalOfd({{"OFD.xml", xxe}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("DOCTYPE"), std::string::npos);
  // Billion laughs, without the DOCTYPE keyword in upper case.
  std::string laughs = "<?xml version=\"1.0\"?><!doctype a [<!entity a \"aaaa\">]><a>&a;</a>";
  EXPECT_EQ(Reader::OpenBytes(MinimalOfd({{"OFD.xml", laughs}})).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(PackageTest, DeepXmlIsRefused) {
  std::string deep =
      "<?xml version=\"1.0\"?><ofd:Page "
      "xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:Content><ofd:Layer>";
  for (int i = 0; i < 20000; ++i) deep += "<ofd:PageBlock>";
  for (int i = 0; i < 20000; ++i) deep += "</ofd:PageBlock>";
  deep += "</ofd:Layer></ofd:Content></ofd:Page>";
  auto r = Reader::OpenBytes(MinimalOfd({{"Doc_0/Pages/Page_0/Content.xml", deep}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();  // pages are parsed on demand
  auto page = r->LoadPage(0);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), StatusCode::kResourceExhausted) << page.status().ToString();
  EXPECT_NE(page.status().message().find("Content.xml"), std::string::npos);
}

TEST(PackageTest, NotAnOfd) {
  auto r = Reader::OpenBytes(BuildZipFiles({{"readme.txt", "hi"}}));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Reader::OpenBytes(ToBytes("not a zip at all, just some text bytes")).status().code(),
            StatusCode::kDataLoss);
}

// ---- the whole file is accounted for (CheckLayout) ----

uint32_t Le32(const Bytes& d, size_t at) {
  return static_cast<uint32_t>(d[at]) | (static_cast<uint32_t>(d[at + 1]) << 8) |
         (static_cast<uint32_t>(d[at + 2]) << 16) | (static_cast<uint32_t>(d[at + 3]) << 24);
}
void PutLe32(Bytes& d, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) d[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

// Inserts `n` bytes at `at` and moves every offset the zip records (each central entry's
// local header offset, the central directory's offset) that points at or past it: the zip
// stays one that libzip reads, with bytes no entry accounts for.
Bytes InsertBytes(Bytes zip, size_t at, size_t n) {
  size_t eocd = zip.size() - 22;
  EXPECT_EQ(Le32(zip, eocd), 0x06054b50u);
  size_t cd = Le32(zip, eocd + 16);
  size_t entries = zip[eocd + 10] | (zip[eocd + 11] << 8);
  for (size_t i = 0, p = cd; i < entries; ++i) {
    uint32_t local = Le32(zip, p + 42);
    if (local >= at) PutLe32(zip, p + 42, local + static_cast<uint32_t>(n));
    p += 46 + (zip[p + 28] | (zip[p + 29] << 8)) + (zip[p + 30] | (zip[p + 31] << 8)) +
         (zip[p + 32] | (zip[p + 33] << 8));
  }
  if (cd >= at) PutLe32(zip, eocd + 16, static_cast<uint32_t>(cd + n));
  zip.insert(zip.begin() + static_cast<long>(at), n, uint8_t{'X'});
  return zip;
}

size_t SecondLocalHeader(const Bytes& zip) {
  size_t eocd = zip.size() - 22;
  size_t p = Le32(zip, eocd + 16);
  p += 46 + (zip[p + 28] | (zip[p + 29] << 8)) + (zip[p + 30] | (zip[p + 31] << 8)) +
       (zip[p + 32] | (zip[p + 33] << 8));
  return Le32(zip, p + 42);
}

TEST(PackageTest, RefusesBytesThatNoEntryAccountsFor) {
  Bytes ok = MinimalOfd();
  ASSERT_TRUE(Package::Open(ok).ok());
  struct Case {
    const char* what;
    Bytes zip;
    const char* message;
  } cases[] = {
      {"prepended", InsertBytes(ok, 0, 64), "before its first entry (data prepended"},
      {"gap between entries", InsertBytes(ok, SecondLocalHeader(ok), 7),
       "that no entry accounts for"},
      {"gap before the central directory", InsertBytes(ok, Le32(ok, ok.size() - 6), 100),
       "that no entry accounts for"},
  };
  for (Case& c : cases) {
    auto p = Package::Open(c.zip);
    ASSERT_FALSE(p.ok()) << c.what;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument)
        << c.what << ": " << p.status().ToString();
    EXPECT_NE(p.status().message().find(c.message), std::string::npos)
        << c.what << ": " << p.status().message();
  }
  // Appended after the end record (not as its comment).
  Bytes appended = ok;
  appended.insert(appended.end(), 1000, uint8_t{0});
  auto p = Package::Open(appended);
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(p.status().code() == StatusCode::kInvalidArgument ||
              p.status().code() == StatusCode::kDataLoss)
      << p.status().ToString();
}

// Two entries sharing bytes: a stored entry "a" whose data holds the whole local entry
// "b" (the overlapping-entries zip bomb). Each local header agrees with its central one.
TEST(PackageTest, RefusesOverlappingEntries) {
  auto local = [](const std::string& name, const Bytes& data, uint32_t crc) {
    Bytes h = {0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (uint32_t v :
         {crc, static_cast<uint32_t>(data.size()), static_cast<uint32_t>(data.size())}) {
      for (int i = 0; i < 4; ++i) h.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
    h.push_back(static_cast<uint8_t>(name.size()));
    h.push_back(0);
    h.push_back(0);
    h.push_back(0);
    h.insert(h.end(), name.begin(), name.end());
    h.insert(h.end(), data.begin(), data.end());
    return h;
  };
  auto central = [](const std::string& name, uint32_t size, uint32_t crc, uint32_t offset) {
    Bytes h = {0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (uint32_t v : {crc, size, size}) {
      for (int i = 0; i < 4; ++i) h.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
    h.push_back(static_cast<uint8_t>(name.size()));
    h.insert(h.end(), 9, uint8_t{0});  // name length (high), extra, comment, disk, internal
    h.insert(h.end(), 4, uint8_t{0});  // external attributes
    for (int i = 0; i < 4; ++i) h.push_back(static_cast<uint8_t>(offset >> (8 * i)));
    h.insert(h.end(), name.begin(), name.end());
    return h;
  };
  auto crc = [](const Bytes& d) {
    uint32_t c = 0xFFFFFFFFu;
    for (uint8_t b : d) {
      c ^= b;
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
  };
  Bytes b_data = ToBytes(std::string("hello"));
  Bytes b_entry = local("b", b_data, crc(b_data));
  Bytes a_entry = local("a", b_entry, crc(b_entry));
  Bytes zip = a_entry;
  const uint32_t cd_offset = static_cast<uint32_t>(zip.size());
  Bytes cd = central("a", static_cast<uint32_t>(b_entry.size()), crc(b_entry), 0);
  Bytes cd_b = central("b", static_cast<uint32_t>(b_data.size()), crc(b_data), 31);
  cd.insert(cd.end(), cd_b.begin(), cd_b.end());
  zip.insert(zip.end(), cd.begin(), cd.end());
  Bytes eocd = {0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 2, 0, 2, 0};
  for (uint32_t v : {static_cast<uint32_t>(cd.size()), cd_offset}) {
    for (int i = 0; i < 4; ++i) eocd.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  eocd.push_back(0);
  eocd.push_back(0);
  zip.insert(zip.end(), eocd.begin(), eocd.end());
  auto p = Package::Open(zip);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << p.status().ToString();
  EXPECT_NE(p.status().message().find("overlaps"), std::string::npos) << p.status().message();
}

TEST(PackageTest, WellFormedPackagesAccountForEveryByte) {
  // Deflated and stored entries tile the file. (PackageWriter's output is opened again by
  // package_writer_test.cc, the vendor corpus by OpensEveryRealFileAndReadsEveryEntry.)
  Bytes one =
      MinimalOfd({{"Doc_0/Res/a.xml", "<a/>"}, {"Doc_0/Res/b.bin", std::string(5000, 'b')}});
  EXPECT_TRUE(Package::Open(one).ok());
  std::vector<ZipEntrySpec> specs = {File("OFD.xml", "<x/>"), File("Doc_0/Document.xml", "<y/>")};
  specs[1].method = 0;
  EXPECT_TRUE(Package::Open(BuildZip(specs)).ok());
}

}  // namespace
}  // namespace eseal::ofd
