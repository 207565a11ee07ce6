// OFD sealing speed: sign and verify per second for a 1-page and a 100-page document, the
// hashing throughput of a whole package, and — in the same binary, on the same machine —
// the raw SM3 and SM2 costs underneath, so it is visible where the time goes.
//   bench_ofd --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// Results and how to read them: docs/benchmarks.md.
//
// What one OFD signature costs, roughly: open the zip and parse OFD.xml/Document.xml,
// inflate and SM3 every file (References), one SM2 signature over DER(TBS_Sign) (which
// embeds the seal, tens of KB with its picture), write the new zip (untouched entries are
// copied compressed). Verification: the same hashing, Signature.xml parsing, one SM2
// verification of the document signature, one of the seal maker's, chain checks.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "eseal/base/clock.h"
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
#include "eseal/x509/certificate.h"
#include "eseal/x509/ca.h"
#include "eseal/x509/crl.h"
#include "eseal/x509/proof_cache.h"
#include "eseal/x509/signed_data.h"
#include "raw_evp.h"
#include "seal_world.h"

namespace {

using namespace eseal;

using bench::Must;
using bench::Day;

struct World : bench::SealWorld {
  verify::OfdVerifyOptions options;
  Bytes one_page, hundred_pages, one_signed, hundred_signed;
};

// A 100-page document: helloworld.ofd's page repeated with different text, 100 Content.xml.
Bytes HundredPages(const Bytes& one) {
  ofd::Package pkg = Must(ofd::Package::Open(one));
  std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document "
      "xmlns:ofd=\"http://www.ofdspec.org/2016\">"
      "<ofd:CommonData><ofd:PublicRes>PublicRes.xml</"
      "ofd:PublicRes><ofd:PageArea><ofd:PhysicalBox>0 0 "
      "210 "
      "297</ofd:PhysicalBox></ofd:PageArea><ofd:MaxUnitID>5000</ofd:MaxUnitID></"
      "ofd:CommonData><ofd:Pages>";
  ofd::PackageWriter w(pkg);
  for (int i = 0; i < 100; ++i) {
    doc += "<ofd:Page ID=\"" + std::to_string(1000 + i) + "\" BaseLoc=\"Pages/Page_" +
           std::to_string(i) + "/Content.xml\"/>";
    std::string content =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page "
        "xmlns:ofd=\"http://www.ofdspec.org/2016\">"
        "<ofd:Content><ofd:Layer ID=\"2\">";
    for (int line = 0; line < 40; ++line) {
      content += "<ofd:TextObject ID=\"" + std::to_string(10 + line) + "\" Boundary=\"20 " +
                 std::to_string(20 + line * 6) +
                 " 170 6\" Font=\"3\" Size=\"4\"><ofd:TextCode X=\"0\" "
                 "Y=\"4\" DeltaX=\"g 30 4\">第" +
                 std::to_string(i + 1) + "页 第" + std::to_string(line + 1) +
                 "行 合同正文示例 Lorem ipsum dolor sit amet</ofd:TextCode></ofd:TextObject>";
    }
    content += "</ofd:Layer></ofd:Content></ofd:Page>";
    if (!w.Put("/Doc_0/Pages/Page_" + std::to_string(i) + "/Content.xml", ToBytes(content)).ok())
      std::abort();
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
  r.time = Day(2026, 11, 23);
  r.placement.positions = {{1, 50, 50}};
  return r;
}

const World& W() {
  static const World* world = [] {
    auto* w = new World;
    w->Make("bench", "4501000000000001");
    // Roles as the policy needs them: the root for signers, the maker certificate itself
    // (the bench certificates carry no role policy); a real CRL from the root.
    w->options.policy.AddAnchor(w->root, "bench root", verify::RolesOf(verify::Role::kSigner));
    w->options.policy.AddAnchor(w->maker, "bench maker", verify::RolesOf(verify::Role::kSealMaker));
    x509::CrlRequest crl;
    crl.this_update = Day(2026, 1, 1);
    crl.next_update = Day(2030, 1, 1);
    crl.crl_number = {0x01};
    w->options.policy.crls.push_back(Must(x509::MakeCrl(w->root, w->root_key, crl)));
    w->options.policy.time.now = Day(2026, 11, 24);
    // BM_OfdVerify proves everything afresh, as for a seal never seen before; the
    // seen-seal benchmarks give their options a cache of their own (BM_OfdVerifySeenSeal).
    w->options.policy.proof_cache = nullptr;
    w->one_page =
        Must(ReadFile(std::string(ESEAL_BENCH_SHARED) + "/ofdrw/unsigned/helloworld.ofd"));
    w->hundred_pages = HundredPages(w->one_page);
    w->one_signed = Must(sign::SignOfd(Request(*w, w->one_page))).document;
    w->hundred_signed = Must(sign::SignOfd(Request(*w, w->hundred_pages))).document;
    return w;
  }();
  return *world;
}

void OpsRate(benchmark::State& state) {
  state.counters["ops/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
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
  OpsRate(state);
  state.SetLabel(std::to_string(doc.size() / 1024) + " KiB package");
}
BENCHMARK(BM_OfdSign)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_OfdVerify(benchmark::State& state) {
  const World& w = W();
  const Bytes& doc = state.range(0) == 1 ? w.one_signed : w.hundred_signed;
  for (auto _ : state) {
    auto v = verify::VerifyOfd(doc, w.options);
    if (!v.ok() || v->verdict() != Verdict::kPassed)
      state.SkipWithError("verification did not pass");
    benchmark::DoNotOptimize(v);
  }
  OpsRate(state);
  state.SetLabel(std::to_string(doc.size() / 1024) + " KiB package");
}
BENCHMARK(BM_OfdVerify)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

// Verifying a document of a seal already seen (issue 13 item 3): the policy's proof cache
// (x509/proof_cache.h) already holds the root's signatures on the signer certificate and
// on the CRL, the seal maker's signature on the seal, and the parsed keys, from one
// verification before the timing starts. What is left is the package and the document
// signature: one SM2 verification (BM_RawFloorOfdVerifySeen is the floor).
void BM_OfdVerifySeenSeal(benchmark::State& state) {
  const World& w = W();
  const Bytes& doc = state.range(0) == 1 ? w.one_signed : w.hundred_signed;
  verify::OfdVerifyOptions o = w.options;
  o.policy.proof_cache = std::make_shared<x509::ProofCache>();
  auto first = verify::VerifyOfd(doc, o);
  if (!first.ok() || first->verdict() != Verdict::kPassed) {
    state.SkipWithError("verification did not pass");
    return;
  }
  const uint64_t sm2_before = crypto::Sm2VerifyCount();
  for (auto _ : state) {
    auto v = verify::VerifyOfd(doc, o);
    if (!v.ok() || v->verdict() != Verdict::kPassed)
      state.SkipWithError("verification did not pass");
    benchmark::DoNotOptimize(v);
  }
  OpsRate(state);
  state.counters["sm2/op"] = static_cast<double>(crypto::Sm2VerifyCount() - sm2_before) /
                             static_cast<double>(std::max<benchmark::IterationCount>(1, state.iterations()));
  state.SetLabel(std::to_string(doc.size() / 1024) + " KiB package");
}
BENCHMARK(BM_OfdVerifySeenSeal)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

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

// ---- hostile documents (issue 9): the work is bounded and counted in
// src/verify/ofd_hostile_test.cc; here is what it costs in time ----
// BM_OfdVerifyHostile/0: the 1-page signed document with its one signature listed 1,000
// times in Signatures.xml (verified once: PASSED). /1: that list named by three DocBodies
// (OFD.xml is protected, so FAILED on its digest). /2: ofdrw's Type="Sign" document whose
// GB/T 35275 SignedData carries 100,000 copies of its certificate (52 MB, stored):
// INDETERMINATE (sign.certificates), no path built. BM_ParseSignedData100kCerts: that
// SignedData parsed alone (the parse keeps 32 certificates and stops).
struct Hostile {
  Bytes thousand, three_bodies, many_certs, many_certs_der;
};

std::string FirstSignatureElement(const std::string& list, size_t* begin, size_t* end) {
  *begin = list.find("<ofd:Signature ");
  *end = list.find("/>", *begin) + 2;
  return list.substr(*begin, *end - *begin);
}

const Hostile& H() {
  static const Hostile* hostile = [] {
    const World& w = W();
    auto* h = new Hostile;
    ofd::Package pkg = Must(ofd::Package::Open(w.one_signed));
    std::string list_path;
    for (const std::string& p : pkg.FilePaths()) {
      if (p.ends_with("Signatures.xml")) list_path = p;
    }
    std::string list = ToString(Must(pkg.Read(list_path)));
    size_t b = 0, e = 0;
    std::string element = FirstSignatureElement(list, &b, &e);
    std::string many;
    for (int i = 1; i <= 1000; ++i) {
      std::string el = element;
      size_t at = el.find("ID=\"") + 4;
      el.replace(at, el.find('"', at) - at, std::to_string(i));
      many += el;
    }
    list.replace(b, e - b, many);
    {
      ofd::PackageWriter pw(pkg);
      if (!pw.Put(list_path, ToBytes(list)).ok()) std::abort();
      h->thousand = Must(pw.Write());
    }
    {
      ofd::Package thousand = Must(ofd::Package::Open(h->thousand));
      std::string ofd = ToString(Must(thousand.Read("/OFD.xml")));
      size_t a = ofd.find("<ofd:DocBody>");
      size_t z = ofd.find("</ofd:DocBody>") + std::string("</ofd:DocBody>").size();
      std::string body = ofd.substr(a, z - a);
      ofd.insert(z, body + body);
      ofd::PackageWriter pw(thousand);
      if (!pw.Put("/OFD.xml", ToBytes(ofd)).ok()) std::abort();
      h->three_bodies = Must(pw.Write());
    }
    {
      Bytes sign_doc = Must(ReadFile(std::string(ESEAL_BENCH_SHARED) +
                                     "/ofdrw/signed/generated-with-ofdrw/sign-gbt35275.ofd"));
      ofd::Package sp = Must(ofd::Package::Open(sign_doc));
      std::string value_path;
      for (const std::string& p : sp.FilePaths()) {
        if (p.ends_with("SignedValue.dat")) value_path = p;
      }
      x509::SignedData sd = Must(x509::ParseSignedData(Must(sp.Read(value_path))));
      const Bytes one = sd.certificates.at(0);
      Bytes all;
      all.reserve(one.size() * 100000);
      for (int i = 0; i < 100000; ++i) all.insert(all.end(), one.begin(), one.end());
      sd.certificates = {std::move(all)};
      h->many_certs_der = x509::EncodeSignedData(sd);
      ofd::PackageWriter pw(sp);
      if (!pw.Put(value_path, h->many_certs_der, ofd::PackageWriter::Compression::kStore).ok())
        std::abort();
      h->many_certs = Must(pw.Write());
    }
    return h;
  }();
  return *hostile;
}

void BM_OfdVerifyHostile(benchmark::State& state) {
  const World& w = W();
  const Hostile& h = H();
  const Bytes& doc = state.range(0) == 0 ? h.thousand
                     : state.range(0) == 1 ? h.three_bodies
                                           : h.many_certs;
  const Verdict want = state.range(0) == 0 ? Verdict::kPassed
                       : state.range(0) == 1 ? Verdict::kFailed
                                             : Verdict::kIndeterminate;
  for (auto _ : state) {
    auto v = verify::VerifyOfd(doc, w.options);
    if (!v.ok() || v->verdict() != want) state.SkipWithError("unexpected verdict");
    benchmark::DoNotOptimize(v);
  }
  OpsRate(state);
  state.SetLabel(std::to_string(doc.size() / 1024) + " KiB package");
}
BENCHMARK(BM_OfdVerifyHostile)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_ParseSignedData100kCerts(benchmark::State& state) {
  const Hostile& h = H();
  for (auto _ : state) {
    auto sd = x509::ParseSignedData(h.many_certs_der);
    if (!sd.ok() || !sd->too_many_certificates) state.SkipWithError("not capped");
    benchmark::DoNotOptimize(sd);
  }
  state.SetLabel(std::to_string(h.many_certs_der.size() / 1024) + " KiB SignedData");
}
BENCHMARK(BM_ParseSignedData100kCerts)->Unit(benchmark::kMicrosecond);

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

// ---- the raw floor of one OFD operation, with OpenSSL alone ----
// What no implementation can skip, over the same sizes: SM3 of every file of the package
// (already inflated: no zip work) plus, for signing, one SM2 signature over a message the
// size of DER(TBS_Sign); for verifying, four SM2 verifications (document signature, seal
// maker's signature, the signer's and the maker's certificates), as in bench/ses_bench.cc.
// BM_OfdSign / BM_OfdVerify divided by these is the share of zip, XML and DER work.

struct Floor {
  std::vector<Bytes> files;  // every file of the signed package, inflated
  uint64_t bytes = 0;
  EVP_PKEY* priv = nullptr;
  EVP_PKEY* pub = nullptr;
  Bytes tbs;
  Bytes sig;
};

// The files of the unsigned package (what signing hashes) or of the signed one (what
// verifying hashes).
const Floor& FloorFor(int pages, bool is_signed) {
  static const Floor* floors[4] = {nullptr, nullptr, nullptr, nullptr};
  const Floor*& f = floors[(pages == 1 ? 0 : 1) + (is_signed ? 2 : 0)];
  if (f == nullptr) {
    const World& w = W();
    auto* n = new Floor;
    const Bytes& doc = pages == 1 ? (is_signed ? w.one_signed : w.one_page)
                                  : (is_signed ? w.hundred_signed : w.hundred_pages);
    ofd::Package pkg = Must(ofd::Package::Open(doc));
    for (const std::string& p : pkg.FilePaths()) {
      n->files.push_back(Must(pkg.Read(p)));
      n->bytes += n->files.back().size();
    }
    n->priv = bench::EvpPrivateKey(w.signer_key);
    n->pub = bench::EvpPublicKey(w.signer_key.PublicKey().ToSpkiDer());
    n->tbs = Bytes(TbsSize(), 0x33);
    n->sig = bench::EvpSign(n->priv, n->tbs);
    f = n;
  }
  return *f;
}

void BM_RawFloorOfdSign(benchmark::State& state) {
  const Floor& f = FloorFor(static_cast<int>(state.range(0)), /*is_signed=*/false);
  unsigned char md[32];
  for (auto _ : state) {
    for (const Bytes& file : f.files) bench::EvpSm3(file, md);
    Bytes sig = bench::EvpSign(f.priv, f.tbs);
    benchmark::DoNotOptimize(sig);
  }
  OpsRate(state);
  state.SetLabel(std::to_string(f.files.size()) + " files, " + std::to_string(f.bytes / 1024) +
                 " KiB SM3 + 1 SM2 sign");
}
BENCHMARK(BM_RawFloorOfdSign)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_RawFloorOfdVerify(benchmark::State& state) {
  const Floor& f = FloorFor(static_cast<int>(state.range(0)), /*is_signed=*/true);
  unsigned char md[32];
  for (auto _ : state) {
    for (const Bytes& file : f.files) bench::EvpSm3(file, md);
    for (int i = 0; i < 4; ++i) {
      if (!bench::EvpVerify(f.pub, f.tbs, f.sig)) std::abort();
    }
    benchmark::DoNotOptimize(md);
  }
  OpsRate(state);
  state.SetLabel(std::to_string(f.files.size()) + " files, " + std::to_string(f.bytes / 1024) +
                 " KiB SM3 + 4 SM2 verify");
}
BENCHMARK(BM_RawFloorOfdVerify)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

// The floor of BM_OfdVerifySeenSeal: the same hashing and one SM2 verification (the
// document signature over DER(TBS_Sign)).
void BM_RawFloorOfdVerifySeen(benchmark::State& state) {
  const Floor& f = FloorFor(static_cast<int>(state.range(0)), /*is_signed=*/true);
  unsigned char md[32];
  for (auto _ : state) {
    for (const Bytes& file : f.files) bench::EvpSm3(file, md);
    if (!bench::EvpVerify(f.pub, f.tbs, f.sig)) std::abort();
    benchmark::DoNotOptimize(md);
  }
  OpsRate(state);
  state.SetLabel(std::to_string(f.files.size()) + " files, " + std::to_string(f.bytes / 1024) +
                 " KiB SM3 + 1 SM2 verify");
}
BENCHMARK(BM_RawFloorOfdVerifySeen)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace
