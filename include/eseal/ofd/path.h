// Package paths: ST_Loc (包内文件的路径, GB/T 33190-2016 §7.3.3), the way OFD XML refers to
// files in the package, and eseal's one canonical form for them.
//
// A canonical package path starts with '/', separates segments with '/', and has no empty,
// "." or ".." segment, no backslash and no control character: "/Doc_0/Signs/Sign_0/Signature.xml".
// The zip entry name of a file is its canonical path without the leading '/'.
//
// An ST_Loc as written in a file is either absolute ("/Doc_0/Document.xml") or relative to
// the folder of the file that contains it: KingGrid writes BaseLoc="Sign_0/Signature.xml"
// inside /Doc_0/Signs/Signatures.xml, meaning /Doc_0/Signs/Sign_0/Signature.xml.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "eseal/base/result.h"

namespace eseal::ofd {

// True if `path` is in canonical form (see above).
bool IsCanonicalPath(std::string_view path);

// Resolves `loc`, as written inside the file `base_file` (a canonical path), to a canonical
// path. Surrounding whitespace is ignored; "." and ".." segments are resolved. Fails with
// InvalidArgument for an empty loc, a backslash, a control character, or a path that climbs
// above the package root.
Result<std::string> ResolveLoc(std::string_view base_file, std::string_view loc);

// Like ResolveLoc, but relative to a folder (canonical, ending in '/'), as for a resource
// file's BaseLoc folder.
Result<std::string> ResolveLocInDir(std::string_view base_dir, std::string_view loc);

// The folder of a canonical path, with a trailing '/': "/Doc_0/Signs/Signatures.xml" gives
// "/Doc_0/Signs/"; "/OFD.xml" gives "/".
std::string ParentDir(std::string_view canonical_path);

// The zip entry name for a canonical path ("/Doc_0/Document.xml" -> "Doc_0/Document.xml").
std::string EntryNameFor(std::string_view canonical_path);

// The canonical path for a zip entry name; InvalidArgument (naming the entry) for names a
// safe reader must refuse: absolute paths, backslashes, ".." or "." segments, empty
// segments, control characters. A trailing '/' (a folder entry) is dropped.
Result<std::string> PathForEntryName(std::string_view entry_name);

}  // namespace eseal::ofd
