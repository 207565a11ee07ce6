// Appending a Document Security Store (文档安全存储, DSS; ISO 32000-2 §12.8.4.3, PAdES
// B-LT in ETSI EN 319 142-1) as an incremental update: the certificates, CRLs and OCSP
// answers a verifier will need after they can no longer be fetched — years later, when
// the CA's CRL service is gone — each written as its own stream of DER, listed in
// /Certs, /CRLs and /OCSPs of the Catalog's /DSS. An existing DSS keeps every entry (and
// its /VRI) and gains the new ones; entries it already holds are not written twice.
// Earlier bytes never change, so every signature stays intact, and the verifier
// classifies the revision as a DSS (changes.h), which no signature forbids.
// Thread-safety: reentrant.
#pragma once

#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/pdf/document.h"

namespace eseal::pdf {

struct DssAddition {
  std::vector<Bytes> certs, crls, ocsps;  // DER each; the format layer does not parse them
};

struct DssAppended {
  Bytes file;  // the document unchanged when nothing was new (no empty revision)
  size_t certs_added = 0, crls_added = 0, ocsps_added = 0;
};

// InvalidArgument when the Catalog's /DSS is something other than a dictionary, or the
// file cannot take an incremental update.
Result<DssAppended> AppendDss(const Document& doc, const DssAddition& add);

}  // namespace eseal::pdf
