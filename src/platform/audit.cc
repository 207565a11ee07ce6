// The audit log (审计日志, L8): append-only, each entry chained to the previous one by SM3,
// the head signed periodically by the platform's signing key so that rewriting or
// truncating the log is caught by VerifyAudit.
#include "eseal/crypto/sm3.h"
#include "internal.h"

#include <algorithm>
#include <map>

namespace eseal::platform {
namespace {

void Field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += '\n';
}

// Unambiguous serialisation of everything an entry says.
std::string Canonical(const AuditEntry& e) {
  std::string out = "eseal-audit-v1\n";
  Field(out, std::to_string(e.seq));
  Field(out, std::to_string(ToUnix(e.at)));
  Field(out, e.actor);
  Field(out, e.action);
  Field(out, e.object_type);
  Field(out, e.object_id);
  Field(out, e.details_json);
  Field(out, e.prev_hash);
  return out;
}

std::string EntryHash(const AuditEntry& e) { return HexEncode(crypto::Sm3Bytes(AsBytes(Canonical(e)))); }

std::string CheckpointMessage(int64_t seq, std::string_view hash) {
  return "eseal-audit-checkpoint-v1\n" + std::to_string(seq) + "\n" + std::string(hash) + "\n";
}

}  // namespace

Status PlatformImpl::Audit(Tx& tx, const Caller* c, std::string_view action,
                           std::string_view object_type, std::string_view object_id,
                           std::string details_json) {
  ASSIGN_OR_RETURN(AuditEntry head, tx.audit().LockHead());
  AuditEntry e;
  e.seq = head.seq + 1;
  e.at = Now();
  e.actor = c ? c->ActorId() : "system";
  e.action = std::string(action);
  e.object_type = std::string(object_type);
  e.object_id = std::string(object_id);
  e.details_json = std::move(details_json);
  e.prev_hash = head.hash;
  e.hash = EntryHash(e);
  return tx.audit().Insert(e);
}

Result<Platform::AuditVerification> PlatformImpl::VerifyAudit(const Caller& c) {
  RETURN_IF_ERROR(RequireOperator(c));
  AuditVerification v;
  std::vector<AuditCheckpoint> checkpoints;
  std::map<int64_t, std::string> hash_at;
  Status st = InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(checkpoints, tx.audit().ListCheckpoints());
    for (const AuditCheckpoint& cp : checkpoints) hash_at[cp.seq] = "";
    int64_t after = 0;
    std::string prev;
    for (;;) {
      ASSIGN_OR_RETURN(std::vector<AuditEntry> page, tx.audit().List(after, 1000));
      if (page.empty()) break;
      for (const AuditEntry& e : page) {
        if (v.first_broken_seq) break;
        if (e.seq != after + 1) {
          v.first_broken_seq = after + 1;
          v.problem = "entry " + std::to_string(after + 1) + " is missing";
        } else if (e.prev_hash != prev) {
          v.first_broken_seq = e.seq;
          v.problem = "entry " + std::to_string(e.seq) + " does not chain to the entry before it";
        } else if (EntryHash(e) != e.hash) {
          v.first_broken_seq = e.seq;
          v.problem = "entry " + std::to_string(e.seq) + " was altered after it was written";
        }
        if (hash_at.count(e.seq)) hash_at[e.seq] = e.hash;
        prev = e.hash;
        after = e.seq;
        ++v.entries;
      }
      if (v.first_broken_seq) break;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  v.checkpoints = static_cast<int64_t>(checkpoints.size());
  if (!v.first_broken_seq) {
    const crypto::Sm2PublicKey& key = id_.signer.key.PublicKey();
    for (const AuditCheckpoint& cp : checkpoints) {
      if (!key.Verify(AsBytes(CheckpointMessage(cp.seq, cp.hash)), cp.signature)) {
        v.first_broken_seq = cp.seq;
        v.problem = "the signed checkpoint at entry " + std::to_string(cp.seq) + " is not genuine";
        break;
      }
      if (cp.seq > v.entries) {
        v.first_broken_seq = v.entries + 1;
        v.problem = "the log was truncated: a signed checkpoint covers entry " + std::to_string(cp.seq) +
                    " but only " + std::to_string(v.entries) + " entries remain";
        break;
      }
      if (hash_at[cp.seq] != cp.hash) {
        v.first_broken_seq = cp.seq;
        v.problem = "entry " + std::to_string(cp.seq) + " differs from its signed checkpoint";
        break;
      }
    }
  }
  v.ok = !v.first_broken_seq.has_value();
  return v;
}

Result<std::vector<AuditEntry>> PlatformImpl::ListAudit(const Caller& c, int64_t after_seq, int limit) {
  RETURN_IF_ERROR(RequireOperator(c));
  std::vector<AuditEntry> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, tx.audit().List(after_seq, std::clamp(limit, 1, 1000)));
    return Status::Ok();
  }));
  return out;
}

Status PlatformImpl::CheckpointAudit() {
  return InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(AuditEntry head, tx.audit().LockHead());
    if (head.seq == 0) return Status::Ok();
    ASSIGN_OR_RETURN(std::vector<AuditCheckpoint> cps, tx.audit().ListCheckpoints());
    if (!cps.empty() && cps.back().seq >= head.seq) return Status::Ok();
    AuditCheckpoint cp;
    cp.seq = head.seq;
    cp.hash = head.hash;
    cp.at = Now();
    ASSIGN_OR_RETURN(cp.signature, id_.signer.key.Sign(AsBytes(CheckpointMessage(cp.seq, cp.hash))));
    return tx.audit().InsertCheckpoint(cp);
  });
}

}  // namespace eseal::platform
