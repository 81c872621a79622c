// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// NatsServer: a real nats-server with JetStream for tests, on a free
// loopback port, its store in a directory the caller owns and the log of
// its latest start in <store>/nats-server.log. It can be stopped and started
// again on the same port and store, so a test can take JetStream away from a
// client and give it back.
// Not thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace telltale::testing {

class NatsServer {
 public:
  // `binary`: the nats-server program; `store_dir`: JetStream's files.
  NatsServer(std::string binary, std::string store_dir);
  ~NatsServer();  // SIGKILL if still running

  // Starts and waits (up to 10 s) until it is ready; the first start picks
  // a free port, later ones take the same again.
  bool start();
  // SIGTERM, and waits for the exit; the port stays reserved for start().
  void stop();
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  std::string log() const;
  pid_t pid() const { return pid_; }

 private:
  void hold_port();
  void release_port();

  std::string binary_, store_dir_, log_path_;
  int holder_ = -1;  // a socket holding the port while stopped
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// A collector config (TOML) whose event log is a JetStream stream on
// `server`; `engine` false: an ingest-only collector.
std::string jetstream_collector_config(const NatsServer& server, bool engine = true);

}  // namespace telltale::testing
