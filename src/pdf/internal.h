// Shared inside the pdf module only.
#pragma once

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/pdf/document.h"

namespace eseal::pdf {

struct Document::Impl {
  Bytes bytes;
  Limits limits;
  std::unique_ptr<QPDF> qpdf;
  std::vector<Revision> revisions;
  uint64_t last_startxref = 0;
  std::vector<QPDFObjectHandle> pages;
  std::vector<PageBox> boxes;
  std::vector<SignatureField> signatures;
  Dss dss;
  std::vector<std::string> warnings;
};

// The integer value of `key` at the top level of the dictionary text `dict` (which starts
// at "<<"), skipping nested dictionaries, arrays and strings.
std::optional<uint64_t> TopLevelInt(std::string_view dict, std::string_view key);

// `dict[key]`, or null when `dict` is not a dictionary (qpdf warns on getKey of a non-dictionary,
// and warnings count as damage here).
inline QPDFObjectHandle Get(QPDFObjectHandle dict, const char* key) {
  return dict.isDictionary() ? dict.getKey(key) : QPDFObjectHandle::newNull();
}

// Opens `bytes` (which must outlive the QPDF) with recovery off: a file qpdf would have to
// reconstruct is refused; what it merely warns about is left for the caller to read.
Result<std::unique_ptr<QPDF>> OpenQpdf(ByteView bytes, const Limits& limits);

// A PDF literal string for UTF-8 text: ASCII as (escaped), anything else as UTF-16BE with
// a byte-order mark in hex (PDF "text string", ISO 32000-1 §7.9.2.2).
std::string PdfTextString(std::string_view utf8);

}  // namespace eseal::pdf
