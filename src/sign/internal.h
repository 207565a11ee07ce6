// Internal pieces of OFD signing, exposed for the module's own tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/ofd/geometry.h"
#include "eseal/ofd/reader.h"
#include "eseal/sign/ofd_signer.h"

namespace eseal::sign::internal {

// One StampAnnot to write: page index (0-based), its box in page millimetres and, for a
// riding seal, the visible slice relative to the box.
struct Appearance {
  size_t page_index = 0;
  ofd::Box boundary;
  std::optional<ofd::Box> clip;
};

// Where the seal goes, for a stamp of `width_mm` x `height_mm`. InvalidArgument for a page
// out of range, a keyword not found, a riding seal over fewer than two pages, or a
// placement that names none or several modes.
Result<std::vector<Appearance>> ComputeAppearances(const ofd::Reader& reader,
                                                   const Placement& placement, double width_mm,
                                                   double height_mm);

// The next signature ID in the style the document already uses: "s007" after "s006",
// "003" after "002", "3" after "2" (ofdrw's StandFormat / NumberFormat IDs).
std::string FormatSignId(uint64_t n, const std::string& style_example);

// "yyyy-MM-dd HH:mm:ss" in China Standard Time (UTC+8), the SignatureDateTime form ofdrw
// writes and Suwell readers show.
std::string FormatSignatureDateTime(Time t);

}  // namespace eseal::sign::internal
