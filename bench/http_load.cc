// eseal_http_load: a small closed-loop HTTP load generator for `eseal serve`.
//
// N connections (one thread and one keep-alive cpp-httplib client each) send requests back
// to back for D seconds against one of
//   verify  POST /api/v1/verify            the raw OFD body (application/ofd); a reply
//                                          counts as good when it is 200 with
//                                          X-Eseal-Verdict: PASSED
//   sign    POST /api/v1/seals/{id}/sign   multipart/form-data: document, password, page,
//                                          x, y (docs/http.md "Signing"); good when 200
//                                          with an application/ofd body
//   session the same with `session` instead of the password: one signing session opened
//           by this tool before the run (POST .../signing-sessions), shared by every
//           connection (they use the same token)
//   batch   POST /api/v1/seals/{id}/sign-batch  --batch-size documents and the password
//                                          per request; good when all are signed
// and prints requests/s, latency percentiles (p50, p90, p99, max) and errors. A warm-up
// (default 1 s) runs first and is not counted. Loops are bounded in time (--duration) and
// in count (--max-requests), and only loopback URLs are accepted: this is a benchmark for
// a server on this machine, not a tool to point elsewhere.
//
// It is run by hand or by bench/http_load.sh, never by tests (speed is measured, not
// asserted). The last line of output is one machine-readable line starting with
// "RESULT " that bench/http_load.sh collects. Results: docs/benchmarks.md.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    R"(usage: eseal_http_load --url http://127.0.0.1:PORT --mode verify|sign --document FILE [options]

Closed-loop load against `eseal serve` (bench/http_load.sh drives it; docs/benchmarks.md).

  --url URL            the server, http://127.0.0.1:PORT (loopback addresses only)
  --mode MODE          verify: POST /api/v1/verify with FILE as the body (a signed OFD)
                       sign:   POST /api/v1/seals/ID/sign, multipart (an unsigned OFD)
                       session: the same inside one signing session opened first
                       batch:  POST /api/v1/seals/ID/sign-batch, --batch-size documents
  --document FILE      the OFD to send
  --connections N      concurrent keep-alive connections, one thread each (default 4)
  --duration S         seconds to measure (default 10)
  --warmup S           seconds of unmeasured requests first (default 1)
  --max-requests N     stop after N measured requests in all (default 1000000)
  --timeout S          per-request read/write timeout (default 120)
  --token-file FILE    file whose first line is a bearer token (sign: a holder admin's, required;
                       verify: optional, an account's token, so that the runs are not held to
                       the per-address limit of untokened requests)
sign only:
  --seal ID            the seal's id (sea_...) or esID
  --password-file FILE file whose first line is the seal's protection password
  --page P --x MM --y MM   where to put the stamp (default 1, 50, 50)
  --batch-size N       batch: documents per request (default 10)
  --help               this text
)";

struct Options {
  std::string url;
  std::string mode;
  std::string document_path;
  int connections = 4;
  double duration_s = 10;
  double warmup_s = 1;
  long max_requests = 1000000;
  int timeout_s = 120;
  std::string seal;
  std::string token_file;
  std::string password_file;
  std::string page = "1", x = "50", y = "50";
  int batch_size = 10;
};

bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

bool ReadFirstLine(const std::string& path, std::string* out) {
  std::string all;
  if (!ReadWholeFile(path, &all)) return false;
  auto nl = all.find_first_of("\r\n");
  *out = all.substr(0, nl);
  return !out->empty();
}

bool ParseLong(const char* s, long lo, long hi, long* out) {
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool ParseDouble(const char* s, double lo, double hi, double* out) {
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s, &end);
  if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) return false;
  *out = v;
  return true;
}

// Only http:// URLs on loopback hosts.
bool IsLoopbackUrl(const std::string& url) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) return false;
  std::string rest = url.substr(scheme.size());
  std::string host;
  if (!rest.empty() && rest[0] == '[') {
    auto close = rest.find(']');
    if (close == std::string::npos) return false;
    host = rest.substr(1, close - 1);
    return host == "::1";
  }
  host = rest.substr(0, rest.find_first_of(":/"));
  if (host == "localhost") return true;
  if (host.compare(0, 4, "127.") != 0) return false;
  return host.find_first_not_of("0123456789.") == std::string::npos;
}

std::optional<Options> Parse(int argc, char** argv) {
  Options o;
  auto fail = [](const std::string& msg) -> std::optional<Options> {
    std::fprintf(stderr, "eseal_http_load: %s\n\n%s", msg.c_str(), kUsage);
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) return fail("missing value after " + a);
    const char* v = argv[++i];
    long n = 0;
    if (a == "--url") {
      o.url = v;
    } else if (a == "--mode") {
      o.mode = v;
    } else if (a == "--document") {
      o.document_path = v;
    } else if (a == "--connections") {
      if (!ParseLong(v, 1, 1024, &n)) return fail("--connections must be 1..1024");
      o.connections = static_cast<int>(n);
    } else if (a == "--duration") {
      if (!ParseDouble(v, 0.1, 3600, &o.duration_s))
        return fail("--duration must be 0.1..3600 seconds");
    } else if (a == "--warmup") {
      if (!ParseDouble(v, 0, 600, &o.warmup_s)) return fail("--warmup must be 0..600 seconds");
    } else if (a == "--max-requests") {
      if (!ParseLong(v, 1, 100000000, &o.max_requests))
        return fail("--max-requests must be 1..100000000");
    } else if (a == "--timeout") {
      if (!ParseLong(v, 1, 3600, &n)) return fail("--timeout must be 1..3600 seconds");
      o.timeout_s = static_cast<int>(n);
    } else if (a == "--seal") {
      o.seal = v;
    } else if (a == "--token-file") {
      o.token_file = v;
    } else if (a == "--password-file") {
      o.password_file = v;
    } else if (a == "--page") {
      o.page = v;
    } else if (a == "--x") {
      o.x = v;
    } else if (a == "--y") {
      o.y = v;
    } else if (a == "--batch-size") {
      if (!ParseLong(v, 1, 1000, &n)) return fail("--batch-size must be 1..1000");
      o.batch_size = static_cast<int>(n);
    } else {
      return fail("unknown option " + a);
    }
  }
  if (o.url.empty() || o.mode.empty() || o.document_path.empty())
    return fail("--url, --mode and --document are required");
  while (!o.url.empty() && o.url.back() == '/') o.url.pop_back();
  if (!IsLoopbackUrl(o.url))
    return fail("--url must be http:// on a loopback address (127.0.0.0/8, localhost, [::1])");
  if (o.mode != "verify" && o.mode != "sign" && o.mode != "session" && o.mode != "batch") {
    return fail("--mode must be verify, sign, session or batch");
  }
  if (o.mode != "verify" && (o.seal.empty() || o.token_file.empty() || o.password_file.empty())) {
    return fail("--mode " + o.mode + " needs --seal, --token-file and --password-file");
  }
  return o;
}

// What one request needs, shared read-only by every worker.
struct Job {
  std::string path;
  std::string document;
  httplib::Headers headers;
  httplib::MultipartFormDataItems items;  // sign, session, batch
  bool sign = false;
  int batch = 0;  // documents per request (batch mode)
};

// Opens one signing session for the run; its id, or "" (the reason on stderr).
std::string OpenSession(const Options& o, const std::string& token, const std::string& password) {
  httplib::Client c(o.url);
  std::string body = "{\"password\":\"" + password + "\",\"ttl_seconds\":3600,\"max_signatures\":100000}";
  auto r = c.Post("/api/v1/seals/" + o.seal + "/signing-sessions", {{"Authorization", "Bearer " + token}}, body,
                  "application/json");
  if (!r || r->status != 201) {
    std::fprintf(stderr, "eseal_http_load: opening the signing session failed: %s\n",
                 r ? r->body.substr(0, 200).c_str() : httplib::to_string(r.error()).c_str());
    return "";
  }
  const std::string key = "\"id\":\"";
  auto at = r->body.find(key);
  if (at == std::string::npos) return "";
  at += key.size();
  return r->body.substr(at, r->body.find('"', at) - at);
}

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

// One worker's tally.
struct Tally {
  std::vector<double> latencies_ms;  // good replies within the measured window
  long good = 0;
  long sent = 0;  // every request that completed, warm-up included (for CPU per request)
  std::map<std::string, long> errors;  // reason -> count
  std::string first_error;
};

// Classifies a reply; empty when it is good.
std::string Check(const Job& job, const httplib::Result& r) {
  if (!r) return "transport: " + httplib::to_string(r.error());
  if (r->status != 200) {
    std::string body = r->body.substr(0, 200);
    return "HTTP " + std::to_string(r->status) + ": " + body;
  }
  if (job.batch > 0) {
    size_t ok = Count(r->body, "\"ok\":true");
    if (ok != static_cast<size_t>(job.batch) || Count(r->body, "\"done\":true") != 1) {
      return "batch: " + std::to_string(ok) + " of " + std::to_string(job.batch) + " signed: " + r->body.substr(0, 200);
    }
  } else if (job.sign) {
    if (r->get_header_value("Content-Type").rfind("application/ofd", 0) != 0 ||
        r->body.size() < 4 || r->body.compare(0, 2, "PK") != 0) {
      return "sign: the reply is not an OFD";
    }
  } else if (r->get_header_value("X-Eseal-Verdict") != "PASSED") {
    return "verify: verdict " + r->get_header_value("X-Eseal-Verdict");
  }
  return {};
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> parsed = Parse(argc, argv);
  if (!parsed) return 2;
  const Options& o = *parsed;

  Job job;
  if (!ReadWholeFile(o.document_path, &job.document) || job.document.empty()) {
    std::fprintf(stderr, "eseal_http_load: cannot read %s\n", o.document_path.c_str());
    return 2;
  }
  if (o.mode != "verify") {
    std::string token, password;
    if (!ReadFirstLine(o.token_file, &token)) {
      std::fprintf(stderr, "eseal_http_load: no token in %s\n", o.token_file.c_str());
      return 2;
    }
    if (!ReadFirstLine(o.password_file, &password)) {
      std::fprintf(stderr, "eseal_http_load: no password in %s\n", o.password_file.c_str());
      return 2;
    }
    job.sign = true;
    job.path = "/api/v1/seals/" + o.seal + (o.mode == "batch" ? "/sign-batch" : "/sign");
    job.headers = {{"Authorization", "Bearer " + token}};
    if (o.mode == "batch") {
      job.batch = o.batch_size;
      for (int i = 0; i < o.batch_size; ++i) {
        job.items.push_back({"documents", job.document, "bench-" + std::to_string(i) + ".ofd", "application/ofd"});
      }
      job.items.push_back({"password", password, "", ""});
    } else if (o.mode == "session") {
      std::string session = OpenSession(o, token, password);
      if (session.empty()) return 1;
      job.items = {{"document", job.document, "bench.ofd", "application/ofd"}, {"session", session, "", ""}};
    } else {
      job.items = {{"document", job.document, "bench.ofd", "application/ofd"}, {"password", password, "", ""}};
    }
    job.items.push_back({"page", o.page, "", ""});
    job.items.push_back({"x", o.x, "", ""});
    job.items.push_back({"y", o.y, "", ""});
  } else {
    job.path = "/api/v1/verify";
    if (!o.token_file.empty()) {
      std::string token;
      if (!ReadFirstLine(o.token_file, &token)) {
        std::fprintf(stderr, "eseal_http_load: no token in %s\n", o.token_file.c_str());
        return 2;
      }
      job.headers = {{"Authorization", "Bearer " + token}};
    }
  }

  const Clock::time_point start = Clock::now();
  const Clock::time_point measure_from = start + std::chrono::duration_cast<Clock::duration>(
                                                     std::chrono::duration<double>(o.warmup_s));
  const Clock::time_point deadline =
      measure_from +
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s));
  std::atomic<long> budget{o.max_requests};
  std::vector<Tally> tallies(static_cast<size_t>(o.connections));
  std::vector<Clock::time_point> finished(static_cast<size_t>(o.connections), start);

  std::vector<std::thread> workers;
  for (int w = 0; w < o.connections; ++w) {
    workers.emplace_back([&, w] {
      Tally& t = tallies[static_cast<size_t>(w)];
      httplib::Client c(o.url);
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);  // as a real client would: no Nagle wait between head and body writes
      c.set_connection_timeout(10, 0);
      c.set_read_timeout(o.timeout_s, 0);
      c.set_write_timeout(o.timeout_s, 0);
      for (;;) {
        Clock::time_point t0 = Clock::now();
        if (t0 >= deadline) break;
        bool measured = t0 >= measure_from;
        if (measured && budget.fetch_sub(1) <= 0) break;
        httplib::Result r = job.sign
                                ? c.Post(job.path, job.headers, job.items)
                                : c.Post(job.path, job.headers, job.document, "application/ofd");
        Clock::time_point t1 = Clock::now();
        ++t.sent;
        if (!measured) continue;
        std::string err = Check(job, r);
        if (err.empty()) {
          ++t.good;
          t.latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        } else {
          std::string reason = err.substr(0, err.find(':'));
          ++t.errors[reason];
          if (t.first_error.empty()) t.first_error = err;
          // A refused connection would otherwise spin; back off a little.
          if (!r) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      }
      finished[static_cast<size_t>(w)] = Clock::now();
    });
  }
  for (std::thread& t : workers) t.join();

  Clock::time_point end = *std::max_element(finished.begin(), finished.end());
  double elapsed_s = std::chrono::duration<double>(end - std::max(measure_from, start)).count();
  if (elapsed_s <= 0) elapsed_s = 1e-9;
  std::vector<double> all;
  long good = 0, errors = 0, sent = 0;
  std::map<std::string, long> reasons;
  std::string first_error;
  for (const Tally& t : tallies) {
    all.insert(all.end(), t.latencies_ms.begin(), t.latencies_ms.end());
    good += t.good;
    sent += t.sent;
    for (const auto& [k, v] : t.errors) {
      reasons[k] += v;
      errors += v;
    }
    if (first_error.empty()) first_error = t.first_error;
  }
  std::sort(all.begin(), all.end());
  double rps = static_cast<double>(good) / elapsed_s;
  const long per_request = job.batch > 0 ? job.batch : 1;
  double docs_per_s = rps * static_cast<double>(per_request);
  double p50 = Percentile(all, 50), p90 = Percentile(all, 90), p99 = Percentile(all, 99);
  double mx = all.empty() ? 0 : all.back();

  std::printf("eseal_http_load: %s %s%s, %d connection(s), %.1f s measured after %.1f s warm-up\n",
              o.mode.c_str(), o.url.c_str(), job.path.c_str(), o.connections, elapsed_s,
              o.warmup_s);
  std::printf("  document        %zu bytes\n", job.document.size());
  std::printf("  good replies    %ld (%.1f requests/s, %.1f documents/s)\n", good, rps, docs_per_s);
  std::printf("  latency ms      p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", p50, p90, p99, mx);
  std::printf("  errors          %ld\n", errors);
  std::printf("  all requests    %ld (warm-up included)\n", sent);
  for (const auto& [k, v] : reasons) std::printf("    %-12s %ld\n", k.c_str(), v);
  if (!first_error.empty()) std::printf("  first error     %s\n", first_error.c_str());
  std::printf(
      "RESULT mode=%s connections=%d seconds=%.2f good=%ld errors=%ld sent=%ld rps=%.2f "
      "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f docs_per_s=%.2f\n",
      o.mode.c_str(), o.connections, elapsed_s, good, errors, sent, rps, p50, p90, p99, mx, docs_per_s);
  return errors > 0 && good == 0 ? 1 : 0;
}
