#include "render.h"

namespace eseal::http {

using namespace platform;

void WriteEmbeddedJson(JsonWriter& w, std::string_view text) {
  if (!text.empty() && IsValidJson(text)) {
    w.Raw(text);
  } else if (text.empty()) {
    w.Null();
  } else {
    w.String(text);
  }
}

void Write(JsonWriter& w, const Holder& h) {
  w.BeginObject();
  w.Field("id", h.id).Field("kind", Name(h.kind)).Field("uscc", h.uscc).Field("name", h.name);
  w.Field("legal_rep", h.legal_rep).Field("status", Name(h.status)).OptField("area_code", h.area_code);
  w.TimeField("created_at", h.created_at).TimeField("updated_at", h.updated_at);
  w.EndObject();
}

void Write(JsonWriter& w, const Area& a) {
  w.BeginObject();
  w.Field("code", a.code).Field("name", a.name).Field("level", Name(a.level));
  w.OptField("parent_code", a.parent_code);
  w.EndObject();
}

void Write(JsonWriter& w, const Impression& i) {
  w.BeginObject();
  w.Field("id", i.id).Field("holder_id", i.holder_id).Field("seal_kind", i.seal_kind);
  w.Field("size", static_cast<int64_t>(i.png.size())).Field("supplied_by", i.supplied_by);
  w.TimeField("created_at", i.created_at);
  w.EndObject();
}

void Write(JsonWriter& w, const Account& a) {
  w.BeginObject();
  w.Field("id", a.id).Field("name", a.name).Field("role", Name(a.role));
  w.OptField("holder_id", a.holder_id).OptField("area_code", a.area_code);
  w.Field("disabled", a.disabled).TimeField("created_at", a.created_at);
  w.EndObject();
}

void Write(JsonWriter& w, const Caller& c) {
  w.BeginObject();
  w.Field("id", c.ActorId()).Field("kind", c.account_id.empty() ? "client" : "account");
  w.Field("role", Name(c.role)).Field("name", c.name);
  w.OptField("holder_id", c.holder_id).OptField("area_code", c.area_code);
  w.Key("client_type");
  if (c.client_type) {
    w.String(Name(*c.client_type));
  } else {
    w.Null();
  }
  if (!c.client_id.empty()) w.Field("rate_limit_per_minute", c.rate_limit_per_minute);
  w.EndObject();
}

void Write(JsonWriter& w, const Application& a) {
  w.BeginObject();
  w.Field("id", a.id).Field("holder_id", a.holder_id).Field("type", Name(a.type));
  w.OptField("seal_kind", a.seal_kind).OptField("seal_id", a.seal_id).OptField("seal_name", a.seal_name);
  w.Field("reason", a.reason).Field("status", Name(a.status)).Field("next_level", a.next_level);
  w.Key("reviews").BeginArray();
  for (const ReviewStep& r : a.reviews) {
    w.BeginObject();
    w.Field("level", r.level).OptField("area_code", r.area_code).Field("reviewer_id", r.reviewer_id);
    w.Field("approved", r.approved).Field("reason", r.reason).TimeField("decided_at", r.decided_at);
    w.EndObject();
  }
  w.EndArray();
  w.Field("submitted_by", a.submitted_by).OptField("result_seal_id", a.result_seal_id);
  // A new-seal application the operator made for a holder waits for the holder's admin to
  // set the protection password (POST /api/v1/applications/{id}/password).
  w.Field("awaits_password", a.type == ApplicationType::kNewSeal && a.status == ApplicationStatus::kPending &&
                                 a.public_key_spki.empty());
  w.TimeField("created_at", a.created_at).TimeField("updated_at", a.updated_at);
  w.EndObject();
}

void Write(JsonWriter& w, const Seal& s) {
  w.BeginObject();
  w.Field("id", s.id).Field("esid", s.esid).Field("holder_id", s.holder_id).Field("kind", s.kind);
  w.Field("copy_no", s.copy_no).Field("name", s.name).Field("origin", Name(s.origin));
  w.Field("status", Name(s.status)).TimeField("valid_from", s.valid_from).TimeField("valid_to", s.valid_to);
  w.Field("cert_serial", s.cert_serial_hex).Field("locked", s.locked);
  w.Field("failed_attempts", s.failed_attempts).Field("requires_approval", s.requires_approval);
  w.OptField("anchor_id", s.anchor_id).OptField("replaces_id", s.replaces_id);
  w.OptField("application_id", s.application_id);
  w.TimeField("created_at", s.created_at).TimeField("updated_at", s.updated_at);
  w.EndObject();
}

void Write(JsonWriter& w, const SealGrant& g) {
  w.BeginObject();
  w.Field("seal_id", g.seal_id).Field("account_id", g.account_id);
  w.Field("can_use", g.can_use).Field("can_approve", g.can_approve);
  w.EndObject();
}

void Write(JsonWriter& w, const SignatureRecord& r) {
  w.BeginObject();
  w.Field("id", r.id).Field("seal_id", r.seal_id).Field("holder_id", r.holder_id);
  w.OptField("actor_id", r.actor_id).OptField("client_id", r.client_id);
  w.Field("document_hash", r.document_hash).Field("signed_hash", r.signed_hash);
  w.Field("document_name", r.document_name).Field("format", r.format);
  w.OptField("usage_request_id", r.request_id).TimeField("signed_at", r.signed_at);
  w.EndObject();
}

void Write(JsonWriter& w, const UsageRequest& r) {
  w.BeginObject();
  w.Field("id", r.id).Field("seal_id", r.seal_id).Field("requester_id", r.requester_id);
  w.Field("document_hash", r.document_hash).Field("purpose", r.purpose).Field("status", Name(r.status));
  w.OptField("approver_id", r.approver_id).Field("decision_reason", r.decision_reason);
  w.TimeField("window_start", r.window_start).TimeField("window_end", r.window_end);
  w.OptField("signature_id", r.signature_id).TimeField("created_at", r.created_at);
  w.EndObject();
}

void Write(JsonWriter& w, const Client& c) {
  w.BeginObject();
  w.Field("id", c.id).Field("name", c.name).Field("type", Name(c.type)).Field("scenario", c.scenario);
  w.Field("contact", c.contact).OptField("holder_id", c.holder_id).Field("status", Name(c.status));
  w.Field("rate_limit_per_minute", c.rate_limit_per_minute).Field("decision_reason", c.decision_reason);
  w.TimeField("created_at", c.created_at).TimeField("updated_at", c.updated_at);
  w.EndObject();
}

void Write(JsonWriter& w, const VendorAuthorisation& a) {
  w.BeginObject();
  w.Field("id", a.id).Field("client_id", a.client_id).Field("holder_id", a.holder_id);
  w.Key("seal_ids").BeginArray();
  for (const std::string& s : a.seal_ids) w.String(s);
  w.EndArray();
  w.TimeField("valid_until", a.valid_until).TimeField("withdrawn_at", a.withdrawn_at);
  w.Field("created_by", a.created_by).TimeField("created_at", a.created_at);
  w.EndObject();
}

void Write(JsonWriter& w, const TrustAnchorRecord& a) {
  w.BeginObject();
  w.Field("id", a.id).Field("system_name", a.system_name).Field("kind", Name(a.kind));
  w.Field("certificate", Base64Encode(a.cert_der));
  w.OptField("crl_url", a.crl_url).OptField("status_url", a.status_url).Field("active", a.active);
  w.Key("roles").BeginArray();
  for (AnchorRoles bit : {kAnchorSealMaker, kAnchorSigner, kAnchorTsa}) {
    if (a.roles & bit) w.String(AnchorRolesName(bit));
  }
  w.EndArray();
  w.Key("maker_policies").BeginArray();
  for (const std::string& oid : a.maker_policies) w.String(oid);
  w.EndArray();
  w.TimeField("created_at", a.created_at);
  w.EndObject();
}

void Write(JsonWriter& w, const FilingRecord& r) {
  w.BeginObject();
  w.Field("id", r.id).Field("seal_id", r.seal_id).Field("event", Name(r.event));
  w.Key("payload");
  WriteEmbeddedJson(w, r.payload_json);
  w.OptField("batch_id", r.batch_id).Field("status", Name(r.status)).TimeField("created_at", r.created_at);
  w.EndObject();
}

void Write(JsonWriter& w, const FilingBatch& b) {
  w.BeginObject();
  w.Field("id", b.id).Field("status", Name(b.status));
  w.TimeField("created_at", b.created_at).TimeField("acknowledged_at", b.acknowledged_at);
  w.Field("export", Base64Encode(b.signed_export));
  w.EndObject();
}

void Write(JsonWriter& w, const AuditEntry& e) {
  w.BeginObject();
  w.Field("seq", e.seq).TimeField("at", e.at).Field("actor", e.actor).Field("action", e.action);
  w.Field("object_type", e.object_type).Field("object_id", e.object_id);
  w.Key("details");
  WriteEmbeddedJson(w, e.details_json);
  w.Field("prev_hash", e.prev_hash).Field("hash", e.hash);
  w.EndObject();
}

void Write(JsonWriter& w, const Platform::AuditVerification& v) {
  w.BeginObject();
  w.Field("ok", v.ok).Field("entries", v.entries).Field("checkpoints", v.checkpoints)
      .Field("timestamped_checkpoints", v.timestamped_checkpoints).Field("mac_entries", v.mac_entries)
      .Field("exported_checkpoints", v.exported_checkpoints);
  w.Key("first_broken_seq");
  if (v.first_broken_seq) {
    w.Int(*v.first_broken_seq);
  } else {
    w.Null();
  }
  w.Field("problem", v.problem);
  w.EndObject();
}

void Write(JsonWriter& w, const Platform::SealStatusAt& s) {
  w.BeginObject();
  w.Field("esid", s.esid).TimeField("at", s.at).Field("status", Name(s.status)).Field("valid", s.valid);
  w.Field("reason", s.reason).TimeField("valid_from", s.valid_from).TimeField("valid_to", s.valid_to);
  w.EndObject();
}

void Write(JsonWriter& w, const Platform::Notice& n) {
  w.BeginObject();
  w.Field("esid", n.esid).Field("seal_name", n.seal_name).Field("holder_name", n.holder_name);
  w.Field("kind", n.kind).Field("event", Name(n.event)).Field("reason", n.reason).TimeField("at", n.at);
  w.EndObject();
}

void WriteArchive(JsonWriter& w, const ArchiveEntry& e, bool with_document) {
  w.BeginObject();
  w.Field("id", e.id).OptField("holder_id", e.holder_id).Field("document_hash", e.document_hash);
  w.Field("document_size", static_cast<int64_t>(e.document.size()));
  w.Field("entry_hash", e.entry_hash).Field("platform_signature", Base64Encode(e.platform_signature));
  w.TimeField("created_at", e.created_at);
  w.Key("report");
  WriteEmbeddedJson(w, e.report_json);
  w.Key("evidence");
  WriteEmbeddedJson(w, AsChars(e.evidence));
  if (with_document) w.Field("document", Base64Encode(e.document));
  w.EndObject();
}

void Write(JsonWriter& w, const ArchiveEntry& e) { WriteArchive(w, e, false); }

void Write(JsonWriter& w, const Report& r) {
  w.BeginObject();
  w.Field("verdict", VerdictName(r.verdict()));
  w.Key("checks").BeginArray();
  for (const Check& c : r.checks()) {
    w.BeginObject();
    w.Field("id", c.id).Field("result", CheckResultName(c.result)).Field("detail", c.detail);
    if (!c.params.empty()) {
      w.Key("params").BeginObject();
      for (const auto& [k, v] : c.params) w.Field(k, v);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace eseal::http
