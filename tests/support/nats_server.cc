// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "nats_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "child_process.h"

namespace telltale::testing {

NatsServer::NatsServer(std::string binary, std::string store_dir)
    : binary_(std::move(binary)), store_dir_(std::move(store_dir)), log_path_(store_dir_ + "/nats-server.log") {}

NatsServer::~NatsServer() {
  release_port();
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string NatsServer::log() const { return read_text_file(log_path_); }

bool NatsServer::start() {
  release_port();
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
  hold_port();
}

// While stopped, the port is held by a socket that listens and never
// answers: a server another test starts on "any free port" cannot take it,
// and clients see a server that does not answer.
void NatsServer::hold_port() {
  holder_ = ::socket(AF_INET, SOCK_STREAM, 0);
  const int on = 1;
  ::setsockopt(holder_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(holder_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(holder_, 1) != 0)
    release_port();
}

void NatsServer::release_port() {
  if (holder_ >= 0) ::close(holder_);
  holder_ = -1;
}

std::string jetstream_collector_config(const NatsServer& server, bool engine) {
  return "[log]\nbackend = \"jetstream\"\n[log.jetstream]\nservers = [\"" + server.url() + "\"]\n[engine]\nenabled = " +
         (engine ? "true" : "false") + "\n";
}

}  // namespace telltale::testing
