// PEM armour (RFC 7468) for keys: textual encoding that keeps secrets in wiped buffers.
#include <openssl/evp.h>

#include <algorithm>

#include "internal.h"

namespace eseal::crypto::internal {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kDashes = "-----";

// A label as it may be shown to a person: printable ASCII, bounded.
std::string PrintableLabel(std::string_view label) {
  std::string out;
  for (char c : label.substr(0, 40)) out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  return out;
}

std::string JoinLabels(std::initializer_list<std::string_view> labels) {
  std::string out;
  for (std::string_view l : labels) {
    if (!out.empty()) out += " or ";
    out += "\"" + std::string(l) + "\"";
  }
  return out;
}

}  // namespace

bool HasPemLabel(std::string_view text, std::string_view label) {
  std::string line = std::string(kBegin) + std::string(label) + std::string(kDashes);
  return text.find(line) != std::string_view::npos;
}

Result<PemBlock> DecodePem(std::string_view text, std::initializer_list<std::string_view> labels) {
  std::string other;
  size_t pos = 0;
  while ((pos = text.find(kBegin, pos)) != std::string_view::npos) {
    size_t label_start = pos + kBegin.size();
    size_t label_end = text.find(kDashes, label_start);
    if (label_end == std::string_view::npos) break;
    std::string_view label = text.substr(label_start, label_end - label_start);
    size_t body_start = label_end + kDashes.size();
    pos = body_start;
    if (label.find('\n') != std::string_view::npos) continue;
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) {
      if (other.empty()) other = PrintableLabel(label);
      continue;
    }
    std::string end_line = "-----END " + std::string(label) + std::string(kDashes);
    size_t body_end = text.find(end_line, body_start);
    if (body_end == std::string_view::npos) {
      return InvalidArgumentError("PEM block \"" + std::string(label) + "\" has no END line");
    }
    // Drop RFC 1421 header lines ("Name: value"); encrypted legacy PEM is refused.
    std::string_view body = text.substr(body_start, body_end - body_start);
    std::string base64;
    base64.reserve(body.size());
    size_t line_start = 0;
    while (line_start < body.size()) {
      size_t nl = body.find('\n', line_start);
      if (nl == std::string_view::npos) nl = body.size();
      std::string_view line = body.substr(line_start, nl - line_start);
      if (line.find(':') != std::string_view::npos) {
        if (line.find("ENCRYPTED") != std::string_view::npos) {
          return InvalidArgumentError(
              "encrypted legacy PEM keys are not supported; convert the key to unencrypted "
              "PKCS#8 or to an eseal protected key");
        }
      } else {
        base64.append(line);
      }
      line_start = nl + 1;
    }
    auto der = Base64Decode(base64);
    SecureZero(base64.data(), base64.size());
    if (!der.ok()) {
      return InvalidArgumentError("PEM block \"" + std::string(label) + "\" is not valid base64");
    }
    PemBlock block{std::string(label), SecretBytes(ByteView(*der))};
    SecureZero(der->data(), der->size());
    if (block.der.empty()) {
      return InvalidArgumentError("PEM block \"" + std::string(label) + "\" is empty");
    }
    return block;
  }
  if (!other.empty()) {
    return InvalidArgumentError("expected a PEM block " + JoinLabels(labels) + ", found \"" +
                                other + "\"");
  }
  return InvalidArgumentError("no PEM block " + JoinLabels(labels) + " found");
}

SecretBytes EncodePem(std::string_view label, ByteView der) {
  std::string begin = std::string(kBegin) + std::string(label) + std::string(kDashes) + "\n";
  std::string end = "-----END " + std::string(label) + std::string(kDashes) + "\n";
  size_t lines = (der.size() + 47) / 48;
  SecretBytes out(begin.size() + end.size() + lines * 65);
  uint8_t* p = out.data();
  p = std::copy(begin.begin(), begin.end(), p);
  uint8_t chunk[65];  // 64 characters and EVP_EncodeBlock's NUL
  for (size_t off = 0; off < der.size(); off += 48) {
    size_t n = std::min<size_t>(48, der.size() - off);
    int w = EVP_EncodeBlock(chunk, der.data() + off, static_cast<int>(n));
    p = std::copy(chunk, chunk + w, p);
    *p++ = '\n';
  }
  SecureZero(chunk, sizeof chunk);
  p = std::copy(end.begin(), end.end(), p);
  out.resize(static_cast<size_t>(p - out.data()));
  return out;
}

}  // namespace eseal::crypto::internal
