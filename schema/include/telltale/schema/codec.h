// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The wire codec shared by the SDK and the collector: it turns events into a
// compressed Batch (schema/telltale.fbs, then zstd) and back. Neither side
// touches FlatBuffers or zstd directly; this header includes std only.
//
// Decoding is for hostile bytes: every size is bounded by `Limits` before
// memory is committed, the FlatBuffer goes through flatbuffers::Verifier, and
// every dictionary index and column length is checked before an event is
// exposed. Errors are values (`CodecStatus`); nothing here throws or aborts on
// input.
//
// Thread-safety: `BatchEncoder` and `BatchDecoder` keep reusable contexts and
// are not thread-safe; use one per thread. Free functions are thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace telltale::wire {

enum class EventType : uint8_t { kTrack = 0, kIdentify = 1, kGroup = 2, kUsage = 3 };

enum class ValueType : uint8_t { kString = 0, kInt = 1, kDouble = 2, kBool = 3 };

// Why the SDK dropped events. Values are part of the wire contract.
enum class DropReason : uint8_t {
  kQueueFull = 0,      // the in-memory queue was full when track() was called
  kTooLarge = 1,       // a single event exceeded Options::max_event_bytes
  kAfterShutdown = 2,  // called after shutdown()
  kRejected = 3,       // the collector refused the batch permanently (4xx)
  kBufferFull = 4,     // collector unreachable, retry buffer full, no spool room
  kSpoolFull = 5,      // evicted from a full disk spool
  kForked = 6,         // called in a forked child, where the tracker is inert
  kShutdownTimeout = 7,  // not delivered by the shutdown deadline, and no spool
};
inline constexpr size_t kDropReasonCount = 8;

// Stable snake_case name, used for metric labels ("queue_full", ...).
const char* drop_reason_name(DropReason reason) noexcept;
const char* event_type_name(EventType type) noexcept;

// 16 opaque bytes: batch ids and message ids.
struct Id16 {
  std::array<uint8_t, 16> bytes{};
  uint64_t hi() const noexcept;
  uint64_t lo() const noexcept;
  static Id16 from_parts(uint64_t hi, uint64_t lo) noexcept;
  std::string hex() const;  // 32 lowercase hex digits
  friend bool operator==(const Id16& a, const Id16& b) noexcept { return a.bytes == b.bytes; }
  friend bool operator!=(const Id16& a, const Id16& b) noexcept { return !(a == b); }
};

// A typed property value. Bools are kept in `i` (0 or 1); strings are views
// whose lifetime is that of the event they belong to.
struct Value {
  ValueType type = ValueType::kString;
  int64_t i = 0;
  double d = 0;
  std::string_view s;
};

struct Property {
  std::string_view key;
  Value value;
};

// One event as both sides see it. Views only: the owner is the SDK's queue
// record (when encoding) or the DecodedBatch (when decoding).
struct Event {
  Id16 message_id;
  EventType type = EventType::kTrack;
  int64_t time_ms = 0;  // event time, Unix milliseconds, client clock
  std::string_view account;
  std::string_view user;
  std::string_view name;
  const Property* props = nullptr;
  size_t prop_count = 0;
};

// The SDK's counters since its previous batch.
struct ClientReport {
  std::array<uint64_t, kDropReasonCount> dropped{};
  uint64_t retried = 0;
  uint64_t spooled = 0;
  bool empty() const noexcept;
};

struct BatchHeader {
  Id16 batch_id;
  int64_t sent_at_ms = 0;
  std::string sdk_name;
  std::string sdk_version;
  ClientReport report;
};

// Hard bounds applied while decoding. Defaults suit the collector.
struct Limits {
  size_t max_compressed_bytes = 8u << 20;     // reject larger request bodies
  size_t max_decompressed_bytes = 64u << 20;  // zstd-bomb bound
  size_t max_events = 100000;                 // per batch
  size_t max_properties = 255;                // per event (the wire allows 255)
  size_t max_string_bytes = 65535;            // any single string
};

enum class CodecError {
  kOk = 0,
  kTooLarge,           // compressed or decompressed size over its limit
  kBadCompression,     // not a valid zstd frame
  kNotABatch,          // wrong file identifier
  kMalformed,          // flatbuffers::Verifier refused the buffer
  kInconsistent,       // verified, but columns or indices disagree
  kTooManyEvents,      // more events than Limits::max_events
  kLimitExceeded,      // too many properties or too long a string
  kEncodeFailed,       // compression failed while encoding (out of memory)
};

struct CodecStatus {
  CodecError code = CodecError::kOk;
  std::string detail;
  bool ok() const noexcept { return code == CodecError::kOk; }
  static CodecStatus error(CodecError c, std::string d) { return {c, std::move(d)}; }
};

const char* codec_error_name(CodecError code) noexcept;

// Builds batches. Reuse one encoder for many batches: its buffers and zstd
// context are kept between batches, so a warmed-up encoder allocates only
// when a batch is larger than any before.
class BatchEncoder {
 public:
  explicit BatchEncoder(int zstd_level = 1);
  ~BatchEncoder();
  BatchEncoder(const BatchEncoder&) = delete;
  BatchEncoder& operator=(const BatchEncoder&) = delete;

  // Starts a new, empty batch.
  void reset() noexcept;
  // Appends `e` (copies its strings). Never fails; may allocate.
  void add(const Event& e);
  size_t event_count() const noexcept;
  // Uncompressed bytes the batch holds so far: the batch-size trigger.
  size_t raw_bytes() const noexcept;
  // Encodes and compresses into *out (replacing its contents).
  CodecStatus finish(const BatchHeader& header, std::vector<uint8_t>* out);
  // Encodes without compressing: the FlatBuffer alone (tests, benchmarks).
  void finish_uncompressed(const BatchHeader& header, std::vector<uint8_t>* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A decoded batch. Events and properties are views into `storage`, so a
// DecodedBatch may be moved but not copied.
struct DecodedBatch {
  BatchHeader header;
  std::vector<Event> events;
  std::vector<Property> properties;
  std::vector<uint8_t> storage;  // the decompressed FlatBuffer

  DecodedBatch() = default;
  DecodedBatch(DecodedBatch&&) = default;
  DecodedBatch& operator=(DecodedBatch&&) = default;
  DecodedBatch(const DecodedBatch&) = delete;
  DecodedBatch& operator=(const DecodedBatch&) = delete;
};

class BatchDecoder {
 public:
  explicit BatchDecoder(Limits limits = {});
  ~BatchDecoder();
  BatchDecoder(const BatchDecoder&) = delete;
  BatchDecoder& operator=(const BatchDecoder&) = delete;

  // Decompresses (bounded), verifies and unpacks `size` bytes at `data`.
  // On error *out is left empty and the status says what was wrong. *out's
  // buffers are reused: decode batch after batch into the same DecodedBatch.
  CodecStatus decode(const uint8_t* data, size_t size, DecodedBatch* out);
  // The same for a FlatBuffer that is not compressed.
  CodecStatus decode_uncompressed(std::vector<uint8_t> buffer, DecodedBatch* out);

  const Limits& limits() const noexcept { return limits_; }

 private:
  CodecStatus unpack(DecodedBatch* out);
  CodecStatus unpack_storage(DecodedBatch* out);
  Limits limits_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace telltale::wire
