// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/event_reader.h"

#include "app/iso8601.h"
#include "signals/user_identity.h"

#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

namespace telltale::collector {
namespace {

namespace json = boost::json;

// Into a reused PropValue, keeping its string's buffer.
void assign_wire(const wire::Value& v, PropValue& p) {
  p.s.clear();
  p.i = 0;
  p.d = 0;
  switch (v.type) {
    case wire::ValueType::kString: p.type = PropValue::Type::kString; p.s.assign(v.s); break;
    case wire::ValueType::kInt: p.type = PropValue::Type::kInt; p.i = v.i; break;
    case wire::ValueType::kDouble: p.type = PropValue::Type::kDouble; p.d = v.d; break;
    case wire::ValueType::kBool: p.type = PropValue::Type::kBool; p.i = v.i; break;
  }
}

PropValue from_json(const json::value& v) {
  PropValue p;
  if (v.is_string()) {
    p.type = PropValue::Type::kString;
    p.s = std::string(v.get_string());
  } else if (v.is_int64()) {
    p.type = PropValue::Type::kInt;
    p.i = v.get_int64();
  } else if (v.is_uint64()) {
    p.type = PropValue::Type::kInt;
    p.i = static_cast<int64_t>(v.get_uint64());
  } else if (v.is_double()) {
    p.type = PropValue::Type::kDouble;
    p.d = v.get_double();
  } else if (v.is_bool()) {
    p.type = PropValue::Type::kBool;
    p.i = v.get_bool();
  } else if (!v.is_null()) {
    p.type = PropValue::Type::kString;  // nested objects and arrays, as JSON text
    p.s = json::serialize(v);
  }
  return p;
}

std::string id_text(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  if (it->value().is_string()) return std::string(it->value().get_string());
  if (it->value().is_int64()) return std::to_string(it->value().get_int64());
  if (it->value().is_uint64()) return std::to_string(it->value().get_uint64());
  return "";
}

std::optional<int64_t> time_field(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return parse_iso8601_ms(it->value().get_string());
}

// The times an event may have: from 2000 on (before, a clock was unset),
// before the year 10000, and at most a minute after its frame arrived
// (events happen before they are sent; a client clock ahead that no sentAt
// corrects would move its account into the future).
constexpr int64_t kEarliestEventMs = 946'684'800'000;       // 2000-01-01
constexpr int64_t kEndOfTimeMs = 253'402'300'800'000;       // 10000-01-01
constexpr int64_t kLatestAfterArrivalMs = 60'000;
bool plausible(int64_t ms) { return ms >= kEarliestEventMs && ms < kEndOfTimeMs; }

// An event's time: `stamped` (the client's clock when it happened; nullopt:
// not said) plus the client's clock offset, which `sent` (its clock when it
// sent the frame) and `received` (the collector's when it arrived) tell.
// A time not said, or outside the bounds above, is the arrival's.
int64_t event_time(std::optional<int64_t> stamped, std::optional<int64_t> sent, int64_t received) {
  if (!stamped || !plausible(*stamped)) return received;
  if (!plausible(received)) return *stamped;  // no arrival to measure by (a test's frame)
  const int64_t t = sent && plausible(*sent) ? *stamped + (received - *sent) : *stamped;
  return t >= kEarliestEventMs && t <= received + kLatestAfterArrivalMs ? t : received;
}

// The engine reads the traits of group calls (the account's) and identify
// calls (who the user is), and the properties of usage reports (metric,
// used, limit); a track's are not copied.
bool carries_props(UsageKind kind) {
  return kind == UsageKind::kGroup || kind == UsageKind::kIdentify || kind == UsageKind::kUsage;
}

}  // namespace

// Frames were bounded when they were accepted; reading them back applies no
// tighter limits, so a later, stricter config cannot hide history.
static wire::Limits replay_limits() {
  wire::Limits unlimited;
  unlimited.max_compressed_bytes = SIZE_MAX;
  unlimited.max_decompressed_bytes = SIZE_MAX / 2;
  unlimited.max_events = SIZE_MAX;
  return unlimited;
}

EventReader::EventReader() : decoder_(replay_limits()) {}

std::span<const UsageEvent> EventReader::read(const Frame& frame, FrameEvents* out) {
  out->count_ = 0;
  if (!(frame.format == FrameFormat::kSdkBatch ? read_sdk(frame, *out) : read_segment(frame, *out))) {
    ++undecodable_;
    out->count_ = 0;
  }
  return out->events();
}

UsageEvent& FrameEvents::next() {
  if (count_ == pool_.size()) pool_.emplace_back();
  UsageEvent& u = pool_[count_++];
  u.kind = UsageKind::kTrack;
  u.time_ms = 0;
  u.account.clear();
  u.user.clear();
  u.name.clear();
  return u;  // props are left for the reader to size: their strings' buffers are reused
}

bool EventReader::read_sdk(const Frame& frame, FrameEvents& out) {
  if (!decoder_.decode(frame.payload.data(), frame.payload.size(), &batch_).ok()) return false;
  const std::optional<int64_t> sent =
      batch_.header.sent_at_ms ? std::optional<int64_t>(batch_.header.sent_at_ms) : std::nullopt;
  for (const wire::Event& e : batch_.events) {
    UsageEvent& u = out.next();
    switch (e.type) {
      case wire::EventType::kTrack: u.kind = UsageKind::kTrack; break;
      case wire::EventType::kIdentify: u.kind = UsageKind::kIdentify; break;
      case wire::EventType::kGroup: u.kind = UsageKind::kGroup; break;
      case wire::EventType::kUsage: u.kind = UsageKind::kUsage; break;
    }
    u.time_ms = event_time(e.time_ms, sent, frame.received_at_ms);
    u.account.assign(e.account);
    u.user.assign(e.user);
    u.name.assign(e.name);
    u.props.resize(carries_props(u.kind) ? e.prop_count : 0);
    for (size_t i = 0; i < u.props.size(); ++i) {
      u.props[i].first.assign(e.props[i].key);
      assign_wire(e.props[i].value, u.props[i].second);
    }
  }
  return true;
}

bool EventReader::read_segment(const Frame& frame, FrameEvents& out) {
  json::value v;
  try {
    v = json::parse(std::string_view(reinterpret_cast<const char*>(frame.payload.data()), frame.payload.size()));
  } catch (const std::exception&) {
    return false;
  }
  const json::object* call = v.if_object();
  if (call == nullptr) return false;
  const std::string type = id_text(*call, "type");
  const UsageKind kind = type == "track"      ? UsageKind::kTrack
                         : type == "identify" ? UsageKind::kIdentify
                         : type == "group"    ? UsageKind::kGroup
                                              : UsageKind::kOther;
  std::string user = id_text(*call, "userId");
  if (user.empty()) user = id_text(*call, "anonymousId");
  const auto ctx = call->find("context");
  const json::object* context = ctx != call->end() ? ctx->value().if_object() : nullptr;
  // Event time, corrected for the client's clock: timestamp + (received - sentAt).
  // (analytics.js says originalTimestamp where the server libraries say timestamp.)
  std::optional<int64_t> stamped = time_field(*call, "timestamp");
  if (!stamped) stamped = time_field(*call, "originalTimestamp");
  const int64_t when = event_time(stamped, time_field(*call, "sentAt"), frame.received_at_ms);

  // Who the user is, when another call says it in context.traits (Segment's
  // mobile libraries, among others, repeat the identify traits there): read
  // as an identify before the call, with only what the engine keeps of one.
  if (kind != UsageKind::kIdentify && context && !user.empty())
    if (auto traits = context->find("traits"); traits != context->end() && traits->value().is_object()) {
      UsageEvent& who = out.next();
      who.kind = UsageKind::kIdentify;
      who.user = user;
      who.time_ms = when;
      who.props.clear();
      for (const auto& kv : traits->value().get_object())
        if (UserIdentity::is_identity_trait(kv.key()))
          who.props.emplace_back(std::string(kv.key()), from_json(kv.value()));
      if (who.props.empty()) out.drop_last();
    }

  UsageEvent& u = out.next();
  u.props.clear();
  u.kind = kind;
  u.user = std::move(user);
  u.account = id_text(*call, "groupId");
  if (u.account.empty() && context) u.account = id_text(*context, "groupId");
  u.name = id_text(*call, "event");
  u.time_ms = when;
  if (u.kind == UsageKind::kTrack && u.name == "Usage Reported") u.kind = UsageKind::kUsage;
  if (!carries_props(u.kind)) return true;
  for (const char* key : {"properties", "traits"})
    if (auto it = call->find(key); it != call->end() && it->value().is_object())
      for (const auto& kv : it->value().get_object()) u.props.emplace_back(std::string(kv.key()), from_json(kv.value()));
  return true;
}

}  // namespace telltale::collector
