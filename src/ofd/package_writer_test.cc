#include "eseal/ofd/package_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "eseal/base/file.h"
#include "test_zip.h"

namespace eseal::ofd {
namespace {

std::vector<std::string> RealOfdFiles() {
  std::vector<std::string> out;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(ESEAL_SHARED_TESTDATA "/ofdrw")) {
    if (e.is_regular_file() && e.path().extension() == ".ofd") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every entry not in `changed` has identical bytes, size, CRC and compressed size.
void ExpectPreserved(const Package& before, const Package& after,
                     const std::set<std::string>& changed, const std::string& label) {
  for (const EntryInfo& e : before.entries()) {
    if (e.is_directory || changed.count(e.path)) continue;
    const EntryInfo* n = after.Find(e.path);
    ASSERT_NE(n, nullptr) << label << " lost " << e.name;
    EXPECT_EQ(n->crc32, e.crc32) << label << " " << e.name;
    EXPECT_EQ(n->compressed_size, e.compressed_size) << label << " " << e.name;
    auto a = before.Read(e.path);
    auto b = after.Read(e.path);
    ASSERT_TRUE(a.ok() && b.ok()) << label << " " << e.name;
    EXPECT_TRUE(*a == *b) << label << " changed " << e.name;
  }
}

TEST(PackageWriterTest, PreservesEveryUntouchedEntryOfEveryRealFile) {
  for (const std::string& f : RealOfdFiles()) {
    auto orig = Package::OpenFile(f);
    ASSERT_TRUE(orig.ok()) << f;
    PackageWriter w(*orig);
    // A new signature folder, and a replaced file (Signatures.xml if any, else OFD.xml).
    std::string replaced = "/OFD.xml";
    for (const char* p : {"/Doc_0/Signs/Signatures.xml", "/Doc_0/Signatures.xml"}) {
      if (orig->Contains(p)) replaced = p;
    }
    ASSERT_TRUE(w.Put("/Doc_0/Signs/Sign_99/Signature.xml", ToBytes("<x/>")).ok());
    ASSERT_TRUE(w.Put("/Doc_0/Signs/Sign_99/SignedValue.dat", Bytes(100, 7)).ok());
    ASSERT_TRUE(w.Put(replaced, ToBytes("<replaced/>")).ok());
    auto out = w.Write();
    ASSERT_TRUE(out.ok()) << f << ": " << out.status().ToString();
    auto reread = Package::Open(*out);
    ASSERT_TRUE(reread.ok()) << f << ": " << reread.status().ToString();
    ExpectPreserved(*orig, *reread, {replaced}, f);
    EXPECT_EQ(AsChars(*reread->Read(replaced)), "<replaced/>") << f;
    EXPECT_EQ(reread->Read("/Doc_0/Signs/Sign_99/SignedValue.dat")->size(), 100u) << f;
    EXPECT_EQ(reread->FilePaths().size(), orig->FilePaths().size() + 2) << f;
  }
}

TEST(PackageWriterTest, StoresWhatTheCallerAsksToStoreAndDeflatesTheRest) {
  auto orig = Package::OpenFile(ESEAL_SHARED_TESTDATA "/ofdrw/unsigned/helloworld.ofd");
  ASSERT_TRUE(orig.ok());
  PackageWriter w(*orig);
  const Bytes xml = ToBytes(std::string(4000, 'x'));
  const Bytes value(3000, 0x5a);
  ASSERT_TRUE(w.Put("/Doc_0/Signs/Sign_0/Signature.xml", xml).ok());
  ASSERT_TRUE(w.Put("/Doc_0/Signs/Sign_0/SignedValue.dat", value, PackageWriter::Compression::kStore).ok());
  auto out = w.Write();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto reread = Package::Open(*out);
  ASSERT_TRUE(reread.ok());
  const EntryInfo* x = reread->Find("/Doc_0/Signs/Sign_0/Signature.xml");
  const EntryInfo* v = reread->Find("/Doc_0/Signs/Sign_0/SignedValue.dat");
  ASSERT_TRUE(x && v);
  EXPECT_EQ(x->compression, 8);
  EXPECT_LT(x->compressed_size, xml.size());
  EXPECT_EQ(v->compression, 0);
  EXPECT_EQ(v->compressed_size, value.size());
  EXPECT_TRUE(*reread->Read("/Doc_0/Signs/Sign_0/SignedValue.dat") == value);
}

TEST(PackageWriterTest, WritesFileAtomicallyAndRefusesBadPaths) {
  auto orig = Package::OpenFile(ESEAL_SHARED_TESTDATA "/ofdrw/unsigned/helloworld.ofd");
  ASSERT_TRUE(orig.ok());
  PackageWriter w(*orig);
  EXPECT_EQ(w.Put("Doc_0/x.xml", {}).code(), StatusCode::kInvalidArgument);  // not canonical
  EXPECT_EQ(w.Put("/Doc_0/../x.xml", {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(w.Put("/Doc_0/Pages", {}).code(), StatusCode::kInvalidArgument);         // a folder
  EXPECT_EQ(w.Put("/doc_0/document.xml", {}).code(), StatusCode::kInvalidArgument);  // case clash
  EXPECT_EQ(w.Put("/OFD.xml/x", {}).code(), StatusCode::kInvalidArgument);  // inside a file
  ASSERT_TRUE(w.Put("/Doc_0/Signs/Signatures.xml", ToBytes("<s/>")).ok());
  EXPECT_EQ(w.Put("/Doc_0/signs/signatures.xml", {}).code(), StatusCode::kInvalidArgument);
  w.SetModificationTime(TimeFromUnix(1795000000));
  auto dir =
      std::filesystem::temp_directory_path() / ("eseal_ofd_writer_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "out.ofd").string();
  ASSERT_TRUE(w.WriteFile(path).ok());
  auto back = Package::OpenFile(path);
  ASSERT_TRUE(back.ok());
  ExpectPreserved(*orig, *back, {}, "helloworld");
  EXPECT_EQ(AsChars(*back->Read("/Doc_0/Signs/Signatures.xml")), "<s/>");
  // Same input, same output: the writer is deterministic.
  EXPECT_TRUE(*w.Write() == *ReadFile(path));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace eseal::ofd
