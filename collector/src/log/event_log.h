// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// EventLog: the collector's source of truth, an append-only sequence of
// frames, each stored exactly as it was received (an SDK batch, or one
// Segment-spec JSON call) and numbered by a monotonically increasing
// position. Appends are atomic and durable when they return, and skip frames
// whose de-duplication key (batch id, message id) was seen within the
// window, in the same transaction. Account state is derived by reading the
// log from a position.
//
// This interface is the seam for scale-out: the embedded SQLite log and a
// JetStream log implement it and pass the same tests. An implementation is
// used from one thread at a time unless it says otherwise.
#pragma once

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

  // Appends `frames` in one durable transaction. (*duplicate)[i] is set when
  // frame i was a duplicate and not stored. On failure nothing is stored.
  virtual LogStatus append(const std::vector<const Frame*>& frames, std::vector<bool>* duplicate) = 0;

  // Up to `max` frames with position > `after`, in order.
  virtual LogStatus read(int64_t after, size_t max, std::vector<StoredFrame>* out) = 0;

  // The position of the last stored frame (0 when empty).
  virtual int64_t last_position() = 0;
};

}  // namespace telltale::collector
