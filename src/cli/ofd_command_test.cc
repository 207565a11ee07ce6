// eseal ofd sign / verify / render end to end: a CA, a seal, placement modes, both
// protection modes, Type=Sign, exit codes 0/1/2/3 (and 4 for a refused signature), the
// vendor samples, and rendering that shows the seal where it was placed.
#include "cli_fixture.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/reader.h"
#include "eseal/render/render.h"
#include "internal.h"

namespace eseal::cli {
namespace {

using testing::kShared;
using testing::Out;

class OfdCliTest : public testing::CliFixture {
 protected:
  std::vector<std::string> SignArgs(const std::string& in, const std::string& out) {
    return {"ofd", "sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert",
            P("signer.crt"), "--in", in, "--out", out};
  }
};

std::vector<std::string> Plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_F(OfdCliTest, SignVerifyTamperAndExitCodes) {
  MakeWorld();
  const std::string hello = kShared + "unsigned/helloworld.ofd";
  Out s = Run(Plus(SignArgs(hello, P("a.ofd")), {"--page", "1", "--x", "50", "--y", "50"}));
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("signature 1 (Type Seal, continue mode)"), std::string::npos) << s.out;

  EXPECT_EQ(Run({"ofd", "verify", P("a.ofd")}).code, kExitIndeterminate);
  Out ok = RunTrusted({"ofd", "verify", P("a.ofd")});
  EXPECT_EQ(ok.code, kExitPassed) << ok.out;
  EXPECT_NE(ok.out.find("overall verdict: PASSED"), std::string::npos) << ok.out;
  Out json = RunTrusted({"ofd", "verify", P("a.ofd"), "--json"});
  EXPECT_EQ(json.code, kExitPassed);
  EXPECT_NE(json.out.find("\"signatures\": ["), std::string::npos) << json.out;

  // Continue mode: a second signature, both stay valid.
  Out s2 = Run(Plus(SignArgs(P("a.ofd"), P("b.ofd")), {"--keyword", "OFD", "--mode", "whole"}));
  ASSERT_EQ(s2.code, 0) << s2.err;
  Out both = RunTrusted({"ofd", "verify", P("b.ofd"), "--json"});
  EXPECT_EQ(both.code, kExitPassed) << both.out;
  // Whole mode closed the document.
  Out refused = Run(Plus(SignArgs(P("b.ofd"), P("c.ofd")), {"--page", "1", "--x", "10", "--y", "10"}));
  EXPECT_EQ(refused.code, 4);
  EXPECT_NE(refused.err.find("closed to further signatures"), std::string::npos) << refused.err;
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  EXPECT_FALSE(FileExists(P("c.ofd")));

  // A changed page: exit 1, and the report says which file (tamper tests: src/verify).
  Out bad = Run({"ofd", "verify", kShared + "signed/generated-with-ofdrw/tampered-v4-content.ofd",
                 "--trust", kShared + "keys/root_cert.pem", "--tolerate-test-roots"});
  EXPECT_EQ(bad.code, kExitFailed);
  EXPECT_NE(bad.out.find("FAIL   ofd.reference.digest  /Doc_0/Pages/Page_0/Content.xml was changed"),
            std::string::npos)
      << bad.out;

  // Not an OFD: exit 2, one line.
  ASSERT_TRUE(WriteFileAtomic(P("junk.ofd"), std::string_view("PK junk")).ok());
  Out junk = Run({"ofd", "verify", P("junk.ofd")});
  EXPECT_EQ(junk.code, kExitUsage);
  EXPECT_EQ(std::count(junk.err.begin(), junk.err.end(), '\n'), 1) << junk.err;
  EXPECT_EQ(Run({"ofd", "verify", P("missing.ofd")}).code, kExitUsage);
  EXPECT_EQ(Run({"ofd", "verify", hello}).code, kExitFailed);  // no signature at all
}

TEST_F(OfdCliTest, PlacementModesAndTypeSign) {
  MakeWorld();
  const std::string vpage = kShared + "unsigned/VPage7.ofd";
  Out riding = Run(Plus(SignArgs(vpage, P("r.ofd")), {"--riding", "right", "--pages", "2-4"}));
  ASSERT_EQ(riding.code, 0) << riding.err;
  EXPECT_NE(riding.out.find("3 appearance(s)"), std::string::npos) << riding.out;
  EXPECT_EQ(RunTrusted({"ofd", "verify", P("r.ofd")}).code, kExitPassed);

  Out multi = Run(Plus(SignArgs(vpage, P("m.ofd")), {"--page", "1", "--x", "10", "--y", "10",
                                                     "--page", "5", "--x", "100", "--y", "200"}));
  ASSERT_EQ(multi.code, 0) << multi.err;
  EXPECT_NE(multi.out.find("2 appearance(s)"), std::string::npos);

  Out sign = Run({"ofd", "sign", "--format", "sign", "--key", P("signer.pem"), "--cert",
                  P("signer.crt"), "--in", kShared + "unsigned/helloworld.ofd", "--out", P("s.ofd")});
  ASSERT_EQ(sign.code, 0) << sign.err;
  Out v = RunTrusted({"ofd", "verify", P("s.ofd")});
  EXPECT_EQ(v.code, kExitPassed) << v.out;

  // Bad placements: exit 2 with one line.
  for (const std::vector<std::string>& extra :
       std::vector<std::vector<std::string>>{{"--page", "9", "--x", "1", "--y", "1"},
                                             {"--keyword", "没有这个词"},
                                             {"--riding", "middle"},
                                             {"--page", "1", "--x", "1"},
                                             {}}) {
    Out o = Run(Plus(SignArgs(vpage, P("x.ofd")), extra));
    EXPECT_EQ(o.code, kExitUsage) << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  }
}

TEST_F(OfdCliTest, BareSm2NeedsSignCert) {
  const std::string f = kShared + "signed/ofdrw-repo-ofdrw-signed/DigitalSign.ofd";
  EXPECT_EQ(Run({"ofd", "verify", f}).code, kExitIndeterminate);
  EXPECT_EQ(Run({"ofd", "verify", f, "--sign-cert", kShared + "keys/sign_cert.pem"}).code, kExitFailed);
  // ofdrw's keys expired in 2022 and it publishes no CRL: asked as of 2021, revocation off.
  Out ok = Run({"ofd", "verify", f, "--sign-cert", kShared + "keys/user_cert.pem", "--trust",
                kShared + "keys/root_cert.pem", "--tolerate-test-roots", "--no-revocation", "--at",
                "2021-06-01T00:00:00Z"});
  EXPECT_EQ(ok.code, kExitPassed) << ok.out;
}

TEST_F(OfdCliTest, HelpOnEveryOfdCommand) {
  for (const char* c : {"sign", "verify", "render"}) {
    Out o = Run({"ofd", c, "--help"});
    EXPECT_EQ(o.code, 0) << c;
    EXPECT_NE(o.out.find("--help"), std::string::npos) << o.out;
  }
  Out s = Run({"ofd", "sign", "--help"});
  EXPECT_NE(s.out.find("--riding"), std::string::npos) << s.out;
  Out v = Run({"ofd", "verify", "--help"});
  EXPECT_NE(v.out.find("--sign-cert"), std::string::npos) << v.out;
  for (const char* opt : {"--trust", "--maker-trust", "--tsa-trust", "--intermediate", "--crl",
                          "--no-revocation", "--at"}) {
    EXPECT_NE(v.out.find(opt), std::string::npos) << opt << "\n" << v.out;
  }
  EXPECT_EQ(Run({"ofd", "--help"}).code, 0);
}

// Red pixels that the seal added to a rendered page (compared with the page drawn without
// seals), inside and outside a box (mm) at `dpi`.
std::pair<int, int> RedInside(const render::Bitmap& bm, const render::Bitmap& base,
                              const ofd::Box& box, double dpi) {
  int in = 0, out = 0;
  const double k = dpi / 25.4;
  for (int y = 0; y < bm.height; ++y) {
    for (int x = 0; x < bm.width; ++x) {
      uint32_t p = bm.At(x, y);
      if (p == base.At(x, y)) continue;
      bool red = render::Bitmap::Red(p) > 150 && render::Bitmap::Green(p) < 110 &&
                 render::Bitmap::Blue(p) < 110;
      if (!red) continue;
      double mx = (x + 0.5) / k, my = (y + 0.5) / k;
      bool inside = mx >= box.x - 0.5 && mx <= box.right() + 0.5 && my >= box.y - 0.5 &&
                    my <= box.bottom() + 0.5;
      (inside ? in : out)++;
    }
  }
  return {in, out};
}

TEST_F(OfdCliTest, RenderedPagesShowTheSealWhereItWasPlaced) {
  MakeWorld();
  ASSERT_EQ(Run(Plus(SignArgs(kShared + "unsigned/helloworld.ofd", P("a.ofd")),
                     {"--page", "1", "--x", "120", "--y", "150"})).code, 0);
  auto reader = ofd::Reader::OpenFile(P("a.ofd"));
  ASSERT_TRUE(reader.ok());
  render::RenderOptions ro;
  ro.dpi = 72;
  ro.overlays = SealOverlays(*reader, 0).value();
  ASSERT_EQ(ro.overlays.size(), 1u);
  render::Bitmap bm = render::RenderPage(*reader, 0, ro).value();
  render::Bitmap base = render::RenderPage(*reader, 0, {72}).value();
  auto [in, out] = RedInside(bm, base, ofd::Box{120, 150, 40, 40}, 72);
  EXPECT_GT(in, 500) << "the seal's red is drawn in its box";
  EXPECT_EQ(out, 0) << "and nowhere else";

  // The CLI writes the same as a PNG.
  Out r = Run({"ofd", "render", P("a.ofd"), "--page", "1", "--out", P("a.png"), "--dpi", "72"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 seal appearance(s)"), std::string::npos);
  auto png = ReadFile(P("a.png"));
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(Bytes(png->begin(), png->begin() + 4), (Bytes{0x89, 'P', 'N', 'G'}));
  EXPECT_EQ(Run({"ofd", "render", P("a.ofd"), "--page", "2", "--out", P("b.png")}).code, kExitUsage);

  // A riding seal: on page 1 of 5 (right edge) only the seal's first fifth, at the edge.
  ASSERT_EQ(Run(Plus(SignArgs(kShared + "unsigned/VPage7.ofd", P("r.ofd")), {"--riding", "right"})).code, 0);
  auto rr = ofd::Reader::OpenFile(P("r.ofd"));
  ASSERT_TRUE(rr.ok());
  for (size_t page : {size_t{0}, size_t{4}}) {
    render::RenderOptions o2;
    o2.dpi = 72;
    o2.overlays = SealOverlays(*rr, page).value();
    ASSERT_EQ(o2.overlays.size(), 1u);
    render::Bitmap b2 = render::RenderPage(*rr, page, o2).value();
    render::Bitmap base2 = render::RenderPage(*rr, page, {72}).value();
    double slice_x = 210 - 8;
    auto [in2, out2] = RedInside(b2, base2, ofd::Box{slice_x, 297.0 / 2 - 20, 8, 40}, 72);
    EXPECT_GT(in2, 20) << page;
    EXPECT_EQ(out2, 0) << page;
  }
}

TEST_F(OfdCliTest, RendersVendorSealPictures) {
  // GOMAIN's seal picture is an OFD package ("ofd" type): rendered, not a placeholder.
  auto reader = ofd::Reader::OpenFile(kShared + "signed/ofdrw-repo-vendor/v4signed.ofd");
  ASSERT_TRUE(reader.ok());
  auto overlays = SealOverlays(*reader, 0);
  ASSERT_TRUE(overlays.ok()) << overlays.status().ToString();
  ASSERT_EQ(overlays->size(), 1u);
  render::RenderOptions ro;
  ro.dpi = 72;
  ro.overlays = *overlays;
  auto bm = render::RenderPage(*reader, 0, ro);
  ASSERT_TRUE(bm.ok()) << bm.status().ToString();
  const ofd::Box& b = (*overlays)[0].boundary;
  auto base = render::RenderPage(*reader, 0, {72});
  ASSERT_TRUE(base.ok());
  auto [in, out] = RedInside(*bm, *base, b, 72);
  EXPECT_EQ(out, 0);
  EXPECT_GT(in, 100);
  // Every signed sample renders its first page.
  for (const auto& e : std::filesystem::recursive_directory_iterator(kShared + "signed")) {
    if (e.path().extension() != ".ofd") continue;
    Out r = Run({"ofd", "render", e.path().string(), "--page", "1", "--out", P("x.png"), "--dpi", "30"});
    EXPECT_EQ(r.code, 0) << e.path() << r.err;
  }
}

}  // namespace
}  // namespace eseal::cli
