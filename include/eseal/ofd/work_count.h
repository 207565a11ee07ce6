// Work accounting of the ofd module: how many XML files it has parsed on the calling thread.
// Counted, not timed: verify::internal::WorkMeter reads the difference across one
// verification against Budget::max_xml_parses, and the hostile-input tests assert bounds
// on it (src/verify/ofd_hostile_test.cc). Every parse of package XML by the ofd module
// (ofd::internal::ParseXml: OFD.xml, Document.xml, pages, resources, Signatures.xml,
// Signature.xml) counts once, whether it succeeds or not.
// Thread-safety: thread-local counters; each thread sees only its own work.
#pragma once

#include <cstdint>

namespace eseal::ofd {

// XML parses on this thread since it started.
uint64_t XmlParseCount();
// For code outside the ofd module that parses package XML itself (verify's coverage
// analysis reads XML with pugixml directly): count one parse, so budgets see it.
void CountXmlParse();

}  // namespace eseal::ofd
