// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "nats_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "child_process.h"

namespace telltale::testing {

NatsServer::NatsServer(std::string binary, std::string store_dir)
    : binary_(std::move(binary)), store_dir_(std::move(store_dir)), log_path_(store_dir_ + "/nats-server.log") {}

NatsServer::~NatsServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string NatsServer::log() const { return read_text_file(log_path_); }

bool NatsServer::start() {
  std::filesystem::create_directories(store_dir_);
  ::truncate(log_path_.c_str(), 0);  // this start's lines only
  const std::string port = port_ ? std::to_string(port_) : "-1";  // -1: any free port
  pid_ = spawn_process({binary_, "-js", "-a", "127.0.0.1", "-p", port, "-sd", store_dir_}, log_path_);
  const std::string bound = wait_for_log_line(log_path_, std::regex("client connections on 127\\.0\\.0\\.1:([0-9]+)"),
                                              &pid_, std::chrono::seconds(10));
  if (bound.empty()) return false;
  port_ = static_cast<uint16_t>(std::stoi(bound));
  return !wait_for_log_line(log_path_, std::regex("Server is ready"), &pid_, std::chrono::seconds(10)).empty();
}

void NatsServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace telltale::testing
