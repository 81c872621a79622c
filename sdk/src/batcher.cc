// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "batcher.h"

#include <chrono>

namespace telltale::detail {

const char* const kSdkName = "telltale-cpp";
const char* const kSdkVersion = TELLTALE_VERSION;

Batcher::Batcher(BatchLimits limits, uint64_t seed)
    : limits_(limits), rng_(seed), session_id_(rng_()), encoder_(limits.zstd_level) {}

void Batcher::add(const EventRecord& record, SteadyTime now) {
  if (empty()) first_added_ = now;
  wire::Event e;
  record.unpack(&e, &scratch_);
  e.message_id = wire::Id16::from_parts(session_id_, next_sequence_++);
  encoder_.add(e);
}

bool Batcher::full() const noexcept {
  return encoder_.event_count() >= limits_.max_events || encoder_.raw_bytes() >= limits_.max_bytes;
}

wire::Id16 Batcher::new_batch_id() { return wire::Id16::from_parts(rng_(), rng_()); }

wire::CodecStatus Batcher::encode(const wire::BatchHeader& header, OutgoingBatch* out) {
  out->id = header.batch_id;
  out->events = static_cast<uint32_t>(encoder_.event_count());
  out->spool_sequence = 0;
  wire::CodecStatus status = encoder_.finish(header, &out->body);
  encoder_.reset();
  return status;
}

wire::CodecStatus Batcher::seal(const wire::ClientReport& report, OutgoingBatch* out) {
  wire::BatchHeader header;
  header.batch_id = new_batch_id();
  header.sent_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  header.sdk_name = kSdkName;
  header.sdk_version = kSdkVersion;
  header.report = report;
  return encode(header, out);
}

bool Batcher::split(const OutgoingBatch& in, OutgoingBatch* first, OutgoingBatch* second) {
  // The decoder's limits must admit anything this SDK produced.
  wire::Limits limits;
  limits.max_compressed_bytes = SIZE_MAX;
  limits.max_decompressed_bytes = SIZE_MAX / 2;
  limits.max_events = SIZE_MAX;
  wire::BatchDecoder decoder(limits);
  wire::DecodedBatch decoded;
  if (!decoder.decode(in.body.data(), in.body.size(), &decoded).ok() || decoded.events.size() < 2)
    return false;
  // The batch being built stays intact: split with a separate encoder.
  wire::BatchEncoder encoder(limits_.zstd_level);
  const size_t half = decoded.events.size() / 2;
  wire::BatchHeader header = decoded.header;
  for (int part = 0; part < 2; ++part) {
    OutgoingBatch* out = part == 0 ? first : second;
    encoder.reset();
    size_t begin = part == 0 ? 0 : half, end = part == 0 ? half : decoded.events.size();
    for (size_t i = begin; i < end; ++i) encoder.add(decoded.events[i]);
    header.batch_id = new_batch_id();
    if (part == 1) header.report = wire::ClientReport{};
    out->id = header.batch_id;
    out->events = static_cast<uint32_t>(end - begin);
    out->spool_sequence = 0;
    if (!encoder.finish(header, &out->body).ok()) return false;
  }
  return true;
}

}  // namespace telltale::detail
