// Internal helpers shared by the ofd model parsers.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <string_view>

#include "eseal/ofd/document.h"
#include "eseal/ofd/resources.h"

namespace eseal::ofd::internal {

// CT_PageArea from an <Area> or <PageArea> element; malformed boxes are left out.
PageArea ParsePageArea(pugi::xml_node node);

// A CT_Color element (FillColor, StrokeColor), or nullopt.
std::optional<Color> ParseColorNode(pugi::xml_node node);

// Resolves a loc leniently: the canonical path, or "" when it cannot be resolved.
std::string ResolveOrEmpty(std::string_view base_file, std::string_view loc);

}  // namespace eseal::ofd::internal
