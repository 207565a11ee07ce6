// eseal_province_gen: loads a province-sized data set into a PostgreSQL database for the
// province benchmark (docs/benchmarks.md "Province scale"; bench/province.sh runs it).
//
//   eseal_province_gen --url postgresql://... [--scale 1.0] [--seed 1] [--wipe]
//
// Scale 1.0: 1,000,000 holders, about 2,000,000 seals, 10,000,000 usage records
// (signatures), 20,000,000 audit entries, and applications, reviews, use requests and seal
// events in proportion. The schema comes from the store's own migrations (OpenStore); the
// rows go in with COPY in one transaction: the tables are truncated first (so with
// wal_level=minimal nothing is WAL-logged), secondary indexes are dropped and rebuilt after
// the load, and foreign-key triggers are skipped (session_replication_role = replica, which
// needs a superuser — the throwaway server's). Then VACUUM ANALYZE, as a database that has
// run for years would have statistics and a visibility map.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <cstring>
#include <string>

#include "eseal/store/store.h"
#include "province_tables.h"

namespace {

using eseal::Status;
using namespace eseal::bench::province;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

const char* const kTables[] = {"areas", "holders", "accounts", "clients", "applications", "application_reviews",
                               "seals", "seal_events", "usage_requests", "signatures", "audit_log",
                               "audit_checkpoints"};

struct Args {
  std::string url;
  double scale = 1.0;
  uint64_t seed = 1;
  bool wipe = false;
};

int Usage() {
  std::fprintf(stderr, "用法 usage: eseal_province_gen --url POSTGRES_URL [--scale F] [--seed N] [--wipe]\n");
  return 2;
}

Status Run(const Args& a) {
  // The schema, from the migrations the server would apply.
  {
    auto store = eseal::store::OpenStore(a.url);
    if (!store.ok()) return store.status().WithContext("open store");
  }
  PGconn* conn = PQconnectdb(a.url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return eseal::UnavailableError("无法连接 cannot connect: " + msg);
  }
  struct Closer {
    PGconn* c;
    ~Closer() { PQfinish(c); }
  } closer{conn};
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);

  ASSIGN_OR_RETURN(auto existing, Query(conn, "SELECT count(*) FROM (SELECT 1 FROM holders LIMIT 1) x"));
  if (existing[0][0] != "0" && !a.wipe) {
    return eseal::FailedPreconditionError("数据库已有数据，加 --wipe 才会清空 the database has holders; --wipe replaces them");
  }

  World w;
  w.seed = a.seed;
  w.now = static_cast<int64_t>(std::time(nullptr)) / kDay * kDay;
  w.start = w.now - 10 * 365 * kDay;  // ten years of a province's platform
  w.holders = std::max<int64_t>(50, static_cast<int64_t>(1'000'000 * a.scale));
  w.signatures = std::max<int64_t>(100, static_cast<int64_t>(10'000'000 * a.scale));
  w.audit_entries = std::max<int64_t>(200, static_cast<int64_t>(20'000'000 * a.scale));

  Clock::time_point t0 = Clock::now();
  RETURN_IF_ERROR(Exec(conn, "SET session_replication_role = replica", "skip foreign-key triggers (superuser)"));
  RETURN_IF_ERROR(Exec(conn, "SET maintenance_work_mem = '1GB'", "maintenance_work_mem"));
  RETURN_IF_ERROR(Exec(conn, "SET max_parallel_maintenance_workers = 0", "one core for index builds"));
  RETURN_IF_ERROR(Exec(conn, "BEGIN", "begin"));
  std::string list;
  for (const char* t : kTables) list += std::string(list.empty() ? "" : ", ") + t;
  RETURN_IF_ERROR(Exec(conn, "TRUNCATE " + list + " CASCADE", "truncate"));

  // Secondary indexes (not the ones behind primary keys and unique constraints) are built
  // once at the end: faster than maintaining them row by row.
  std::string in;
  for (const char* t : kTables) in += std::string(in.empty() ? "'" : ", '") + t + "'";
  ASSIGN_OR_RETURN(auto indexes, Query(conn, "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                                             "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
                                             "WHERE t.relname IN (" + in + ") AND NOT EXISTS ("
                                             "SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"));
  for (const auto& ix : indexes) RETURN_IF_ERROR(Exec(conn, "DROP INDEX " + ix[0], "drop index " + ix[0]));

  Copy c(conn);
  auto step = [&](const char* what, auto&& fn) -> Status {
    Clock::time_point t = Clock::now();
    Status st = fn();
    std::fprintf(stderr, "  %-20s %8.1f s\n", what, Since(t));
    return st;
  };
  std::fprintf(stderr, "载入 loading: %lld holders, %lld signatures, %lld audit entries (scale %g)\n",
               static_cast<long long>(w.holders), static_cast<long long>(w.signatures),
               static_cast<long long>(w.audit_entries), a.scale);
  RETURN_IF_ERROR(step("areas", [&] { return LoadAreas(c); }));
  RETURN_IF_ERROR(step("holders", [&] { return LoadHolders(c, w); }));
  RETURN_IF_ERROR(step("accounts", [&] { return LoadAccounts(c, w); }));
  RETURN_IF_ERROR(step("clients", [&] { return LoadClients(c, w); }));
  RETURN_IF_ERROR(step("seals", [&] { return LoadSeals(c, w); }));
  RETURN_IF_ERROR(step("seal_events", [&] { return LoadSealEvents(c, w); }));
  // Public notices are rows written with each department seal's event (migration 0009);
  // made here the way that migration fills them from the events before it.
  ASSIGN_OR_RETURN(auto has_notices, Query(conn, "SELECT to_regclass('notices') IS NOT NULL"));
  if (has_notices[0][0] == "t") {
    RETURN_IF_ERROR(step("notices", [&] {
      return Exec(conn,
                  "INSERT INTO notices (seal_id, esid, seal_name, holder_name, kind, event, reason, at) "
                  "SELECT s.id, COALESCE(s.esid, ''), s.name, h.name, s.kind, e.type, e.reason, e.at "
                  "FROM seal_events e JOIN seals s ON s.id = e.seal_id JOIN holders h ON h.id = s.holder_id "
                  "WHERE h.kind = 'department' AND (e.type IN ('revoked', 'superseded', 'suspended', 'resumed') "
                  "OR (e.type = 'made' AND s.replaces_id IS NOT NULL AND s.replaces_id <> '')) ORDER BY e.at, e.n",
                  "notices");
    }));
  }
  RETURN_IF_ERROR(step("applications", [&] { return LoadApplications(c, w); }));
  RETURN_IF_ERROR(step("application_reviews", [&] { return LoadReviews(c, w); }));
  RETURN_IF_ERROR(step("usage_requests", [&] { return LoadUsageRequests(c, w); }));
  RETURN_IF_ERROR(step("signatures", [&] { return LoadSignatures(c, w); }));
  std::vector<Checkpoint> checkpoints;
  std::string head;
  RETURN_IF_ERROR(step("audit_log", [&]() -> Status {
    ASSIGN_OR_RETURN(head, LoadAudit(c, w, &checkpoints));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(step("audit_checkpoints", [&] { return LoadCheckpoints(c, w, checkpoints); }));
  RETURN_IF_ERROR(Exec(conn, "UPDATE audit_head SET seq = " + std::to_string(w.audit_entries) + ", hash = '" +
                                 head + "' WHERE id = 1", "audit head"));
  RETURN_IF_ERROR(step("secondary indexes", [&]() -> Status {
    for (const auto& ix : indexes) RETURN_IF_ERROR(Exec(conn, ix[1], "create index " + ix[0]));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(step("commit", [&] { return Exec(conn, "COMMIT", "commit"); }));
  RETURN_IF_ERROR(step("vacuum analyze", [&]() -> Status {
    for (const char* t : kTables) RETURN_IF_ERROR(Exec(conn, std::string("VACUUM (ANALYZE) ") + t, t));
    return Status::Ok();
  }));
  std::fprintf(stderr, "载入完成 loaded in %.1f s\n", Since(t0));

  ASSIGN_OR_RETURN(auto sizes, Query(conn, "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) "
                                           "FROM pg_stat_user_tables WHERE relname IN (" + in + ") ORDER BY relname"));
  for (const auto& row : sizes) std::printf("%-20s %12s rows %10s\n", row[0].c_str(), row[1].c_str(), row[2].c_str());
  ASSIGN_OR_RETURN(auto db, Query(conn, "SELECT pg_size_pretty(pg_database_size(current_database()))"));
  std::printf("database size %s, load %.0f s\n", db[0][0].c_str(), Since(t0));
  return Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--url") {
      const char* v = value();
      if (!v) return Usage();
      a.url = v;
    } else if (arg == "--scale") {
      const char* v = value();
      if (!v) return Usage();
      a.scale = std::atof(v);
    } else if (arg == "--seed") {
      const char* v = value();
      if (!v) return Usage();
      a.seed = std::strtoull(v, nullptr, 10);
    } else if (arg == "--wipe") {
      a.wipe = true;
    } else {
      return Usage();
    }
  }
  if (a.url.empty() || !(a.scale > 0) || a.scale > 10) return Usage();
  Status st = Run(a);
  if (!st.ok()) {
    std::fprintf(stderr, "载入失败 load failed: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
