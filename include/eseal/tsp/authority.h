// The time-stamping authority (时间戳服务机构, TSA) of RFC 3161 / GB/T 20520: answers
// TimeStampReq with TimeStampResp, and stamps imprints in-process for eseal's own signing.
//
// A token (时间戳令牌) is ContentInfo 1.2.840.113549.1.7.2 / SignedData v3 / eContentType
// id-ct-TSTInfo, holding a DER TSTInfo v1: the configured policy (default
// DefaultTsaPolicy()), the messageImprint as sent (SM3, or SHA-256 when asked), a serial
// from the SerialSource, genTime = Clock::Now() as a UTC GeneralizedTime (whole seconds),
// the configured accuracy, the nonce echoed, tsa [0] directoryName = the certificate's
// subject. One SignerInfo (v1, issuerAndSerialNumber, digest SM3, signature
// SM2-with-SM3 1.2.156.10197.1.501 with the default SM2 ID over DER(SET OF signed
// attributes)); signed attributes contentType, messageDigest (SM3 of the TSTInfo) and
// signingCertificateV2 (one ESSCertIDv2: SHA-256 certHash, the DEFAULT algorithm so left
// out, and issuerSerial). The certificate (and the configured chain) is in the token when
// the request sets certReq; Stamp() always includes it.
//
// Respond never throws and never answers "granted" without a token: bad requests get
// status rejection with one failInfo and no token —
//   badDataFormat: not a DER TimeStampReq, too large, or an imprint of the wrong length;
//   badRequest: version other than 1;   badAlg: an imprint hash other than SM3 / SHA-256;
//   unacceptedPolicy: a reqPolicy the TSA does not serve;
//   unacceptedExtension: any request extension (RFC 3161 §2.4.2: a TSA must refuse an
//   extension it does not recognise, critical or not; eseal recognises none);
//   systemFailure: the clock, serial source or signer failed.
//
// The clock is injected; this class does not check that it is synchronised (the server's
// refusal on an unsynchronised kernel clock belongs to whoever runs it: docs/trusted-time.md).
// Thread-safety: Respond and Stamp may be called from several threads when the signer,
// the clock and the serial source are thread-safe (SystemClock, Sm2PrivateKey and
// RandomSerialSource are). The Clock and SerialSource must outlive the authority.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "eseal/base/clock.h"
#include "eseal/base/rng.h"
#include "eseal/crypto/sm2.h"
#include "eseal/tsp/timestamp_request.h"
#include "eseal/tsp/tst_info.h"
#include "eseal/x509/certificate.h"

namespace eseal::tsp {

// eseal's TSA policy, 1.3.6.1.4.1.32473.2.1: under the documentation arc (RFC 5612) like
// eseal's certificate policies (x509/ca.h); replace before tokens leave a closed deployment.
const asn1::Oid& DefaultTsaPolicy();

// Where serial numbers come from. Must never repeat for one TSA.
class SerialSource {
 public:
  virtual ~SerialSource() = default;
  // Unsigned big-endian magnitude, at most 20 octets (RFC 3161: up to 160 bits).
  virtual Result<Bytes> Next() = 0;
};

// 17 octets: 0x01, a 64-bit counter and 64 fresh random bits from `rng` (which must be
// thread-safe if Next is called from several threads). The counter makes serials of one process distinct; the random half makes
// serials of different processes (or a restarted one) distinct with overwhelming odds.
class RandomSerialSource final : public SerialSource {
 public:
  explicit RandomSerialSource(Rng& rng);
  Result<Bytes> Next() override;

 private:
  Rng& rng_;
  std::atomic<uint64_t> counter_{0};
};

struct TsaOptions {
  asn1::Oid policy = DefaultTsaPolicy();
  std::vector<asn1::Oid> other_policies;  // further reqPolicy values accepted (stamped as asked)
  Accuracy accuracy{1, std::nullopt, std::nullopt};  // the clock's honest bound
  std::vector<x509::Certificate> chain;  // issuing CA(s) to send with the TSA certificate
};

class TimestampAuthority {
 public:
  // Checks that `certificate` holds the signer's public key and has a critical
  // extendedKeyUsage of id-kp-timeStamping alone (FailedPrecondition otherwise: a token
  // from it would never verify).
  static Result<TimestampAuthority> Create(std::shared_ptr<const crypto::Sm2Signer> signer,
                                           x509::Certificate certificate, TsaOptions options,
                                           const Clock& clock, SerialSource& serials);

  // A DER TimeStampResp for any input (see above for the rejections).
  Bytes Respond(ByteView request_der) const;
  // A token over `hashed_message` (SM3 or SHA-256, by `hash_algorithm`), no nonce, the
  // certificate and chain included. InvalidArgument for another algorithm or length.
  Result<Bytes> Stamp(ByteView hashed_message, const asn1::Oid& hash_algorithm) const;

  const x509::Certificate& certificate() const { return cert_; }
  const TsaOptions& options() const { return options_; }

 private:
  TimestampAuthority(std::shared_ptr<const crypto::Sm2Signer> signer, x509::Certificate cert,
                     TsaOptions options, const Clock& clock, SerialSource& serials)
      : signer_(std::move(signer)), cert_(std::move(cert)), options_(std::move(options)),
        clock_(&clock), serials_(&serials) {}
  Result<Bytes> Issue(const TimestampRequest& request, const asn1::Oid& policy) const;

  std::shared_ptr<const crypto::Sm2Signer> signer_;
  x509::Certificate cert_;
  TsaOptions options_;
  const Clock* clock_;
  SerialSource* serials_;
};

}  // namespace eseal::tsp
