// ST_Loc resolution (包内文件的路径, GB/T 33190-2016 §7.3.3).
#include "eseal/ofd/path.h"

#include <vector>

namespace eseal::ofd {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool HasControl(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t slash = s.find('/', pos);
    if (slash == std::string_view::npos) slash = s.size();
    out.push_back(s.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 200)) {
    out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  }
  if (s.size() > 200) out += "...";
  return out + "\"";
}

// Joins `dir_segments` (already canonical) with the segments of `rel`, resolving "." and "..".
Result<std::string> Resolve(std::vector<std::string> segs, std::string_view rel,
                            std::string_view original) {
  for (std::string_view seg : Split(rel)) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (segs.empty()) {
        return InvalidArgumentError("package path " + Quote(original) +
                                    " climbs above the package root");
      }
      segs.pop_back();
      continue;
    }
    segs.emplace_back(seg);
  }
  if (segs.empty())
    return InvalidArgumentError("package path " + Quote(original) + " names no file");
  std::string out;
  for (const std::string& s : segs) {
    out += '/';
    out += s;
  }
  return out;
}

std::vector<std::string> DirSegments(std::string_view canonical_dir) {
  std::vector<std::string> segs;
  for (std::string_view seg : Split(canonical_dir)) {
    if (!seg.empty()) segs.emplace_back(seg);
  }
  return segs;
}

Result<std::string_view> CheckLoc(std::string_view loc) {
  std::string_view t = TrimSpace(loc);
  if (t.empty()) return InvalidArgumentError("empty package path");
  if (t.find('\\') != std::string_view::npos) {
    return InvalidArgumentError("package path " + Quote(t) + " contains a backslash");
  }
  if (HasControl(t)) {
    return InvalidArgumentError("package path " + Quote(t) + " contains a control character");
  }
  return t;
}

}  // namespace

bool IsCanonicalPath(std::string_view path) {
  if (path.size() < 2 || path.front() != '/') return false;
  if (path.find('\\') != std::string_view::npos || HasControl(path)) return false;
  for (std::string_view seg : Split(path.substr(1))) {
    if (seg.empty() || seg == "." || seg == "..") return false;
  }
  return true;
}

std::string ParentDir(std::string_view canonical_path) {
  size_t slash = canonical_path.rfind('/');
  if (slash == std::string_view::npos) return "/";
  return std::string(canonical_path.substr(0, slash + 1));
}

Result<std::string> ResolveLocInDir(std::string_view base_dir, std::string_view loc) {
  ASSIGN_OR_RETURN(std::string_view t, CheckLoc(loc));
  if (t.front() == '/') return Resolve({}, t, t);
  return Resolve(DirSegments(base_dir), t, t);
}

Result<std::string> ResolveLoc(std::string_view base_file, std::string_view loc) {
  return ResolveLocInDir(ParentDir(base_file), loc);
}

std::string EntryNameFor(std::string_view canonical_path) {
  if (!canonical_path.empty() && canonical_path.front() == '/') canonical_path.remove_prefix(1);
  return std::string(canonical_path);
}

Result<std::string> PathForEntryName(std::string_view name) {
  const std::string q = Quote(name);
  if (name.empty()) return InvalidArgumentError("zip entry with an empty name");
  if (name.find('\\') != std::string_view::npos) {
    return InvalidArgumentError("zip entry " + q + " contains a backslash");
  }
  if (HasControl(name)) {
    return InvalidArgumentError("zip entry " + q + " contains a control character");
  }
  if (name.front() == '/' || (name.size() >= 2 && name[1] == ':')) {
    return InvalidArgumentError("zip entry " + q + " is an absolute path");
  }
  std::string_view body = name;
  if (body.back() == '/') body.remove_suffix(1);
  if (body.empty()) return InvalidArgumentError("zip entry " + q + " has an empty path");
  for (std::string_view seg : Split(body)) {
    if (seg == "..")
      return InvalidArgumentError("zip entry " + q + " has a \"..\" segment (path traversal)");
    if (seg.empty() || seg == ".") {
      return InvalidArgumentError("zip entry " + q + " has an empty or \".\" path segment");
    }
  }
  return "/" + std::string(body);
}

}  // namespace eseal::ofd
