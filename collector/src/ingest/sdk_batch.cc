// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "sdk_batch.h"

namespace telltale::collector {
namespace {

wire::Limits codec_limits(const IngestLimits& l) {
  wire::Limits w;
  w.max_compressed_bytes = l.max_body_bytes;
  w.max_decompressed_bytes = l.max_decompressed_bytes;
  w.max_events = l.max_events_per_batch;
  w.max_properties = l.max_properties;
  w.max_string_bytes = l.max_string_bytes;
  return w;
}

const wire::Property* find(const wire::Event& e, std::string_view key) {
  for (size_t i = 0; i < e.prop_count; ++i)
    if (e.props[i].key == key) return &e.props[i];
  return nullptr;
}

// What is wrong with one event's shape, or empty.
std::string check_event(const wire::Event& e) {
  switch (e.type) {
    case wire::EventType::kTrack:
      if (e.name.empty()) return "track without an event name";
      if (e.account.empty() && e.user.empty()) return "track without an account or a user";
      break;
    case wire::EventType::kIdentify:
      if (e.user.empty()) return "identify without a user";
      break;
    case wire::EventType::kGroup:
      if (e.account.empty()) return "group without an account";
      break;
    case wire::EventType::kUsage: {
      if (e.account.empty()) return "usage without an account";
      const wire::Property* metric = find(e, "metric");
      const wire::Property* used = find(e, "used");
      const wire::Property* limit = find(e, "limit");
      if (!metric || metric->value.type != wire::ValueType::kString || metric->value.s.empty())
        return "usage without a string \"metric\"";
      if (!used || used->value.type != wire::ValueType::kInt || !limit || limit->value.type != wire::ValueType::kInt)
        return "usage without integer \"used\" and \"limit\"";
      break;
    }
  }
  return "";
}

}  // namespace

SdkBatchReader::SdkBatchReader(const IngestLimits& limits) : decoder_(codec_limits(limits)) {}

SdkBatchCheck SdkBatchReader::read(const uint8_t* body, size_t size) {
  SdkBatchCheck out;
  wire::CodecStatus status = decoder_.decode(body, size, &batch_);
  if (!status.ok()) {
    out.status = (status.code == wire::CodecError::kTooLarge || status.code == wire::CodecError::kTooManyEvents)
                     ? 413
                     : 400;
    out.error = std::string("invalid_batch_") + wire::codec_error_name(status.code);
    out.detail = status.detail;
    return out;
  }
  for (size_t i = 0; i < batch_.events.size(); ++i) {
    std::string problem = check_event(batch_.events[i]);
    if (!problem.empty()) {
      out.error = "invalid_event";
      out.detail = "event " + std::to_string(i) + ": " + problem;
      return out;
    }
  }
  out.ok = true;
  out.batch = &batch_;
  return out;
}

}  // namespace telltale::collector
