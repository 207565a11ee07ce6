// The audit log (审计日志, L8): append-only, each entry chained to the previous one — by a
// MAC under a key derived from the KEK (format 2), so an insider with the database but not
// the KEK or HSM cannot re-chain an edited log; older entries by SM3 (format 1) — and the
// head signed periodically by the platform's signing key so that rewriting or truncating
// the log is caught by VerifyAudit. Checkpoints (format 2) chain to each other, carry a
// timestamp token over their signature, and are also appended outside the database
// (audit_export.cc), so none can be removed or re-dated unseen (docs/storage.md "Audit").
#include "eseal/crypto/sm3.h"
#include "eseal/tsp/timestamp_token.h"
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

// Format 2: "m2:" + HMAC-SM3(audit key, the same fields under another header).
constexpr std::string_view kMacPrefix = "m2:";
std::string MacHash(ByteView key, const AuditEntry& e) {
  std::string canonical = Canonical(e);
  canonical.replace(0, std::string_view("eseal-audit-v1").size(), "eseal-audit-v2");
  crypto::Sm3Digest mac = crypto::HmacSm3(key, AsBytes(canonical));
  return std::string(kMacPrefix) + HexEncode(ByteView(mac.data(), mac.size()));
}

// The marker of where MAC-chained entries begin: "<seq>:<HMAC of it>", so it can be
// neither moved nor removed without the key (a missing one fails verification).
std::string MacFromMarker(ByteView key, int64_t seq) {
  crypto::Sm3Digest mac = crypto::HmacSm3(key, AsBytes("eseal-audit-mac-from\n" + std::to_string(seq)));
  return std::to_string(seq) + ":" + HexEncode(ByteView(mac.data(), mac.size()));
}

std::string CheckpointMessage(int64_t seq, std::string_view hash) {
  return "eseal-audit-checkpoint-v1\n" + std::to_string(seq) + "\n" + std::string(hash) + "\n";
}

// Format 2 also signs the previous checkpoint (SM3 of its signature) and whether a token
// follows, so stripping the token is as visible as forging one.
std::string CheckpointMessageV2(const AuditCheckpoint& cp, bool stamped) {
  return "eseal-audit-checkpoint-v2\n" + std::to_string(cp.seq) + "\n" + cp.hash + "\n" + cp.prev_checkpoint +
         "\n" + (stamped ? "timestamped" : "unstamped") + "\n";
}

std::string CheckpointId(const AuditCheckpoint& cp) { return HexEncode(crypto::Sm3Bytes(cp.signature)); }

// A checkpoint's genTime may differ from its recorded time by the time it took to commit.
constexpr std::chrono::seconds kCheckpointSlack{300};

}  // namespace

namespace {
// The entries of the transaction InTx runs on this thread, held back until its end.
thread_local std::vector<AuditEntry>* t_deferred_audit = nullptr;
}  // namespace

PlatformImpl::DeferAudit::DeferAudit(std::vector<AuditEntry>* into) : outer_(t_deferred_audit) {
  t_deferred_audit = into;
}
PlatformImpl::DeferAudit::~DeferAudit() { t_deferred_audit = outer_; }

Status PlatformImpl::Audit(Tx& tx, const Caller* c, std::string_view action,
                           std::string_view object_type, std::string_view object_id,
                           std::string details_json) {
  AuditEntry e;
  e.at = Now();
  e.actor = c ? c->ActorId() : "system";
  e.action = std::string(action);
  e.object_type = std::string(object_type);
  e.object_id = std::string(object_id);
  e.details_json = std::move(details_json);
  if (t_deferred_audit) {
    t_deferred_audit->push_back(std::move(e));
    return Status::Ok();
  }
  std::vector<AuditEntry> one{std::move(e)};
  return AppendAudit(tx, one);
}

// The one global serialisation point of writes: from LockHead to COMMIT. Nothing but these
// inserts happens in between (no rendering, signing, key unwrapping or other row locks),
// so the lock order "rows first, audit head last" holds and the section is as short as
// a commit.
Status PlatformImpl::AppendAudit(Tx& tx, std::vector<AuditEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(AuditEntry head, tx.audit().LockHead());
  for (AuditEntry& e : entries) {
    e.seq = head.seq + 1;
    e.prev_hash = head.hash;
    e.hash = audit_key_.empty() ? EntryHash(e) : MacHash(audit_key_.view(), e);
    RETURN_IF_ERROR(tx.audit().Insert(e));
    head = e;
  }
  return Status::Ok();
}

Status PlatformImpl::LoadAuditKey() {
  auto key = kek_->Derive(AsBytes("eseal/audit/v2"));
  if (!key.ok()) return key.status().WithContext("audit chain key");
  audit_key_ = *std::move(key);
  return Status::Ok();
}

Status PlatformImpl::StartAuditMac() {
  RETURN_IF_ERROR(LoadAuditKey());
  return InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(std::optional<std::string> marker, tx.settings().Get("audit_mac_from"));
    if (marker) return Status::Ok();
    ASSIGN_OR_RETURN(AuditEntry head, tx.audit().LockHead());
    return tx.settings().Put("audit_mac_from", MacFromMarker(audit_key_.view(), head.seq + 1));
  });
}

Result<Platform::AuditVerification> PlatformImpl::VerifyAudit(const Caller& c) {
  RETURN_IF_ERROR(RequireOperator(c));
  AuditVerification v;
  std::vector<AuditCheckpoint> checkpoints;
  std::map<int64_t, std::string> hash_at;
  std::optional<Time> newest_uncovered;  // the oldest entry after the newest checkpoint
  Status st = InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(checkpoints, tx.audit().ListCheckpoints());
    for (const AuditCheckpoint& cp : checkpoints) hash_at[cp.seq] = "";
    const int64_t covered = checkpoints.empty() ? 0 : checkpoints.back().seq;
    // Where MAC-chained entries begin; without a genuine marker nothing can be trusted
    // to be MAC-chained, and the log is not accepted.
    ASSIGN_OR_RETURN(std::optional<std::string> marker, tx.settings().Get("audit_mac_from"));
    int64_t mac_from = 0;
    if (marker) {
      size_t colon = marker->find(':');
      mac_from = colon == std::string::npos ? 0 : std::atoll(marker->substr(0, colon).c_str());
      if (mac_from < 1 || !ConstantTimeEquals(AsBytes(*marker), AsBytes(MacFromMarker(audit_key_.view(), mac_from)))) {
        v.first_broken_seq = 1;
        v.problem = "the marker of where MAC-chained entries begin was altered";
        return Status::Ok();
      }
    } else {
      v.first_broken_seq = 1;
      v.problem = "the marker of where MAC-chained entries begin is missing (removed from the settings)";
      return Status::Ok();
    }
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
        } else if (e.seq >= mac_from
                       ? !ConstantTimeEquals(AsBytes(MacHash(audit_key_.view(), e)), AsBytes(e.hash))
                       : EntryHash(e) != e.hash) {
          v.first_broken_seq = e.seq;
          v.problem = "entry " + std::to_string(e.seq) + " was altered after it was written" +
                      (e.seq >= mac_from ? " (its MAC under the KEK does not match)" : "");
        }
        if (e.seq >= mac_from) ++v.mac_entries;
        if (e.seq > covered && !newest_uncovered) newest_uncovered = e.at;
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
    tsp::TimestampVerifyOptions tso;
    for (const x509::Certificate& tsa : TsaCertificates()) tso.tsa_anchors.Add(tsa, "platform TSA");
    tso.intermediates.push_back(id_.issuing.cert);
    tso.check_revocation = false;  // its own TSA, pinned; a checkpoint is judged by its genTime
    const AuditCheckpoint* prev = nullptr;
    std::optional<Time> prev_gen;
    auto broken = [&](int64_t seq, std::string why) {
      v.first_broken_seq = seq;
      v.problem = std::move(why);
    };
    for (const AuditCheckpoint& cp : checkpoints) {
      const std::string at = "the signed checkpoint at entry " + std::to_string(cp.seq);
      if (cp.format == 1) {
        if (prev && prev->format >= 2) {
          broken(cp.seq, at + " is in the old format after a chained one (downgraded)");
          break;
        }
        if (!key.Verify(AsBytes(CheckpointMessage(cp.seq, cp.hash)), cp.signature)) {
          broken(cp.seq, at + " is not genuine");
          break;
        }
      } else if (cp.format == 2) {
        if (!key.Verify(AsBytes(CheckpointMessageV2(cp, cp.token.has_value())), cp.signature)) {
          broken(cp.seq, at + " is not genuine (or its timestamp was removed)");
          break;
        }
        // Chained: a removed checkpoint breaks the next one's link. The first chained one
        // links to the last old-format one, if any.
        std::string expected = prev ? CheckpointId(*prev) : "";
        if (cp.prev_checkpoint != expected) {
          broken(cp.seq, at + " does not chain to the checkpoint before it (one was removed or inserted)");
          break;
        }
        if (cp.token) {
          tsp::TimestampVerification tv = tsp::VerifyTimestampToken(*cp.token, cp.signature, tso);
          if (!tv.gen_time) {
            broken(cp.seq, at + " has a timestamp token that does not verify");
            break;
          }
          if (*tv.gen_time > cp.at + kCheckpointSlack || *tv.gen_time + kCheckpointSlack < cp.at) {
            broken(cp.seq, at + " was re-dated: its time differs from its timestamp's (" + FormatRfc3339(*tv.gen_time) + ")");
            break;
          }
          if (prev_gen && *tv.gen_time < *prev_gen) {
            broken(cp.seq, at + " is timestamped before the checkpoint it follows");
            break;
          }
          prev_gen = tv.gen_time;
          ++v.timestamped_checkpoints;
        }
      } else {
        broken(cp.seq, at + " has an unknown format");
        break;
      }
      if (cp.seq > v.entries) {
        broken(v.entries + 1, "the log was truncated: a signed checkpoint covers entry " + std::to_string(cp.seq) +
                                  " but only " + std::to_string(v.entries) + " entries remain");
        break;
      }
      if (hash_at[cp.seq] != cp.hash) {
        broken(cp.seq, "entry " + std::to_string(cp.seq) + " differs from its signed checkpoint");
        break;
      }
      prev = &cp;
    }
  }
  // Checkpoints that stopped, or were removed with the rows they covered.
  const int interval = o_.checkpoint_interval_seconds;
  if (!v.first_broken_seq && interval > 0 && newest_uncovered &&
      *newest_uncovered + std::chrono::seconds(2 * int64_t{interval}) < Now()) {
    v.first_broken_seq = (checkpoints.empty() ? 0 : checkpoints.back().seq) + 1;
    v.problem = "entries since " + FormatRfc3339(*newest_uncovered) +
                " are covered by no signed checkpoint, though one is made every " + std::to_string(interval) +
                " s: checkpoints stopped or were removed";
  }
  if (!v.first_broken_seq && !o_.audit_export_path.empty()) CheckAuditExport(checkpoints, v);
  v.ok = !v.first_broken_seq.has_value();
  if (!v.ok) {
    // One plain sentence with the next step for the operator; the English detail after it
    // names exactly what was found.
    v.problem = "审计日志校验未通过：自第 " + std::to_string(*v.first_broken_seq) +
                " 条起的审计记录或检查点被改动、删除或伪造。请暂停数据库写权限、保留现场，并将数据库中的检查点与外部留存文件"
                "比对后报告安全负责人。 / " + v.problem;
  }
  return v;
}

Result<PageOf<AuditEntry>> PlatformImpl::ListAudit(const Caller& c, int64_t after_seq, int limit) {
  RETURN_IF_ERROR(RequireOperator(c));
  PageOf<AuditEntry> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.audit().List(after_seq, std::clamp(limit, 1, 1000)));
    ASSIGN_OR_RETURN(out.total, tx.audit().Count());
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<AuditEntry>> PlatformImpl::ListSealAudit(const Caller& c, std::string_view seal, Page page) {
  std::vector<AuditEntry> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    auto found = tx.seals().Get(seal);
    if (!found.ok() && found.status().code() == StatusCode::kNotFound) found = tx.seals().GetByEsid(seal);
    if (!found.ok()) return found.status();
    const Seal& s = *found;
    // Another holder's account is refused as GET /seals/{id} refuses it (403): seal ids are
    // random, so the answer tells nothing an id did not already.
    if (!IsOperator(c)) {
      if (c.holder_id != s.holder_id || (c.role != Role::kHolderAdmin && c.role != Role::kHolderUser)) {
        return PermissionDeniedError("该印章属于其他持有人，无权查看其审计记录。 / this seal belongs to another holder");
      }
      if (c.role == Role::kHolderUser) {
        auto g = tx.grants().Get(s.id, c.account_id);
        if (!g.ok() && g.status().code() != StatusCode::kNotFound) return g.status();
        if (!g.ok()) {
          return PermissionDeniedError("本账号未获授权使用该印章，不能查看其审计记录。 / this account has not been "
                                       "granted this seal");
        }
      }
    }
    // In SQL by the entry's object (index audit_log_object: object_type, object_id, seq).
    page.limit = std::clamp(page.limit, 1, 1000);
    page.offset = std::max(page.offset, 0);
    ASSIGN_OR_RETURN(out, tx.audit().ListFor("seal", s.id, page));
    return Status::Ok();
  }));
  return out;
}

Status PlatformImpl::CheckpointAudit() {
  std::optional<AuditCheckpoint> made;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(AuditEntry head, tx.audit().LockHead());
    if (head.seq == 0) return Status::Ok();
    ASSIGN_OR_RETURN(std::vector<AuditCheckpoint> cps, tx.audit().ListCheckpoints());
    if (!cps.empty() && cps.back().seq >= head.seq) return Status::Ok();
    AuditCheckpoint cp;
    cp.seq = head.seq;
    cp.hash = head.hash;
    cp.at = Now();
    cp.format = 2;
    cp.prev_checkpoint = cps.empty() ? "" : CheckpointId(cps.back());
    // Stamped whenever the TSA issues; while it does not (an unsynchronised clock), the
    // checkpoint says so in what it signs.
    bool stamped = TsaMayIssue().ok();
    ASSIGN_OR_RETURN(cp.signature, id_.signer.key.Sign(AsBytes(CheckpointMessageV2(cp, stamped))));
    if (stamped) {
      ASSIGN_OR_RETURN(IssuedToken t, OwnStamp(cp.signature));
      RETURN_IF_ERROR(LogToken(tx, t, "audit_checkpoint", "system"));
      cp.token = std::move(t.der);
    }
    RETURN_IF_ERROR(tx.audit().InsertCheckpoint(cp));
    made = std::move(cp);
    return Status::Ok();
  }));
  // Outside the database too, once it is in it (a failed append is reported; the next
  // verification of the export names the gap).
  if (made) return ExportCheckpoint(*made);
  return Status::Ok();
}

}  // namespace eseal::platform
