// The placement and mode fields of a signing request, shared by /sign and /sign-batch
// (routes/signing.cc, routes/sign_batch.cc): one placement — page with x and y, keyword,
// or riding — and the protect mode.
#pragma once

#include <string>

#include "routes/common.h"

namespace eseal::http::routes {

struct PlacementFields {
  bool has_position = false, has_keyword = false, has_riding = false;
  std::string keyword, riding, pages, mode = "continue";
  sign::PagePosition pos;
  int occurrence = 0;
  double offset = -1;
  double width_mm = 0, height_mm = 0;
};

// Reads the fields (call before Input::Finish).
void ReadPlacementFields(Input& in, PlacementFields* f);
// Checks them together (after Finish) into a placement and a mode.
Status MakePlacement(const Input& in, const PlacementFields& f, sign::Placement* placement, sign::ProtectMode* mode);

}  // namespace eseal::http::routes
