// OFD sealing speed: sign and verify per second for a 1-page and a 100-page document, the
// hashing throughput of a whole package, and — in the same binary, on the same machine —
// the raw SM3 and SM2 costs underneath, so it is visible where the time goes.
//   bench_ofd --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// What one OFD signature costs, roughly: open the zip and parse OFD.xml/Document.xml,
// inflate and SM3 every file (References), one SM2 signature over DER(TBS_Sign) (which
// embeds the seal, tens of KB with its picture), write the new zip (untouched entries are
// copied compressed). Verification: the same hashing, Signature.xml parsing, one SM2
// verification of the document signature, one of the seal maker's, chain checks.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "eseal/base/file.h"
#include "eseal/crypto/sm2.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/package_writer.h"
#include "eseal/sealimg/seal_image.h"
#include "eseal/ses/make.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/x509/builder.h"

namespace {

using namespace eseal;

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "bench setup failed: %s\n", r.status().ToString().c_str());
    std::abort();
  }
  return *std::move(r);
}

Time T(int y, int m, int d) { return Must(FromCivil(CivilTime{y, m, d, 0, 0, 0})); }

struct World {
  crypto::Sm2PrivateKey root_key = Must(crypto::Sm2PrivateKey::Generate());
  crypto::Sm2PrivateKey maker_key = Must(crypto::Sm2PrivateKey::Generate());
  crypto::Sm2PrivateKey signer_key = Must(crypto::Sm2PrivateKey::Generate());
  x509::Certificate root, maker, signer;
  ses::Seal seal;
  verify::OfdVerifyOptions options;
  Bytes one_page, hundred_pages, one_signed, hundred_signed;
};

x509::Certificate Issue(const x509::Name& issuer, const crypto::Sm2Signer& key, const char* subject,
                        const crypto::Sm2PublicKey& pub, bool ca) {
  x509::CertificateParams p;
  p.serial = {0x11, static_cast<uint8_t>(ca ? 1 : 2), static_cast<uint8_t>(subject[3])};
  p.issuer = issuer;
  p.subject = Must(x509::Name::Parse(subject));
  p.not_before = T(2026, 1, 1);
  p.not_after = T(2036, 1, 1);
  p.spki_der = pub.ToSpkiDer();
  if (ca) {
    p.basic_constraints = x509::BasicConstraintsParams{true, std::nullopt, true};
    p.key_usage = x509::kKeyCertSign | x509::kCrlSign;
  } else {
    p.key_usage = x509::kDigitalSignature | x509::kNonRepudiation;
  }
  return Must(x509::Certificate::FromDer(Must(x509::BuildCertificate(p, key))));
}

// A 100-page document: helloworld.ofd's page repeated with different text, 100 Content.xml.
Bytes HundredPages(const Bytes& one) {
  ofd::Package pkg = Must(ofd::Package::Open(one));
  std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\">"
      "<ofd:CommonData><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:PageArea><ofd:PhysicalBox>0 0 "
      "210 297</ofd:PhysicalBox></ofd:PageArea><ofd:MaxUnitID>5000</ofd:MaxUnitID></ofd:CommonData><ofd:Pages>";
  ofd::PackageWriter w(pkg);
  for (int i = 0; i < 100; ++i) {
    doc += "<ofd:Page ID=\"" + std::to_string(1000 + i) + "\" BaseLoc=\"Pages/Page_" + std::to_string(i) +
           "/Content.xml\"/>";
    std::string content =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\">"
        "<ofd:Content><ofd:Layer ID=\"2\">";
    for (int line = 0; line < 40; ++line) {
      content += "<ofd:TextObject ID=\"" + std::to_string(10 + line) + "\" Boundary=\"20 " +
                 std::to_string(20 + line * 6) + " 170 6\" Font=\"3\" Size=\"4\"><ofd:TextCode X=\"0\" "
                 "Y=\"4\" DeltaX=\"g 30 4\">第" + std::to_string(i + 1) + "页 第" + std::to_string(line + 1) +
                 "行 合同正文示例 Lorem ipsum dolor sit amet</ofd:TextCode></ofd:TextObject>";
    }
    content += "</ofd:Layer></ofd:Content></ofd:Page>";
    if (!w.Put("/Doc_0/Pages/Page_" + std::to_string(i) + "/Content.xml", ToBytes(content)).ok()) std::abort();
  }
  doc += "</ofd:Pages></ofd:Document>";
  if (!w.Put("/Doc_0/Document.xml", ToBytes(doc)).ok()) std::abort();
  return Must(w.Write());
}

sign::OfdSignRequest Request(const World& w, ByteView doc) {
  sign::OfdSignRequest r;
  r.document = doc;
  r.seal = &w.seal;
  r.signer_cert_der = w.signer.der();
  r.signer = &w.signer_key;
  r.time = T(2026, 11, 23);
  r.placement.positions = {{1, 50, 50}};
  return r;
}

const World& W() {
  static const World* world = [] {
    auto* w = new World;
    x509::Name root_name = Must(x509::Name::Parse("C=CN,O=bench,CN=bench root"));
    w->root = Issue(root_name, w->root_key, "C=CN,O=bench,CN=bench root", w->root_key.PublicKey(), true);
    w->maker = Issue(root_name, w->root_key, "C=CN,O=bench,CN=bench maker", w->maker_key.PublicKey(), false);
    w->signer = Issue(root_name, w->root_key, "C=CN,O=bench,CN=bench signer", w->signer_key.PublicKey(), false);
    ses::SealSpec spec;
    spec.esid = "4501000000000001";
    spec.name = "南宁市某某科技有限公司";
    spec.type = ses::kTypeContract;
    spec.signer_certs = {w->signer.der()};
    spec.create_date = spec.valid_start = T(2026, 1, 1);
    spec.valid_end = T(2030, 1, 1);
    sealimg::SealText text;
    text.name = spec.name;
    spec.picture = ses::Picture{"PNG", Must(sealimg::RenderPng(sealimg::Kind::kContract, text, 150)), 40, 40};
    w->seal = Must(ses::MakeSeal(spec, w->maker.der(), w->maker_key));
    w->options.trust.anchors.Add(w->root, "bench root");
    w->one_page = Must(ReadFile(std::string(ESEAL_BENCH_SHARED) + "/ofdrw/unsigned/helloworld.ofd"));
    w->hundred_pages = HundredPages(w->one_page);
    w->one_signed = Must(sign::SignOfd(Request(*w, w->one_page))).document;
    w->hundred_signed = Must(sign::SignOfd(Request(*w, w->hundred_pages))).document;
    return w;
  }();
  return *world;
}

// ---- the OFD operations ----

void BM_OfdSign(benchmark::State& state) {
  const World& w = W();
  const Bytes& doc = state.range(0) == 1 ? w.one_page : w.hundred_pages;
  for (auto _ : state) {
    auto out = sign::SignOfd(Request(w, doc));
    if (!out.ok()) state.SkipWithError(out.status().message().c_str());
    benchmark::DoNotOptimize(out);
  }
  state.SetLabel(std::to_string(doc.size() / 1024) + " KiB package");
}
BENCHMARK(BM_OfdSign)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_OfdVerify(benchmark::State& state) {
  const World& w = W();
  const Bytes& doc = state.range(0) == 1 ? w.one_signed : w.hundred_signed;
  for (auto _ : state) {
    auto v = verify::VerifyOfd(doc, w.options);
    if (!v.ok() || v->verdict() != Verdict::kPassed) state.SkipWithError("verification did not pass");
    benchmark::DoNotOptimize(v);
  }
  state.SetLabel(std::to_string(doc.size() / 1024) + " KiB package");
}
BENCHMARK(BM_OfdVerify)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

// Reading and hashing every file of the package, as the References need (inflate + SM3).
void BM_OfdHashPackage(benchmark::State& state) {
  const World& w = W();
  const Bytes& doc = state.range(0) == 1 ? w.one_signed : w.hundred_signed;
  ofd::Package pkg = Must(ofd::Package::Open(doc));
  uint64_t bytes = 0;
  for (const ofd::EntryInfo& e : pkg.entries()) bytes += e.size;
  for (auto _ : state) {
    for (const std::string& p : pkg.FilePaths()) {
      benchmark::DoNotOptimize(crypto::Sm3::Hash(Must(pkg.Read(p))));
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_OfdHashPackage)->Arg(1)->Arg(100);

// Opening the zip alone (central directory checks).
void BM_OfdOpenPackage(benchmark::State& state) {
  const World& w = W();
  const Bytes& doc = state.range(0) == 1 ? w.one_signed : w.hundred_signed;
  for (auto _ : state) benchmark::DoNotOptimize(ofd::Package::Open(doc));
}
BENCHMARK(BM_OfdOpenPackage)->Arg(1)->Arg(100);

// ---- the raw primitives underneath ----

void BM_RawSm3(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::Sm3::Hash(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_RawSm3)->Arg(1 << 20);

// SM2 over a message the size of DER(TBS_Sign) here (the seal and its picture embedded),
// and over a 32-byte digest (GB/T 35275 signed attributes are ~100 bytes).
size_t TbsSize() { return W().seal.der.size() + 1200; }

void BM_RawSm2Sign(benchmark::State& state) {
  const World& w = W();
  Bytes msg(state.range(0) == 0 ? TbsSize() : 32, 0x33);
  for (auto _ : state) benchmark::DoNotOptimize(w.signer_key.Sign(msg));
  state.SetLabel(std::to_string(msg.size()) + " B message");
}
BENCHMARK(BM_RawSm2Sign)->Arg(0)->Arg(32)->Unit(benchmark::kMicrosecond);

void BM_RawSm2Verify(benchmark::State& state) {
  const World& w = W();
  Bytes msg(state.range(0) == 0 ? TbsSize() : 32, 0x33);
  Bytes sig = Must(w.signer_key.Sign(msg));
  for (auto _ : state) {
    if (!w.signer_key.PublicKey().Verify(msg, sig)) state.SkipWithError("bad signature");
  }
  state.SetLabel(std::to_string(msg.size()) + " B message");
}
BENCHMARK(BM_RawSm2Verify)->Arg(0)->Arg(32)->Unit(benchmark::kMicrosecond);

}  // namespace
