// Limits: the bounds every OFD reader in eseal enforces on outside bytes. An OFD package
// (OFD 包, GB/T 33190-2016 §7) is a zip file written by someone else; before eseal
// inflates, parses or renders any of it, these numbers say how much it is willing to spend,
// so that a zip bomb, a 200 MB "image" or a 10,000-page Document.xml is refused with a clear
// ResourceExhausted error instead of taking the process down. docs/ofd.md explains each value.
// Thread-safety: a plain value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eseal::ofd {

struct Limits {
  // The zip file itself.
  uint64_t max_package_size = uint64_t{512} << 20;
  // Sum of the declared uncompressed sizes of all entries. Reading checks every entry's
  // real size against its declared size, so this also bounds what can really be inflated.
  uint64_t max_total_uncompressed = uint64_t{512} << 20;
  // One entry, uncompressed.
  uint64_t max_entry_size = uint64_t{256} << 20;
  // Uncompressed:compressed ratio allowed for entries larger than `ratio_threshold`.
  // Text and XML compress to about 1:10, images barely; 200:1 only happens on purpose.
  // 0 disables the check.
  uint64_t max_ratio = 200;
  uint64_t ratio_threshold = uint64_t{1} << 20;
  // Number of zip entries (files and folders).
  uint64_t max_entries = 20000;
  // Length of one entry name in bytes.
  size_t max_name_length = 1024;

  // One XML file (OFD.xml, Document.xml, Content.xml, ...), and its element nesting depth.
  uint64_t max_xml_size = uint64_t{32} << 20;
  int max_xml_depth = 128;

  // Pages in one document, graphic objects in one page (including templates' objects when
  // a page is loaded with them), and signatures in one Signatures.xml.
  size_t max_pages = 5000;
  size_t max_page_objects = 200000;
  size_t max_signatures = 1000;
};

}  // namespace eseal::ofd
