// Archiving signed government documents (归档, G20): the document, its verification report
// and the evidence needed to re-verify it later (the trust anchors, CRLs and the seals'
// status at their signing times), fixed once written: the entry's SM3 hash is signed by
// the platform, and VerifyArchive recomputes both and re-verifies the document against the
// archived evidence, not against today's state.
#include <nlohmann/json.hpp>

#include "eseal/crypto/sm3.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/report_json.h"
#include "eseal/x509/ca.h"
#include "internal.h"

namespace eseal::platform {
namespace {

constexpr size_t kMaxArchivedDocument = size_t{64} << 20;

std::string EntryHash(const ArchiveEntry& e) {
  std::string m = "eseal-archive-v1\n" + e.id + "\n" + e.holder_id + "\n" + e.document_hash + "\n" +
                  HexEncode(crypto::Sm3Bytes(e.document)) + "\n" + HexEncode(crypto::Sm3Bytes(AsBytes(e.report_json))) +
                  "\n" + HexEncode(crypto::Sm3Bytes(e.evidence)) + "\n" + std::to_string(ToUnix(e.created_at)) + "\n";
  return HexEncode(crypto::Sm3Bytes(AsBytes(m)));
}

}  // namespace

Result<ArchiveEntry> PlatformImpl::Archive(const Caller& c, ByteView document, std::string_view name) {
  if (document.empty() || document.size() > kMaxArchivedDocument) {
    return InvalidArgumentError("the document is empty or larger than 64 MiB");
  }
  std::string holder_id = c.holder_id;
  if (!IsOperator(c)) {
    if (holder_id.empty() || (c.role != Role::kHolderAdmin && c.role != Role::kHolderUser)) {
      return PermissionDeniedError("documents are archived by their holder's accounts or the operator");
    }
    Holder h;
    RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(h, tx.holders().Get(holder_id));
      return Status::Ok();
    }));
    if (h.kind != HolderKind::kDepartment) {
      return PermissionDeniedError("archiving is for signed government-service documents (G20)");
    }
  }
  // One policy for the verdict and the evidence: the evidence is what the verdict used.
  ASSIGN_OR_RETURN(verify::ValidationPolicy policy, ValidationPolicyNow(Now()));
  ASSIGN_OR_RETURN(const VerifyOutcome v, VerifyDocumentWith(document, policy, {}));
  nlohmann::ordered_json ev;
  ev["name"] = std::string(name);
  ev["verdict"] = std::string(VerdictName(v.verdict));
  nlohmann::ordered_json anchors = nlohmann::ordered_json::array();
  for (const verify::Anchor& a : policy.anchors) {
    nlohmann::ordered_json policies = nlohmann::ordered_json::array();
    for (const asn1::Oid& oid : a.maker_policies) policies.push_back(oid.ToString());
    anchors.push_back({{"label", a.label},
                       {"certificate", Base64Encode(a.certificate.der())},
                       {"roles", verify::RoleSetName(a.roles)},
                       {"maker_policies", policies}});
  }
  ev["anchors"] = anchors;
  nlohmann::ordered_json inter = nlohmann::ordered_json::array();
  for (const x509::Certificate& ic : policy.intermediates) inter.push_back(Base64Encode(ic.der()));
  ev["intermediates"] = inter;
  nlohmann::ordered_json crls = nlohmann::ordered_json::array();
  for (const x509::Crl& crl : policy.crls) crls.push_back(Base64Encode(crl.der()));
  ev["crls"] = crls;
  ArchiveEntry e;
  e.id = NewId("arc");
  e.holder_id = holder_id;
  e.document_hash = HexEncode(crypto::Sm3Bytes(document));
  e.document.assign(document.begin(), document.end());
  e.report_json = v.json;
  e.evidence = ToBytes(ev.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  e.created_at = Now();
  e.entry_hash = EntryHash(e);
  ASSIGN_OR_RETURN(e.platform_signature, id_.signer.key.Sign(AsBytes(e.entry_hash)));
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.archives().Insert(e));
    return Audit(tx, &c, "document.archived", "archive", e.id,
                 JsonObject({{"document_sm3", e.document_hash}, {"verdict", std::string(VerdictName(v.verdict))},
                             {"entry_hash", e.entry_hash}, {"name", std::string(name)}}));
  }));
  return e;
}

Result<ArchiveEntry> PlatformImpl::GetArchive(const Caller& c, std::string_view id) {
  ArchiveEntry e;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(e, tx.archives().Get(id));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(RequireHolderAccess(c, e.holder_id));
  return e;
}

Result<PageOf<ArchiveEntry>> PlatformImpl::ListArchives(const Caller& c, Page page) {
  std::string holder = IsOperator(c) ? "" : c.holder_id;
  if (!IsOperator(c) && holder.empty()) return PermissionDeniedError("not allowed to list archives");
  PageOf<ArchiveEntry> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.archives().List(holder, page));
    ASSIGN_OR_RETURN(out.total, tx.archives().Count(holder));
    return Status::Ok();
  }));
  return out;
}

Result<Report> PlatformImpl::VerifyArchive(const Caller& c, std::string_view id) {
  ASSIGN_OR_RETURN(ArchiveEntry e, GetArchive(c, id));
  Report r;
  if (EntryHash(e) == e.entry_hash) {
    r.Pass("archive.entry_hash", "the entry is as it was written");
  } else {
    r.Fail("archive.entry_hash", "the entry was altered after it was archived");
  }
  if (id_.signer.key.PublicKey().Verify(AsBytes(e.entry_hash), e.platform_signature)) {
    r.Pass("archive.platform_signature", "the platform's signature over the entry verifies");
  } else {
    r.Fail("archive.platform_signature", "the platform's signature over the entry does not verify");
  }
  if (HexEncode(crypto::Sm3Bytes(e.document)) == e.document_hash) {
    r.Pass("archive.document_hash");
  } else {
    r.Fail("archive.document_hash", "the archived document does not match its recorded hash");
  }
  // Re-verify with the evidence kept at archiving time.
  nlohmann::json ev = nlohmann::json::parse(AsChars(e.evidence), nullptr, false);
  if (ev.is_discarded() || !ev.is_object()) {
    r.Fail("archive.evidence", "the archived evidence is unreadable");
    return r;
  }
  verify::ValidationPolicy policy;
  policy.time.now = Now();
  auto b64 = [](const nlohmann::json& j) -> Result<Bytes> {
    if (!j.is_string()) return DataLossError("evidence entry is not a string");
    return Base64Decode(j.get<std::string>());
  };
  bool evidence_ok = true;
  if (ev.contains("anchors") && ev["anchors"].is_array()) {
    for (const auto& a : ev["anchors"]) {
      if (!a.is_object() || !a.contains("certificate")) continue;
      auto der = b64(a["certificate"]);
      auto cert = der.ok() ? x509::Certificate::FromDer(*der) : Result<x509::Certificate>(der.status());
      if (!cert.ok()) {
        evidence_ok = false;
        continue;
      }
      std::string label = a.contains("label") && a["label"].is_string() ? a["label"].get<std::string>() : "";
      // Evidence written before anchors had roles names none: it came from the platform's
      // anchors then, which vouched for signers and (CA roots) eseal-policy makers.
      verify::RoleSet roles = verify::RolesOf(verify::Role::kSigner) | verify::RolesOf(verify::Role::kSealMaker);
      if (a.contains("roles") && a["roles"].is_string()) {
        auto parsed = ParseAnchorRoles(a["roles"].get<std::string>());  // the verify::Role bits
        if (parsed.ok()) roles = *parsed; else evidence_ok = false;
      }
      std::vector<asn1::Oid> policies;
      if (a.contains("maker_policies") && a["maker_policies"].is_array()) {
        for (const auto& text : a["maker_policies"]) {
          auto oid = text.is_string() ? asn1::Oid::FromString(text.get<std::string>())
                                      : Result<asn1::Oid>(DataLossError("not an OID"));
          if (oid.ok()) policies.push_back(*oid); else evidence_ok = false;
        }
      } else if (cert->is_ca()) {
        policies.push_back(x509::SealMakerPolicy());
      }
      policy.AddAnchor(*cert, label, roles, std::move(policies));
    }
  }
  for (const char* key : {"intermediates", "crls"}) {
    if (!ev.contains(key) || !ev[key].is_array()) continue;
    for (const auto& item : ev[key]) {
      auto der = b64(item);
      if (!der.ok()) {
        evidence_ok = false;
        continue;
      }
      if (std::string_view(key) == "crls") {
        auto crl = x509::Crl::FromDer(*der);
        if (crl.ok()) policy.crls.push_back(*std::move(crl)); else evidence_ok = false;
      } else {
        auto cert = x509::Certificate::FromDer(*der);
        if (cert.ok()) policy.intermediates.push_back(*std::move(cert)); else evidence_ok = false;
      }
    }
  }
  if (!evidence_ok) r.Warn("archive.evidence", "some archived evidence could not be read");
  // The archive entry, intact and signed by the platform, proves the document's signatures
  // existed at created_at: that is their proven time when the usage register has none.
  const bool entry_proves_time = r.ResultOf("archive.entry_hash") == CheckResult::kPass &&
                                 r.ResultOf("archive.platform_signature") == CheckResult::kPass;
  auto again = VerifyDocumentWith(e.document, policy, [&](const ses::Signature&, verify::RecordFacts& f) {
    if (!f.registered && entry_proves_time) f.registered = verify::RegisteredTime{e.created_at, "archive_entry"};
  });
  std::string then = ev.contains("verdict") && ev["verdict"].is_string() ? ev["verdict"].get<std::string>() : "";
  if (!again.ok()) {
    r.Fail("archive.reverification", "the archived document no longer reads: " + again.status().message());
  } else {
    std::string now_verdict(VerdictName(again->verdict));
    if (now_verdict == then) {
      r.Pass("archive.reverification", "re-verified with the archived evidence: " + now_verdict);
    } else {
      r.Fail("archive.reverification", "re-verification with the archived evidence gives " + now_verdict +
                                           ", the archive recorded " + then);
    }
  }
  return r;
}

}  // namespace eseal::platform
