// Fuzzes the OFD zip layer: open a package from arbitrary bytes, list it, read every entry,
// then read it as an OFD document (OFD.xml, Document.xml, pages, text, signatures).
#include <cstddef>
#include <cstdint>

#include "eseal/ofd/package.h"
#include "eseal/ofd/reader.h"
#include "eseal/ofd/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace eseal::ofd;
  Limits limits;
  // Small limits keep each run fast; the logic under test is the same.
  limits.max_package_size = 4 << 20;
  limits.max_total_uncompressed = 8 << 20;
  limits.max_entry_size = 4 << 20;
  limits.ratio_threshold = 64 << 10;
  limits.max_entries = 2000;
  limits.max_xml_size = 1 << 20;
  limits.max_pages = 50;
  limits.max_page_objects = 20000;
  eseal::Bytes bytes(data, data + size);
  auto pkg = Package::Open(bytes, limits);
  if (!pkg.ok()) return 0;
  for (const EntryInfo& e : pkg->entries()) {
    if (e.is_directory) continue;
    auto b = pkg->ReadEntry(e, limits.max_entry_size);
    (void)b;
    (void)pkg->FindIgnoringCase(e.path);
  }
  auto reader = Reader::Open(std::move(pkg).value());
  if (!reader.ok()) return 0;
  for (size_t i = 0; i < reader->page_count() && i < 5; ++i) {
    (void)reader->GetPageInfo(i);
    (void)FindText(*reader, i, "OFD");
  }
  (void)reader->LoadResources();
  auto sigs = reader->LoadSignatures();
  if (sigs.ok()) {
    for (const SignatureEntry& e : sigs->entries) (void)reader->LoadSignature(e);
  }
  return 0;
}
