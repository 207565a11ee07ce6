// The deployment defaults `eseal serve` enforces before it opens anything (docs/security.md
// "Deployment defaults"): no plain HTTP on an address other machines reach, and no key file
// that a copy of the data folder would carry along. Each refusal names the way out.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "eseal/base/status.h"

namespace eseal::apps {

// 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(std::string_view host);

// InvalidArgument when `host` is not loopback, there is no TLS and `insecure_http` is not
// given. `flag` names the option the address came from (--listen, --metrics-listen).
Status CheckPlainHttp(std::string_view flag, const std::string& host, bool tls, bool insecure_http);

// InvalidArgument when the key-encryption key file lies inside the data folder (by path,
// after resolving symbolic links and "..") and `dev` is not given.
Status CheckKekLocation(const std::string& kek_file, const std::string& data_dir, bool dev);

}  // namespace eseal::apps
