// Certificate and CRL encoders (TBSCertificate / TBSCertList, RFC 5280) signed with SM2.
#include "eseal/x509/builder.h"

#include "eseal/asn1/der.h"
#include "eseal/crypto/sm3.h"
#include "internal.h"

namespace eseal::x509 {
namespace {

using asn1::Writer;

Bytes SignedEnvelope(ByteView tbs, ByteView signature) {
  Writer w;
  w.AddSequence([&](Writer& s) {
    s.AddRaw(tbs);
    internal::AddAlgorithmSm2WithSm3(s);
    s.AddBitString(signature);
  });
  return std::move(w).Finish();
}

Status CheckSerial(ByteView serial, std::string_view what = "serial number") {
  if (serial.empty()) return InvalidArgumentError(std::string(what) + " is empty");
  if (serial.size() > 20) return InvalidArgumentError(std::string(what) + " longer than 20 octets");
  return Status::Ok();
}

}  // namespace

Bytes KeyIdentifier(const crypto::Sm2PublicKey& key) {
  Bytes point = key.Point();
  Bytes digest = crypto::Sm3Bytes(point);
  digest.resize(20);
  return digest;
}

Result<Bytes> EncodeTbsCertificate(const CertificateParams& p) {
  if (p.version != 1 && p.version != 3) return InvalidArgumentError("version must be 1 or 3");
  RETURN_IF_ERROR(CheckSerial(p.serial));
  if (p.issuer.der().empty() || p.subject.der().empty()) {
    return InvalidArgumentError("issuer and subject names are required");
  }
  if (p.spki_der.empty()) return InvalidArgumentError("subject public key is required");
  RETURN_IF_ERROR(asn1::ParseSingle(p.spki_der).status());

  std::vector<Extension> exts;
  auto add = [&](const asn1::Oid& id, bool critical, Bytes value) {
    exts.push_back(Extension{id, critical, std::move(value)});
  };
  if (p.basic_constraints) {
    Writer w;
    w.AddSequence([&](Writer& s) {
      if (p.basic_constraints->ca) s.AddBoolean(true);
      if (p.basic_constraints->path_len) s.AddInt64(*p.basic_constraints->path_len);
    });
    add(asn1::oids::BasicConstraints(), p.basic_constraints->critical, std::move(w).Finish());
  }
  if (p.key_usage)
    add(asn1::oids::KeyUsage(), p.key_usage_critical, internal::EncodeKeyUsage(*p.key_usage));
  if (!p.subject_key_id.empty()) {
    Writer w;
    w.AddOctetString(p.subject_key_id);
    add(asn1::oids::SubjectKeyId(), false, std::move(w).Finish());
  }
  if (!p.authority_key_id.empty()) {
    add(asn1::oids::AuthorityKeyId(), false, internal::EncodeAuthorityKeyId(p.authority_key_id));
  }
  if (!p.ext_key_usage.empty()) {
    Writer w;
    w.AddSequence([&](Writer& s) {
      for (const asn1::Oid& o : p.ext_key_usage) s.AddOid(o);
    });
    add(asn1::oids::ExtKeyUsage(), p.ext_key_usage_critical, std::move(w).Finish());
  }
  if (!p.policies.empty()) {
    Writer w;
    w.AddSequence([&](Writer& s) {
      for (const asn1::Oid& o : p.policies) {
        s.AddSequence([&](Writer& info) { info.AddOid(o); });
      }
    });
    add(asn1::oids::CertificatePolicies(), false, std::move(w).Finish());
  }
  if (!p.crl_distribution_points.empty()) {
    for (const std::string& uri : p.crl_distribution_points) {
      for (char ch : uri) {
        if (static_cast<unsigned char>(ch) >= 0x80 || static_cast<unsigned char>(ch) < 0x20) {
          return InvalidArgumentError("CRL distribution point URI must be printable ASCII");
        }
      }
    }
    add(asn1::oids::CrlDistributionPoints(), false,
        internal::EncodeCrlDistributionPoints(p.crl_distribution_points));
  }
  for (const Extension& e : p.extra_extensions) add(e.id, e.critical, e.value);
  if (p.version == 1 && !exts.empty()) {
    return InvalidArgumentError("a v1 certificate cannot carry extensions");
  }

  Writer w;
  w.AddSequence([&](Writer& tbs) {
    if (p.version == 3) {
      tbs.AddConstructed(asn1::ContextTag(0, true), [](Writer& v) { v.AddInt64(2); });
    }
    tbs.AddUnsignedInteger(p.serial);
    internal::AddAlgorithmSm2WithSm3(tbs);
    tbs.AddRaw(p.issuer.der());
    tbs.AddSequence([&](Writer& validity) {
      validity.AddX509Time(p.not_before);
      validity.AddX509Time(p.not_after);
    });
    tbs.AddRaw(p.subject.der());
    tbs.AddRaw(p.spki_der);
    if (!exts.empty()) {
      tbs.AddConstructed(asn1::ContextTag(3, true), [&](Writer& outer) {
        outer.AddSequence([&](Writer& list) {
          for (const Extension& e : exts) {
            internal::AddExtension(list, e.id, e.critical, e.value);
          }
        });
      });
    }
  });
  return std::move(w).Finish();
}

Result<Bytes> BuildCertificate(const CertificateParams& params, const crypto::Sm2Signer& signer) {
  ASSIGN_OR_RETURN(Bytes tbs, EncodeTbsCertificate(params));
  ASSIGN_OR_RETURN(Bytes sig, signer.Sign(tbs));
  return SignedEnvelope(tbs, sig);
}

Result<Bytes> BuildCrl(const CrlParams& p, const crypto::Sm2Signer& signer) {
  if (p.issuer.der().empty()) return InvalidArgumentError("CRL issuer name is required");
  if (p.next_update && *p.next_update < p.this_update) {
    return InvalidArgumentError("CRL nextUpdate is before thisUpdate");
  }
  for (const CrlEntryParams& e : p.entries) RETURN_IF_ERROR(CheckSerial(e.serial));
  if (!p.crl_number.empty()) RETURN_IF_ERROR(CheckSerial(p.crl_number, "CRL number"));
  Writer w;
  w.AddSequence([&](Writer& tbs) {
    tbs.AddInt64(1);  // v2
    internal::AddAlgorithmSm2WithSm3(tbs);
    tbs.AddRaw(p.issuer.der());
    tbs.AddX509Time(p.this_update);
    if (p.next_update) tbs.AddX509Time(*p.next_update);
    if (!p.entries.empty()) {
      tbs.AddSequence([&](Writer& list) {
        for (const CrlEntryParams& e : p.entries) {
          list.AddSequence([&](Writer& entry) {
            entry.AddUnsignedInteger(e.serial);
            entry.AddX509Time(e.revocation_date);
            // RFC 5280 §5.3.1: reasonCode unspecified SHOULD be absent.
            const bool has_reason = e.reason && *e.reason != RevocationReason::kUnspecified;
            if (has_reason || e.invalidity_date) {
              entry.AddSequence([&](Writer& exts) {
                if (has_reason) {
                  Writer value;
                  value.AddElement(asn1::kEnumerated,
                                   Bytes{static_cast<uint8_t>(static_cast<int>(*e.reason))});
                  internal::AddExtension(exts, asn1::oids::CrlReason(), false, value.bytes());
                }
                if (e.invalidity_date) {
                  Writer value;
                  value.AddGeneralizedTime(*e.invalidity_date);
                  internal::AddExtension(exts, oids::InvalidityDate(), false, value.bytes());
                }
              });
            }
          });
        }
      });
    }
    if (!p.crl_number.empty() || !p.authority_key_id.empty()) {
      tbs.AddConstructed(asn1::ContextTag(0, true), [&](Writer& outer) {
        outer.AddSequence([&](Writer& exts) {
          if (!p.authority_key_id.empty()) {
            internal::AddExtension(exts, asn1::oids::AuthorityKeyId(), false,
                                   internal::EncodeAuthorityKeyId(p.authority_key_id));
          }
          if (!p.crl_number.empty()) {
            Writer n;
            n.AddUnsignedInteger(p.crl_number);
            internal::AddExtension(exts, asn1::oids::CrlNumber(), false, n.bytes());
          }
        });
      });
    }
  });
  Bytes tbs = std::move(w).Finish();
  ASSIGN_OR_RETURN(Bytes sig, signer.Sign(tbs));
  return SignedEnvelope(tbs, sig);
}

}  // namespace eseal::x509
