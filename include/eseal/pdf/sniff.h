// Whether bytes are a PDF (ISO 32000-1 §7.5.2: the file starts with "%PDF-"), so that the
// platform and its routes tell a PDF from an OFD package by what it is, not by what a
// Content-Type or a file name says.
// Thread-safety: a pure function.
#pragma once

#include "eseal/base/bytes.h"

namespace eseal::pdf {

inline bool LooksLikePdf(ByteView b) { return b.size() >= 5 && AsChars(b.first(5)) == "%PDF-"; }

}  // namespace eseal::pdf
