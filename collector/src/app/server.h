// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Server: one collector, assembled. Opens the event log (in the data
// directory, or the JetStream stream the config names), starts the group committer, the HTTP listener and the io
// threads. stop() is graceful: no new connections, in-flight requests
// finish (their batches are committed and answered), then the threads end.
// With the engine on a JetStream stream, it holds the stream's engine lease
// (log/engine_lease.h) while it runs.
// Construction throws std::runtime_error (with the reason) when the log
// cannot be opened, another engine follows the stream, or the address
// cannot be bound; nothing after that throws.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "app/config.h"
#include "app/data_dir_lock.h"
#include "http/listener.h"
#include "http/router.h"
#include "ingest/ingest_service.h"
#include "log/group_committer.h"
#include "log/engine_lease.h"
#include "log/event_log.h"
#include "metrics/metrics.h"
#include "signals/engine_runner.h"

namespace telltale::collector {

class Server {
 public:
  // `on_failure` is called, from another thread, when the collector can no
  // longer run as configured (its engine's lease was taken by another
  // engine), with the reason; its caller then stops it.
  using OnFailure = std::function<void(const std::string& why)>;
  explicit Server(const Config& config, OnFailure on_failure = {});
  ~Server();

  void start();
  // Blocks until stop() has finished (from a signal handler thread or test).
  void wait();
  void stop();
  uint16_t port() const;  // the bound port (useful with port 0)
  // Why /readyz fails (storage, the log's server, the engine's replay at
  // start), or empty when the collector is ready. From any thread.
  std::string not_ready() const;
  // A reload (SIGHUP): applies what can change while running, the API
  // tokens and the TLS certificate and key (read again from their files),
  // to the requests and connections from now on, and the webhooks (each
  // going on from its place in the feed), the reps and the territories.
  // Returns what it applied; throws std::runtime_error, applying nothing,
  // when a file cannot be used or HTTPS would be switched on or off (that
  // needs a restart). Other settings apply at the next start
  // (app/config_changes.h names those that changed). From the thread that
  // stops the server.
  std::string reload(const Config& next);
  Metrics& metrics() { return metrics_; }
  EngineRunner& engine() { return *engine_; }  // when the config enables it

 private:
  // The engine's accounts, for the webhooks' team digests.
  WarmingAccounts engine_accounts() const;
  // An ingest-only collector on JetStream: who holds the stream's engine
  // lease, asked of NATS at most every 10 s ("" when NATS cannot say).
  std::string engine_whereabouts();
  Config config_;
  Metrics metrics_;
  boost::asio::io_context ioc_;
  // Keeps the I/O threads running until stop() ends them: once the listener
  // is closed, a connection whose answer is still coming (a commit, a stream
  // waiting for news) holds no I/O of its own, and without the guard the
  // threads would return before that answer could be written.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> io_work_{ioc_.get_executor()};
  // Held while the collector keeps anything in its data directory (the
  // embedded log, or the engine's store): released after everything in it closed.
  std::optional<DataDirLock> data_dir_lock_;
  std::unique_ptr<EventLog> log_;  // the committer thread's once it runs
  int64_t opened_at_ = 0;          // the log's last position when opened
  // The engine's lease on its JetStream stream; stop() releases it once the engine stopped.
  std::unique_ptr<EngineLease> engine_lease_;
  std::unique_ptr<EngineRunner> engine_;          // null when ingest only
  std::unique_ptr<WebhookDispatcher> webhooks_;  // null when ingest only
  // How each webhook is doing; its dispatchers write it, reload after reload.
  std::shared_ptr<WebhookBoard> webhook_board_ = std::make_shared<WebhookBoard>();
  std::unique_ptr<GroupCommitter> committer_;
  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<Router> router_;
  std::shared_ptr<Listener> listener_;
  std::atomic<int> in_flight_{0};
  std::vector<std::thread> threads_;
  std::atomic<bool> stopped_{false};
  std::mutex whereabouts_mutex_;
  std::string whereabouts_;                             // whereabouts_mutex_
  std::chrono::steady_clock::time_point whereabouts_at_;  // whereabouts_mutex_: when asked last
};

}  // namespace telltale::collector
