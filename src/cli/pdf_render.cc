// eseal pdf render: a page of a PDF as PNG with its seal appearances, for people and tests.
// eseal does not link a PDF renderer (poppler and MuPDF are GPL/AGPL); it checks the file
// with its own bounded reader and then runs poppler's pdftoppm (poppler-utils) as a
// separate program, without a shell, under a time limit.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "eseal/base/file.h"
#include "eseal/cli/cli.h"
#include "eseal/pdf/document.h"
#include "internal.h"

namespace eseal::cli {
namespace {

constexpr size_t kMaxDocument = size_t{256} << 20;
constexpr int kRenderSeconds = 60;

// Runs argv[0] (looked up in PATH) with stdout and stderr discarded; its exit status, or
// -1 when it could not start or ran past the limit (then it is killed).
int RunQuietly(std::vector<std::string> args) {
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kRenderSeconds);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

Result<int> RenderPdf(const PdfRenderOpts& o, Context& ctx) {
  if (o.out.size() < 5 || o.out.substr(o.out.size() - 4) != ".png") {
    return InvalidArgumentError("--out 须以 .png 结尾 / --out must end in .png");
  }
  if (o.dpi < 10 || o.dpi > 1200) return InvalidArgumentError("--dpi 须在 10 到 1200 之间 / --dpi must be 10-1200");
  ASSIGN_OR_RETURN(Bytes doc, ReadFile(o.file, kMaxDocument));
  auto parsed = pdf::Document::Open(doc);
  if (!parsed.ok()) return parsed.status().WithContext(o.file);
  if (o.page < 1 || static_cast<size_t>(o.page) > parsed->page_count()) {
    return InvalidArgumentError("--page " + std::to_string(o.page) + " 超出文档页数（共 " +
                                std::to_string(parsed->page_count()) + " 页） / --page is out of range");
  }
  const std::string base = o.out.substr(0, o.out.size() - 4);
  const std::string page = std::to_string(o.page);
  int rc = RunQuietly({"pdftoppm", "-r", std::to_string(static_cast<int>(o.dpi)), "-f", page, "-l", page, "-png",
                       "-singlefile", o.file, base});
  if (rc == 127) {
    return UnavailableError("渲染 PDF 需要 poppler-utils 中的 pdftoppm，请安装后重试（apt-get install poppler-utils） / "
                            "rendering a PDF needs pdftoppm from poppler-utils");
  }
  if (rc != 0) {
    return InternalError("pdftoppm 未能渲染第 " + page + " 页 / pdftoppm could not render page " + page);
  }
  auto png = ReadFile(o.out, size_t{512} << 20);
  if (!png.ok() || png->size() < 8 || (*png)[1] != 'P') {
    return InternalError("pdftoppm 没有写出 PNG 文件 / pdftoppm wrote no PNG");
  }
  ctx.out << "page " << o.page << " of " << parsed->page_count() << " with its seal appearances written to " << o.out
          << " (" << parsed->signatures().size() << " signature field(s) in the document)\n";
  return 0;
}

}  // namespace eseal::cli
