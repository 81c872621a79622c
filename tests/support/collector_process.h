// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// CollectorProcess: runs the real telltale-collector binary for end-to-end
// tests (fork + exec), on a free loopback port and a scratch data
// directory, with its stderr in a file; waits until /readyz answers. Also
// a tiny synchronous HTTP client to talk to it. Not thread-safe, except
// http_request(), which may be called from many threads.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace telltale::testing {

struct HttpResult {
  int status = 0;  // 0: no answer (connection refused or reset)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// POSTs (or GETs, when method is "GET") to 127.0.0.1:port.
HttpResult http_request(uint16_t port, const std::string& method, const std::string& target,
                        const std::map<std::string, std::string>& headers = {}, const std::string& body = "");

class CollectorProcess {
 public:
  // `data_dir` is kept across restarts of the same object.
  CollectorProcess(std::string binary, std::string data_dir, std::vector<std::string> extra_args = {});
  ~CollectorProcess();  // SIGKILL if still running

  // Starts and waits (up to 10 s) for readiness, on a port of its own; a
  // restart, on the port the last start had. With `file_size_limit`
  // the process may write files only up to that many bytes (RLIMIT_FSIZE);
  // with `open_files_limit`, open only that many files (RLIMIT_NOFILE).
  // A collector that serves HTTPS (serves_https()) is waited for until it
  // listens only: http_request() speaks plain HTTP.
  bool start(size_t file_size_limit = 0, size_t open_files_limit = 0);
  void serves_https() { https_ = true; }
  void signal(int sig);
  // Waits for exit; returns the exit status (as waitpid), or -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout);
  void raise_file_size_limit();
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string log() const;  // what it wrote to stderr

 private:
  std::string binary_, data_dir_, log_path_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  bool https_ = false;
};

}  // namespace telltale::testing
