// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// EventRecord: one event as it waits in the queue. A fixed 384-byte object
// whose ids, names and properties are packed into an inline buffer, so the
// host thread's copy allocates nothing for typical events; an event that does
// not fit takes a single heap block, owned by the record.
//
// Packed layout (little-endian, unaligned):
//   u16 account_len, u16 user_len, u16 name_len, account, user, name,
//   then per property: u8 type, u16 key_len, key, value
//   where value is i64 (int, double bits), u8 (bool) or u16 len + bytes (string).
//
// Not thread-safe; moved between threads through the queue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "telltale/properties.h"
#include "telltale/schema/codec.h"

namespace telltale::detail {

class EventRecord {
 public:
  static constexpr size_t kSize = 384;
  static constexpr size_t kMaxProperties = 255;  // the wire format's bound

  EventRecord() noexcept = default;
  EventRecord(EventRecord&& other) noexcept { move_from(other); }
  EventRecord& operator=(EventRecord&& other) noexcept {
    if (this != &other) {
      release();
      move_from(other);
    }
    return *this;
  }
  EventRecord(const EventRecord&) = delete;
  EventRecord& operator=(const EventRecord&) = delete;
  ~EventRecord() { release(); }

  // Bytes the packed form of this event needs, or SIZE_MAX if a string is
  // longer than 65,535 bytes or there are more than kMaxProperties properties.
  static size_t packed_size(std::string_view account, std::string_view user,
                            std::string_view name, Properties props) noexcept;

  // Packs the event. `packed` comes from packed_size(). Allocates only when
  // packed > inline capacity; returns false if that allocation fails.
  bool pack(wire::EventType type, int64_t time_ms, std::string_view account,
            std::string_view user, std::string_view name, Properties props,
            size_t packed) noexcept;

  // Unpacks into a wire event whose views point into this record; the
  // properties go to *props (resized). Valid while the record lives unchanged.
  void unpack(wire::Event* out, std::vector<wire::Property>* props) const;

  // Whether an event of `packed` bytes fits the inline buffer.
  static constexpr bool fits_inline(size_t packed) noexcept { return packed <= kInline; }

  // Heap bytes this record owns (0 for inline events).
  size_t heap_bytes() const noexcept { return heap_ ? length_ : 0; }
  int64_t time_ms() const noexcept { return time_ms_; }

 private:
  static constexpr size_t kHeader = 8 + 8 + 4 + 4;
  static constexpr size_t kInline = kSize - kHeader;

  const char* data() const noexcept { return heap_ ? heap_ : inline_; }
  void release() noexcept;
  void move_from(EventRecord& other) noexcept;

  int64_t time_ms_ = 0;
  char* heap_ = nullptr;  // owned; set when the event is larger than kInline
  uint32_t length_ = 0;   // packed bytes
  uint8_t type_ = 0;
  uint8_t prop_count_ = 0;
  uint16_t reserved_ = 0;
  char inline_[kInline];
};

static_assert(sizeof(EventRecord) == EventRecord::kSize, "EventRecord must stay one fixed slot");

}  // namespace telltale::detail
