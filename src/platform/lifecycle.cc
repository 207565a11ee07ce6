// The seal lifecycle (印章生命周期): apply → review (level by level for departments) →
// make → issued; renew in the last 30 days (S4); change issues a new seal and supersedes
// the old one (L5); suspend, resume, revoke (L6); password change after an approved
// application (E20); automatic expiry. Every step is audited in the same transaction.
#include <algorithm>
#include <cmath>

#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/sm3.h"
#include "eseal/sealimg/seal_image.h"
#include "eseal/ses/make.h"
#include "eseal/x509/ca.h"
#include "internal.h"

namespace eseal::platform {
namespace {

constexpr size_t kMinPasswordLength = 8;

int64_t SealTypeFor(sealimg::Kind k) {
  switch (k) {
    case sealimg::Kind::kLegalName: return ses::kTypeLegalName;
    case sealimg::Kind::kContract: return ses::kTypeContract;
    case sealimg::Kind::kFinance: return ses::kTypeFinance;
    case sealimg::Kind::kInvoice: return ses::kTypeInvoice;
    case sealimg::Kind::kBusiness: return ses::kTypeBusiness;
    case sealimg::Kind::kLegalRep: return ses::kTypeLegalRep;
    case sealimg::Kind::kGovService: return ses::kTypeGovService;
  }
  return ses::kTypeBusiness;
}

// RFC 4514 escaping of an attribute value.
std::string EscapeRdn(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    char ch = v[i];
    bool special = ch == ',' || ch == '+' || ch == '"' || ch == '\\' || ch == '<' || ch == '>' ||
                   ch == ';' || ch == '=' || (i == 0 && (ch == '#' || ch == ' ')) ||
                   (i + 1 == v.size() && ch == ' ');
    if (special) out += '\\';
    out += ch;
  }
  return out;
}

// Seals a holder has of a kind that still count (active or suspended, not expired).
Result<std::vector<Seal>> LiveSealsOfKind(Tx& tx, std::string_view holder_id, std::string_view kind,
                                          Time now) {
  SealRepository::Filter f;
  f.holder_id = std::string(holder_id);
  f.kind = std::string(kind);
  ASSIGN_OR_RETURN(std::vector<Seal> all, tx.seals().List(f, Page{1000, 0}));
  std::vector<Seal> out;
  for (Seal& s : all) {
    if ((s.status == SealStatus::kActive || s.status == SealStatus::kSuspended) && now <= s.valid_to) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace

// ---- applications -------------------------------------------------------------------

bool PlatformImpl::AwaitsPassword(const Application& app) {
  return app.type == ApplicationType::kNewSeal && app.protected_key.empty();
}

// A new seal's key pair, protected at once with the password, which is kept nowhere.
Result<Bytes> PlatformImpl::NewProtectedKey(const SecretBytes& password, Bytes* spki) {
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey key, crypto::Sm2PrivateKey::Generate());
  crypto::KeyProtectionOptions kp;
  kp.iterations = o_.pbkdf2_iterations;
  ASSIGN_OR_RETURN(Bytes protected_key, crypto::ProtectPrivateKey(key, password.view(), kek_, *rng_, kp));
  *spki = key.PublicKey().ToSpkiDer();
  return protected_key;
}

Result<Application> PlatformImpl::SetApplicationPassword(const Caller& c, std::string_view application_id,
                                                         SecretBytes password) {
  if (c.role != Role::kHolderAdmin || c.account_id.empty()) {
    return PermissionDeniedError("只有单位管理员可以设定本单位印章的保护口令。 / Only the holder's administrator sets "
                                 "its seals' protection password.");
  }
  if (password.size() < kMinPasswordLength) {
    return InvalidArgumentError("the protection password must have at least 8 characters");
  }
  Bytes spki;
  ASSIGN_OR_RETURN(Bytes protected_key, NewProtectedKey(password, &spki));
  Application app;
  bool auto_approve = false;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(app, tx.applications().GetForUpdate(application_id));
    if (app.holder_id != c.holder_id) return NotFoundError("application not found");
    if (app.status != ApplicationStatus::kPending || !AwaitsPassword(app)) {
      return FailedPreconditionError("此申请不需要设定口令。 / This application does not wait for a password.");
    }
    app.protected_key = protected_key;
    app.public_key_spki = spki;
    app.updated_at = Now();
    RETURN_IF_ERROR(tx.applications().Update(app));
    ASSIGN_OR_RETURN(Holder h, tx.holders().Get(app.holder_id));
    ASSIGN_OR_RETURN(std::optional<std::string> aa, tx.settings().Get("auto_approve"));
    auto_approve = aa && *aa == "true" && h.kind == HolderKind::kEnterprise;
    return Audit(tx, &c, "application.password_set", "application", app.id);
  }));
  app.protected_key.clear();
  if (auto_approve) {
    Caller system;
    system.role = Role::kOperator;
    system.account_id = "system";
    system.name = "auto-approve";
    return Review(system, app.id, true, "approved automatically (auto-approve is on)");
  }
  return app;
}

Result<Application> PlatformImpl::Apply(const Caller& c, ApplyInput in) {
  std::string holder_id = in.holder_id;
  if (IsOperator(c)) {
    if (holder_id.empty()) return InvalidArgumentError("holder_id is required when the operator applies");
  } else if (c.role == Role::kHolderAdmin) {
    if (!holder_id.empty() && holder_id != c.holder_id) {
      return PermissionDeniedError("a holder administrator applies for its own holder only");
    }
    holder_id = c.holder_id;
  } else {
    return PermissionDeniedError("only a holder administrator (or the operator) applies for seals");
  }
  Time now = Now();
  Application app;
  app.id = NewId("app");
  app.holder_id = holder_id;
  app.type = in.type;
  app.seal_name = in.seal_name;
  app.reason = in.reason;
  app.submitted_by = c.ActorId();
  app.created_at = app.updated_at = now;

  // New seals: the key pair is made now and protected at once with the password; the
  // password itself is not kept anywhere.
  if (in.type == ApplicationType::kNewSeal) {
    auto kind = sealimg::ParseKind(in.seal_kind);
    if (!kind.ok()) return kind.status();
    app.seal_kind = in.seal_kind;
    if (IsOperator(c)) {
      // The operator never sets or learns a holder's protection password: an application it
      // makes on the holder's behalf waits for the holder admin to set one
      // (SetApplicationPassword), which makes the key pair then.
      if (!in.password.empty()) {
        return InvalidArgumentError(
            "运营方代为申请时不设定印章保护口令，口令由单位管理员在申请提交后自行设定。 / The operator does not set "
            "a holder's protection password: the holder's administrator sets it on the application.");
      }
    } else {
      if (in.password.size() < kMinPasswordLength) {
        return InvalidArgumentError("the protection password must have at least 8 characters");
      }
      ASSIGN_OR_RETURN(app.protected_key, NewProtectedKey(in.password, &app.public_key_spki));
    }
  }

  bool auto_approve = false;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Holder h, tx.holders().Get(holder_id));
    if (h.status != HolderStatus::kActive) {
      return FailedPreconditionError("the holder '" + h.name + "' is " + std::string(Name(h.status)) +
                                     " in the registry and cannot apply (E25)");
    }
    if (in.type == ApplicationType::kNewSeal) {
      bool gov = app.seal_kind == "gov-service";
      if (gov != (h.kind == HolderKind::kDepartment)) {
        return InvalidArgumentError(gov ? "government-service seals are for departments"
                                        : "departments apply for government-service seals");
      }
      ASSIGN_OR_RETURN(std::vector<Seal> live, LiveSealsOfKind(tx, h.id, app.seal_kind, now));
      if (!live.empty() && app.seal_kind != "business") {
        return AlreadyExistsError("the holder already has an active " + app.seal_kind + " seal (" +
                                  live.front().esid + "); one enterprise gets no duplicate seal (S5)");
      }
      ApplicationRepository::Filter pf;
      pf.holder_id = h.id;
      pf.status = ApplicationStatus::kPending;
      ASSIGN_OR_RETURN(std::vector<Application> pending, tx.applications().List(pf, Page{1000, 0}));
      for (const Application& p : pending) {
        if (p.type == ApplicationType::kNewSeal && p.seal_kind == app.seal_kind && app.seal_kind != "business") {
          return AlreadyExistsError("an application for a " + app.seal_kind + " seal is already pending (" +
                                    p.id + ")");
        }
      }
    } else {
      if (in.seal_id.empty()) return InvalidArgumentError("seal_id is required");
      ASSIGN_OR_RETURN(Seal s, tx.seals().Get(in.seal_id));
      if (s.holder_id != h.id) return PermissionDeniedError("the seal belongs to another holder");
      if (s.origin != SealOrigin::kPlatform && in.type != ApplicationType::kRevoke) {
        return FailedPreconditionError("seals filed from other systems are renewed and changed there");
      }
      app.seal_id = s.id;
      app.seal_kind = s.kind;
      bool live = (s.status == SealStatus::kActive || s.status == SealStatus::kSuspended) && now <= s.valid_to;
      if (!live) {
        return FailedPreconditionError("the seal is " + std::string(Name(s.status)) +
                                       (now > s.valid_to ? " (expired)" : "") + " and cannot be changed");
      }
      if (in.type == ApplicationType::kRenew) {
        Time opens = s.valid_to - std::chrono::days(o_.renewal_window_days);
        if (now < opens) {
          return FailedPreconditionError("renewal opens " + std::to_string(o_.renewal_window_days) +
                                         " days before expiry, on " + FormatRfc3339(opens) + " (S4)");
        }
      }
      if (in.type == ApplicationType::kRevoke && in.reason.empty()) {
        return InvalidArgumentError("a revocation needs a reason");
      }
    }
    if (h.kind == HolderKind::kDepartment) {
      app.next_level = static_cast<int>(AreaLevelOf(h.area_code));
    }
    RETURN_IF_ERROR(tx.applications().Insert(app));
    ASSIGN_OR_RETURN(std::optional<std::string> aa, tx.settings().Get("auto_approve"));
    auto_approve = aa && *aa == "true" && h.kind == HolderKind::kEnterprise && !AwaitsPassword(app);
    return Audit(tx, &c, "application.submitted", "application", app.id,
                 JsonObject({{"holder", h.id}, {"type", std::string(Name(app.type))}, {"kind", app.seal_kind},
                             {"seal", app.seal_id}}));
  }));
  if (auto_approve) {
    Caller system;
    system.role = Role::kOperator;
    system.account_id = "system";
    system.name = "auto-approve";
    return Review(system, app.id, true, "approved automatically (auto-approve is on)");
  }
  return app;
}

Result<Application> PlatformImpl::Review(const Caller& c, std::string_view application_id, bool approve,
                                         std::string_view reason) {
  if (!approve && reason.empty()) return InvalidArgumentError("a rejection needs a reason");
  Application app;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(app, tx.applications().GetForUpdate(application_id));
    ASSIGN_OR_RETURN(Holder h, tx.holders().Get(app.holder_id));
    // Who may decide comes first: to anyone else an application answers the same in every
    // state (its status is not disclosed).
    const AreaLevel level = static_cast<AreaLevel>(app.next_level);
    // Departments: level by level (G13), the office of the next level in their area.
    const std::string office = h.kind == HolderKind::kDepartment ? AncestorAt(h.area_code, level) : std::string();
    if (h.kind == HolderKind::kDepartment) {
      if (c.role != Role::kReviewer || c.area_code != office) {
        return PermissionDeniedError("this application waits for the " + std::string(Name(level)) +
                                     "-level office of area " + office);
      }
    } else {
      RETURN_IF_ERROR(RequireOperator(c));
    }
    if (app.status != ApplicationStatus::kPending) {
      return FailedPreconditionError("the application is already " + std::string(Name(app.status)));
    }
    if (approve && AwaitsPassword(app)) {
      return FailedPreconditionError(
          "申请正在等待单位管理员设定印章保护口令，设定后才能批准。 / The application waits for the holder's "
          "administrator to set the protection password before it can be approved.");
    }
    ReviewStep step;
    step.reviewer_id = c.ActorId();
    step.approved = approve;
    step.reason = std::string(reason);
    step.decided_at = Now();
    bool final_approval = approve;
    if (h.kind == HolderKind::kDepartment) {
      step.level = app.next_level;
      step.area_code = office;
      if (approve && level != AreaLevel::kRegion) {
        final_approval = false;
        app.next_level -= 1;
      }
    }
    app.reviews.push_back(step);
    app.updated_at = Now();
    if (!approve) {
      app.status = ApplicationStatus::kRejected;
    } else if (final_approval) {
      app.status = ApplicationStatus::kApproved;
    }
    if (final_approval) {
      // Carry out what was approved, in the same transaction: no approved application
      // without its result, no seal without its key.
      switch (app.type) {
        case ApplicationType::kNewSeal:
        case ApplicationType::kRenew:
        case ApplicationType::kChange: {
          ASSIGN_OR_RETURN(Seal made, MakeSealFor(tx, c, app));
          app.result_seal_id = made.id;
          app.status = ApplicationStatus::kCompleted;
          break;
        }
        case ApplicationType::kRevoke: {
          ASSIGN_OR_RETURN(Seal s, tx.seals().GetForUpdate(app.seal_id));
          RETURN_IF_ERROR(RevokeInTx(tx, c, s, SealEventType::kRevoked, app.reason, 0));
          app.status = ApplicationStatus::kCompleted;
          break;
        }
        case ApplicationType::kPasswordChange:
          break;  // completed by ChangePassword
      }
    }
    // The protected key is not needed once the seal holds it.
    if (app.status != ApplicationStatus::kPending) app.protected_key.clear();
    RETURN_IF_ERROR(tx.applications().Update(app));
    // Last, after the seal and CRL locks above (DESIGN.md "Concurrency": one lock order,
    // the audit entry last), and so the audit head is not held while a seal is made.
    return Audit(tx, &c, approve ? (final_approval ? "application.approved" : "application.passed_level")
                                 : "application.rejected",
                 "application", app.id,
                 JsonObject({{"reason", std::string(reason)}, {"level", std::to_string(step.level)},
                             {"area", step.area_code}}));
  }));
  return app;
}

Result<Application> PlatformImpl::GetApplication(const Caller& c, std::string_view id) {
  Application app;
  Holder h;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(app, tx.applications().Get(id));
    ASSIGN_OR_RETURN(h, tx.holders().Get(app.holder_id));
    return Status::Ok();
  }));
  if (c.role == Role::kReviewer) {
    if (h.kind != HolderKind::kDepartment || !AreaContains(c.area_code, h.area_code)) {
      return PermissionDeniedError("this application is outside the reviewer's area");
    }
  } else {
    RETURN_IF_ERROR(RequireHolderAccess(c, app.holder_id));
  }
  app.protected_key.clear();
  return app;
}

namespace {
// The area codes an area contains all start with this (AreaContains in SQL): "45" for the
// region 450000, "4501" for the city 450100, the county's own code.
std::string AreaPrefix(std::string_view area) {
  switch (AreaLevelOf(area)) {
    case AreaLevel::kRegion: return std::string(area.substr(0, 2));
    case AreaLevel::kCity: return std::string(area.substr(0, 4));
    case AreaLevel::kCounty: return std::string(area);
  }
  return std::string(area);
}
}  // namespace

Result<PageOf<Application>> PlatformImpl::ListApplications(const Caller& c,
                                                           const ApplicationRepository::Filter& f,
                                                           Page page) {
  ApplicationRepository::Filter filter = f;
  if (c.role == Role::kReviewer) {
    // A reviewer sees the department applications of its area only, filtered in the query
    // so that a province's other applications never push its own off the page.
    if (c.area_code.size() != 6) return PageOf<Application>{};
    filter.holder_kind = HolderKind::kDepartment;
    filter.holder_area_prefix = AreaPrefix(c.area_code);
  } else if (!IsOperator(c)) {
    if (c.holder_id.empty()) return PermissionDeniedError("not allowed to list applications");
    filter.holder_id = c.holder_id;
  }
  PageOf<Application> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.applications().List(filter, page));
    ASSIGN_OR_RETURN(out.total, tx.applications().Count(filter));
    return Status::Ok();
  }));
  for (Application& a : out) a.protected_key.clear();
  return out;
}

Status PlatformImpl::SetAutoApprove(const Caller& c, bool on) {
  RETURN_IF_ERROR(RequireOperator(c));
  return InTx([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.settings().Put("auto_approve", on ? "true" : "false"));
    return Audit(tx, &c, "settings.auto_approve", "settings", "auto_approve", JsonObject({{"on", on ? "true" : "false"}}));
  });
}

// ---- making -------------------------------------------------------------------------

Result<Seal> PlatformImpl::MakeSealFor(Tx& tx, const Caller& c, Application& app) {
  Time now = Now();
  ASSIGN_OR_RETURN(Holder h, tx.holders().Get(app.holder_id));
  if (h.status != HolderStatus::kActive) {
    return FailedPreconditionError("the holder is " + std::string(Name(h.status)) + " in the registry");
  }
  std::optional<Seal> old;
  Bytes protected_key = app.protected_key;
  Bytes spki = app.public_key_spki;
  std::string kind = app.seal_kind;
  if (app.type != ApplicationType::kNewSeal) {
    ASSIGN_OR_RETURN(old, tx.seals().GetForUpdate(app.seal_id));
    protected_key = old->protected_key;
    ASSIGN_OR_RETURN(x509::Certificate old_cert, x509::Certificate::FromDer(old->signer_cert_der));
    spki = old_cert.spki_der();
    kind = old->kind;
  }
  if (protected_key.empty() || spki.empty()) return InternalError("the application has no key");
  ASSIGN_OR_RETURN(sealimg::Kind img_kind, sealimg::ParseKind(kind));
  ASSIGN_OR_RETURN(crypto::Sm2PublicKey pub, crypto::Sm2PublicKey::FromSpkiDer(spki));

  Seal seal;
  seal.id = NewId("seal");
  seal.holder_id = h.id;
  seal.kind = kind;
  seal.origin = SealOrigin::kPlatform;
  seal.status = SealStatus::kActive;
  seal.application_id = app.id;
  seal.created_at = seal.updated_at = now;
  seal.kek_id = kek_->Id();
  seal.protected_key = protected_key;
  if (old) {
    seal.replaces_id = old->id;
    seal.copy_no = old->copy_no;
    seal.requires_approval = old->requires_approval;
  } else {
    ASSIGN_OR_RETURN(std::vector<Seal> live, LiveSealsOfKind(tx, h.id, kind, now));
    seal.copy_no = static_cast<int>(live.size()) + 1;
  }
  // The text on the seal: the legal name (after a change, the new one); a person's name
  // on the legal-representative seal.
  if (img_kind == sealimg::Kind::kLegalRep) {
    seal.name = h.legal_rep;
  } else if (!app.seal_name.empty()) {
    seal.name = app.seal_name;
  } else {
    seal.name = h.name;
  }
  // esID: the registration area of the USCC (GB 32100 positions 3-8), the seal type, the
  // date and 6 random digits.
  {
    ASSIGN_OR_RETURN(Bytes r, RandomBytes(*rng_, 4));
    uint32_t v = (uint32_t{r[0]} << 24 | uint32_t{r[1]} << 16 | uint32_t{r[2]} << 8 | r[3]) % 1000000;
    CivilTime ct = ToCivil(now);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s%02d%02d%02d%02d%06u", h.uscc.substr(2, 6).c_str(),
                  static_cast<int>(SealTypeFor(img_kind)), ct.year % 100, ct.month, ct.day, v);
    seal.esid = buf;
  }

  // The signer certificate: one year, equal to the seal's validity (S4).
  ASSIGN_OR_RETURN(x509::Name subject,
                   x509::Name::Parse("CN=" + EscapeRdn(seal.name) + ",serialNumber=" + h.uscc +
                                     ",O=" + EscapeRdn(h.name) + ",C=CN"));
  x509::IssueRequest req{subject, pub, x509::CertificateRole::kSigner, now,
                         now + std::chrono::days(o_.seal_validity_days)};
  if (!o_.public_base_url.empty()) req.crl_distribution_points.push_back(o_.public_base_url + "/api/v1/crl");
  ASSIGN_OR_RETURN(x509::Certificate cert, x509::IssueCertificate(id_.issuing.cert, id_.issuing.key, req, *rng_));
  seal.signer_cert_der = cert.der();
  seal.cert_serial_hex = cert.SerialHex();
  seal.valid_from = cert.not_before();
  seal.valid_to = cert.not_after();

  // The image: the physical impression where the public-security feed supplied one (E8,
  // G12), else drawn to the standard pattern. Government seals need the impression.
  sealimg::Style style = sealimg::DefaultStyle(img_kind);
  auto impression = tx.impressions().Latest(h.id, kind);
  if (impression.ok()) {
    seal.image_png = impression->png;
  } else if (impression.status().code() != StatusCode::kNotFound) {
    return impression.status();
  } else if (img_kind == sealimg::Kind::kGovService) {
    return FailedPreconditionError("a government-service seal is made from the physical seal's impression, "
                                   "and none was supplied for this department (G12)");
  } else {
    sealimg::SealText text;
    text.name = seal.name;
    if (img_kind == sealimg::Kind::kInvoice) {
      text.center_text = h.uscc;
    } else if (img_kind == sealimg::Kind::kLegalName) {
      text.code = seal.esid.substr(seal.esid.size() - 13);
    }
    ASSIGN_OR_RETURN(seal.image_png, sealimg::RenderPng(img_kind, text, style, 300));
  }

  ses::SealSpec spec;
  spec.version = ses::Version::kV4;
  spec.vid = "ESEAL";
  spec.esid = seal.esid;
  spec.type = SealTypeFor(img_kind);
  spec.name = seal.name;
  spec.signer_certs = {cert.der()};
  spec.create_date = now;
  spec.valid_start = seal.valid_from;
  spec.valid_end = seal.valid_to;
  spec.picture = ses::Picture{"PNG", seal.image_png, std::lround(style.width_mm), std::lround(style.height_mm)};
  ASSIGN_OR_RETURN(ses::Seal made, ses::MakeSeal(spec, id_.maker.cert.der(), id_.maker.key));
  seal.seal_der = made.der;

  IssuedCertificate ic{cert.SerialHex(), "signer", cert.subject().ToString(), cert.der(), cert.not_after(), {}, 0};
  RETURN_IF_ERROR(tx.certificates().Insert(ic));
  RETURN_IF_ERROR(tx.seals().Insert(seal));
  RETURN_IF_ERROR(AppendSealEvent(tx, seal, SealEvent{seal.id, SealEventType::kMade, now, std::string(Name(app.type)), c.ActorId()}));
  RETURN_IF_ERROR(AddFiling(tx, seal, old ? FilingEvent::kChanged : FilingEvent::kMade));
  if (old) {
    // The old seal is invalid from the moment the new one is made (E21, G18). Before the
    // audit entry below: revoking takes the CRL lock, which comes before the audit head.
    RETURN_IF_ERROR(RevokeInTx(tx, c, *old, SealEventType::kSuperseded,
                               "replaced by " + seal.esid + " (" + std::string(Name(app.type)) + ")",
                               static_cast<int>(x509::RevocationReason::kSuperseded)));
  }
  RETURN_IF_ERROR(Audit(tx, &c, "seal.made", "seal", seal.id,
                        JsonObject({{"esid", seal.esid}, {"holder", h.id}, {"kind", seal.kind},
                                    {"application", app.id}, {"certificate", seal.cert_serial_hex},
                                    {"valid_to", FormatRfc3339(seal.valid_to)}, {"replaces", seal.replaces_id}})));
  return seal;
}

Status PlatformImpl::RevokeInTx(Tx& tx, const Caller& c, Seal& seal, SealEventType event,
                                std::string_view reason, int crl_reason) {
  Time now = Now();
  seal.status = event == SealEventType::kSuperseded ? SealStatus::kSuperseded : SealStatus::kRevoked;
  seal.updated_at = now;
  RETURN_IF_ERROR(tx.seals().Update(seal));
  RETURN_IF_ERROR(AppendSealEvent(tx, seal, SealEvent{seal.id, event, now, std::string(reason), c.ActorId()}));
  if (seal.origin == SealOrigin::kPlatform && !seal.cert_serial_hex.empty()) {
    ASSIGN_OR_RETURN(IssuedCertificate ic, tx.certificates().Get(seal.cert_serial_hex));
    ic.revoked_at = now;
    ic.revocation_reason = crl_reason;
    RETURN_IF_ERROR(tx.certificates().Update(ic));
    RETURN_IF_ERROR(RefreshCrl(tx));
  }
  if (event == SealEventType::kRevoked) RETURN_IF_ERROR(AddFiling(tx, seal, FilingEvent::kRevoked));
  return Audit(tx, &c, event == SealEventType::kSuperseded ? "seal.superseded" : "seal.revoked", "seal", seal.id,
               JsonObject({{"esid", seal.esid}, {"reason", std::string(reason)}}));
}

// ---- reading ------------------------------------------------------------------------

namespace {
// Status as of now for display: an active seal past its end is expired.
void ApplyExpiry(Seal& s, Time now) {
  if (s.status == SealStatus::kActive && now > s.valid_to) s.status = SealStatus::kExpired;
}
}  // namespace

Result<Seal> PlatformImpl::GetSeal(const Caller& c, std::string_view id_or_esid) {
  Seal s;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    auto byid = tx.seals().Get(id_or_esid);
    if (byid.ok()) {
      s = *byid;
      return Status::Ok();
    }
    if (byid.status().code() != StatusCode::kNotFound) return byid.status();
    ASSIGN_OR_RETURN(s, tx.seals().GetByEsid(id_or_esid));
    return Status::Ok();
  }));
  if (!(c.role == Role::kClient && !c.client_id.empty())) RETURN_IF_ERROR(RequireHolderAccess(c, s.holder_id));
  if (c.role == Role::kClient && c.holder_id != s.holder_id) {
    // A vendor reads the seals it is authorised for, while the authorisation lasts.
    RETURN_IF_ERROR(InReadTx([&](Tx& tx) { return CheckMayUseSeal(tx, c, s, Now()); }));
  }
  ApplyExpiry(s, Now());
  s.protected_key.clear();
  return s;
}

Result<PageOf<Seal>> PlatformImpl::ListSeals(const Caller& c, const SealRepository::Filter& f, Page page) {
  SealRepository::Filter filter = f;
  PageOf<Seal> out;
  if (c.role == Role::kClient && (c.client_type == ClientType::kVendor || c.client_type == ClientType::kAgency)) {
    // A vendor: the seals of its live authorisations (at most a few hundred).
    Time now = Now();
    RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(std::vector<VendorAuthorisation> auths, tx.authorisations().List(c.client_id, ""));
      std::vector<std::string> ids;
      for (const VendorAuthorisation& a : auths) {
        if (a.withdrawn_at || now > a.valid_until) continue;
        for (const std::string& id : a.seal_ids) {
          if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
        }
      }
      out.total = static_cast<int64_t>(ids.size());
      for (size_t i = static_cast<size_t>(std::max(page.offset, 0));
           i < ids.size() && static_cast<int>(out.items.size()) < std::max(page.limit, 1); ++i) {
        ASSIGN_OR_RETURN(Seal s, tx.seals().Get(ids[i]));
        out.items.push_back(std::move(s));
      }
      return Status::Ok();
    }));
    for (Seal& s : out.items) {
      ApplyExpiry(s, now);
      s.protected_key.clear();
    }
    return out;
  }
  if (!IsOperator(c)) {
    if (c.holder_id.empty()) return PermissionDeniedError("not allowed to list seals");
    filter.holder_id = c.holder_id;
  }
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.seals().List(filter, page));
    ASSIGN_OR_RETURN(out.total, tx.seals().Count(filter));
    return Status::Ok();
  }));
  Time now = Now();
  for (Seal& s : out) {
    ApplyExpiry(s, now);
    s.protected_key.clear();
  }
  return out;
}

// ---- suspension, revocation, unlock ------------------------------------------------

Result<Seal> PlatformImpl::Suspend(const Caller& c, std::string_view seal_id, std::string_view reason) {
  if (reason.empty()) return InvalidArgumentError("a suspension needs a reason");
  Seal s;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(s, tx.seals().GetForUpdate(seal_id));
    RETURN_IF_ERROR(RequireHolderAdmin(c, s.holder_id));
    if (s.status != SealStatus::kActive) {
      return FailedPreconditionError("only an active seal can be suspended; it is " + std::string(Name(s.status)));
    }
    Time now = Now();
    s.status = SealStatus::kSuspended;
    s.updated_at = now;
    RETURN_IF_ERROR(tx.seals().Update(s));
    RETURN_IF_ERROR(AppendSealEvent(tx, s, SealEvent{s.id, SealEventType::kSuspended, now, std::string(reason), c.ActorId()}));
    if (s.origin == SealOrigin::kPlatform) {
      ASSIGN_OR_RETURN(IssuedCertificate ic, tx.certificates().Get(s.cert_serial_hex));
      ic.revoked_at = now;  // certificateHold: lifted again on resume
      ic.revocation_reason = static_cast<int>(x509::RevocationReason::kCertificateHold);
      RETURN_IF_ERROR(tx.certificates().Update(ic));
      RETURN_IF_ERROR(RefreshCrl(tx));
    }
    return Audit(tx, &c, "seal.suspended", "seal", s.id, JsonObject({{"esid", s.esid}, {"reason", std::string(reason)}}));
  }));
  s.protected_key.clear();
  return s;
}

Result<Seal> PlatformImpl::Resume(const Caller& c, std::string_view seal_id, std::string_view reason) {
  Seal s;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(s, tx.seals().GetForUpdate(seal_id));
    RETURN_IF_ERROR(RequireHolderAdmin(c, s.holder_id));
    if (s.status != SealStatus::kSuspended) {
      return FailedPreconditionError("only a suspended seal can be resumed; it is " + std::string(Name(s.status)));
    }
    Time now = Now();
    s.status = SealStatus::kActive;
    s.updated_at = now;
    RETURN_IF_ERROR(tx.seals().Update(s));
    RETURN_IF_ERROR(AppendSealEvent(tx, s, SealEvent{s.id, SealEventType::kResumed, now, std::string(reason), c.ActorId()}));
    if (s.origin == SealOrigin::kPlatform) {
      ASSIGN_OR_RETURN(IssuedCertificate ic, tx.certificates().Get(s.cert_serial_hex));
      ic.revoked_at.reset();
      ic.revocation_reason = 0;
      RETURN_IF_ERROR(tx.certificates().Update(ic));
      RETURN_IF_ERROR(RefreshCrl(tx));
    }
    return Audit(tx, &c, "seal.resumed", "seal", s.id, JsonObject({{"esid", s.esid}, {"reason", std::string(reason)}}));
  }));
  s.protected_key.clear();
  return s;
}

Result<Seal> PlatformImpl::Revoke(const Caller& c, std::string_view seal_id, std::string_view reason) {
  if (reason.empty()) return InvalidArgumentError("a revocation needs a reason");
  Seal s;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(s, tx.seals().GetForUpdate(seal_id));
    RETURN_IF_ERROR(RequireHolderAdmin(c, s.holder_id));
    if (s.status == SealStatus::kRevoked || s.status == SealStatus::kSuperseded) {
      return FailedPreconditionError("the seal is already " + std::string(Name(s.status)));
    }
    // Loss of control (失控) means the key may be compromised.
    bool compromise = reason.find("loss") != std::string_view::npos ||
                      reason.find("失控") != std::string_view::npos ||
                      reason.find("compromise") != std::string_view::npos;
    return RevokeInTx(tx, c, s, SealEventType::kRevoked, reason,
                      static_cast<int>(compromise ? x509::RevocationReason::kKeyCompromise
                                                  : x509::RevocationReason::kCessationOfOperation));
  }));
  s.protected_key.clear();
  return s;
}

Result<Seal> PlatformImpl::Unlock(const Caller& c, std::string_view seal_id) {
  RETURN_IF_ERROR(RequireOperator(c));
  Seal s;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(s, tx.seals().GetForUpdate(seal_id));
    // Attempts left counted at the limit by a process that died while deriving refuse
    // like a lock (password_attempts.h), so the operator clears them the same way.
    if (!s.locked && s.failed_attempts < o_.password_attempt_limit) {
      return FailedPreconditionError("the seal is not locked");
    }
    s.locked = false;
    s.failed_attempts = 0;
    s.updated_at = Now();
    RETURN_IF_ERROR(tx.seals().Update(s));
    return Audit(tx, &c, "seal.unlocked", "seal", s.id, JsonObject({{"esid", s.esid}}));
  }));
  s.protected_key.clear();
  return s;
}

// ChangePassword is in password.cc, beside the attempt counting it shares with signing.

Result<int> PlatformImpl::ExpireSeals() {
  // Batches of at most this many seals per transaction, until none is left: the question
  // "which active seals have ended" is asked in SQL, so no seal is ever beyond a window.
  constexpr int kBatch = 500;
  int total = 0;
  for (;;) {
    int listed = 0;
    ASSIGN_OR_RETURN(int n, ExpireSealsBatch(kBatch, &listed));
    total += n;
    if (listed < kBatch) return total;
  }
}

Result<int> PlatformImpl::ExpireSealsBatch(int batch, int* listed_count) {
  int n = 0;
  Time now = Now();
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    n = 0;
    SealRepository::Filter f;
    f.status = SealStatus::kActive;
    f.valid_to_before = now;
    ASSIGN_OR_RETURN(std::vector<Seal> active, tx.seals().List(f, Page{batch, 0}));
    *listed_count = static_cast<int>(active.size());
    // Seals locked one by one in id order (two runs never wait on each other crosswise)
    // and re-read under the lock: a revocation that committed since the list wins.
    std::sort(active.begin(), active.end(), [](const Seal& a, const Seal& b) { return a.id < b.id; });
    std::vector<Seal> expired;
    for (const Seal& listed : active) {
      if (now <= listed.valid_to) continue;
      ASSIGN_OR_RETURN(Seal s, tx.seals().GetForUpdate(listed.id));
      if (s.status != SealStatus::kActive || now <= s.valid_to) continue;
      s.status = SealStatus::kExpired;
      s.updated_at = now;
      RETURN_IF_ERROR(tx.seals().Update(s));
      expired.push_back(std::move(s));
    }
    // Keep the CRL fresh: reissue it a day before its nextUpdate would pass (after the
    // seal locks, before the audit entries: the one lock order).
    ASSIGN_OR_RETURN(std::optional<std::string> at, tx.settings().Get("issuing_crl_at"));
    if (!at || now - TimeFromUnix(std::atoll(at->c_str())) > std::chrono::days(6)) RETURN_IF_ERROR(RefreshCrl(tx));
    for (const Seal& s : expired) {
      RETURN_IF_ERROR(Audit(tx, nullptr, "seal.expired", "seal", s.id,
                            JsonObject({{"esid", s.esid}, {"valid_to", FormatRfc3339(s.valid_to)}})));
    }
    n = static_cast<int>(expired.size());
    return Status::Ok();
  }));
  return n;
}

// ---- status at a time (E22) -----------------------------------------------------------

Result<Platform::SealStatusAt> PlatformImpl::StatusAt(Tx& tx, const Seal& seal, Time t, bool registered) {
  SealStatusAt out;
  out.esid = seal.esid;
  out.at = t;
  out.valid_from = seal.valid_from;
  out.valid_to = seal.valid_to;
  ASSIGN_OR_RETURN(std::vector<SealEvent> events, tx.seal_events().ListForSeal(seal.id));
  SealStatus status = SealStatus::kActive;
  std::string reason;
  bool exists = false;
  for (const SealEvent& e : events) {
    if (e.at > t) break;
    const bool stops = e.type == SealEventType::kSuspended || e.type == SealEventType::kRevoked ||
                       e.type == SealEventType::kSuperseded;
    if (registered && stops && e.at == t) continue;  // after the registered signature
    switch (e.type) {
      case SealEventType::kMade:
      case SealEventType::kFiled:
      case SealEventType::kResumed: status = SealStatus::kActive; exists = true; break;
      case SealEventType::kSuspended: status = SealStatus::kSuspended; break;
      case SealEventType::kRevoked: status = SealStatus::kRevoked; break;
      case SealEventType::kSuperseded: status = SealStatus::kSuperseded; break;
    }
    reason = e.reason;
  }
  if (!exists || t < seal.valid_from) {
    out.status = SealStatus::kActive;
    out.valid = false;
    out.reason = "the seal was not yet in force at " + FormatRfc3339(t);
    return out;
  }
  if (status == SealStatus::kActive && t > seal.valid_to) {
    status = SealStatus::kExpired;
    reason = "validity ended " + FormatRfc3339(seal.valid_to);
  }
  out.status = status;
  out.valid = status == SealStatus::kActive;
  out.reason = out.valid ? "in force" : reason;
  return out;
}

Result<Platform::SealStatusAt> PlatformImpl::SealStatusAtTime(std::string_view esid, std::optional<Time> at) {
  SealStatusAt out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Seal s, tx.seals().GetByEsid(esid));
    ASSIGN_OR_RETURN(out, StatusAt(tx, s, at.value_or(Now())));
    return Status::Ok();
  }));
  return out;
}

Status PlatformImpl::AddFiling(Tx& tx, const Seal& seal, FilingEvent event) {
  ASSIGN_OR_RETURN(Holder h, tx.holders().Get(seal.holder_id));
  std::string cert_fp, seal_fp = HexEncode(crypto::Sm3Bytes(seal.seal_der));
  if (!seal.signer_cert_der.empty()) cert_fp = HexEncode(crypto::Sm3Bytes(seal.signer_cert_der));
  FilingRecord r;
  r.id = NewId("fil");
  r.seal_id = seal.id;
  r.event = event;
  r.status = FilingStatus::kPending;
  r.created_at = Now();
  r.payload_json = JsonObject({{"seal_code", seal.esid},
                               {"unit_code", h.uscc},
                               {"unit_name", h.name},
                               {"area_code", h.area_code.empty() ? h.uscc.substr(2, 6) : h.area_code},
                               {"holder_kind", std::string(Name(h.kind))},
                               {"seal_kind", seal.kind},
                               {"seal_name", seal.name},
                               {"origin", std::string(Name(seal.origin))},
                               {"valid_from", FormatRfc3339(seal.valid_from)},
                               {"valid_to", FormatRfc3339(seal.valid_to)},
                               {"certificate_sm3", cert_fp},
                               {"seal_sm3", seal_fp},
                               {"status", std::string(Name(seal.status))},
                               {"event", std::string(Name(event))}});
  return tx.filings().InsertRecord(r);
}

}  // namespace eseal::platform
