// What each revision after a signature changed (签名后修改): every object a later
// incremental update adds or replaces, classified as a new signature, a document
// timestamp, a DSS (long-term validation data), annotations, form filling, metadata, or
// anything else — which is a change after signing. Our own comparison of the document
// before and after each revision, object by object, through libqpdf.
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/pdf/document.h"

namespace eseal::pdf {

enum class ChangeKind {
  kSignature,     // a new signature field, its dictionary, widget and appearance
  kDocTimestamp,  // a document timestamp (/Type /DocTimeStamp)
  kDss,           // /DSS and the certificates, CRLs and answers it holds
  kAnnotations,   // annotations that are not signature widgets (comments, stamps)
  kFormFill,      // values of form fields that are not signatures
  kMetadata,      // the document information dictionary
  kOther,         // anything else: page content, resources, earlier objects
};

struct RevisionChanges {
  size_t revision = 0;  // index into Document::revisions()
  std::vector<ChangeKind> kinds;  // each kind seen, once, in order of first sight
  std::vector<std::string> other_objects;  // "N G" of the objects classified kOther
  std::string detail;   // one line naming what kOther covers
  bool Has(ChangeKind k) const;
};

// The revisions that end after `signed_end` (the end of a signature's ByteRange), each
// classified. ResourceExhausted past limits.max_compared_objects; InvalidArgument when a
// revision cannot be read on its own.
Result<std::vector<RevisionChanges>> ChangesAfter(const Document& doc, uint64_t signed_end);

const char* ChangeKindName(ChangeKind k);  // "signature", "doc_timestamp", ...

}  // namespace eseal::pdf
