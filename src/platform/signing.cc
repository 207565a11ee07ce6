// Signing through the platform (签章, E19-E22, X1): who may use a seal, only while it and its
// holder are active, only with the protection password (wrong ones counted; the limit locks
// the seal), only within an approved use request when the holder requires approval. The
// private key is decrypted for this one signature and dropped. The usage record and its
// audit entry commit before the signed document is handed back. Password attempts are
// reserved before the key is derived (password_attempts.h); the final transaction locks
// the seal, then the use request, and writes the audit entry last (DESIGN.md "Concurrency").
#include "eseal/crypto/sm3.h"
#include "eseal/ses/seal.h"
#include "eseal/pdf/sniff.h"
#include "eseal/sign/pdf_signer.h"
#include "internal.h"
#include "password_attempts.h"
#include "vendor_keys.h"

namespace eseal::platform {
namespace {

// The register keeps at most this many bytes of a document's name.
constexpr size_t kMaxDocumentName = 200;

// The name as the register keeps it, decided before any work: well-formed UTF-8 (the
// database refuses anything else) and cut at a character boundary, never inside one.
Result<std::string> RegisterName(std::string_view name) {
  if (!IsValidUtf8(name)) {
    return InvalidArgumentError("文档名称不是有效的 UTF-8 文本 / document_name is not well-formed UTF-8");
  }
  size_t end = 0;
  while (end < name.size()) {
    size_t len = Utf8SequenceLength(name, end);
    if (end + len > kMaxDocumentName) break;
    end += len;
  }
  return std::string(name.substr(0, end));
}

}  // namespace

Result<PlatformImpl::SignChecks> PlatformImpl::CheckSigning(const Caller& c, std::string_view seal, Time now,
                                                            const std::string* doc_hash,
                                                            std::string_view usage_request_id, bool want_copy) {
  SignChecks ck;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    auto s = tx.seals().Get(seal);
    if (!s.ok() && s.status().code() == StatusCode::kNotFound) s = tx.seals().GetByEsid(seal);
    if (!s.ok()) return s.status();
    ck.seal = *std::move(s);
    RETURN_IF_ERROR(CheckMayUseSeal(tx, c, ck.seal, now));
    ASSIGN_OR_RETURN(ck.holder, tx.holders().Get(ck.seal.holder_id));
    if (ck.holder.status != HolderStatus::kActive) {
      return FailedPreconditionError("the holder '" + ck.holder.name + "' is " +
                                     std::string(Name(ck.holder.status)) + " in the registry and may not sign (E25)");
    }
    if (ck.seal.origin != SealOrigin::kPlatform) {
      return FailedPreconditionError("this seal was filed from another system; its key is not held here");
    }
    if (ck.seal.status != SealStatus::kActive) {
      return FailedPreconditionError("the seal is " + std::string(Name(ck.seal.status)) + " and cannot sign");
    }
    if (now < ck.seal.valid_from || now > ck.seal.valid_to) {
      return FailedPreconditionError("the seal is outside its validity (" + FormatRfc3339(ck.seal.valid_from) +
                                     " to " + FormatRfc3339(ck.seal.valid_to) + ") and cannot sign");
    }
    // A locked seal is refused under the seal's lock in ReserveAttempt, with the same answer
    // as a wrong password, so the lock is not told apart here either.
    if (ck.seal.kek_id != kek_->Id()) {
      return FailedPreconditionError("the seal's key is protected by a key-encryption key this server does not hold");
    }
    if (ck.seal.requires_approval && doc_hash) {
      if (usage_request_id.empty()) {
        return FailedPreconditionError("this seal requires an approved use request (用章审批); give usage_request_id");
      }
      ASSIGN_OR_RETURN(UsageRequest r, tx.usage_requests().Get(usage_request_id));
      if (r.seal_id != ck.seal.id) return InvalidArgumentError("the use request is for another seal");
      if (r.status != UsageRequestStatus::kApproved) {
        return FailedPreconditionError("the use request is " + std::string(Name(r.status)) + ", not approved");
      }
      if (now < r.window_start || now > r.window_end) return FailedPreconditionError("the use request's window has passed");
      if (r.document_hash != *doc_hash) {
        return FailedPreconditionError("the use request was approved for another document");
      }
      ck.request = r;
    }
    // A vendor authorised with the password signs without it: the authorisation's key copy,
    // found here with the other reads and opened below by the vendor's own credential.
    if (want_copy) {
      ASSIGN_OR_RETURN(ck.copy, FindKeyCopy(tx, c, ck.seal, now));
      if (!ck.copy) {
        return FailedPreconditionError("没有保护口令，且本系统没有带密钥副本的有效授权：请提供保护口令，或请企业管理员"
                                       "凭保护口令重新授权 / no protection password, and no live authorisation with a key "
                                       "copy for this seal: give the password, or ask the holder's administrator to "
                                       "authorise again with it");
      }
    }
    return Status::Ok();
  }));
  return ck;
}

Result<Platform::SignOutcome> PlatformImpl::SignDocument(const Caller& c, SignInput in) {
  if (in.document.empty()) return InvalidArgumentError("no document to sign");
  const bool in_session = !in.session.empty();
  if (in_session && !in.password.empty()) {
    return InvalidArgumentError("请只提供保护口令或签章会话之一 / give either the password or a signing session, not both");
  }
  ASSIGN_OR_RETURN(std::string document_name, RegisterName(in.document_name));
  std::string doc_hash = HexEncode(crypto::Sm3Bytes(in.document));
  const bool pdf = pdf::LooksLikePdf(in.document);
  Time now = Now();

  // 1. Every precondition, before the expensive key derivation. Inside a session too, at
  // every signature: a seal revoked or suspended, a holder struck off, a grant or
  // authorisation withdrawn since the session opened all stop it here.
  const bool want_copy = !in_session && in.password.empty() && c.role == Role::kClient;
  auto checked = CheckSigning(c, in.seal, now, &doc_hash, in.usage_request_id, want_copy);
  std::shared_ptr<SessionEntry> session;
  if (!checked.ok()) {
    // The seal or the caller's right to it changed: the session can never sign again, so
    // its key goes now rather than at its expiry.
    if (in_session && checked.status().code() != StatusCode::kInvalidArgument) {
      EndSessionAfterRefusal(c, in.seal, in.session, checked.status());
    }
    return checked.status();
  }
  SignChecks ck = *std::move(checked);

  // 2. The key. In a session: one of its signatures reserved (settled below, given back
  // unless this signature is recorded). Otherwise an attempt reserved under the seal's
  // lock, the password tried outside any transaction (PBKDF2 takes a while), the attempt
  // settled under the lock again. A client's key copy found in step 1 opens with its
  // credential instead (vendor_keys.h).
  std::string copy_of = ck.copy ? ck.copy->authorisation_id : "";  // the authorisation whose copy signed
  auto unlocked = [&]() -> Result<crypto::Sm2PrivateKey> {
    if (in_session) {
      auto r = session_keys_.Reserve(in.session, c, ck.seal.id, now);
      if (!r.ok()) {
        // Past its time: ended (and audited) now rather than at the next sweep.
        if (r.status().code() == StatusCode::kFailedPrecondition) (void)ExpireSigningSessions();
        return r.status();
      }
      session = r->entry;
      copy_of = session->copy_of;
      return std::move(r->key);
    }
    if (ck.copy) return OpenKeyCopy(*this, c, *ck.copy);
    if (in.password.empty()) return InvalidArgumentError("需要保护口令或签章会话 / a password or a signing session is required");
    ASSIGN_OR_RETURN(Seal reserved, ReserveAttempt(*this, c, ck.seal.id, "signing"));
    return UnlockReserved(*this, c, reserved, in.password, "signing");
  }();
  if (!unlocked.ok()) return unlocked.status();
  crypto::Sm2PrivateKey key = *std::move(unlocked);
  // A session's reserved signature is given back unless it is recorded below.
  bool recorded = false;
  struct Settle {
    PlatformImpl* p;
    const Caller& c;
    std::shared_ptr<SessionEntry>& s;
    bool& made;
    ~Settle() {
      if (s && p->session_keys().Settle(*s, made)) p->AuditSessionEnd(*s, &c, "used_up");
    }
  } settle{this, c, session, recorded};


  // 3. Sign the document with the seal: an OFD or a PDF, by what the bytes are. Every
  // signature carries a timestamp token (docs/trusted-time.md): without one nothing is
  // signed (the TSA's refusal, e.g. an unsynchronised clock, is the answer).
  ASSIGN_OR_RETURN(ses::Seal ses_seal, ses::ParseSeal(ck.seal.seal_der));
  std::optional<IssuedToken> token;
  Bytes signed_document, signed_value;
  if (pdf) {
    sign::PdfSignRequest req;
    req.document = in.document;
    req.seal = &ses_seal;
    req.signer_cert_der = ck.seal.signer_cert_der;
    req.signer = &key;
    req.time = now;
    req.placement = in.placement;
    req.format = sign::PdfSignatureFormat::kSes;
    if (in.mode == sign::ProtectMode::kWhole) req.certify = 1;
    req.timestamper = SignatureTimestamper(&token);
    ASSIGN_OR_RETURN(sign::PdfSignResult done, sign::SignPdf(req));
    signed_document = std::move(done.document);
    signed_value = std::move(done.signed_value);
  } else {
    sign::OfdSignRequest req;
    req.document = in.document;
    req.seal = &ses_seal;
    req.signer_cert_der = ck.seal.signer_cert_der;
    req.signer = &key;
    req.time = now;
    req.placement = in.placement;
    req.mode = in.mode;
    req.type = sign::SignatureType::kSeal;
    req.provider_name = "eseal";
    req.company = o_.name;
    req.timestamper = SignatureTimestamper(&token);
    ASSIGN_OR_RETURN(sign::OfdSignResult done, sign::SignOfd(req));
    signed_document = std::move(done.document);
    signed_value = std::move(done.signed_value);
  }
  if (!token) return InternalError("the signature was made without its timestamp token; nothing was signed");

  // 4. Record it; only then return it.
  SignOutcome out;
  SignatureRecord& r = out.record;
  r.id = NewId("sig");
  r.seal_id = ck.seal.id;
  r.holder_id = ck.seal.holder_id;
  r.actor_id = c.account_id;
  r.client_id = c.client_id;
  r.document_hash = doc_hash;
  r.signed_hash = HexEncode(crypto::Sm3Bytes(signed_value));
  r.document_name = std::move(document_name);
  r.format = pdf ? "pdf" : "ofd";
  r.request_id = ck.request ? ck.request->id : "";
  r.signed_at = now;
  r.tsa_serial = token->serial_hex;
  r.tsa_gen_time = token->gen_time;
  Status committed = InTx([&](Tx& tx) -> Status {
    // Re-check under the row lock: a revocation or lock that committed meanwhile wins.
    ASSIGN_OR_RETURN(Seal s, tx.seals().GetForUpdate(ck.seal.id));
    if (s.status != SealStatus::kActive) {
      return FailedPreconditionError("the seal became " + std::string(Name(s.status)) +
                                     " while signing; nothing was signed");
    }
    // Locked by wrong guesses since this password was found right: the same answer.
    if (s.locked) return WrongPasswordOrLocked(o_);
    // Closed or past its time while this document was being signed: nothing is signed.
    if (session && !session_keys_.Live(*session, Now())) {
      return FailedPreconditionError("签章会话在签章期间已结束，未签章 / the signing session ended while signing; nothing "
                                     "was signed");
    }
    if (!copy_of.empty()) {
      // Withdrawn while signing: the copy is gone, and nothing is signed. Locked, so a
      // withdrawal either waits for this signature's commit or has already taken the copy
      // (a plain read could see a copy whose deletion commits before this signature).
      auto still = tx.bindings().GetKeyCopyForUpdate(copy_of, s.id);
      if (!still.ok()) {
        return still.status().code() == StatusCode::kNotFound
                   ? FailedPreconditionError("签章期间授权已被撤回，未签章；请企业管理员重新授权 / the authorisation "
                                             "was withdrawn while signing; nothing was signed")
                   : still.status();
      }
    }
    if (ck.request) {
      ASSIGN_OR_RETURN(UsageRequest u, tx.usage_requests().GetForUpdate(ck.request->id));
      if (u.status != UsageRequestStatus::kApproved) return FailedPreconditionError("the use request was already used");
      u.status = UsageRequestStatus::kUsed;
      u.signature_id = r.id;
      RETURN_IF_ERROR(tx.usage_requests().Update(u));
    }
    RETURN_IF_ERROR(tx.signatures().Insert(r));
    RETURN_IF_ERROR(LogToken(tx, *token, "signature", c.ActorId()));
    // The evidence record commits with the register entry (evidence.cc).
    ASSIGN_OR_RETURN(EvidenceRow evidence, MakeEvidence(tx, s, r, *token));
    RETURN_IF_ERROR(tx.evidence().Insert(evidence));
    return Audit(tx, &c, "seal.signed", "seal", s.id,
                 JsonObject({{"esid", s.esid}, {"signature", r.id}, {"document_sm3", r.document_hash},
                             {"signature_sm3", r.signed_hash}, {"client", r.client_id},
                             {"document", r.document_name}, {"request", r.request_id},
                             {"authorisation_key", copy_of}, {"session", session ? session->ref : ""},
                             {"tsa_serial", r.tsa_serial}, {"tsa_gen_time", FormatRfc3339(*r.tsa_gen_time)}}));
  });
  if (!committed.ok()) {
    // A seal that became revoked, suspended or locked, or an authorisation withdrawn, ends
    // the session too.
    if (session && (committed.code() == StatusCode::kFailedPrecondition ||
                    committed.code() == StatusCode::kUnauthenticated)) {
      EndSessionAfterRefusal(c, ck.seal.id, in.session, committed);
    }
    return committed;
  }
  recorded = true;
  out.document = std::move(signed_document);
  return out;
}

Result<PageOf<SignatureRecord>> PlatformImpl::ListSignatures(const Caller& c,
                                                             const SignatureRepository::Filter& f,
                                                             Page page) {
  SignatureRepository::Filter filter = f;
  if (!IsOperator(c)) {
    if (c.holder_id.empty()) return PermissionDeniedError("not allowed to read the usage register");
    filter.holder_id = c.holder_id;
  }
  PageOf<SignatureRecord> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.signatures().List(filter, page));
    ASSIGN_OR_RETURN(out.total, tx.signatures().Count(filter));
    return Status::Ok();
  }));
  return out;
}

}  // namespace eseal::platform
