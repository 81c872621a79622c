// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "collector_process.h"

#include "child_process.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace telltale::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpResult http_request(uint16_t port, const std::string& method, const std::string& target,
                        const std::map<std::string, std::string>& headers, const std::string& body) {
  HttpResult result;
  try {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    // A server may answer (413) and stop reading before the body is sent:
    // read its answer even when the write fails.
    beast::error_code write_error;
    http::write(stream, req, write_error);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    parser.skip(req.method() == http::verb::head);  // an answer to HEAD has no body
    http::read(stream, buffer, parser);
    auto& res = parser.get();
    result.status = res.result_int();
    result.body = res.body();
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
      result.headers[name] = std::string(field.value());
    }
  } catch (const std::exception&) {
    result.status = 0;
  }
  return result;
}

CollectorProcess::CollectorProcess(std::string binary, std::string data_dir, std::vector<std::string> extra_args)
    : binary_(std::move(binary)), data_dir_(std::move(data_dir)), extra_args_(std::move(extra_args)) {
  log_path_ = data_dir_ + ".log";
}

CollectorProcess::~CollectorProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string CollectorProcess::log() const { return read_text_file(log_path_); }

bool CollectorProcess::start(size_t file_size_limit, size_t open_files_limit) {
  ::truncate(log_path_.c_str(), 0);
  // A restart listens where the collector did, as a restarted service does, so its clients find it again.
  std::vector<std::string> args = {binary_, "--listen", "127.0.0.1:" + std::to_string(port_), "--data-dir", data_dir_};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = spawn_process(args, log_path_, [file_size_limit, open_files_limit] {
    if (file_size_limit) {
      ::signal(SIGXFSZ, SIG_IGN);  // writes past the limit fail with EFBIG instead
      rlimit lim{file_size_limit, RLIM_INFINITY};
      ::setrlimit(RLIMIT_FSIZE, &lim);
    }
    if (open_files_limit) {
      rlimit lim{open_files_limit, open_files_limit};  // the hard limit too: the collector raises its soft one
      ::setrlimit(RLIMIT_NOFILE, &lim);
    }
  });
  // The collector logs the port it bound ("listening on 127.0.0.1:PORT").
  const std::string port = wait_for_log_line(log_path_, std::regex("listening on 127\\.0\\.0\\.1:([0-9]+)"), &pid_,
                                             std::chrono::seconds(10));
  if (port.empty()) return false;
  port_ = static_cast<uint16_t>(std::stoi(port));
  if (https_) return true;
  for (int j = 0; j < 100; ++j) {
    if (http_request(port_, "GET", "/readyz").status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void CollectorProcess::signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

int CollectorProcess::wait_exit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

void CollectorProcess::raise_file_size_limit() {
  rlimit lim{RLIM_INFINITY, RLIM_INFINITY};
  ::prlimit(pid_, RLIMIT_FSIZE, &lim, nullptr);
}

}  // namespace telltale::testing
