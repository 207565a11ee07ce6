// Work accounting of the ofd module: how many XML files it has parsed on the calling thread.
// Counted, not timed: verify::internal::WorkMeter reads the difference across one
// verification against Budget::max_xml_parses, and the hostile-input tests assert bounds
// on it (src/verify/ofd_hostile_test.cc). Every parse of package XML by the ofd module
// (ofd::internal::ParseXml: OFD.xml, Document.xml, pages, resources, Signatures.xml,
// Signature.xml) counts once, whether it succeeds or not.
// Thread-safety: thread-local counters; each thread sees only its own work.
#pragma once

#include <cstdint>
#include <string_view>

#include "eseal/base/bytes.h"
#include "eseal/base/status.h"
#include "eseal/ofd/limits.h"

namespace pugi {
class xml_document;
}

namespace eseal::ofd {

// XML parses on this thread since it started.
uint64_t XmlParseCount();

// Parses package XML as every ofd reader does — DTDs and entities refused, UTF-8 only, the
// size and depth limits, counted in XmlParseCount — for code outside the ofd module that
// walks the tree itself (verify's coverage graph). InvalidArgument or ResourceExhausted
// naming `what`.
Status ParseXmlTree(ByteView xml, const Limits& limits, std::string_view what, pugi::xml_document* doc);

}  // namespace eseal::ofd
