// Timestamping the signatures eseal makes (时间戳): a hook that turns a signature value into
// a DER TimeStampToken whose imprint is SM3 of that value (GB/T 38540 timeStamp, RFC 3161
// Appendix A signature timestamp), and the two places it is put — the SES_Signature
// timeStamp [0] (v4) and the GB/T 35275 SignerInfo's unsigned attribute
// id-aa-signatureTimeStampToken (1.2.840.113549.1.9.16.2.14). A token proves the signature
// existed at its genTime, so the verifier judges the signer's certificate then rather than
// now (docs/trusted-time.md).
// Thread-safety: the helpers are reentrant; a Timestamper is as thread-safe as what it wraps.
#pragma once

#include <functional>

#include "eseal/base/bytes.h"
#include "eseal/ses/signature.h"
#include "eseal/tsp/authority.h"
#include "eseal/x509/signed_data.h"

namespace eseal::sign {

// Returns a DER TimeStampToken (ContentInfo) over `signature_value`, or an error; an error
// fails the signing (nothing is written).
using Timestamper = std::function<Result<Bytes>(ByteView signature_value)>;

// Stamps with an in-process authority (eseal's own TSA): imprint = SM3(signature_value).
// `tsa` must outlive the returned function.
Timestamper LocalTimestamper(const tsp::TimestampAuthority& tsa);

// Asks `timestamper` for a token over `stamped` and checks it before anyone writes it: it
// parses as a TimeStampToken and its imprint is the hash of `stamped` (a wrong token would
// be written once and be wrong forever). DataLoss for a token that is neither; the
// timestamper's own error otherwise; both with a bilingual context.
Result<Bytes> TokenOver(ByteView stamped, const Timestamper& timestamper);

// Sets `sig.timestamp` to a token over `sig.signature` and re-encodes `sig.der`.
// FailedPrecondition for a v1 (GM/T 0031-2014) SES_Signature: its ASN.1 has no timeStamp
// field, and a token anywhere else would be unreadable to every other verifier. The
// timestamper's error is returned with a bilingual context.
Status StampSesSignature(ses::Signature& sig, const Timestamper& timestamper);

// Adds the signature-timestamp unsigned attribute to the first (only) SignerInfo of `sd`,
// over its encryptedDigest, and re-encodes `sd.der`. FailedPrecondition when the
// SignerInfo already has unsigned attributes (eseal's never do; merging is not needed).
Status StampSignedData(x509::SignedData& sd, const Timestamper& timestamper);

}  // namespace eseal::sign
