// Batch signing (批量签章): POST /api/v1/seals/{id}/sign-batch signs many documents (OFD
// and PDF, one `documents` part each) with one seal in one request, with the password (one
// key derivation for the whole batch: a signing session opened for it and closed after)
// or with the caller's signing session. The answer streams as NDJSON, one line per
// document as it is signed — each a separate SignDocument call, so each is checked and
// recorded in the usage register like a single signature, and a document refused does
// not stop the others — then a summary line. Refusals of the whole batch (who, the seal,
// the password, too much work) come before any line, as ordinary error replies.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "eseal/pdf/sniff.h"
#include "routes/common.h"
#include "routes/sign_params.h"

namespace eseal::http::routes {
namespace {

// How long the session a password batch opens may live: the batch's own work bounds it,
// this only bounds a key left behind by a batch that never ran (the head never written).
constexpr int kBatchSessionSeconds = 600;
// Documents of one batch signed at once (threads of the batch's own, besides the worker).
constexpr size_t kParallel = 4;

std::string SignedName(std::string base, bool pdf) {
  const std::string ext = pdf ? ".pdf" : ".ofd";
  if (base.size() > 4 && base.substr(base.size() - 4) == ext) base.resize(base.size() - 4);
  return base + "-signed" + ext;
}

// A document's refusal as people read it: Chinese first. Most messages from the format
// layers are English only; they keep their detail after a Chinese sentence chosen by code.
std::string PersonMessage(const Status& st) {
  const std::string& m = st.message();
  for (unsigned char c : m) {
    if (c >= 0xE4 && c <= 0xE9) return m;  // already has Chinese (a UTF-8 CJK lead byte)
  }
  std::string_view zh;
  switch (st.code()) {
    case StatusCode::kDataLoss: zh = "文件已损坏，或不是可读的 OFD/PDF 文档"; break;
    case StatusCode::kResourceExhausted: zh = "文件超出处理限制"; break;
    case StatusCode::kInvalidArgument: zh = "文件或盖章参数有误"; break;
    case StatusCode::kFailedPrecondition: zh = "当前不能用此印章签章"; break;
    case StatusCode::kNotFound: zh = "签章会话不存在或已结束"; break;
    case StatusCode::kPermissionDenied: zh = "无权使用此印章"; break;
    case StatusCode::kUnauthenticated: zh = "保护口令错误或印章已锁定"; break;
    default: zh = "签章失败，请稍后重试"; break;
  }
  return std::string(zh) + " / " + m;
}

// What the stream needs after the handler returned; closes the batch's own session when
// the stream ends, or when it is dropped without running (the peer went away first).
struct Batch {
  platform::Signing* signing = nullptr;
  Metrics* metrics = nullptr;
  platform::Caller caller;
  std::string seal;
  std::string session;    // the caller's, or the one opened for this batch
  bool own_session = false;
  std::vector<Part> documents;
  sign::Placement placement;
  sign::ProtectMode mode = sign::ProtectMode::kContinue;

  ~Batch() {
    if (own_session) (void)signing->CloseSigningSession(caller, seal, session);
    SecureZero(session.data(), session.size());
  }

  std::string Line(size_t i, const Result<Platform::SignOutcome>& out) const {
    const Part& d = documents[i];
    JsonWriter w;
    w.BeginObject().Field("index", static_cast<int64_t>(i)).Field("name", d.filename.empty() ? d.name : d.filename);
    if (!out.ok()) {
      w.Field("ok", false).Key("error").BeginObject();
      w.Field("code", StatusCodeSlug(out.status().code())).Field("message", PersonMessage(out.status()));
      w.EndObject().EndObject();
      return w.Take() + "\n";
    }
    const bool pdf = out->record.format == "pdf";
    w.Field("ok", true).Field("signature_id", out->record.id).Field("format", out->record.format);
    w.Field("document_hash", out->record.document_hash).Field("signed_hash", out->record.signed_hash);
    w.Field("file_name", SignedName(out->record.document_name, pdf));
    w.Field("content_type", pdf ? "application/pdf" : "application/ofd");
    w.Field("document", Base64Encode(out->document));
    w.EndObject();
    return w.Take() + "\n";
  }

  Result<Platform::SignOutcome> SignOne(size_t i) {
    Part& d = documents[i];
    Platform::SignInput in;
    in.seal = seal;
    in.session = session;
    in.document.assign(d.data.begin(), d.data.end());
    std::string().swap(d.data);
    in.document_name =
        d.filename.empty() ? (pdf::LooksLikePdf(in.document) ? "document.pdf" : "document.ofd") : d.filename;
    in.placement = placement;
    in.mode = mode;
    return signing->SignDocument(caller, std::move(in));
  }

  // Signs up to kParallel documents at a time (a signature mostly waits: for its
  // transaction's commit, for the timestamp), and sends each result in document order as
  // soon as it and those before it are done.
  void Run(const Reply::Emit& emit) {
    const size_t n = documents.size();
    std::vector<std::optional<Result<Platform::SignOutcome>>> results(n);
    std::mutex mu;
    std::condition_variable cv;
    size_t next = 0;
    bool stop = false;
    std::vector<std::thread> helpers;
    auto work = [&] {
      for (;;) {
        size_t i;
        {
          std::lock_guard<std::mutex> l(mu);
          if (stop || next == n) return;
          i = next++;
        }
        auto out = SignOne(i);
        std::lock_guard<std::mutex> l(mu);
        results[i] = std::move(out);
        cv.notify_all();
      }
    };
    const size_t threads = n > 1 ? std::min(n, kParallel) : 0;
    for (size_t t = 0; t < threads; ++t) helpers.emplace_back(work);
    int signed_count = 0, failed = 0;
    bool gone = false;
    for (size_t i = 0; i < n && !gone; ++i) {
      if (helpers.empty()) work();  // one document: this thread signs it
      std::optional<Result<Platform::SignOutcome>> out;
      {
        std::unique_lock<std::mutex> l(mu);
        cv.wait(l, [&] { return results[i].has_value(); });
        out = std::move(results[i]);
        results[i].reset();
      }
      if (out->ok()) {
        ++signed_count;
        metrics->SignatureMade();
      } else {
        ++failed;
      }
      // The peer has gone: stop, sign nothing more nobody will receive. What was signed
      // is in the usage register.
      if (!emit(Line(i, *out))) {
        gone = true;
        std::lock_guard<std::mutex> l(mu);
        stop = true;
      }
    }
    for (std::thread& t : helpers) t.join();
    if (gone) return;
    JsonWriter w;
    w.BeginObject().Field("done", true).Field("signed", signed_count).Field("failed", failed);
    w.Field("total", static_cast<int64_t>(n));
    if (!own_session) {
      auto s = signing->GetSigningSession(caller, seal, session);
      if (s.ok()) w.Field("session_remaining", s->remaining);
    }
    w.EndObject();
    emit(w.Take() + "\n");
  }
};

Result<Reply> SignBatch(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  if (!ctx.req.IsMultipart()) {
    return InvalidArgumentError("批量签章请用 multipart/form-data 表单上传，每份文件一个 documents 字段 / a batch is a "
                                "multipart/form-data form with one 'documents' part per file");
  }
  auto batch = std::make_shared<Batch>();
  std::vector<Part> fields;
  size_t bytes = 0;
  for (Part& p : ctx.req.parts) {
    if (p.name == "documents") {
      bytes += p.data.size();
      batch->documents.push_back(std::move(p));
    } else {
      fields.push_back(std::move(p));
    }
  }
  ctx.req.parts = std::move(fields);
  const size_t max_docs = ctx.options.max_batch_documents;
  if (batch->documents.empty()) {
    WipeBody(ctx);
    return InvalidArgumentError("请至少上传一份文件（字段 documents） / give at least one document (field 'documents')");
  }
  if (batch->documents.size() > max_docs || bytes > ctx.options.max_batch_bytes) {
    WipeBody(ctx);
    return ErrorReply(413, StatusCode::kResourceExhausted,
                      "一批最多 " + std::to_string(max_docs) + " 份文件、共 " +
                          std::to_string(ctx.options.max_batch_bytes >> 20) + " MiB，请分批提交 / a batch holds at most " +
                          std::to_string(max_docs) + " documents and " + std::to_string(ctx.options.max_batch_bytes >> 20) +
                          " MiB in all; split it");
  }
  for (size_t i = 0; i < batch->documents.size(); ++i) {
    if (batch->documents[i].data.empty()) {
      WipeBody(ctx);
      return InvalidArgumentError("第 " + std::to_string(i + 1) + " 份文件是空的 / document " + std::to_string(i + 1) +
                                  " is empty");
    }
  }

  SecretBytes password;
  PlacementFields pf;
  {
    Input in = Input::FromParts(&ctx.req.parts);
    in.Secret("password", &password, kOpt).Str("session", &batch->session, kOpt, 128);
    ReadPlacementFields(in, &pf);
    Status st = in.Finish();
    WipeBody(ctx);
    RETURN_IF_ERROR(st);
    RETURN_IF_ERROR(MakePlacement(in, pf, &batch->placement, &batch->mode));
  }
  if (!password.empty() && !batch->session.empty()) {
    return InvalidArgumentError("请只提供保护口令或签章会话之一 / give either the password or a signing session, not both");
  }
  batch->signing = &ctx.services.signing;
  batch->metrics = &ctx.metrics;
  batch->caller = ctx.Who();
  batch->seal = ctx.Param("id");
  if (batch->session.empty()) {
    // One key derivation for the batch: a session just for it, as many signatures as it has
    // documents. A vendor with an authorisation key copy opens it without a password.
    Platform::OpenSessionInput open;
    open.seal = batch->seal;
    open.password = std::move(password);
    open.ttl_seconds = kBatchSessionSeconds;
    open.max_signatures = static_cast<int>(batch->documents.size());
    ASSIGN_OR_RETURN(Platform::SessionInfo s, ctx.services.signing.OpenSigningSession(ctx.Who(), std::move(open)));
    batch->session = std::move(s.id);
    batch->own_session = true;
  } else {
    // The caller's session must be there before the stream starts (a wrong one is a 404).
    RETURN_IF_ERROR(ctx.services.signing.GetSigningSession(ctx.Who(), batch->seal, batch->session).status());
  }
  Reply r;
  r.content_type = "application/x-ndjson; charset=utf-8";
  r.stream = [batch](const Reply::Emit& emit) { batch->Run(emit); };
  return r;
}

}  // namespace

std::vector<Route> SignBatchRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/seals/{id}/sign-batch", kAuth, kLarge, kMultipartBody, SignBatch},
  };
}

}  // namespace eseal::http::routes
