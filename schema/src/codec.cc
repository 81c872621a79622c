// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "telltale/schema/codec.h"

#include <zstd.h>

#include <cstring>
#include <new>

#include "string_interner.h"
#include "telltale_generated.h"

namespace telltale::wire {
namespace {

// Big-endian 8 bytes in one load or store (byte by byte, the compiler kept
// the loop, and the 16 byte stores of an id stalled its 16-byte read).
uint64_t big_endian(uint64_t v) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return __builtin_bswap64(v);
#else
  return v;
#endif
}

uint64_t load_be64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return big_endian(v);
}

void store_be64(uint8_t* p, uint64_t v) {
  v = big_endian(v);
  std::memcpy(p, &v, sizeof v);
}

// Columns are delta-encoded with wrapping unsigned arithmetic so that any
// input, hostile or not, decodes without signed overflow.
int64_t wrap_add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t wrap_sub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}

template <typename T>
size_t length_of(const flatbuffers::Vector<T>* v) {
  return v == nullptr ? 0 : v->size();
}

CodecStatus fail(CodecError code, std::string detail) {
  return CodecStatus::error(code, std::move(detail));
}

}  // namespace

const char* drop_reason_name(DropReason reason) noexcept {
  switch (reason) {
    case DropReason::kQueueFull: return "queue_full";
    case DropReason::kTooLarge: return "too_large";
    case DropReason::kAfterShutdown: return "after_shutdown";
    case DropReason::kRejected: return "rejected";
    case DropReason::kBufferFull: return "buffer_full";
    case DropReason::kSpoolFull: return "spool_full";
    case DropReason::kForked: return "forked";
    case DropReason::kShutdownTimeout: return "shutdown_timeout";
  }
  return "unknown";
}

const char* event_type_name(EventType type) noexcept {
  switch (type) {
    case EventType::kTrack: return "track";
    case EventType::kIdentify: return "identify";
    case EventType::kGroup: return "group";
    case EventType::kUsage: return "usage";
  }
  return "unknown";
}

const char* codec_error_name(CodecError code) noexcept {
  switch (code) {
    case CodecError::kOk: return "ok";
    case CodecError::kTooLarge: return "too_large";
    case CodecError::kBadCompression: return "bad_compression";
    case CodecError::kNotABatch: return "not_a_batch";
    case CodecError::kMalformed: return "malformed";
    case CodecError::kInconsistent: return "inconsistent";
    case CodecError::kTooManyEvents: return "too_many_events";
    case CodecError::kLimitExceeded: return "limit_exceeded";
    case CodecError::kEncodeFailed: return "encode_failed";
  }
  return "unknown";
}

uint64_t Id16::hi() const noexcept { return load_be64(bytes.data()); }
uint64_t Id16::lo() const noexcept { return load_be64(bytes.data() + 8); }

Id16 Id16::from_parts(uint64_t hi, uint64_t lo) noexcept {
  Id16 id;
  store_be64(id.bytes.data(), hi);
  store_be64(id.bytes.data() + 8, lo);
  return id;
}

std::string Id16::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (size_t i = 0; i < 16; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

bool ClientReport::empty() const noexcept {
  for (uint64_t d : dropped)
    if (d != 0) return false;
  return retried == 0 && spooled == 0;
}

// ---------------------------------------------------------------- encoder

struct BatchEncoder::Impl {
  int level;
  ZSTD_CCtx* cctx = nullptr;
  flatbuffers::FlatBufferBuilder fbb{64 * 1024};
  detail::StringInterner strings;

  std::vector<uint8_t> type, prop_count, prop_type;
  std::vector<int64_t> time_delta, prop_value;
  std::vector<uint64_t> id_hi, id_lo;
  std::vector<uint32_t> account, user, name, prop_key;
  int64_t last_time = 0;
  uint64_t last_hi = 0, last_lo = 0;

  explicit Impl(int zstd_level) : level(zstd_level), cctx(ZSTD_createCCtx()) {
    if (cctx == nullptr) throw std::bad_alloc();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  }
  ~Impl() { ZSTD_freeCCtx(cctx); }

  void build(const BatchHeader& h) {
    fbb.Clear();
    auto sdk_name = fbb.CreateString(h.sdk_name);
    auto sdk_version = fbb.CreateString(h.sdk_version);
    flatbuffers::Offset<fb::ClientReport> report;
    if (!h.report.empty()) {
      std::vector<fb::DropCount> drops;
      for (size_t r = 0; r < kDropReasonCount; ++r)
        if (h.report.dropped[r] != 0)
          drops.emplace_back(static_cast<fb::DropReason>(r), h.report.dropped[r]);
      report = fb::CreateClientReport(fbb, fbb.CreateVectorOfStructs(drops), h.report.retried,
                                      h.report.spooled);
    }
    auto string_data = fbb.CreateVector(strings.blob());
    auto string_ends = fbb.CreateVector(strings.ends());
    auto type_v = fbb.CreateVector(reinterpret_cast<const fb::EventType*>(type.data()), type.size());
    auto time_v = fbb.CreateVector(time_delta);
    auto hi_v = fbb.CreateVector(id_hi);
    auto lo_v = fbb.CreateVector(id_lo);
    auto account_v = fbb.CreateVector(account);
    auto user_v = fbb.CreateVector(user);
    auto name_v = fbb.CreateVector(name);
    auto count_v = fbb.CreateVector(prop_count);
    auto key_v = fbb.CreateVector(prop_key);
    auto ptype_v = fbb.CreateVector(reinterpret_cast<const fb::ValueType*>(prop_type.data()),
                                    prop_type.size());
    auto value_v = fbb.CreateVector(prop_value);

    fb::Id16 batch_id(flatbuffers::span<const uint8_t, 16>(h.batch_id.bytes.data(), 16));
    fb::BatchBuilder b(fbb);
    b.add_batch_id(&batch_id);
    b.add_sent_at_ms(h.sent_at_ms);
    b.add_sdk_name(sdk_name);
    b.add_sdk_version(sdk_version);
    if (!h.report.empty()) b.add_report(report);
    b.add_string_data(string_data);
    b.add_string_ends(string_ends);
    b.add_type(type_v);
    b.add_time_delta_ms(time_v);
    b.add_id_hi_delta(hi_v);
    b.add_id_lo_delta(lo_v);
    b.add_account(account_v);
    b.add_user(user_v);
    b.add_name(name_v);
    b.add_prop_count(count_v);
    b.add_prop_key(key_v);
    b.add_prop_type(ptype_v);
    b.add_prop_value(value_v);
    fbb.Finish(b.Finish(), fb::BatchIdentifier());
  }
};

BatchEncoder::BatchEncoder(int zstd_level) : impl_(std::make_unique<Impl>(zstd_level)) {}
BatchEncoder::~BatchEncoder() = default;

void BatchEncoder::reset() noexcept {
  Impl& m = *impl_;
  m.strings.clear();
  for (auto* v : {&m.type, &m.prop_count, &m.prop_type}) v->clear();
  for (auto* v : {&m.time_delta, &m.prop_value}) v->clear();
  for (auto* v : {&m.id_hi, &m.id_lo}) v->clear();
  for (auto* v : {&m.account, &m.user, &m.name, &m.prop_key}) v->clear();
  m.last_time = 0;
  m.last_hi = m.last_lo = 0;
}

void BatchEncoder::add(const Event& e) {
  Impl& m = *impl_;
  m.type.push_back(static_cast<uint8_t>(e.type));
  m.time_delta.push_back(wrap_sub(e.time_ms, m.last_time));
  m.last_time = e.time_ms;
  uint64_t hi = e.message_id.hi(), lo = e.message_id.lo();
  m.id_hi.push_back(hi - m.last_hi);
  m.id_lo.push_back(lo - m.last_lo);
  m.last_hi = hi;
  m.last_lo = lo;
  m.account.push_back(m.strings.intern(e.account));
  m.user.push_back(m.strings.intern(e.user));
  m.name.push_back(m.strings.intern(e.name));
  size_t count = e.prop_count > 255 ? 255 : e.prop_count;
  m.prop_count.push_back(static_cast<uint8_t>(count));
  for (size_t i = 0; i < count; ++i) {
    const Property& p = e.props[i];
    m.prop_key.push_back(m.strings.intern(p.key));
    m.prop_type.push_back(static_cast<uint8_t>(p.value.type));
    int64_t v = p.value.i;
    if (p.value.type == ValueType::kString) {
      v = m.strings.intern(p.value.s);
    } else if (p.value.type == ValueType::kDouble) {
      std::memcpy(&v, &p.value.d, sizeof v);
    } else if (p.value.type == ValueType::kBool) {
      v = p.value.i != 0;
    }
    m.prop_value.push_back(v);
  }
}

size_t BatchEncoder::event_count() const noexcept { return impl_->type.size(); }

size_t BatchEncoder::raw_bytes() const noexcept {
  const Impl& m = *impl_;
  // Per event: type + count (2), time + ids (24), three indices (12);
  // per property: key (4) + type (1) + value (8); plus the dictionary.
  return m.type.size() * 38 + m.prop_key.size() * 13 + m.strings.blob().size() +
         m.strings.size() * 4;
}

void BatchEncoder::finish_uncompressed(const BatchHeader& header, std::vector<uint8_t>* out) {
  impl_->build(header);
  out->assign(impl_->fbb.GetBufferPointer(), impl_->fbb.GetBufferPointer() + impl_->fbb.GetSize());
}

CodecStatus BatchEncoder::finish(const BatchHeader& header, std::vector<uint8_t>* out) {
  Impl& m = *impl_;
  m.build(header);
  size_t bound = ZSTD_compressBound(m.fbb.GetSize());
  out->resize(bound);
  size_t n = ZSTD_compress2(m.cctx, out->data(), bound, m.fbb.GetBufferPointer(), m.fbb.GetSize());
  if (ZSTD_isError(n)) {
    out->clear();
    return fail(CodecError::kEncodeFailed, ZSTD_getErrorName(n));
  }
  out->resize(n);
  return {};
}

// ---------------------------------------------------------------- decoder

struct BatchDecoder::Impl {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ~Impl() { ZSTD_freeDCtx(dctx); }
};

BatchDecoder::BatchDecoder(Limits limits) : limits_(limits), impl_(std::make_unique<Impl>()) {
  if (impl_->dctx == nullptr) throw std::bad_alloc();
}
BatchDecoder::~BatchDecoder() = default;

// Empties a batch but keeps its buffers' capacity: a decoder that is fed one
// batch after another then allocates (and page-faults) only when a batch is
// larger than any before.
static void clear_keeping_capacity(DecodedBatch* out) {
  out->header = BatchHeader{};
  out->events.clear();
  out->properties.clear();
}

CodecStatus BatchDecoder::decode(const uint8_t* data, size_t size, DecodedBatch* out) {
  clear_keeping_capacity(out);
  if (size > limits_.max_compressed_bytes)
    return fail(CodecError::kTooLarge, "compressed batch of " + std::to_string(size) +
                                           " bytes exceeds " +
                                           std::to_string(limits_.max_compressed_bytes));
  unsigned long long declared = ZSTD_getFrameContentSize(data, size);
  if (declared == ZSTD_CONTENTSIZE_ERROR)
    return fail(CodecError::kBadCompression, "not a zstd frame");
  const size_t cap = limits_.max_decompressed_bytes;
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > cap)
    return fail(CodecError::kTooLarge, "declared decompressed size " + std::to_string(declared) +
                                           " exceeds " + std::to_string(cap));

  // Stream into a buffer that grows only up to the cap, whatever the frame
  // header claims: a lying header cannot make us commit more memory.
  std::vector<uint8_t>& buffer = out->storage;
  size_t initial = declared != ZSTD_CONTENTSIZE_UNKNOWN ? static_cast<size_t>(declared) : size * 4;
  buffer.resize(std::min(std::max<size_t>(initial, 256), cap + 1));
  ZSTD_DCtx_reset(impl_->dctx, ZSTD_reset_session_only);
  ZSTD_inBuffer in{data, size, 0};
  ZSTD_outBuffer outb{buffer.data(), buffer.size(), 0};
  for (;;) {
    size_t ret = ZSTD_decompressStream(impl_->dctx, &outb, &in);
    if (ZSTD_isError(ret)) return fail(CodecError::kBadCompression, ZSTD_getErrorName(ret));
    if (outb.pos > cap)
      return fail(CodecError::kTooLarge, "decompressed batch exceeds " + std::to_string(cap));
    if (ret == 0 && in.pos == in.size) break;
    if (outb.pos == outb.size) {
      buffer.resize(std::min(buffer.size() * 2, cap + 1));
      outb.dst = buffer.data();
      outb.size = buffer.size();
    } else if (in.pos == in.size && ret != 0) {
      return fail(CodecError::kBadCompression, "truncated zstd frame");
    }
  }
  buffer.resize(outb.pos);
  return unpack(out);
}

CodecStatus BatchDecoder::decode_uncompressed(std::vector<uint8_t> buffer, DecodedBatch* out) {
  clear_keeping_capacity(out);
  out->storage = std::move(buffer);
  return unpack(out);
}

CodecStatus BatchDecoder::unpack(DecodedBatch* out) {
  CodecStatus status = unpack_storage(out);
  if (!status.ok()) clear_keeping_capacity(out);
  return status;
}

CodecStatus BatchDecoder::unpack_storage(DecodedBatch* out) {
  const std::vector<uint8_t>& buffer = out->storage;
  if (buffer.size() > limits_.max_decompressed_bytes)
    return fail(CodecError::kTooLarge, "batch exceeds " + std::to_string(limits_.max_decompressed_bytes));
  if (buffer.size() < 8 || !fb::BatchBufferHasIdentifier(buffer.data()))
    return fail(CodecError::kNotABatch, "missing TTB1 identifier");
  flatbuffers::Verifier verifier(buffer.data(), buffer.size(), /*max_depth=*/16,
                                 /*max_tables=*/64);
  if (!fb::VerifyBatchBuffer(verifier))
    return fail(CodecError::kMalformed, "FlatBuffers verification failed");

  const fb::Batch* b = fb::GetBatch(buffer.data());
  if (b->batch_id() == nullptr) return fail(CodecError::kInconsistent, "missing batch_id");

  // The columns, looked up once: each accessor reads the table's vtable.
  const auto* types = b->type();
  const auto* time_deltas = b->time_delta_ms();
  const auto* id_hi_deltas = b->id_hi_delta();
  const auto* id_lo_deltas = b->id_lo_delta();
  const auto* accounts = b->account();
  const auto* users = b->user();
  const auto* names = b->name();
  const auto* prop_counts = b->prop_count();
  const auto* prop_keys = b->prop_key();
  const auto* prop_types = b->prop_type();
  const auto* prop_values = b->prop_value();
  const auto* string_ends = b->string_ends();

  const size_t n = length_of(types);
  if (n > limits_.max_events)
    return fail(CodecError::kTooManyEvents, std::to_string(n) + " events exceed the limit of " +
                                                std::to_string(limits_.max_events));
  // The Verifier checks vectors' offsets but not the alignment of 8-byte
  // elements; reading a misaligned one would be undefined behaviour.
  auto misaligned = [](const auto* v) {
    return v != nullptr && v->size() != 0 && reinterpret_cast<uintptr_t>(v->data()) % 8 != 0;
  };
  if (misaligned(time_deltas) || misaligned(id_hi_deltas) || misaligned(id_lo_deltas) || misaligned(prop_values))
    return fail(CodecError::kMalformed, "misaligned 8-byte column");
  for (size_t len : {length_of(time_deltas), length_of(id_hi_deltas), length_of(id_lo_deltas), length_of(accounts),
                     length_of(users), length_of(names), length_of(prop_counts)})
    if (len != n) return fail(CodecError::kInconsistent, "event columns differ in length");

  size_t total_props = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t c = prop_counts->Get(i);
    if (c > limits_.max_properties)
      return fail(CodecError::kLimitExceeded, "event " + std::to_string(i) + " has " +
                                                  std::to_string(c) + " properties");
    total_props += c;
  }
  for (size_t len : {length_of(prop_keys), length_of(prop_types), length_of(prop_values)})
    if (len != total_props)
      return fail(CodecError::kInconsistent, "property columns differ in length");

  const size_t blob_size = length_of(b->string_data());
  const size_t strings = length_of(string_ends);
  const char* blob = blob_size ? reinterpret_cast<const char*>(b->string_data()->data()) : "";
  uint32_t prev_end = 0;
  for (size_t i = 0; i < strings; ++i) {
    uint32_t end = string_ends->Get(i);
    if (end < prev_end || end > blob_size)
      return fail(CodecError::kInconsistent, "string dictionary offsets out of order or range");
    if (end - prev_end > limits_.max_string_bytes)
      return fail(CodecError::kLimitExceeded, "a string of " + std::to_string(end - prev_end) +
                                                  " bytes exceeds the limit");
    prev_end = end;
  }
  // Only for an index below `strings` (so string_ends is there).
  auto str = [&](uint32_t index) {
    uint32_t begin = index == 0 ? 0 : string_ends->Get(index - 1);
    return std::string_view(blob + begin, string_ends->Get(index) - begin);
  };
  auto bad_index = [&](uint32_t index) { return index >= strings; };

  DecodedBatch& result = *out;
  BatchHeader& h = result.header;
  std::memcpy(h.batch_id.bytes.data(), b->batch_id()->bytes()->data(), 16);
  h.sent_at_ms = b->sent_at_ms();
  if (b->sdk_name()) h.sdk_name = b->sdk_name()->str();
  if (b->sdk_version()) h.sdk_version = b->sdk_version()->str();
  if (const fb::ClientReport* r = b->report()) {
    h.report.retried = r->retried();
    h.report.spooled = r->spooled();
    if (r->dropped())
      for (const fb::DropCount* d : *r->dropped()) {
        auto reason = static_cast<size_t>(d->reason());
        if (reason >= kDropReasonCount)
          return fail(CodecError::kInconsistent, "unknown drop reason " + std::to_string(reason));
        h.report.dropped[reason] += d->count();
      }
  }

  // Each event and property is built whole and appended: resizing first
  // would write every one twice.
  result.properties.reserve(total_props);
  for (size_t p = 0; p < total_props; ++p) {
    uint32_t key = prop_keys->Get(p);
    auto type = static_cast<uint8_t>(prop_types->Get(p));
    int64_t raw = prop_values->Get(p);
    if (bad_index(key)) return fail(CodecError::kInconsistent, "property key index out of range");
    if (type > static_cast<uint8_t>(ValueType::kBool))
      return fail(CodecError::kInconsistent, "unknown property type " + std::to_string(type));
    Property& prop = result.properties.emplace_back();
    prop.key = str(key);
    prop.value.type = static_cast<ValueType>(type);
    switch (prop.value.type) {
      case ValueType::kString:
        if (raw < 0 || bad_index(static_cast<uint32_t>(raw)) || raw > UINT32_MAX)
          return fail(CodecError::kInconsistent, "property string index out of range");
        prop.value.s = str(static_cast<uint32_t>(raw));
        break;
      case ValueType::kDouble: std::memcpy(&prop.value.d, &raw, sizeof raw); break;
      case ValueType::kBool: prop.value.i = raw != 0; break;
      case ValueType::kInt: prop.value.i = raw; break;
    }
  }

  result.events.reserve(n);
  int64_t time = 0;
  uint64_t hi = 0, lo = 0;
  size_t next_prop = 0;
  for (size_t i = 0; i < n; ++i) {
    auto type = static_cast<uint8_t>(types->Get(i));
    if (type > static_cast<uint8_t>(EventType::kUsage))
      return fail(CodecError::kInconsistent, "unknown event type " + std::to_string(type));
    uint32_t account = accounts->Get(i), user = users->Get(i), name = names->Get(i);
    if (bad_index(account) || bad_index(user) || bad_index(name))
      return fail(CodecError::kInconsistent, "event string index out of range");
    Event& e = result.events.emplace_back();
    e.type = static_cast<EventType>(type);
    time = wrap_add(time, time_deltas->Get(i));
    hi += id_hi_deltas->Get(i);
    lo += id_lo_deltas->Get(i);
    e.time_ms = time;
    e.message_id = Id16::from_parts(hi, lo);
    e.account = str(account);
    e.user = str(user);
    e.name = str(name);
    e.prop_count = prop_counts->Get(i);
    e.props = e.prop_count ? result.properties.data() + next_prop : nullptr;
    next_prop += e.prop_count;
  }
  return {};
}

}  // namespace telltale::wire
