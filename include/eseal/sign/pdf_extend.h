// Long-term evidence in a PDF (长期验证数据; PAdES B-LT and B-LTA shapes, ETSI EN 319 142-1,
// pdf-and-timestamps.md §6): a signed PDF must still verify in twenty years, when every
// certificate in it has expired and the CAs' CRL services are gone. ExtendPdf appends, as
// two incremental updates that change no earlier byte:
//  1. a DSS (文档安全存储, pdf/dss_writer.h) with the certificates and CRLs a verifier will
//     need: the certificates the document's own signatures carry (signer certificates,
//     seal makers' certificates inside SES seals, TSA certificates inside their tokens),
//     those the caller gives (the chains' CAs, the TSA's chain) and the CRLs the caller
//     gives — each written once, whatever the DSS already held kept;
//  2. a document timestamp (文档时间戳): a signature field whose dictionary is /Type
//     /DocTimeStamp /SubFilter /ETSI.RFC3161 and whose /Contents is an RFC 3161
//     TimeStampToken over SM3 of its ByteRange bytes — the whole file before it, DSS
//     included — so the evidence itself is proven to have existed at the token's genTime.
//     Extending again before the TSA certificate expires renews the proof.
// Thread-safety: reentrant (the Timestamper as thread-safe as what it wraps).
#pragma once

#include <string>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/pdf/limits.h"
#include "eseal/sign/timestamper.h"

namespace eseal::sign {

struct PdfExtendRequest {
  ByteView document;
  std::vector<Bytes> certificates;  // DER: the CAs of the chains, the TSA's chain
  std::vector<Bytes> crls;          // DER: current CRLs of every issuer involved
  // Also put in the certificates the document's signatures and timestamps carry.
  bool include_document_certificates = true;
  // Called with the ByteRange bytes; must return a token over SM3 of them (LocalTimestamper,
  // HttpTimestamper). Empty: the DSS only, no document timestamp (B-LT without B-LTA).
  Timestamper timestamper;
  std::string field_name;  // of the document timestamp; empty: "eseal-ts-N" (the first free N)
  pdf::Limits limits;
};

struct PdfExtendResult {
  Bytes document;
  size_t certs_added = 0, crls_added = 0;  // new DSS entries (those it held are not counted)
  std::string field_name;                  // empty when no document timestamp was added
  Bytes token;                             // the document timestamp's TimeStampToken
};

// Errors: as pdf::Document::Open for a PDF it cannot read; InvalidArgument for a
// certificate or CRL that does not parse (named by its position) or a field name in use;
// FailedPrecondition when there is nothing to do (no timestamper and nothing new for the
// DSS) or a certification signature allows no changes (DocMDP 1) — the document
// timestamp is a change to it; the timestamper's error (nothing is written).
Result<PdfExtendResult> ExtendPdf(const PdfExtendRequest& request);

}  // namespace eseal::sign
