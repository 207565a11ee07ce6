// OFD signing, structurally: what SignOfd writes is what ofdrw writes (Signatures.xml and
// OFD.xml byte for byte, the same references and digests, the same riding-seal geometry),
// in the encodings ofdrw's verifier accepts (re-encode-stable DER, Signature.xml in ofdrw's
// exact serialization, CheckValue = base64(SM3(file))), and nothing an earlier signature
// protects changes. Verification round trips are in src/verify (they need the verifier).
#include "eseal/sign/ofd_signer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "eseal/crypto/sm3.h"
#include "eseal/ofd/reader.h"
#include "eseal/ofd/signature.h"
#include "eseal/ofd/signatures.h"
#include "eseal/ofd/text.h"
#include "eseal/ses/signature.h"
#include "eseal/x509/signed_data.h"
#include "internal.h"
#include "test_world.h"

namespace eseal::sign {
namespace {

using testing::MakeWorld;
using testing::MustRead;
using testing::Request;
using testing::Shared;
using testing::World;

const World& W() {
  static const World w = MakeWorld();
  return w;
}

std::map<std::string, Bytes> Files(ByteView zip) {
  auto pkg = ofd::Package::Open(Bytes(zip.begin(), zip.end()));
  EXPECT_TRUE(pkg.ok()) << pkg.status().ToString();
  std::map<std::string, Bytes> out;
  if (!pkg.ok()) return out;
  for (const std::string& p : pkg->FilePaths()) out[p] = pkg->Read(p).value();
  return out;
}

std::string Text(const Bytes& b) { return std::string(b.begin(), b.end()); }

Bytes Unsigned(const std::string& name) { return MustRead(Shared("ofdrw/unsigned/" + name)); }
Bytes Generated(const std::string& name) {
  return MustRead(Shared("ofdrw/signed/generated-with-ofdrw/" + name));
}

OfdSignResult MustSign(const OfdSignRequest& r) {
  auto s = SignOfd(r);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *std::move(s) : OfdSignResult{};
}

// Every property ofdrw's verifier and ours rely on, for one signature of `doc`.
void CheckWellFormed(const Bytes& doc, const std::string& sig_path, bool whole, bool last = true) {
  SCOPED_TRACE(sig_path);
  auto files = Files(doc);
  ASSERT_TRUE(files.count(sig_path));
  const Bytes& xml = files[sig_path];
  auto sig = ofd::ParseSignatureXml(xml, sig_path);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  // ofdrw's exact serialization: re-serializing the parsed model gives the same bytes.
  EXPECT_EQ(Text(ofd::SerializeSignature(*sig).value()), Text(xml));
  EXPECT_EQ(sig->check_method, "1.2.156.10197.1.401");
  EXPECT_EQ(sig->signature_method, "1.2.156.10197.1.501");
  // References: every file except this signature's Signature.xml and value, and
  // Signatures.xml only in whole mode; each CheckValue = base64(SM3(file)).
  std::set<std::string> refs;
  for (const ofd::Reference& r : sig->references) {
    EXPECT_EQ(r.file_ref, r.path);
    ASSERT_TRUE(files.count(r.path)) << r.path;
    EXPECT_EQ(r.check_value, Base64Encode(crypto::Sm3Bytes(files[r.path]))) << r.path;
    refs.insert(r.path);
  }
  for (const auto& [path, data] : files) {
    bool own = path == sig_path || path == sig->signed_value_path;
    bool list = path.ends_with("/Signatures.xml");
    if (own || (list && !whole)) {
      EXPECT_FALSE(refs.count(path)) << path;
    } else if (last) {
      EXPECT_TRUE(refs.count(path)) << path << " is not referenced";
    }
  }
  ASSERT_TRUE(files.count(sig->signed_value_path));
  const Bytes& value = files[sig->signed_value_path];
  if (!sig->seal_path.empty()) {
    auto ses_sig = ses::ParseSignature(value);
    ASSERT_TRUE(ses_sig.ok()) << ses_sig.status().ToString();
    EXPECT_EQ(ses::EncodeSignature(*ses_sig), value);  // re-encode stable
    EXPECT_EQ(ses::EncodeSeal(ses_sig->tbs.seal), ses_sig->tbs.seal.der);
    EXPECT_EQ(ses_sig->tbs.property_info, sig_path);
    EXPECT_EQ(ses_sig->tbs.data_hash, crypto::Sm3Bytes(xml));
    EXPECT_EQ(files[sig->seal_path], ses_sig->tbs.seal.der);  // Seal.esl = the embedded seal
    EXPECT_TRUE(refs.count(sig->seal_path));
  } else {
    auto sd = x509::ParseSignedData(value);
    ASSERT_TRUE(sd.ok()) << sd.status().ToString();
    EXPECT_EQ(x509::EncodeSignedData(*sd), value);
    EXPECT_EQ(x509::MessageDigestAttribute(sd->signer_infos.at(0)).value(), crypto::Sm3Bytes(xml));
  }
}

TEST(SignOfd, ContinueModeMatchesOfdrwLayout) {
  Bytes in = Unsigned("helloworld.ofd");
  OfdSignRequest r = Request(W(), in);
  r.placement.positions = {{1, 50, 50}};
  OfdSignResult out = MustSign(r);
  EXPECT_EQ(out.signature_id, "1");
  EXPECT_EQ(out.signature_path, "/Doc_0/Signs/Sign_0/Signature.xml");
  EXPECT_EQ(out.appearances, 1);
  CheckWellFormed(out.document, out.signature_path, false);

  auto ours = Files(out.document);
  auto ofdrw = Files(Generated("v4-seal-continue.ofd"));
  // Signatures.xml and the edited OFD.xml are ofdrw's, byte for byte.
  EXPECT_EQ(Text(ours["/Doc_0/Signs/Signatures.xml"]), Text(ofdrw["/Doc_0/Signs/Signatures.xml"]));
  EXPECT_EQ(Text(ours["/OFD.xml"]), Text(ofdrw["/OFD.xml"]));
  // Same files, same place; the unchanged ones byte for byte.
  std::set<std::string> a, b;
  for (auto& [p, d] : ours) a.insert(p);
  for (auto& [p, d] : ofdrw) b.insert(p);
  EXPECT_EQ(a, b);
  auto original = Files(in);
  for (const auto& [p, d] : original) {
    if (p != "/OFD.xml") { EXPECT_EQ(ours[p], d) << p; }
  }
  // The same references with the same digests (Seal.esl is our seal, so its differs).
  auto mine = ofd::ParseSignatureXml(ours[out.signature_path], out.signature_path).value();
  auto theirs = ofd::ParseSignatureXml(ofdrw[out.signature_path], out.signature_path).value();
  std::map<std::string, std::string> ma, mb;
  for (auto& x : mine.references) ma[x.path] = x.check_value;
  for (auto& x : theirs.references) mb[x.path] = x.check_value;
  ma.erase("/Doc_0/Signs/Sign_0/Seal.esl");
  ASSERT_TRUE(mb.erase("/Doc_0/Signs/Sign_0/Seal.esl"));
  EXPECT_EQ(ma, mb);
  ASSERT_EQ(mine.stamp_annots.size(), 1u);
  EXPECT_EQ(mine.stamp_annots[0].id, theirs.stamp_annots[0].id);
  EXPECT_EQ(mine.stamp_annots[0].page_ref, theirs.stamp_annots[0].page_ref);
  EXPECT_EQ(mine.stamp_annots[0].boundary, theirs.stamp_annots[0].boundary);
  EXPECT_EQ(mine.seal_base_loc, theirs.seal_base_loc);
  EXPECT_EQ(mine.signed_value, theirs.signed_value);
  EXPECT_EQ(mine.signature_date_time, "2026-11-23 17:30:35");  // China Standard Time
}

TEST(SignOfd, WholeModeProtectsSignaturesXmlAndClosesTheDocument) {
  Bytes in = Unsigned("helloworld.ofd");
  OfdSignRequest r = Request(W(), in);
  r.placement.positions = {{1, 50, 50}};
  r.mode = ProtectMode::kWhole;
  OfdSignResult out = MustSign(r);
  CheckWellFormed(out.document, out.signature_path, true);
  auto files = Files(out.document);
  auto ofdrw = Files(Generated("v4-seal-whole.ofd"));
  EXPECT_EQ(Text(files["/Doc_0/Signs/Signatures.xml"]), Text(ofdrw["/Doc_0/Signs/Signatures.xml"]));

  OfdSignRequest again = Request(W(), out.document);
  again.placement.positions = {{1, 120, 50}};
  auto refused = SignOfd(again);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("closed to further signatures"), std::string::npos);
  // ofdrw's own whole-protected samples are refused the same way.
  for (const char* f : {"signed/ofdrw-repo-ofdrw-signed/allprotected.ofd",
                        "signed/generated-with-ofdrw/v4-seal-whole.ofd",
                        "signed/ofdrw-repo-ofdrw-signed/V4RideRight.ofd"}) {
    Bytes doc = MustRead(Shared(std::string("ofdrw/") + f));
    OfdSignRequest x = Request(W(), doc);
    x.placement.positions = {{1, 10, 10}};
    EXPECT_EQ(SignOfd(x).status().code(), StatusCode::kFailedPrecondition) << f;
  }
}

TEST(SignOfd, SecondSignatureInContinueModeMatchesOfdrwTwice) {
  Bytes in = Generated("v4-seal-continue.ofd");
  OfdSignRequest r = Request(W(), in);
  r.placement.positions = {{1, 120, 50}};
  OfdSignResult out = MustSign(r);
  EXPECT_EQ(out.signature_id, "3");
  EXPECT_EQ(out.signature_path, "/Doc_0/Signs/Sign_1/Signature.xml");
  CheckWellFormed(out.document, out.signature_path, false);
  auto ours = Files(out.document);
  auto ofdrw = Files(Generated("v4-seal-twice.ofd"));
  EXPECT_EQ(Text(ours["/Doc_0/Signs/Signatures.xml"]), Text(ofdrw["/Doc_0/Signs/Signatures.xml"]));
  auto before = Files(in);
  for (const auto& [p, d] : before) {
    if (p != "/Doc_0/Signs/Signatures.xml") { EXPECT_EQ(ours[p], d) << p << " changed"; }
  }
  auto sig = ofd::ParseSignatureXml(ours[out.signature_path], out.signature_path).value();
  ASSERT_EQ(sig.stamp_annots.size(), 1u);
  EXPECT_EQ(sig.stamp_annots[0].id, "4");
}

TEST(SignOfd, RidingSealMatchesOfdrwGeometry) {
  Bytes in = Unsigned("VPage7.ofd");
  OfdSignRequest r = Request(W(), in);
  r.placement.riding = RidingPlacement{Edge::kRight, 1, 0, 60};
  OfdSignResult out = MustSign(r);
  EXPECT_EQ(out.appearances, 5);
  CheckWellFormed(out.document, out.signature_path, false);
  auto ours = Files(out.document);
  auto ofdrw = Files(Generated("v4-seal-riding.ofd"));
  auto mine = ofd::ParseSignatureXml(ours[out.signature_path], out.signature_path).value();
  auto theirs = ofd::ParseSignatureXml(ofdrw[out.signature_path], out.signature_path).value();
  ASSERT_EQ(mine.stamp_annots.size(), theirs.stamp_annots.size());
  for (size_t i = 0; i < mine.stamp_annots.size(); ++i) {
    EXPECT_EQ(mine.stamp_annots[i].id, theirs.stamp_annots[i].id);
    EXPECT_EQ(mine.stamp_annots[i].page_ref, theirs.stamp_annots[i].page_ref);
    EXPECT_EQ(mine.stamp_annots[i].boundary, theirs.stamp_annots[i].boundary);
    EXPECT_EQ(mine.stamp_annots[i].clip, theirs.stamp_annots[i].clip);
  }
  EXPECT_EQ(Text(ours["/Doc_0/Signs/Signatures.xml"]), Text(ofdrw["/Doc_0/Signs/Signatures.xml"]));
}

TEST(SignOfd, RidingSealOnEveryEdgeTilesTheSeal) {
  Bytes in = Unsigned("VPage7.ofd");
  auto reader = ofd::Reader::OpenBytes(in).value();
  for (Edge e : {Edge::kLeft, Edge::kRight, Edge::kTop, Edge::kBottom}) {
    Placement p;
    p.riding = RidingPlacement{e, 2, 4, -1};
    auto apps = internal::ComputeAppearances(reader, p, 40, 30);
    ASSERT_TRUE(apps.ok()) << apps.status().ToString();
    ASSERT_EQ(apps->size(), 3u);
    bool horizontal = e == Edge::kLeft || e == Edge::kRight;
    double covered = 0;
    std::set<double> starts;
    for (size_t k = 0; k < 3; ++k) {
      const internal::Appearance& a = (*apps)[k];
      EXPECT_EQ(a.page_index, k + 1);
      ASSERT_TRUE(a.clip.has_value());
      // The visible slice touches the page edge.
      double lo = horizontal ? a.boundary.x + a.clip->x : a.boundary.y + a.clip->y;
      double len = horizontal ? a.clip->w : a.clip->h;
      if (e == Edge::kLeft) { EXPECT_DOUBLE_EQ(lo, 0); }
      if (e == Edge::kTop) { EXPECT_DOUBLE_EQ(lo, 0); }
      if (e == Edge::kRight) { EXPECT_NEAR(lo + len, 210, 1e-9); }
      if (e == Edge::kBottom) { EXPECT_NEAR(lo + len, 297, 1e-9); }
      covered += len;
      starts.insert(horizontal ? a.clip->x : a.clip->y);
      // Centred on the edge's middle.
      if (horizontal) {
        EXPECT_NEAR(a.boundary.y + 15, 297.0 / 2, 1e-9);
      } else {
        EXPECT_NEAR(a.boundary.x + 20, 105, 1e-9);
      }
    }
    EXPECT_NEAR(covered, horizontal ? 40 : 30, 1e-9);
    EXPECT_EQ(starts.size(), 3u);  // three different slices
  }
  Placement one;
  one.riding = RidingPlacement{Edge::kRight, 2, 2, -1};
  EXPECT_EQ(internal::ComputeAppearances(reader, one, 40, 40).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SignOfd, KeywordPlacementCentresOnTheText) {
  Bytes in = Unsigned("helloworld.ofd");
  OfdSignRequest r = Request(W(), in);
  r.placement.keyword = KeywordPlacement{"OFD", 0, 1, 0};
  OfdSignResult out = MustSign(r);
  EXPECT_EQ(out.appearances, 1);
  auto files = Files(out.document);
  auto sig = ofd::ParseSignatureXml(files[out.signature_path], out.signature_path).value();
  auto reader = ofd::Reader::OpenBytes(in).value();
  auto hits = ofd::FindText(reader, 0, "OFD").value();
  ASSERT_EQ(hits.size(), 1u);
  const ofd::Box& b = *sig.stamp_annots[0].boundary;
  EXPECT_NEAR(b.x + b.w / 2, hits[0].box.x + hits[0].box.w / 2, 1e-9);
  EXPECT_NEAR(b.y + b.h / 2, hits[0].box.y + hits[0].box.h / 2, 1e-9);

  r.placement.keyword = KeywordPlacement{"不存在的词", 0, 1, 0};
  auto missing = SignOfd(r);
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("not found"), std::string::npos);
  r.placement.keyword = KeywordPlacement{"OFD", 2, 1, 0};
  EXPECT_EQ(SignOfd(r).status().code(), StatusCode::kInvalidArgument);
}

TEST(SignOfd, SeveralAppearancesInOneSignature) {
  Bytes in = Unsigned("VPage7.ofd");
  OfdSignRequest r = Request(W(), in);
  r.placement.positions = {{1, 10, 10}, {3, 100, 200}, {5, 150, 250}};
  OfdSignResult out = MustSign(r);
  EXPECT_EQ(out.appearances, 3);
  auto files = Files(out.document);
  auto sig = ofd::ParseSignatureXml(files[out.signature_path], out.signature_path).value();
  ASSERT_EQ(sig.stamp_annots.size(), 3u);
  EXPECT_EQ(sig.stamp_annots[0].page_ref, "1");
  EXPECT_EQ(sig.stamp_annots[1].page_ref, "43");  // page object IDs, not indexes
  EXPECT_EQ(sig.stamp_annots[2].page_ref, "83");
  auto list = ofd::ParseSignaturesXml(files["/Doc_0/Signs/Signatures.xml"], "/Doc_0/Signs/Signatures.xml").value();
  EXPECT_EQ(list.max_sign_id, "4");
}

TEST(SignOfd, TypeSignWritesGbt35275SignedData) {
  Bytes in = Unsigned("helloworld.ofd");
  OfdSignRequest r = Request(W(), in);
  r.type = SignatureType::kSign;
  r.seal = nullptr;
  OfdSignResult out = MustSign(r);
  CheckWellFormed(out.document, out.signature_path, false);
  auto files = Files(out.document);
  EXPECT_FALSE(files.count("/Doc_0/Signs/Sign_0/Seal.esl"));
  auto list = ofd::ParseSignaturesXml(files["/Doc_0/Signs/Signatures.xml"], "/Doc_0/Signs/Signatures.xml").value();
  ASSERT_EQ(list.entries.size(), 1u);
  EXPECT_EQ(list.entries[0].type, "Sign");
  // ofdrw's pkcs9 sample has this Signatures.xml too.
  auto ofdrw = Files(Generated("sign-gbt35275-pkcs9.ofd"));
  EXPECT_EQ(Text(files["/Doc_0/Signs/Signatures.xml"]), Text(ofdrw["/Doc_0/Signs/Signatures.xml"]));
  auto sd = x509::ParseSignedData(files["/Doc_0/Signs/Sign_0/SignedValue.dat"]).value();
  EXPECT_EQ(x509::SigningTimeAttribute(sd.signer_infos[0]).value(), W().sign_time);
}

TEST(SignOfd, FollowsTheDocumentsOwnLayout) {
  // Only Doc_1 in the package: signatures go under Doc_1.
  {
    Bytes in = Unsigned("doc1File.ofd");
    OfdSignRequest r = Request(W(), in);
    r.placement.positions = {{1, 10, 10}};
    r.mode = ProtectMode::kWhole;
    OfdSignResult out = MustSign(r);
    EXPECT_EQ(out.signature_path, "/Doc_1/Signs/Sign_0/Signature.xml");
    CheckWellFormed(out.document, out.signature_path, true);
  }
  // Non-standard namespace.
  {
    Bytes in = Unsigned("namespace_no_std.ofd");
    OfdSignRequest r = Request(W(), in);
    r.placement.positions = {{1, 10, 10}};
    OfdSignResult out = MustSign(r);
    CheckWellFormed(out.document, out.signature_path, false);
  }
  // iOFD: Signatures.xml at /Doc_0/Signatures.xml, Sign_0 under /Doc_0/Signs/.
  {
    Bytes in = MustRead(Shared("ofdrw/signed/ofdrw-repo-vendor/n.ofd"));
    OfdSignRequest r = Request(W(), in);
    r.placement.positions = {{1, 10, 10}};
    OfdSignResult out = MustSign(r);
    EXPECT_EQ(out.signature_path, "/Doc_0/Signs/Sign_1/Signature.xml");
    EXPECT_EQ(out.signature_id, "2");
    CheckWellFormed(out.document, out.signature_path, false);
    auto files = Files(out.document);
    EXPECT_TRUE(files.count("/Doc_0/Signatures.xml"));
    EXPECT_FALSE(files.count("/Doc_0/Signs/Signatures.xml"));
  }
  // "s001"-style IDs continue in that style (ofdrw's h.ofd is whole-protected, so use
  // DigitalSign.ofd: s001, MaxSignId s001).
  {
    Bytes in = MustRead(Shared("ofdrw/signed/ofdrw-repo-ofdrw-signed/DigitalSign.ofd"));
    OfdSignRequest r = Request(W(), in);
    r.placement.positions = {{1, 10, 10}};
    OfdSignResult out = MustSign(r);
    EXPECT_EQ(out.signature_id, "s002");
    auto files = Files(out.document);
    auto sig = ofd::ParseSignatureXml(files[out.signature_path], out.signature_path).value();
    EXPECT_EQ(sig.stamp_annots.at(0).id, "s003");
  }
}

TEST(SignOfd, RefusesWhatItCannotSign) {
  Bytes in = Unsigned("helloworld.ofd");
  OfdSignRequest base = Request(W(), in);
  base.placement.positions = {{1, 10, 10}};
  {
    OfdSignRequest r = base;
    r.placement.positions = {{2, 10, 10}};
    auto s = SignOfd(r);
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.status().message().find("out of range"), std::string::npos) << s.status().message();
  }
  {
    World other = MakeWorld();
    OfdSignRequest r = base;
    r.signer_cert_der = other.signer.der();
    r.signer = &other.signer_key;
    EXPECT_EQ(SignOfd(r).status().code(), StatusCode::kFailedPrecondition);
  }
  {
    OfdSignRequest r = base;
    r.signer = &W().maker_key;  // key of another certificate
    EXPECT_EQ(SignOfd(r).status().code(), StatusCode::kFailedPrecondition);
  }
  {
    OfdSignRequest r = base;
    r.time = FromCivil(CivilTime{2031, 1, 1}).value();  // after the seal's validEnd
    EXPECT_EQ(SignOfd(r).status().code(), StatusCode::kFailedPrecondition);
  }
  {
    OfdSignRequest r = base;
    Bytes junk = ToBytes("PK not a zip");
    r.document = junk;
    EXPECT_FALSE(SignOfd(r).ok());
  }
  {
    OfdSignRequest r = base;
    r.placement.positions.clear();
    EXPECT_EQ(SignOfd(r).status().code(), StatusCode::kInvalidArgument);
  }
  {
    OfdSignRequest r = base;
    r.placement.keyword = KeywordPlacement{"OFD"};
    EXPECT_EQ(SignOfd(r).status().code(), StatusCode::kInvalidArgument);  // two modes
  }
}

// Our golden outputs (testdata/ofd-signed, made by make.sh there with `eseal ofd sign`)
// have every property above, signature by signature.
TEST(SignOfd, GoldenOutputsAreInOfdrwsEncoding) {
  int docs = 0;
  for (const auto& e : std::filesystem::directory_iterator(testing::Own("ofd-signed"))) {
    if (e.path().extension() != ".ofd") continue;
    SCOPED_TRACE(e.path().filename().string());
    Bytes doc = MustRead(e.path().string());
    auto reader = ofd::Reader::OpenBytes(doc);
    ASSERT_TRUE(reader.ok());
    auto list = reader->LoadSignatures();
    ASSERT_TRUE(list.ok());
    // Signatures.xml and every Signature.xml are in ofdrw's exact serialization.
    Bytes list_xml = reader->ReadXmlFile(reader->doc_body().signatures_path).value();
    EXPECT_EQ(Text(ofd::SerializeSignatures(*list).value()), Text(list_xml));
    for (size_t i = 0; i < list->entries.size(); ++i) {
      const ofd::SignatureEntry& en = list->entries[i];
      auto sig = reader->LoadSignature(en).value();
      bool whole = false;
      for (const auto& r : sig.references) whole |= r.path == reader->doc_body().signatures_path;
      CheckWellFormed(doc, en.path, whole, i + 1 == list->entries.size());
    }
    ++docs;
  }
  EXPECT_EQ(docs, 7);
}

TEST(SignOfd, SignIdsFollowTheExistingStyle) {
  EXPECT_EQ(internal::FormatSignId(3, "1"), "3");
  EXPECT_EQ(internal::FormatSignId(7, "s006"), "s007");
  EXPECT_EQ(internal::FormatSignId(1000, "s006"), "s1000");
  EXPECT_EQ(internal::FormatSignId(3, "002"), "003");
  EXPECT_EQ(internal::FormatSignId(5, "sN"), "sN5");
  EXPECT_EQ(internal::FormatSignId(5, "<x>"), "5");
  EXPECT_EQ(internal::FormatSignatureDateTime(FromCivil(CivilTime{2026, 12, 31, 20, 0, 1}).value()),
            "2027-01-01 04:00:01");
}

}  // namespace
}  // namespace eseal::sign
