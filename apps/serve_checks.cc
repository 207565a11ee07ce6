#include "serve_checks.h"

#include <arpa/inet.h>

#include <filesystem>
#include <system_error>

namespace eseal::apps {

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  std::string h(host);
  in_addr v4{};
  if (::inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Status CheckPlainHttp(std::string_view flag, const std::string& host, bool tls, bool insecure_http) {
  if (tls || insecure_http || IsLoopbackHost(host)) return Status::Ok();
  return InvalidArgumentError(
      "拒绝在非本机地址 " + host + " 上提供明文 HTTP（" + std::string(flag) +
      "）：令牌和保护口令会以明文传输。请用 --tls-cert 和 --tls-key 启用 TLS；若前面有终结 TLS 的反向代理且网络可信，加 "
      "--insecure-http / refusing plain HTTP on the non-loopback address " + host + " (" + std::string(flag) +
      "): tokens and protection passwords would cross the network in clear. Give --tls-cert and --tls-key; "
      "behind a TLS-terminating proxy on a trusted network, add --insecure-http");
}

Status CheckKekLocation(const std::string& kek_file, const std::string& data_dir, bool dev) {
  if (dev) return Status::Ok();
  std::error_code ec;
  namespace fs = std::filesystem;
  fs::path kek = fs::weakly_canonical(fs::absolute(kek_file, ec), ec);
  if (ec) kek = fs::absolute(kek_file).lexically_normal();
  fs::path data = fs::weakly_canonical(fs::absolute(data_dir, ec), ec);
  if (ec) data = fs::absolute(data_dir).lexically_normal();
  fs::path rel = kek.lexically_relative(data);
  bool inside = !rel.empty() && *rel.begin() != "..";
  if (!inside) return Status::Ok();
  return InvalidArgumentError(
      "拒绝使用数据目录内的密钥加密密钥文件 " + kek_file +
      "：复制了数据目录的人就同时得到了数据库和解开其中所有私钥的密钥。请用 --kek-file 指定数据目录之外（最好在另一块盘或另一台"
      "机器的挂载点上）的文件，或用 PKCS#11 硬件（--pkcs11-module）；仅演示和测试可加 --dev / refusing the "
      "key-encryption key file " + kek_file +
      " inside the data folder: a copy of the folder would carry the database together with the key that unwraps "
      "every private key in it. Give --kek-file outside the data folder (best on another disk or machine), or a "
      "PKCS#11 token (--pkcs11-module); --dev for demos and tests only");
}

}  // namespace eseal::apps
