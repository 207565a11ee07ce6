// The platform's use cases (印章平台), grouped by capability, each a small interface with
// its own header: credentials, registry, lifecycle, signing, verification, trusted time,
// clients and authorisations, recognition and filing, audit, archives. HTTP route files
// (src/http/routes/<capability>.cc) and CLI commands each depend on the one capability
// they serve; apps/ opens one Platform and hands each capability to its routes.
// Every use case carries its authorisation rule; no SQL, no crypto and no policy lives
// above this layer. Every state change writes its audit entry in the same transaction.
// Thread-safety: a Platform is safe to use from many threads at once.
#pragma once

#include <memory>

#include "eseal/base/result.h"
#include "eseal/platform/archives.h"
#include "eseal/platform/audit_trail.h"
#include "eseal/platform/caller.h"
#include "eseal/platform/clients.h"
#include "eseal/platform/credentials.h"
#include "eseal/platform/lifecycle.h"
#include "eseal/platform/options.h"
#include "eseal/platform/recognition.h"
#include "eseal/platform/registry.h"
#include "eseal/platform/signing.h"
#include "eseal/platform/trusted_time.h"
#include "eseal/platform/verification.h"

namespace eseal::platform {

// All capabilities over one store, KEK and identity. Its nested types (Platform::SignInput
// and so on) are the capabilities' own, found through the bases.
class Platform : public Credentials,
                 public Registry,
                 public Lifecycle,
                 public Signing,
                 public Verification,
                 public TrustedTime,
                 public Clients,
                 public Recognition,
                 public AuditTrail,
                 public Archives {
 public:
  // Opens the platform over a store; on an empty store creates the identity (built-in CA,
  // seal-maker key and certificate) and the first operator account.
  static Result<std::unique_ptr<Platform>> Open(const PlatformOptions& options, Bootstrap* bootstrap);
  ~Platform() override = default;
};

}  // namespace eseal::platform
