// eseal_province_bench: the platform's common reads against a province-sized PostgreSQL
// database (made by eseal_province_gen), through the real repository layer — the same
// Store, transactions and SQL the routes use — with p50/p99 per query and, when the
// server's log is given, the EXPLAIN ANALYZE plan of every statement each query ran
// (auto_explain on a separate connection). docs/benchmarks.md "Province scale".
//
//   eseal_province_bench --url postgresql://... [--iterations 200] [--explain-log FILE]
//
// Each timed iteration is what a route pays: a read transaction (BeginRead), the
// repository calls, Commit. Parameters are sampled from the data first (not timed).
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "eseal/platform/repository.h"
#include "eseal/store/store.h"
#include "eseal/store/testing.h"
#include "province_data.h"

namespace {

using namespace eseal;
using platform::Page;
using platform::Tx;
using Rows = std::vector<std::vector<std::string>>;

struct Params {
  std::vector<std::string> holder_ids, usccs, fragments, esids, seal_ids, approvers;
  std::vector<std::string> county_areas, city_areas;
  int64_t audit_head = 0;
};

// `n` random rows of a table without reading all of it (TABLESAMPLE by block).
Result<Rows> Sample(const std::string& url, const std::string& table, const std::string& select, int n) {
  ASSIGN_OR_RETURN(Rows est, store::QuerySqlForTest(url, "SELECT greatest(reltuples, 1)::bigint FROM pg_class "
                                                         "WHERE relname = '" + table + "'"));
  double rows = est.empty() ? 1 : std::atof(est[0][0].c_str());
  double pct = std::clamp(100.0 * n * 20 / std::max(rows, 1.0), 0.01, 100.0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", pct);
  return store::QuerySqlForTest(url, "SELECT " + select + " FROM " + table + " TABLESAMPLE SYSTEM (" + buf +
                                         ") ORDER BY random() LIMIT " + std::to_string(n));
}

// Characters [from, from+count) of UTF-8 text.
std::string Chars(const std::string& s, size_t from, size_t count) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(s.size());
  if (from + count >= starts.size()) return s;
  return s.substr(starts[from], starts[from + count] - starts[from]);
}

Result<Params> SampleParams(const std::string& url) {
  Params p;
  ASSIGN_OR_RETURN(Rows h, Sample(url, "holders", "id, uscc, name, kind", 500));
  for (const auto& r : h) {
    p.holder_ids.push_back(r[0]);
    p.usccs.push_back(r[1]);
    // Enterprise names are city + brand + trade + form (南宁华鑫科技有限公司): search for the
    // brand and trade, as someone looking a company up would type it.
    if (r[3] == "enterprise") p.fragments.push_back(Chars(r[2], 2, 4));
  }
  ASSIGN_OR_RETURN(Rows s, Sample(url, "seals", "id, esid", 500));
  for (const auto& r : s) {
    p.seal_ids.push_back(r[0]);
    p.esids.push_back(r[1]);
  }
  ASSIGN_OR_RETURN(Rows u, Sample(url, "usage_requests", "(SELECT holder_id FROM seals WHERE id = seal_id)", 500));
  for (const auto& r : u) p.approvers.push_back(r[0]);
  ASSIGN_OR_RETURN(Rows a, store::QuerySqlForTest(url, "SELECT code, level FROM areas ORDER BY code"));
  for (const auto& r : a) (r[1] == "3" ? p.county_areas : p.city_areas).push_back(r[0]);
  ASSIGN_OR_RETURN(Rows head, store::QuerySqlForTest(url, "SELECT seq FROM audit_head"));
  p.audit_head = head.empty() ? 0 : std::atoll(head[0][0].c_str());
  if (p.holder_ids.empty() || p.esids.empty() || p.approvers.empty() || p.fragments.empty() || p.audit_head < 1000) {
    return FailedPreconditionError("数据太少，先运行 eseal_province_gen  too little data: run eseal_province_gen first");
  }
  return p;
}

struct Query {
  std::string name;
  int iterations;
  std::function<Result<size_t>(Tx&, size_t)> run;  // rows seen
};

// The public notices page (PlatformImpl::PublicNotices): rows kept with each department
// seal's event (migration 0009), newest first.
Result<size_t> Notices(Tx& tx) {
  ASSIGN_OR_RETURN(auto page, tx.seal_events().ListNotices(Page{50, 0}));
  return page.size();
}

// One page of incremental audit verification: the entries after `after`, each re-hashed
// and linked to the one before (the SM3 chain the generator wrote).
Result<size_t> AuditPage(Tx& tx, int64_t after) {
  ASSIGN_OR_RETURN(auto page, tx.audit().List(after, 1000));
  std::string prev;
  for (size_t i = 0; i < page.size(); ++i) {
    const auto& e = page[i];
    if (i > 0 && e.prev_hash != prev) return DataLossError("audit chain broken at " + std::to_string(e.seq));
    std::string h = bench::province::AuditEntryHash(e.seq, ToUnix(e.at), e.actor, e.action, e.object_type,
                                                    e.object_id, e.details_json, e.prev_hash);
    if (h != e.hash) return DataLossError("audit entry altered at " + std::to_string(e.seq));
    prev = e.hash;
  }
  return page.size();
}

std::vector<Query> Queries(const Params& p, int n) {
  auto at = [](const std::vector<std::string>& v, size_t i) -> const std::string& { return v[i % v.size()]; };
  using platform::ApplicationStatus;
  auto queue = [&p, at](std::string prefix_of) {
    return [&p, at, prefix_of](Tx& tx, size_t i) -> Result<size_t> {
      platform::ApplicationRepository::Filter f;
      f.status = ApplicationStatus::kPending;
      f.holder_kind = platform::HolderKind::kDepartment;
      // A reviewer's area prefix (lifecycle.cc AreaPrefix): "45" region, "4501" city, whole code county.
      f.holder_area_prefix = prefix_of == "region"  ? std::string("45")
                             : prefix_of == "city" ? at(p.city_areas, i).substr(0, 4)
                                                   : at(p.county_areas, i);
      ASSIGN_OR_RETURN(auto v, tx.applications().List(f, Page{100, 0}));
      return v.size();
    };
  };
  std::vector<Query> q;
  q.push_back({"holder by USCC", n, [&p, at](Tx& tx, size_t i) -> Result<size_t> {
                 ASSIGN_OR_RETURN(auto h, tx.holders().GetByUscc(at(p.usccs, i)));
                 return size_t{1};
               }});
  q.push_back({"holder by name (4 chars)", n, [&p, at](Tx& tx, size_t i) -> Result<size_t> {
                 platform::HolderRepository::Filter f;
                 f.name_contains = at(p.fragments, i);
                 ASSIGN_OR_RETURN(auto v, tx.holders().List(f, Page{20, 0}));
                 return v.size();
               }});
  q.push_back({"holder by name (科技)", n, [](Tx& tx, size_t) -> Result<size_t> {
                 platform::HolderRepository::Filter f;
                 f.name_contains = "科技";
                 ASSIGN_OR_RETURN(auto v, tx.holders().List(f, Page{20, 0}));
                 return v.size();
               }});
  q.push_back({"seals of a holder", n, [&p, at](Tx& tx, size_t i) -> Result<size_t> {
                 platform::SealRepository::Filter f;
                 f.holder_id = at(p.holder_ids, i);
                 ASSIGN_OR_RETURN(auto v, tx.seals().List(f, Page{100, 0}));
                 return v.size();
               }});
  q.push_back({"approver's use requests", n, [&p, at](Tx& tx, size_t i) -> Result<size_t> {
                 platform::UsageRequestRepository::Filter f;
                 f.holder_id = at(p.approvers, i);
                 ASSIGN_OR_RETURN(auto v, tx.usage_requests().List(f, Page{100, 0}));
                 return v.size();
               }});
  q.push_back({"approver's pending requests", n, [&p, at](Tx& tx, size_t i) -> Result<size_t> {
                 platform::UsageRequestRepository::Filter f;
                 f.holder_id = at(p.approvers, i);
                 f.status = platform::UsageRequestStatus::kPending;
                 ASSIGN_OR_RETURN(auto v, tx.usage_requests().List(f, Page{100, 0}));
                 return v.size();
               }});
  q.push_back({"reviewer queue (county)", n, queue("county")});
  q.push_back({"reviewer queue (city)", n, queue("city")});
  q.push_back({"reviewer queue (region)", n, queue("region")});
  q.push_back({"seal status (esID)", n, [&p, at](Tx& tx, size_t i) -> Result<size_t> {
                 ASSIGN_OR_RETURN(auto s, tx.seals().GetByEsid(at(p.esids, i)));
                 ASSIGN_OR_RETURN(auto events, tx.seal_events().ListForSeal(s.id));
                 return events.size();
               }});
  q.push_back({"usage records of a seal", n, [&p, at](Tx& tx, size_t i) -> Result<size_t> {
                 platform::SignatureRepository::Filter f;
                 f.seal_id = at(p.seal_ids, i);
                 ASSIGN_OR_RETURN(auto v, tx.signatures().List(f, Page{50, 0}));
                 return v.size();
               }});
  q.push_back({"audit verify, 1000 after seq", n, [&p](Tx& tx, size_t i) -> Result<size_t> {
                 int64_t back = static_cast<int64_t>(bench::province::Mix(i) % static_cast<uint64_t>(p.audit_head));
                 return AuditPage(tx, std::max<int64_t>(0, p.audit_head - back - 1000));
               }});
  q.push_back({"public notices (newest 50)", n, [](Tx& tx, size_t) -> Result<size_t> { return Notices(tx); }});
  return q;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(k, v.size() - 1)];
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

Status Run(const std::string& url, int iterations, const std::string& explain_log) {
  ASSIGN_OR_RETURN(Params p, SampleParams(url));
  store::StoreOptions opts;
  opts.pool_size = 2;
  ASSIGN_OR_RETURN(auto st, store::OpenStore(url, opts));
  std::vector<Query> queries = Queries(p, iterations);
  std::printf("| query | runs | p50 ms | p99 ms | max ms | rows (median) |\n|---|---:|---:|---:|---:|---:|\n");
  for (const Query& q : queries) {
    std::vector<double> ms;
    std::vector<size_t> rows;
    int warmup = std::max(1, q.iterations / 10);
    for (int i = -warmup; i < q.iterations; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      ASSIGN_OR_RETURN(auto tx, st->BeginRead());
      Result<size_t> r = q.run(*tx, static_cast<size_t>(i + warmup));
      if (!r.ok()) return r.status().WithContext(q.name);
      RETURN_IF_ERROR(tx->Commit());
      double d = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (i >= 0) {
        ms.push_back(d);
        rows.push_back(*r);
      }
    }
    std::sort(rows.begin(), rows.end());
    std::printf("| %s | %zu | %.2f | %.2f | %.2f | %zu |\n", q.name.c_str(), ms.size(), Percentile(ms, 0.5),
                Percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()), rows[rows.size() / 2]);
    std::fflush(stdout);
  }
  st.reset();
  if (explain_log.empty()) return Status::Ok();

  // EXPLAIN ANALYZE of what each query really ran: auto_explain on a connection of its own,
  // its plans read back from the server's log.
  std::string opt = "options=-c%20session_preload_libraries%3Dauto_explain%20-c%20auto_explain.log_min_duration%3D0"
                    "%20-c%20auto_explain.log_analyze%3Don%20-c%20auto_explain.log_buffers%3Don";
  std::string eurl = url + (url.find('?') == std::string::npos ? "?" : "&") + opt;
  store::StoreOptions one;
  one.pool_size = 1;
  ASSIGN_OR_RETURN(auto ex, store::OpenStore(eurl, one));
  for (const Query& q : queries) {
    int64_t before = FileSize(explain_log);
    ASSIGN_OR_RETURN(auto tx, ex->BeginRead());
    Result<size_t> r = q.run(*tx, 7);
    if (!r.ok()) return r.status().WithContext(q.name);
    RETURN_IF_ERROR(tx->Commit());
    std::ifstream in(explain_log, std::ios::binary);
    if (before < 0 || !in) return NotFoundError("服务器日志不可读 cannot read the server log " + explain_log);
    in.seekg(before);
    std::stringstream plan;
    plan << in.rdbuf();
    std::printf("\n### %s\n\n```\n%s```\n", q.name.c_str(), plan.str().c_str());
  }
  return Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, log;
  int iterations = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--url") url = argv[i + 1];
    else if (a == "--iterations") iterations = std::atoi(argv[i + 1]);
    else if (a == "--explain-log") log = argv[i + 1];
    else url.clear();
  }
  if (url.empty() || iterations < 1 || argc % 2 == 0) {
    std::fprintf(stderr, "用法 usage: eseal_province_bench --url POSTGRES_URL [--iterations N] [--explain-log SERVER_LOG]\n");
    return 2;
  }
  Status st = Run(url, iterations, log);
  if (!st.ok()) {
    std::fprintf(stderr, "基准失败 benchmark failed: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
