// Making seals and signatures (制章, 签章): builds a GB/T 38540 v4 (or GM/T 0031 v1) SESeal
// signed by the seal maker (制章者), and SES_Signatures signed by a signer (签章者) listed
// in the seal. Output is encoded exactly as ofdrw and vendors re-encode it
// (ses-formats.md §6): explicit ExtData.critical, canonical GeneralizedTime, DER SM2
// signatures, IA5String/UTF8String where required, TBS extDatas [0] EXPLICIT.
// Thread-safety: reentrant functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/crypto/sm2.h"
#include "eseal/ses/seal.h"
#include "eseal/ses/signature.h"

namespace eseal::ses {

// Seal type values (印章类型). GB/T 38540 leaves the code table to the application; these
// follow the common practice of Chinese seal systems (see docs/ses.md).
enum SealType : int64_t {
  kTypeLegalName = 1,    // 法定名称章 / 单位公章
  kTypeFinance = 2,      // 财务专用章
  kTypeInvoice = 3,      // 发票专用章
  kTypeContract = 4,     // 合同专用章
  kTypeLegalRep = 5,     // 法定代表人名章
  kTypeBusiness = 6,     // 其他业务专用章
  kTypeGovService = 7,   // 政务服务电子印章
};

struct SealSpec {
  Version version = Version::kV4;  // kV4 (GB/T 38540-2020) or kV1 (GM/T 0031-2014)
  std::string vid = "ESEAL";       // vendor id (厂商标识)
  std::string esid;                // seal code, ASCII
  int64_t type = kTypeLegalName;
  std::string name;                // seal name, UTF-8
  std::vector<Bytes> signer_certs; // DER certificates allowed to sign with the seal
  Time create_date{};
  Time valid_start{};
  Time valid_end{};
  Picture picture;                 // the seal image (PNG) and its size in mm
  std::optional<std::vector<ExtData>> ext_datas;
};

// Signs the seal with the maker key. Fails with InvalidArgument on a malformed spec
// (empty name, non-ASCII esID, no signer certificate, validStart after validEnd) and with
// FailedPrecondition when the maker key does not belong to `maker_cert_der`.
Result<Seal> MakeSeal(const SealSpec& spec, ByteView maker_cert_der, const crypto::Sm2Signer& maker);

struct SignSpec {
  Time time{};                 // signing time (签章时间)
  Bytes data_hash;             // SM3 of the original (32 bytes)
  std::string property_info;   // OFD: path of the Signature.xml being signed
  std::optional<std::vector<ExtData>> ext_datas;  // v4 only
  // Signing with a seal outside its validity is refused unless a test asks for it.
  bool allow_outside_seal_validity = false;
};

// Builds and signs an SES_Signature of the seal's version. Fails with FailedPrecondition
// when the signer certificate is not in the seal's certList, the key does not match the
// certificate, or `time` is outside the seal's validity.
Result<Signature> SignWithSeal(const Seal& seal, ByteView signer_cert_der,
                               const crypto::Sm2Signer& signer, const SignSpec& spec);

}  // namespace eseal::ses
