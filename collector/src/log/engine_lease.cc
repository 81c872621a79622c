// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "log/engine_lease.h"

#include <nats/nats.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "app/wall_clock.h"
#include "log/nats_connection.h"

namespace telltale::collector {

struct EngineLease::Bucket {
  natsConnection* connection = nullptr;
  jsCtx* js = nullptr;
  kvStore* kv = nullptr;
  std::chrono::milliseconds time_to_live{0};

  ~Bucket() {
    if (kv) kvStore_Destroy(kv);
    if (js) jsCtx_Destroy(js);
    if (connection) {
      natsConnection_Close(connection);
      natsConnection_Destroy(connection);
    }
  }
};

namespace {

// A key-value key holds [-/_=.a-zA-Z0-9]; a stream name may hold more.
std::string key_for(const std::string& stream) {
  std::string key = stream;
  for (char& c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '=' && c != '.') c = '_';
  return key;
}

std::string this_host() {
  char name[256] = {};
  return ::gethostname(name, sizeof name - 1) == 0 ? name : "unknown host";
}

// The holder an entry names.
EngineLeaseHolder parse_holder(kvEntry* entry) {
  EngineLeaseHolder h;
  h.renewed_ms = kvEntry_Created(entry) / 1'000'000;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(
      std::string_view(static_cast<const char*>(kvEntry_Value(entry)), size_t(kvEntry_ValueLen(entry))), ec);
  if (ec || !v.is_object()) {
    h.host = "an unknown holder";
    return h;
  }
  const boost::json::object& o = v.get_object();
  auto text = [&](const char* key) {
    const boost::json::value* f = o.if_contains(key);
    return f && f->is_string() ? std::string(f->get_string()) : std::string();
  };
  auto number = [&](const char* key) {
    const boost::json::value* f = o.if_contains(key);
    return f && f->is_int64() ? f->get_int64() : int64_t(0);
  };
  h.host = text("host");
  h.data_dir = text("data_dir");
  h.address = text("address");
  h.pid = number("pid");
  h.since_ms = number("since_ms");
  return h;
}

using EntryPtr = std::unique_ptr<kvEntry, void (*)(kvEntry*)>;

}  // namespace

std::unique_ptr<EngineLease::Bucket> EngineLease::open_bucket(const JetStreamConfig& stream,
                                                             const EngineLeaseOptions& options, bool create) {
  auto bucket = std::make_unique<Bucket>();
  bucket->connection = connect_to_nats(stream.servers, "telltale-collector engine lease");
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = 2000;  // a renewal or release waits no longer for an answer
  natsStatus s = natsConnection_JetStream(&bucket->js, bucket->connection, &js_options);
  if (s == NATS_OK) s = js_KeyValue(&bucket->kv, bucket->js, options.bucket.c_str());
  if (s == NATS_NOT_FOUND && !create) return nullptr;
  if (s == NATS_NOT_FOUND) {
    kvConfig config;
    kvConfig_Init(&config);
    config.Bucket = options.bucket.c_str();
    config.Description = "telltale-collector: which collector runs the engine on each event stream";
    config.History = 1;
    config.TTL = std::chrono::duration_cast<std::chrono::nanoseconds>(options.time_to_live).count();
    config.StorageType = js_FileStorage;
    config.Replicas = stream.replicas;
    s = js_CreateKeyValue(&bucket->kv, bucket->js, &config);
    if (s != NATS_OK) s = js_KeyValue(&bucket->kv, bucket->js, options.bucket.c_str());  // made by another just now
  }
  if (s != NATS_OK)
    throw std::runtime_error("NATS key-value bucket " + options.bucket + " at " + server_list(stream.servers) + ": " +
                             nats_error_text(s));
  kvStatus* status = nullptr;
  if (kvStore_Status(&status, bucket->kv) == NATS_OK) {
    bucket->time_to_live = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::nanoseconds(kvStatus_TTL(status)));
    kvStatus_Destroy(status);
  }
  if (bucket->time_to_live.count() <= 0) bucket->time_to_live = options.time_to_live;
  return bucket;
}

std::string EngineLeaseHolder::describe() const {
  std::string out = "telltale-collector pid " + std::to_string(pid) + " on " + host + " (data directory " + data_dir;
  if (!address.empty()) out += ", " + address;
  return out + ")";
}

std::unique_ptr<EngineLease> EngineLease::take(const JetStreamConfig& stream, const std::string& data_dir,
                                               OnLost on_lost, const EngineLeaseOptions& options) {
  auto bucket = open_bucket(stream, options, true);
  EngineLeaseHolder me;
  me.host = this_host();
  std::error_code ec;
  me.data_dir = std::filesystem::weakly_canonical(std::filesystem::absolute(data_dir), ec).string();
  if (ec) me.data_dir = data_dir;
  me.pid = ::getpid();
  me.since_ms = wall_clock_ms();
  const std::string key = key_for(stream.stream);
  const std::chrono::milliseconds ttl = bucket->time_to_live;
  std::unique_ptr<EngineLease> lease(new EngineLease(std::move(bucket), key, me, std::move(on_lost), ttl));
  const std::string value = lease->value();
  kvStore* kv = lease->bucket_->kv;
  // Held at `revision`: renewed from now on.
  auto held = [&lease](uint64_t revision) {
    lease->revision_ = revision;
    lease->renewer_ = std::thread([l = lease.get()] { l->renew_until_stopped(); });
    return std::move(lease);
  };
  for (int attempt = 0; attempt < 3; ++attempt) {
    uint64_t revision = 0;
    if (kvStore_Create(&revision, kv, key.c_str(), value.data(), int(value.size())) == NATS_OK) return held(revision);
    kvEntry* raw = nullptr;
    const natsStatus s = kvStore_Get(&raw, kv, key.c_str());
    if (s == NATS_NOT_FOUND) continue;  // lapsed or released meanwhile: try again
    if (s != NATS_OK)
      throw std::runtime_error("cannot take the engine's lease on stream " + stream.stream + ": " +
                               nats_error_text(s));
    EntryPtr entry(raw, &kvEntry_Destroy);
    const EngineLeaseHolder holder = parse_holder(entry.get());
    if (holder.host == me.host && holder.data_dir == me.data_dir) {  // this data directory's previous run
      if (kvStore_Update(&revision, kv, key.c_str(), value.data(), int(value.size()),
                         kvEntry_Revision(entry.get())) != NATS_OK)
        continue;
      spdlog::info("took over the engine's lease on stream {} from this data directory's previous run (pid {})",
                   stream.stream, holder.pid);
      return held(revision);
    }
    const int64_t ago_s = std::max<int64_t>(0, (wall_clock_ms() - holder.renewed_ms) / 1000);
    lease->held_ = false;
    throw std::runtime_error("stream " + stream.stream + " is already followed by the engine of " +
                             holder.describe() + ", which renewed its lease " + std::to_string(ago_s) +
                             " s ago; run one engine per stream: set [engine] enabled = false on this collector, "
                             "or stop that one (its lease lapses " + std::to_string(ttl.count() / 1000) +
                             " s after it stops)");
  }
  lease->held_ = false;
  throw std::runtime_error("cannot take the engine's lease on stream " + stream.stream +
                           ": it changed hands while asked; try again");
}

std::optional<EngineLeaseHolder> EngineLease::holder(const JetStreamConfig& stream,
                                                     const EngineLeaseOptions& options) {
  auto bucket = open_bucket(stream, options, false);
  if (!bucket) return std::nullopt;
  kvEntry* raw = nullptr;
  const natsStatus s = kvStore_Get(&raw, bucket->kv, key_for(stream.stream).c_str());
  if (s == NATS_NOT_FOUND) return std::nullopt;
  if (s != NATS_OK)
    throw std::runtime_error("cannot read the engine's lease on stream " + stream.stream + ": " + nats_error_text(s));
  EntryPtr entry(raw, &kvEntry_Destroy);
  return parse_holder(entry.get());
}

EngineLease::EngineLease(std::unique_ptr<Bucket> bucket, std::string key, EngineLeaseHolder me, OnLost on_lost,
                         std::chrono::milliseconds time_to_live)
    : bucket_(std::move(bucket)),
      key_(std::move(key)),
      me_(std::move(me)),
      on_lost_(std::move(on_lost)),
      time_to_live_(time_to_live),
      every_(std::max<std::chrono::milliseconds>(time_to_live / 3, std::chrono::milliseconds(100))) {}

EngineLease::~EngineLease() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (renewer_.joinable()) renewer_.join();
  // Frees the stream at once for the next engine, unless it is another's.
  if (!held_) return;
  const std::string lapses = "; it lapses by itself within " + std::to_string(time_to_live_.count() / 1000) + " s";
  if (natsConnection_Status(bucket_->connection) != NATS_CONN_STATUS_CONNECTED)
    spdlog::warn("could not release the engine's lease (NATS not reachable){}", lapses);
  else if (const natsStatus s = kvStore_Delete(bucket_->kv, key_.c_str()); s != NATS_OK)
    spdlog::warn("could not release the engine's lease ({}){}", nats_error_text(s), lapses);
}

void EngineLease::say_address(const std::string& address) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    me_.address = address;
    renew_now_ = true;
  }
  wake_.notify_all();
}

std::string EngineLease::value() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return boost::json::serialize(boost::json::object{{"host", me_.host},
                                                    {"data_dir", me_.data_dir},
                                                    {"pid", me_.pid},
                                                    {"address", me_.address},
                                                    {"since_ms", me_.since_ms}});
}

void EngineLease::renew_until_stopped() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, every_, [this] { return stopping_ || renew_now_; });
    if (stopping_) return;
    renew_now_ = false;
    lock.unlock();
    const bool still_held = renew();
    lock.lock();
    if (!still_held) return;
  }
}

bool EngineLease::renew() {
  const std::string value = this->value();
  kvStore* kv = bucket_->kv;
  uint64_t revision = 0;
  natsStatus s = kvStore_Update(&revision, kv, key_.c_str(), value.data(), int(value.size()), revision_);
  if (s != NATS_OK) {
    // Not our revision any more, or NATS not answering: ask what the key holds.
    kvEntry* raw = nullptr;
    const natsStatus read = kvStore_Get(&raw, kv, key_.c_str());
    EntryPtr entry(raw, &kvEntry_Destroy);
    if (read == NATS_NOT_FOUND) {  // it lapsed while NATS could not be reached: free, so take it again
      s = kvStore_Create(&revision, kv, key_.c_str(), value.data(), int(value.size()));
      if (s == NATS_OK) spdlog::warn("the engine's lease had lapsed while NATS could not be reached; taken again");
    } else if (read == NATS_OK) {
      const EngineLeaseHolder holder = parse_holder(entry.get());
      if (holder.host != me_.host || holder.data_dir != me_.data_dir || holder.pid != me_.pid) {
        held_ = false;
        on_lost_("the engine's lease was taken by " + holder.describe() +
                 " while this collector could not renew it");
        return false;
      }
      revision = kvEntry_Revision(entry.get());  // ours, renewed by a reply that was lost: go on from it
      s = NATS_OK;
    } else {
      s = read;
    }
  }
  if (s == NATS_OK) {
    revision_ = revision;
    if (failing_) spdlog::info("the engine's lease is renewed again");
    failing_ = false;
  } else if (!failing_) {
    failing_ = true;
    spdlog::warn("cannot renew the engine's lease ({}); retrying every {} ms, and another engine may take the "
                 "stream if this lasts",
                 nats_error_text(s), every_.count());
  }
  return true;
}

}  // namespace telltale::collector
