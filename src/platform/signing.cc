// Signing through the platform (签章, E19-E22, X1): who may use a seal, only while it and its
// holder are active, only with the protection password (wrong ones counted; the limit locks
// the seal), only within an approved use request when the holder requires approval. The
// private key is decrypted for this one signature and dropped. The usage record and its
// audit entry commit before the signed document is handed back.
#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ses/seal.h"
#include "internal.h"

namespace eseal::platform {
namespace {

struct Checked {
  Seal seal;
  Holder holder;
  std::optional<UsageRequest> request;
};

}  // namespace

Result<Platform::SignOutcome> PlatformImpl::SignOfd(const Caller& c, SignInput in) {
  if (in.document.empty()) return InvalidArgumentError("no document to sign");
  std::string doc_hash = HexEncode(crypto::Sm3Bytes(in.document));
  Time now = Now();

  // 1. Every precondition, before the expensive key derivation.
  Checked ck;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    auto s = tx.seals().Get(in.seal);
    if (!s.ok() && s.status().code() == StatusCode::kNotFound) s = tx.seals().GetByEsid(in.seal);
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
    if (ck.seal.locked) {
      return FailedPreconditionError("the seal is locked after repeated wrong passwords; the operator must unlock it");
    }
    if (ck.seal.kek_id != kek_->Id()) {
      return FailedPreconditionError("the seal's key is protected by a key-encryption key this server does not hold");
    }
    if (ck.seal.requires_approval) {
      if (in.usage_request_id.empty()) {
        return FailedPreconditionError("this seal requires an approved use request (用章审批); give usage_request_id");
      }
      ASSIGN_OR_RETURN(UsageRequest r, tx.usage_requests().Get(in.usage_request_id));
      if (r.seal_id != ck.seal.id) return InvalidArgumentError("the use request is for another seal");
      if (r.status != UsageRequestStatus::kApproved) {
        return FailedPreconditionError("the use request is " + std::string(Name(r.status)) + ", not approved");
      }
      if (now < r.window_start || now > r.window_end) return FailedPreconditionError("the use request's window has passed");
      if (r.document_hash != doc_hash) {
        return FailedPreconditionError("the use request was approved for another document");
      }
      ck.request = r;
    }
    return Status::Ok();
  }));

  // 2. The key, with the password (outside any transaction: PBKDF2 takes a while).
  auto key = crypto::UnprotectPrivateKey(ck.seal.protected_key, in.password.view(), kek_);
  if (!key.ok()) {
    if (key.status().code() != StatusCode::kUnauthenticated) return key.status();
    bool locked = false;
    int attempts = 0;
    RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(Seal s, tx.seals().GetForUpdate(ck.seal.id));
      s.failed_attempts += 1;
      attempts = s.failed_attempts;
      if (s.failed_attempts >= o_.password_attempt_limit && !s.locked) {
        s.locked = true;
        locked = true;
      }
      s.updated_at = Now();
      RETURN_IF_ERROR(tx.seals().Update(s));
      RETURN_IF_ERROR(Audit(tx, &c, "seal.password_wrong", "seal", s.id,
                            JsonObject({{"esid", s.esid}, {"attempts", std::to_string(s.failed_attempts)}})));
      if (locked) RETURN_IF_ERROR(Audit(tx, &c, "seal.locked", "seal", s.id, JsonObject({{"esid", s.esid}})));
      return Status::Ok();
    }));
    return UnauthenticatedError(locked ? "wrong protection password; the seal is now locked"
                                       : "wrong protection password (" + std::to_string(attempts) + " of " +
                                             std::to_string(o_.password_attempt_limit) + " attempts)");
  }

  // 3. Sign the document with the seal.
  ASSIGN_OR_RETURN(ses::Seal ses_seal, ses::ParseSeal(ck.seal.seal_der));
  sign::OfdSignRequest req;
  req.document = in.document;
  req.seal = &ses_seal;
  req.signer_cert_der = ck.seal.signer_cert_der;
  req.signer = &*key;
  req.time = now;
  req.placement = in.placement;
  req.mode = in.mode;
  req.type = sign::SignatureType::kSeal;
  req.provider_name = "eseal";
  req.company = o_.name;
  // Every signature carries a timestamp token (docs/trusted-time.md): without one nothing
  // is signed (the TSA's refusal, e.g. an unsynchronised clock, is the answer).
  std::optional<IssuedToken> token;
  req.timestamper = SignatureTimestamper(&token);
  ASSIGN_OR_RETURN(sign::OfdSignResult signed_doc, sign::SignOfd(req));
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
  r.signed_hash = HexEncode(crypto::Sm3Bytes(signed_doc.signed_value));
  r.document_name = in.document_name.substr(0, 200);
  r.format = "ofd";
  r.request_id = ck.request ? ck.request->id : "";
  r.signed_at = now;
  r.tsa_serial = token->serial_hex;
  r.tsa_gen_time = token->gen_time;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    // Re-check under the row lock: a revocation or lock that committed meanwhile wins.
    ASSIGN_OR_RETURN(Seal s, tx.seals().GetForUpdate(ck.seal.id));
    if (s.status != SealStatus::kActive || s.locked) {
      return FailedPreconditionError("the seal became " + std::string(s.locked ? "locked" : Name(s.status)) +
                                     " while signing; nothing was signed");
    }
    if (s.failed_attempts != 0) {
      s.failed_attempts = 0;
      RETURN_IF_ERROR(tx.seals().Update(s));
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
                             {"tsa_serial", r.tsa_serial}, {"tsa_gen_time", FormatRfc3339(*r.tsa_gen_time)}}));
  }));
  out.document = std::move(signed_doc.document);
  return out;
}

Result<std::vector<SignatureRecord>> PlatformImpl::ListSignatures(const Caller& c,
                                                                  const SignatureRepository::Filter& f,
                                                                  Page page) {
  SignatureRepository::Filter filter = f;
  if (!IsOperator(c)) {
    if (c.holder_id.empty()) return PermissionDeniedError("not allowed to read the usage register");
    filter.holder_id = c.holder_id;
  }
  std::vector<SignatureRecord> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, tx.signatures().List(filter, page));
    return Status::Ok();
  }));
  return out;
}

}  // namespace eseal::platform
