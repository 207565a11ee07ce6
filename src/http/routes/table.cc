// The whole route table: each capability's routes (api/openapi.yaml is the contract; a
// test keeps the two equal).
#include "routes/common.h"

namespace eseal::http {

const std::vector<Route>& RouteTable() {
  static const std::vector<Route> kRoutes = [] {
    std::vector<Route> all;
    for (auto part : {routes::OperationsRoutes, routes::VerificationRoutes, routes::TrustedTimeRoutes,
                      routes::NoticesRoutes, routes::ClientsRoutes, routes::CredentialsRoutes, routes::SignInRoutes,
                      routes::TokensRoutes,
                      routes::RegistryRoutes, routes::LifecycleRoutes, routes::SigningRoutes,
                      routes::SigningSessionRoutes, routes::SignBatchRoutes,
                      routes::AuditRoutes, routes::RecognitionRoutes, routes::ArchivesRoutes}) {
      std::vector<Route> r = part();
      all.insert(all.end(), r.begin(), r.end());
    }
    return all;
  }();
  return kRoutes;
}

}  // namespace eseal::http
