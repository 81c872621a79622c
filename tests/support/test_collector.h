// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// TestCollector: an in-process HTTP server that stands in for the collector
// in SDK tests (and prints batches in the quick start's receiver). It
// decodes every POST /v1/batch with the real codec and records the batches
// it acknowledged. A script decides each answer, so a test can make it
// refuse connections (stop()), delay, reset a connection mid-request, and
// answer 200, 413, 429 with Retry-After, 500 or anything else.
//
// Thread-safe: the server runs its own threads (one per connection); every
// accessor locks.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "telltale/schema/codec.h"

namespace telltale::testing {

// One event as the collector received it, owning its strings.
struct ReceivedEvent {
  std::string message_id;  // hex
  wire::EventType type;
  int64_t time_ms;
  std::string account, user, name;
  std::map<std::string, std::string> props;  // values rendered as text
};

struct ReceivedBatch {
  std::string batch_id;  // hex
  std::string sdk_name, sdk_version;
  wire::ClientReport report;
  std::vector<ReceivedEvent> events;
};

struct RequestInfo {
  size_t number = 0;        // 1-based, across the server's life
  std::string target;
  std::string authorization;
  size_t body_bytes = 0;
  std::string body;                            // as received
  std::map<std::string, std::string> headers;  // lower-case names
  bool decoded = false;     // the body was a valid batch
  std::string batch_id;     // hex, when decoded
  size_t events = 0;        // when decoded
};

struct Reply {
  int status = 200;
  std::string retry_after;                // Retry-After header when not empty
  std::chrono::milliseconds delay{0};     // wait before answering
  bool reset = false;                     // reset the connection instead of answering
  bool close = false;                     // answer, then close the connection
};

// A plain answer with `status` (and a Retry-After header when given).
inline Reply reply(int status, std::string retry_after = {}) {
  Reply r;
  r.status = status;
  r.retry_after = std::move(retry_after);
  return r;
}

class TestCollector {
 public:
  using Script = std::function<Reply(const RequestInfo&)>;

  // Binds 127.0.0.1:`port` (0 picks a free port) and starts serving; HTTPS
  // with the given PEM certificate and key, when set.
  explicit TestCollector(uint16_t port = 0, const std::string& tls_cert_file = {},
                         const std::string& tls_key_file = {});
  ~TestCollector();

  // Closes the listener and every connection: clients get "connection refused".
  void stop();
  // Listens again on the same port.
  void start();

  std::string endpoint() const;  // "http(s)://127.0.0.1:<port>"
  uint16_t port() const { return port_; }

  // Default: 200 for every valid batch, 400 for anything else.
  void set_script(Script script);
  // Called with each acknowledged batch (from a server thread).
  void on_batch(std::function<void(const ReceivedBatch&)> callback);

  std::vector<ReceivedBatch> batches() const;  // acknowledged, in order
  std::vector<RequestInfo> requests() const;   // every request
  size_t event_count() const;                  // events in acknowledged batches
  // Waits until acknowledged events reach `n`; false on timeout.
  bool wait_for_events(size_t n, std::chrono::milliseconds timeout) const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::string scheme_ = "http";
};

}  // namespace telltale::testing
