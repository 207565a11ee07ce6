// Test helper: one real `eseal serve` child process with its output in files, for the
// tests that drive the built binary (kill_restart_test.cc, serve_concurrency_test.cc).
// Thread-safety: one thread owns a ServeProcess.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace eseal::testing {

class ServeProcess {
 public:
  ServeProcess(std::vector<std::string> args, std::filesystem::path out, std::filesystem::path err)
      : args_(std::move(args)), out_(std::move(out)), err_(std::move(err)) {}
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() { Stop(SIGKILL); }

  // Starts the server and waits (up to 60 s) for its "listening" line; returns the port, or
  // 0 when it exited or never said it was listening.
  int Start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      FILE* o = std::freopen(out_.c_str(), "w", stdout);
      FILE* e = std::freopen(err_.c_str(), "w", stderr);
      if (!o || !e) ::_exit(126);
      std::vector<char*> argv;
      for (std::string& a : args_) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const std::string mark = "eseal is listening on http://127.0.0.1:";
    for (int i = 0; i < 600; ++i) {
      std::ifstream f(out_);
      std::string line;
      while (std::getline(f, line)) {
        if (line.rfind(mark, 0) == 0) return std::atoi(line.c_str() + mark.size());
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return 0;
  }

  // Sends `sig` and waits for the process to end (SIGKILL: a crash; SIGTERM: a clean stop).
  void Stop(int sig = SIGTERM) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // What it printed so far, stdout then stderr.
  std::string Output() const {
    std::stringstream s;
    s << std::ifstream(out_).rdbuf() << std::ifstream(err_).rdbuf();
    return s.str();
  }

 private:
  std::vector<std::string> args_;
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
};

}  // namespace eseal::testing
