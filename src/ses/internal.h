// Codec pieces shared by the version folders. Each function reads or writes one standard
// object; the Reader is positioned at the object and advanced past it.
#pragma once

#include "eseal/asn1/der.h"
#include "eseal/ses/seal.h"
#include "eseal/ses/signature.h"

namespace eseal::ses::internal {

// common/
Result<Header> ParseHeader(asn1::Reader& r);
void EncodeHeader(const Header& h, asn1::Writer& w);
Result<ExtData> ParseExtData(asn1::Reader& r);
Result<std::vector<ExtData>> ParseExtensionDatas(asn1::Reader& r);
void EncodeExtensionDatas(const std::vector<ExtData>& exts, asn1::Writer& w);
Result<Picture> ParsePicture(asn1::Reader& r);
void EncodePicture(const Picture& p, asn1::Writer& w);

// Adds "what: " to an error from a parse step.
inline Status Ctx(const Status& s, std::string_view what) { return s.WithContext(what); }

namespace v1 {
Result<Seal> ParseSeal(ByteView der);
void EncodeSealInfo(const Seal& seal, asn1::Writer& w);
void EncodeSeal(const Seal& seal, asn1::Writer& w);
Bytes MakerSignedMessage(const Seal& seal);
Result<Signature> ParseSignature(ByteView der);
void EncodeTbsSign(const Signature& sig, asn1::Writer& w);
void EncodeSignature(const Signature& sig, asn1::Writer& w);
}  // namespace v1

namespace v4 {  // also v5 (same layout, plus the seal's optional timeStamp)
Result<Seal> ParseSeal(ByteView der);
void EncodeSealInfo(const Seal& seal, asn1::Writer& w);
void EncodeSeal(const Seal& seal, asn1::Writer& w);
Result<Signature> ParseSignature(ByteView der);
void EncodeTbsSign(const Signature& sig, asn1::Writer& w);
void EncodeSignature(const Signature& sig, asn1::Writer& w);
}  // namespace v4

// Number of elements in the SEQUENCE at the start of `der`, or an error.
Result<int> CountTopLevelElements(ByteView der);

}  // namespace eseal::ses::internal
