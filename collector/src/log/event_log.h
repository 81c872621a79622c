// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// EventLog: the collector's source of truth, an append-only sequence of
// frames, each stored exactly as it was received (an SDK batch, or one
// Segment-spec JSON call) and numbered by a monotonically increasing
// position. Appends are durable when they return, and skip frames whose
// de-duplication key (batch id, message id) was seen within the window.
// Account state is derived by reading the log from a position.
//
// This interface is the seam for scale-out: the embedded SQLite log
// (sqlite_event_log.h) and the JetStream log (jetstream_event_log.h)
// implement it and pass the same tests (event_log_test.cc). An
// implementation is used from one thread at a time unless it says otherwise.
#pragma once

#include <cstddef>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace telltale::collector {

enum class FrameFormat : uint8_t {
  kSdkBatch = 1,     // a compressed telltale.fbs batch
  kSegmentJson = 2,  // one Segment-spec call as a JSON object
};

struct Frame {
  FrameFormat format = FrameFormat::kSdkBatch;
  int64_t received_at_ms = 0;   // collector clock
  std::string dedup_key;        // empty: never a duplicate
  uint32_t events = 0;          // events the frame holds
  std::vector<uint8_t> payload;
};

struct StoredFrame {
  int64_t position = 0;
  Frame frame;
};

struct LogStatus {
  bool ok = true;
  std::string error;  // what failed, for logs and 503 details
  static LogStatus failure(std::string e) { return {false, std::move(e)}; }
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends `frames` durably, in order. (*duplicate)[i] is set when frame i
  // was a duplicate and not stored. On failure the caller answers that none
  // was stored; whether some were is the implementation's to say. With no
  // frames, a probe: ok when the log can take appends.
  virtual LogStatus append(const std::vector<const Frame*>& frames, std::vector<bool>* duplicate) = 0;

  // Up to `max` frames with position > `after`, in order. Fewer (or none)
  // when the log holds no more yet.
  virtual LogStatus read(int64_t after, size_t max, std::vector<StoredFrame>* out) = 0;

  // Whether read() at the log's end itself waits a little for new frames
  // (it is told of them), so that a follower may read again at once; a
  // follower of a log that does not polls.
  virtual bool read_waits() const { return false; }

  // The position of the last stored frame (0 when empty).
  virtual int64_t last_position() = 0;

  // For a reader: the position of the log's last frame as its latest
  // read() learnt it, the end a follower catches up to. A log whose
  // last_position() asks a server answers without asking.
  virtual int64_t read_end() { return last_position(); }

  // After an append, the position the log had reached as far as this
  // instance knows: /metrics reads it after every commit. A log whose
  // last_position() asks a server answers from its appends'
  // acknowledgements instead.
  virtual int64_t last_appended() { return last_position(); }

  // Forgets de-duplication keys older than the window; returns how many. A
  // log whose store expires them by itself returns 0.
  virtual int64_t expire_seen_ids(int64_t /*now_ms*/) { return 0; }

  // Retention: deletes the frames received before `before_ms`, of those at
  // positions up to `up_to` (what a snapshot covers); returns how many,
  // after at most about `budget` of work (the rest goes next time). Positions
  // are never reused: last_position() stays where it was. A log whose store
  // expires frames by itself (JetStream's max_age) returns 0.
  virtual int64_t expire_frames(int64_t /*before_ms*/, int64_t /*up_to*/, std::chrono::milliseconds /*budget*/) {
    return 0;
  }

  // Whether a frame resent after the log's own de-duplication forgot its
  // key may be stored again, although Telltale's window ([dedup]
  // window_hours) still holds: JetStream's servers keep keys only for the
  // stream's duplicate window. A reader of such a log skips those copies
  // itself (signals/seen_frames.h), by the key read() hands over with each
  // frame.
  virtual bool forgets_keys_early() const { return false; }

  // Where the frames are, for the operator's logs and /readyz. Thread-safe:
  // it reads only what the log was opened with.
  virtual std::string describe() const = 0;

  // Whether the log's store can be reached now, for /readyz between
  // appends. Thread-safe, unlike the rest; true when only an append tells.
  virtual bool reachable() const { return true; }

  // The largest frame payload the log can store.
  virtual size_t max_frame_bytes() const { return SIZE_MAX; }
};

}  // namespace telltale::collector
