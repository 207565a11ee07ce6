// Placement and mode fields of signing requests (sign_params.h).
#include "routes/sign_params.h"

namespace eseal::http::routes {

void ReadPlacementFields(Input& in, PlacementFields* f) {
  f->has_position = in.Has("x") || in.Has("y") || in.Has("page");
  f->has_keyword = in.Has("keyword");
  f->has_riding = in.Has("riding");
  in.Int("page", &f->pos.page, kOpt, 1, 100000)
      .Num("x", &f->pos.x_mm, f->has_position ? kReq : kOpt)
      .Num("y", &f->pos.y_mm, f->has_position ? kReq : kOpt)
      .Str("keyword", &f->keyword, kOpt, 200)
      .Int("occurrence", &f->occurrence, kOpt, 0, 100000)
      .Str("riding", &f->riding, kOpt, 16)
      .Str("pages", &f->pages, kOpt, 32)
      .Num("offset", &f->offset, kOpt)
      .Num("width", &f->width_mm, kOpt)
      .Num("height", &f->height_mm, kOpt)
      .Str("mode", &f->mode, kOpt, 16);
}

Status MakePlacement(const Input& in, const PlacementFields& f, sign::Placement* placement, sign::ProtectMode* mode) {
  placement->width_mm = f.width_mm;
  placement->height_mm = f.height_mm;
  if (f.has_position + f.has_keyword + f.has_riding != 1) {
    return InvalidArgumentError(
        "give exactly one placement: page with x and y (millimetres), keyword (with occurrence and "
        "pages), or riding (an edge, with pages)");
  }
  if (placement->width_mm < 0 || placement->height_mm < 0 || placement->width_mm > 1000 ||
      placement->height_mm > 1000) {
    return InvalidArgumentError("fields 'width' and 'height' must be between 0 and 1000 millimetres");
  }
  if (f.has_position) {
    if (f.pos.x_mm < 0 || f.pos.y_mm < 0 || f.pos.x_mm > 10000 || f.pos.y_mm > 10000) {
      return InvalidArgumentError("fields 'x' and 'y' must be between 0 and 10000 millimetres");
    }
    if (!f.pages.empty() || in.Has("occurrence") || in.Has("offset")) {
      return InvalidArgumentError("fields 'pages', 'occurrence' and 'offset' do not go with x and y");
    }
    placement->positions.push_back(f.pos);
  } else {
    int first = 1, last = 0;
    if (!f.pages.empty() && !ParsePages(f.pages, &first, &last)) {
      return InvalidArgumentError("字段“pages”应为页码（如 3）或页码范围（如 2-5，或 2- 表示到末页） / field 'pages' must be a page (3) or a range (2-5, or 2- for the rest)");
    }
    if (f.has_keyword) {
      if (f.keyword.empty()) return InvalidArgumentError("字段“keyword”不能为空，请填写要定位的文字 / field 'keyword' must not be empty");
      if (in.Has("offset")) return InvalidArgumentError("field 'offset' goes with riding seals only");
      placement->keyword = sign::KeywordPlacement{f.keyword, f.occurrence, first, last};
    } else {
      if (in.Has("occurrence")) return InvalidArgumentError("field 'occurrence' goes with keyword only");
      sign::Edge edge;
      if (f.riding == "left") {
        edge = sign::Edge::kLeft;
      } else if (f.riding == "right") {
        edge = sign::Edge::kRight;
      } else if (f.riding == "top") {
        edge = sign::Edge::kTop;
      } else if (f.riding == "bottom") {
        edge = sign::Edge::kBottom;
      } else {
        return InvalidArgumentError("field 'riding' must be an edge: left, right, top or bottom");
      }
      placement->riding = sign::RidingPlacement{edge, first, last, f.offset};
    }
  }
  if (f.mode == "continue") {
    *mode = sign::ProtectMode::kContinue;
  } else if (f.mode == "whole") {
    *mode = sign::ProtectMode::kWhole;
  } else {
    return InvalidArgumentError("field 'mode' must be continue or whole");
  }
  return Status::Ok();
}

}  // namespace eseal::http::routes
