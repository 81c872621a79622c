// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// EngineLease: one engine per JetStream stream. Any number of collectors
// take events for a stream, but only one may run the engine on it: two
// would each raise every alert, and post every webhook, from their own data
// directory. So a collector whose engine follows a stream holds the
// stream's lease, a key in the NATS key-value bucket TELLTALE_ENGINES (made
// when missing, with the stream's replicas) whose value says who holds it:
// host, data directory, pid, address and since when. It renews the key
// every third of the lease's time to live (30 s), and the servers delete a
// key not renewed within it, so a crashed holder's lease lapses by itself.
//
// take() refuses, naming the holder, while another data directory's engine
// holds a live lease; a holder from this host and data directory is this
// collector's own previous run (a crash, a restart), so it takes over at
// once. A renewal that finds the lease held by another (it lapsed while this
// collector could not reach NATS, and another engine took it) reports the
// loss once through `on_lost`; a lapsed lease found free is taken again.
// While NATS is unreachable renewals fail and are retried, logged once.
// Destroying the lease deletes the key (when still held), so a clean stop
// frees the stream at once.
//
// Thread-safety: the renewal runs on the lease's own thread; say_address()
// from any thread; holder() is independent of any lease.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "log/jetstream_event_log.h"

namespace telltale::collector {

// Who holds a stream's lease, as its value says.
struct EngineLeaseHolder {
  std::string host;
  std::string data_dir;
  int64_t pid = 0;
  std::string address;    // where its collector listens ("" until bound)
  int64_t since_ms = 0;   // when it took the lease
  int64_t renewed_ms = 0; // when it last renewed it (the servers' clock)

  // "telltale-collector pid 812 on db-2 (data directory /var/lib/telltale,
  // 10.0.0.7:7070)"
  std::string describe() const;
};

struct EngineLeaseOptions {
  std::string bucket = "TELLTALE_ENGINES";
  std::chrono::milliseconds time_to_live{30'000};  // of a bucket Telltale creates
};

class EngineLease {
 public:
  using OnLost = std::function<void(const std::string& why)>;

  // Takes the lease of `stream.stream` for the engine of `data_dir` on this
  // host. Throws std::runtime_error naming the holder when another engine
  // holds it, or with the reason when NATS cannot be asked.
  static std::unique_ptr<EngineLease> take(const JetStreamConfig& stream, const std::string& data_dir,
                                           OnLost on_lost, const EngineLeaseOptions& options = {});
  // The holder of `stream.stream`'s lease, if any. Throws std::runtime_error
  // when NATS cannot be asked.
  static std::optional<EngineLeaseHolder> holder(const JetStreamConfig& stream,
                                                 const EngineLeaseOptions& options = {});
  ~EngineLease();
  EngineLease(const EngineLease&) = delete;
  EngineLease& operator=(const EngineLease&) = delete;

  // Adds where this collector listens to the lease's value (renewed at
  // once), for the message of an engine refused later.
  void say_address(const std::string& address);

 private:
  struct Bucket;  // the connection and the key-value store
  // The bucket, made when missing if `create`; null when missing otherwise.
  // Throws std::runtime_error with the reason NATS gives.
  static std::unique_ptr<Bucket> open_bucket(const JetStreamConfig& stream, const EngineLeaseOptions& options,
                                             bool create);
  EngineLease(std::unique_ptr<Bucket> bucket, std::string key, EngineLeaseHolder me, OnLost on_lost,
              std::chrono::milliseconds time_to_live);
  void renew_until_stopped();
  // One renewal; false when the lease is lost (on_lost was called).
  bool renew();
  std::string value() const;

  std::unique_ptr<Bucket> bucket_;
  const std::string key_;
  EngineLeaseHolder me_;  // guarded by mutex_ (the address)
  OnLost on_lost_;
  const std::chrono::milliseconds time_to_live_;
  const std::chrono::milliseconds every_;
  uint64_t revision_ = 0;  // of our value: the renewal thread's
  bool held_ = true;       // the renewal thread's, then the destructor's
  bool failing_ = false;   // renewals failing for want of NATS (logged once)

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool renew_now_ = false;  // the value changed
  std::thread renewer_;
};

}  // namespace telltale::collector
