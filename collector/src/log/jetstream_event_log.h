// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// JetStreamEventLog: the EventLog kept in a NATS JetStream stream, the path
// past one machine (DESIGN.md, Storage and scale). Collectors publish each
// frame as one message (its payload as received; its format, receive time
// and event count in Telltale-* headers; its de-duplication key as
// Nats-Msg-Id) and answer only after JetStream has acknowledged it, which
// for a stream replicated three ways means a quorum stored it. A frame's
// position is its stream sequence. Any number of collectors may append to
// one stream; the engine reads it in order with an ordered consumer. A
// message someone else published on the subject (no Telltale-* headers) is
// read as a frame without events, and logged. A read at the stream's end
// waits up to 100 ms for a new message (read_waits()), so a follower learns
// of another collector's appends at once rather than by polling.
//
// De-duplication is JetStream's: a key seen within the stream's duplicate
// window is acknowledged as a duplicate and not stored again. The server
// keeps those keys in memory, so its window is shorter than the embedded
// log's (`duplicate_window`, set when Telltale creates the stream); a copy
// resent later is stored, and the engine skips it (forgets_keys_early()).
//
// An append is not one transaction as in SQLite: when it fails, the frames
// acknowledged before the failure stay stored. Every SDK batch and Segment
// call has a key, so the client's resend of the refused request is
// acknowledged as a duplicate for those.
//
// Connection: the client reconnects by itself, for ever; while the servers
// are unreachable append() and read() fail with the reason, and succeed
// again when one is back. Not thread-safe: one thread at a time (the
// writer and the engine's reader each open their own instance), except
// reachable(), from any.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "event_log.h"

struct __natsConnection;
struct __jsCtx;
struct __natsSubscription;
struct __natsMsg;
struct jsPubAck;
struct jsPubAckErr;
struct jsStreamInfo;

namespace telltale::collector {

struct JetStreamConfig {
  std::vector<std::string> servers = {"nats://127.0.0.1:4222"};
  std::string stream = "TELLTALE_FRAMES";
  std::string subject = "telltale.frames";
  // Used only when Telltale creates the stream; an existing stream keeps
  // the operator's settings.
  int replicas = 1;
  std::chrono::milliseconds duplicate_window = std::chrono::minutes(120);  // the servers' least: 100 ms
  std::chrono::hours max_age{0};  // retention: frames older are deleted by the servers; 0 keeps them
  // How long an append waits for JetStream's acknowledgements.
  std::chrono::milliseconds ack_timeout{10'000};
};

// The stream as its servers report it (`telltale log stats --config`).
struct JetStreamStats {
  int64_t frames = 0;  // messages
  int64_t first_position = 0, last_position = 0;
  int64_t first_stored_ms = 0, last_stored_ms = 0;  // when the servers stored them (0: none)
  int64_t bytes = 0;   // on each server
  int replicas = 0;
  int consumers = 0;
  int64_t duplicate_window_ms = 0;
  int64_t max_age_ms = 0;  // 0: kept for ever
};

class JetStreamEventLog final : public EventLog {
 public:
  // Connects and finds the stream, creating it (file storage, `replicas`,
  // `duplicate_window`) when it does not exist. Throws std::runtime_error
  // with the reason (no server, no JetStream, a stream whose subjects are
  // not exactly `subject`) at startup.
  static std::unique_ptr<JetStreamEventLog> open(const JetStreamConfig& config);
  ~JetStreamEventLog() override;
  JetStreamEventLog(const JetStreamEventLog&) = delete;
  JetStreamEventLog& operator=(const JetStreamEventLog&) = delete;

  LogStatus append(const std::vector<const Frame*>& frames, std::vector<bool>* duplicate) override;
  LogStatus read(int64_t after, size_t max, std::vector<StoredFrame>* out) override;
  int64_t last_position() override;
  int64_t last_appended() override { return last_acked_; }
  // From each message's pending count, as delivered.
  int64_t read_end() override { return known_last_; }
  std::string describe() const override;
  bool reachable() const override { return connected().ok; }  // the client's connection state
  bool read_waits() const override { return true; }  // for a push of the ordered consumer
  bool forgets_keys_early() const override { return true; }
  // The server's max_payload, less room for the headers (raise the
  // server's max_payload to take larger SDK batches).
  size_t max_frame_bytes() const override;
  // Asks the servers; throws std::runtime_error with the reason.
  JetStreamStats stats();

 private:
  explicit JetStreamEventLog(JetStreamConfig config);
  void connect();
  // ok while the client is connected; the reason otherwise.
  LogStatus connected() const;
  // The stream's state and config, asked of the server; null and *error on failure.
  using StreamInfo = std::unique_ptr<jsStreamInfo, void (*)(jsStreamInfo*)>;
  StreamInfo stream_info(std::string* error);
  // The stream's last sequence, asked of the server; -1 and *error on failure.
  int64_t stream_last_sequence(std::string* error);
  // (Re)subscribes so that the next message read is the first after `after`.
  LogStatus subscribe_after(int64_t after);
  void unsubscribe();
  static void on_ack(__jsCtx* js, __natsMsg* msg, jsPubAck* pa, jsPubAckErr* pae, void* closure);

  JetStreamConfig config_;
  __natsConnection* connection_ = nullptr;
  __jsCtx* js_ = nullptr;

  // append(): the messages awaiting an acknowledgement, by message, with
  // the index of their frame; the ack handler (a client thread) fills in
  // the outcome.
  struct Outcome {
    bool acked = false;
    int64_t sequence = 0;  // where the stream keeps it (the original's, for a duplicate)
    bool duplicate = false;
    std::string error;
  };
  std::mutex acks_mutex_;
  std::unordered_map<__natsMsg*, size_t> in_flight_;
  std::vector<Outcome> outcomes_;
  int64_t last_acked_ = 0;  // the highest sequence acknowledged (the stream's last at open)

  // read(): an ordered consumer positioned after `read_after_`.
  __natsSubscription* subscription_ = nullptr;
  int64_t read_after_ = -1;
  int64_t known_last_ = 0;  // the stream's last sequence, as last asked
};

}  // namespace telltale::collector
