// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "log/jetstream_event_log.h"

#include <nats/nats.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "app/count_words.h"
#include "log/nats_connection.h"

namespace telltale::collector {
namespace {

constexpr const char* kFormatHeader = "Telltale-Format";
constexpr const char* kReceivedAtHeader = "Telltale-Received-At";
constexpr const char* kEventsHeader = "Telltale-Events";
// How long read() waits for a message the stream is known to hold.
constexpr int64_t kDeliveryWaitMs = 2000;
// How long read() at the stream's end waits for a new message.
constexpr int64_t kFollowWaitMs = 100;
// What the ordered consumer may buffer in the client before the engine
// takes it (flow control keeps the server from sending much more).
constexpr int kPendingMessages = 65536;
constexpr int kPendingBytes = 256 << 20;
// Room left in a message for a frame's headers: its key is a message id of
// at most limits.max_string_bytes (65,535 at most), twice that in hex.
constexpr int64_t kHeaderRoom = 2 * 65536 + 4096;

// De-duplication keys hold raw bytes (an SDK batch id); a header value
// must not, so Nats-Msg-Id carries them in hex.
std::string to_hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

bool from_hex(const std::string& hex, std::string* bytes) {
  if (hex.size() % 2) return false;
  bytes->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    if (ec != std::errc() || end != hex.data() + i + 2) return false;
    bytes->push_back(char(value));
  }
  return true;
}

const char* format_name(FrameFormat f) { return f == FrameFormat::kSdkBatch ? "sdk-batch" : "segment-json"; }

std::string header(natsMsg* msg, const char* key) {
  const char* value = nullptr;
  return natsMsgHeader_Get(msg, key, &value) == NATS_OK && value ? std::string(value) : std::string();
}

template <typename T>
bool parse_number(const std::string& text, T* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// The frame a stored message carries; false when its headers are not ours.
bool frame_of(natsMsg* msg, Frame* frame) {
  const std::string format = header(msg, kFormatHeader);
  if (format == "sdk-batch") {
    frame->format = FrameFormat::kSdkBatch;
  } else if (format == "segment-json") {
    frame->format = FrameFormat::kSegmentJson;
  } else {
    return false;
  }
  if (!parse_number(header(msg, kReceivedAtHeader), &frame->received_at_ms)) return false;
  if (!parse_number(header(msg, kEventsHeader), &frame->events)) return false;
  if (!from_hex(header(msg, "Nats-Msg-Id"), &frame->dedup_key)) return false;
  const auto* data = reinterpret_cast<const uint8_t*>(natsMsg_GetData(msg));
  frame->payload.assign(data, data + natsMsg_GetDataLength(msg));
  return true;
}

}  // namespace

JetStreamEventLog::JetStreamEventLog(JetStreamConfig config) : config_(std::move(config)) {}

std::unique_ptr<JetStreamEventLog> JetStreamEventLog::open(const JetStreamConfig& config) {
  std::unique_ptr<JetStreamEventLog> log(new JetStreamEventLog(config));
  log->connect();
  return log;
}

JetStreamEventLog::~JetStreamEventLog() {
  unsubscribe();
  if (js_) jsCtx_Destroy(js_);
  if (connection_) {
    natsConnection_Close(connection_);
    natsConnection_Destroy(connection_);
  }
}

std::string JetStreamEventLog::describe() const {
  return "JetStream stream " + config_.stream + " (subject " + config_.subject + ") at " + server_list(config_.servers);
}

void JetStreamEventLog::connect() {
  connection_ = connect_to_nats(config_.servers, "telltale-collector");
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = 5000;
  js_options.PublishAsync.AckHandler = &JetStreamEventLog::on_ack;
  js_options.PublishAsync.AckHandlerClosure = this;
  natsStatus s = natsConnection_JetStream(&js_, connection_, &js_options);
  if (s != NATS_OK) throw std::runtime_error("JetStream: " + nats_error_text(s));

  jsStreamInfo* info = nullptr;
  jsErrCode jerr = jsErrCode(0);
  s = js_GetStreamInfo(&info, js_, config_.stream.c_str(), nullptr, &jerr);
  if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) {
    jsStreamConfig stream;
    jsStreamConfig_Init(&stream);
    const char* subjects[] = {config_.subject.c_str()};
    stream.Name = config_.stream.c_str();
    stream.Subjects = subjects;
    stream.SubjectsLen = 1;
    stream.Storage = js_FileStorage;
    stream.Replicas = config_.replicas;
    stream.Duplicates = std::chrono::duration_cast<std::chrono::nanoseconds>(config_.duplicate_window).count();
    stream.MaxAge = std::chrono::duration_cast<std::chrono::nanoseconds>(config_.max_age).count();
    jerr = jsErrCode(0);
    s = js_AddStream(&info, js_, &stream, nullptr, &jerr);
    if (jerr == JSStreamNameExistErr) {  // another collector created it just now
      jerr = jsErrCode(0);
      s = js_GetStreamInfo(&info, js_, config_.stream.c_str(), nullptr, &jerr);
    } else if (s == NATS_OK) {
      const int64_t window_ms = config_.duplicate_window.count();  // whole minutes, but for tests
      spdlog::info("created JetStream stream {} (subject {}, {}, duplicate window {})", config_.stream,
                   config_.subject, count_of(config_.replicas, "replica", "replicas"),
                   window_ms % 60'000 ? std::to_string(window_ms) + " ms"
                                      : std::to_string(window_ms / 60'000) + " min");
    }
    if (s != NATS_OK)
      throw std::runtime_error("cannot create JetStream stream " + config_.stream + ": " + nats_error_text(s, jerr));
  } else if (s != NATS_OK) {
    throw std::runtime_error("JetStream stream " + config_.stream + ": " + nats_error_text(s, jerr));
  }
  const jsStreamConfig* stream = info->Config;
  const bool ours = stream->SubjectsLen == 1 && config_.subject == stream->Subjects[0];
  std::string held;
  for (int i = 0; i < stream->SubjectsLen; ++i) held += (i ? ", " : "") + std::string(stream->Subjects[i]);
  known_last_ = last_acked_ = int64_t(info->State.LastSeq);
  jsStreamInfo_Destroy(info);
  if (!ours)
    throw std::runtime_error("JetStream stream " + config_.stream + " holds subjects [" + held +
                             "]; the event log needs a stream of exactly [" + config_.subject + "]");
}

void JetStreamEventLog::on_ack(jsCtx*, natsMsg* msg, jsPubAck* pa, jsPubAckErr* pae, void* closure) {
  auto* self = static_cast<JetStreamEventLog*>(closure);
  {
    std::lock_guard<std::mutex> lock(self->acks_mutex_);
    auto it = self->in_flight_.find(msg);
    if (it != self->in_flight_.end()) {
      Outcome& outcome = self->outcomes_[it->second];
      outcome.acked = pa != nullptr;
      outcome.duplicate = pa != nullptr && pa->Duplicate;
      if (pa != nullptr) outcome.sequence = int64_t(pa->Sequence);
      if (pae != nullptr)
        outcome.error = nats_error_text(pae->Err, pae->ErrCode) + (pae->ErrText ? std::string(": ") + pae->ErrText : "");
      self->in_flight_.erase(it);
    }
  }
  natsMsg_Destroy(msg);
}

LogStatus JetStreamEventLog::append(const std::vector<const Frame*>& frames, std::vector<bool>* duplicate) {
  duplicate->assign(frames.size(), false);
  if (frames.empty()) {  // a probe: does the stream answer?
    std::string error;
    return stream_last_sequence(&error) < 0 ? LogStatus::failure(error) : LogStatus{};
  }
  // Publishing now would only fill the client's reconnect buffer and wait
  // out the acknowledgement timeout: refuse at once.
  if (LogStatus status = connected(); !status.ok) return status;
  {
    std::lock_guard<std::mutex> lock(acks_mutex_);
    in_flight_.clear();
    outcomes_.assign(frames.size(), Outcome{});
  }
  std::string error;
  for (size_t i = 0; i < frames.size() && error.empty(); ++i) {
    const Frame& f = *frames[i];
    natsMsg* msg = nullptr;
    natsStatus s = natsMsg_Create(&msg, config_.subject.c_str(), nullptr,
                                  reinterpret_cast<const char*>(f.payload.data()), int(f.payload.size()));
    const std::string received_at = std::to_string(f.received_at_ms), events = std::to_string(f.events);
    if (s == NATS_OK) s = natsMsgHeader_Set(msg, kFormatHeader, format_name(f.format));
    if (s == NATS_OK) s = natsMsgHeader_Set(msg, kReceivedAtHeader, received_at.c_str());
    if (s == NATS_OK) s = natsMsgHeader_Set(msg, kEventsHeader, events.c_str());
    jsPubOptions publish;
    jsPubOptions_Init(&publish);
    const std::string msg_id = to_hex(f.dedup_key);
    if (!msg_id.empty()) publish.MsgId = msg_id.c_str();
    if (s == NATS_OK) {
      std::lock_guard<std::mutex> lock(acks_mutex_);
      in_flight_[msg] = i;
    }
    natsMsg* owned = msg;
    if (s == NATS_OK) s = js_PublishMsgAsync(js_, &msg, &publish);
    if (s != NATS_OK) {
      error = "publish to JetStream: " + nats_error_text(s);
      std::lock_guard<std::mutex> lock(acks_mutex_);
      in_flight_.erase(owned);
    }
    natsMsg_Destroy(msg);  // null when the client took it
  }
  jsPubOptions wait;
  jsPubOptions_Init(&wait);
  wait.MaxWait = config_.ack_timeout.count();
  if (natsStatus s = js_PublishAsyncComplete(js_, &wait); s != NATS_OK) {
    // Take back what is still unacknowledged: no handler runs for it now.
    natsMsgList pending;
    if (js_PublishAsyncGetPendingList(&pending, js_) == NATS_OK) natsMsgList_Destroy(&pending);
    if (error.empty())
      error = "JetStream did not acknowledge within " + std::to_string(config_.ack_timeout.count()) +
              " ms: " + nats_error_text(s);
  }
  std::lock_guard<std::mutex> lock(acks_mutex_);
  in_flight_.clear();
  for (size_t i = 0; i < frames.size() && error.empty(); ++i) {
    const Outcome& o = outcomes_[i];
    if (!o.error.empty()) error = "JetStream refused a frame: " + o.error;
    else if (!o.acked) error = "JetStream did not acknowledge a frame";
    else (*duplicate)[i] = o.duplicate;
    last_acked_ = std::max(last_acked_, o.sequence);
  }
  return error.empty() ? LogStatus{} : LogStatus::failure(error);
}

LogStatus JetStreamEventLog::connected() const {
  if (natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED) return {};
  return LogStatus::failure("not connected to NATS (reconnecting to " + describe() + ")");
}

JetStreamEventLog::StreamInfo JetStreamEventLog::stream_info(std::string* error) {
  if (LogStatus status = connected(); !status.ok) {
    *error = status.error;
    return StreamInfo(nullptr, &jsStreamInfo_Destroy);
  }
  jsStreamInfo* info = nullptr;
  jsErrCode jerr = jsErrCode(0);
  natsStatus s = js_GetStreamInfo(&info, js_, config_.stream.c_str(), nullptr, &jerr);
  if (s != NATS_OK) {
    *error = "JetStream stream " + config_.stream + ": " + nats_error_text(s, jerr);
    return StreamInfo(nullptr, &jsStreamInfo_Destroy);
  }
  return StreamInfo(info, &jsStreamInfo_Destroy);
}

int64_t JetStreamEventLog::stream_last_sequence(std::string* error) {
  const StreamInfo info = stream_info(error);
  if (!info) return -1;
  // A purged stream keeps its last sequence but holds nothing to deliver.
  const int64_t last = int64_t(info->State.LastSeq);
  known_last_ = info->State.Msgs == 0 ? std::max(read_after_, int64_t{0}) : last;
  return last;
}

JetStreamStats JetStreamEventLog::stats() {
  std::string error;
  const StreamInfo info = stream_info(&error);
  if (!info) throw std::runtime_error(error);
  const jsStreamState& state = info->State;
  JetStreamStats st;
  st.frames = int64_t(state.Msgs);
  st.first_position = int64_t(state.FirstSeq);
  st.last_position = int64_t(state.LastSeq);
  constexpr int64_t kNanosPerMs = 1'000'000;
  if (state.Msgs) {
    st.first_stored_ms = state.FirstTime / kNanosPerMs;
    st.last_stored_ms = state.LastTime / kNanosPerMs;
  }
  st.bytes = int64_t(state.Bytes);
  st.consumers = int(state.Consumers);
  st.replicas = int(info->Config->Replicas);
  st.duplicate_window_ms = info->Config->Duplicates / kNanosPerMs;
  st.max_age_ms = info->Config->MaxAge / kNanosPerMs;
  return st;
}

size_t JetStreamEventLog::max_frame_bytes() const {
  // What the server takes in a message, less room for the headers.
  const int64_t payload = natsConnection_GetMaxPayload(connection_);
  return payload > 2 * kHeaderRoom ? size_t(payload - kHeaderRoom) : size_t(payload / 2);
}

int64_t JetStreamEventLog::last_position() {
  std::string error;
  const int64_t last = stream_last_sequence(&error);
  if (last >= 0) return last;
  spdlog::warn("{}", error);
  return known_last_;
}

void JetStreamEventLog::unsubscribe() {
  if (subscription_) {
    // Unsubscribe also deletes the ordered consumer on the server. Not
    // while disconnected: libnats 3.4's failing delete reads freed memory
    // (ASan, in jsSub_deleteConsumer), and the server forgets an ordered
    // consumer by itself once it is inactive. Destroy alone deletes nothing.
    if (natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED) natsSubscription_Unsubscribe(subscription_);
    natsSubscription_Destroy(subscription_);
    subscription_ = nullptr;
  }
  read_after_ = -1;
}

LogStatus JetStreamEventLog::subscribe_after(int64_t after) {
  unsubscribe();
  jsSubOptions options;
  jsSubOptions_Init(&options);
  options.Stream = config_.stream.c_str();
  options.Ordered = true;
  options.Config.DeliverPolicy = js_DeliverByStartSequence;
  options.Config.OptStartSeq = uint64_t(after) + 1;
  jsErrCode jerr = jsErrCode(0);
  natsStatus s = js_SubscribeSync(&subscription_, js_, config_.subject.c_str(), nullptr, &options, &jerr);
  if (s == NATS_OK) s = natsSubscription_SetPendingLimits(subscription_, kPendingMessages, kPendingBytes);
  if (s != NATS_OK) {
    if (subscription_) natsSubscription_Destroy(subscription_);
    subscription_ = nullptr;
    return LogStatus::failure("JetStream consumer of " + config_.stream + ": " + nats_error_text(s, jerr));
  }
  read_after_ = after;
  return {};
}

LogStatus JetStreamEventLog::read(int64_t after, size_t max, std::vector<StoredFrame>* out) {
  out->clear();
  // Disconnected, nothing new can come, and touching the subscription
  // races the client's own reset of its ordered consumer: libnats 3.4 frees
  // the consumer's name on its thread while Unsubscribe formats an error
  // with it (ASan caught the use after free). Refuse at once, as append does.
  if (LogStatus status = connected(); !status.ok) return status;
  if (!subscription_ || after != read_after_) {
    if (LogStatus status = subscribe_after(after); !status.ok) return status;
  }
  bool asked = false;  // the stream's end, asked once a read
  while (out->size() < max) {
    int buffered = 0, bytes = 0;
    natsSubscription_GetPending(subscription_, &buffered, &bytes);
    int64_t wait_ms = 1;
    bool expected = false;  // the stream holds a message past ours: it is on its way
    if (buffered == 0) {
      if (!out->empty()) break;  // return what came; wait for nothing
      if (read_after_ >= known_last_ && !asked) {  // nothing known past ours: ask the stream, once
        asked = true;
        std::string error;
        if (stream_last_sequence(&error) < 0) return LogStatus::failure(error);
      }
      expected = read_after_ < known_last_;
      // At the end: wait a little for what another collector appends (the
      // consumer pushes it), so that followers need not poll.
      wait_ms = expected ? kDeliveryWaitMs : kFollowWaitMs;
    }
    natsMsg* msg = nullptr;
    natsStatus s = natsSubscription_NextMsg(&msg, subscription_, wait_ms);
    if (s == NATS_TIMEOUT && buffered > 0) continue;  // a control message the client handled
    if (s == NATS_TIMEOUT && !expected) break;        // nothing new came
    if (s == NATS_TIMEOUT) {
      return LogStatus::failure("JetStream delivered nothing after position " + std::to_string(read_after_) +
                                " in " + std::to_string(kDeliveryWaitMs) + " ms; the stream's last is " +
                                std::to_string(known_last_));
    }
    if (s != NATS_OK) {
      const std::string error = "JetStream consumer of " + config_.stream + ": " + nats_error_text(s);
      unsubscribe();  // the next read starts again after what it asks for
      if (out->empty()) return LogStatus::failure(error);
      break;
    }
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) {
      natsMsg_Destroy(msg);
      continue;
    }
    const int64_t position = int64_t(meta->Sequence.Stream);
    known_last_ = std::max(known_last_, position + int64_t(meta->NumPending));  // what the stream holds past it
    jsMsgMetaData_Destroy(meta);
    StoredFrame stored;
    stored.position = position;
    if (!frame_of(msg, &stored.frame)) {
      // Something else published on the subject: kept in the log's order as
      // a frame without events, so that readers move past it.
      spdlog::warn("JetStream stream {}: message {} is not a Telltale frame (no valid Telltale-* headers); "
                   "read as a frame without events", config_.stream, position);
      stored.frame = Frame{};
      stored.frame.format = FrameFormat::kSegmentJson;
    }
    out->push_back(std::move(stored));
    natsMsg_Destroy(msg);
    read_after_ = position;
  }
  return {};
}

}  // namespace telltale::collector
