// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "ingest_service.h"

#include <boost/json.hpp>
#include <chrono>

#include "app/wall_clock.h"
#include "ingest/sdk_batch.h"
#include "ingest/segment_json.h"
#include "http/credential.h"

namespace telltale::collector {
namespace {

namespace http = boost::beast::http;

bool is_json(std::string_view content_type) {
  return content_type.empty() || content_type.find("json") != std::string_view::npos ||
         content_type.find("text/plain") != std::string_view::npos;
}

// A library's name or version as a metric label: what the client said, at
// most 64 bytes, "unknown" when it said nothing.
std::string library_label(const std::string& said) {
  if (said.empty()) return "unknown";
  return said.substr(0, 64);
}

}  // namespace

IngestService::IngestService(const Config& config, GroupCommitter* committer, Metrics* metrics)
    : limits_(config.limits),
      write_keys_(config.write_keys.begin(), config.write_keys.end()),
      committer_(committer),
      metrics_(metrics) {}

bool IngestService::key_allowed(const std::string& key) const {
  return write_keys_.empty() || write_keys_.count(key) != 0;
}

void IngestService::batch(Request&& req, Respond respond) {
  metrics_->ingest_bytes.add(req.body().size());
  std::string_view type = req[http::field::content_type];
  if (type.find("application/x-telltale-batch") != std::string_view::npos) {
    sdk_batch(std::move(req), std::move(respond));
  } else if (is_json(type)) {
    segment("", std::move(req), std::move(respond));
  } else {
    respond(error_response(req.version(), req.keep_alive(), 415, "unsupported_media_type",
                           "send application/x-telltale-batch (zstd) or application/json"));
  }
}

void IngestService::single(const std::string& type, Request&& req, Respond respond) {
  metrics_->ingest_bytes.add(req.body().size());
  segment(type, std::move(req), std::move(respond));
}

void IngestService::sdk_batch(Request&& req, Respond respond) {
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  if (!key_allowed(credential_from_authorization(req[http::field::authorization]))) {
    respond(error_response(version, keep_alive, 401, "unauthorized", "missing or unknown write key"));
    return;
  }
  std::string_view encoding = req[http::field::content_encoding];
  if (encoding != "zstd") {
    respond(error_response(version, keep_alive, 415, "unsupported_encoding",
                           "Telltale batches must be sent with Content-Encoding: zstd"));
    return;
  }
  thread_local std::unique_ptr<SdkBatchReader> reader;
  thread_local const IngestService* reader_owner = nullptr;
  if (!reader || reader_owner != this) {
    reader = std::make_unique<SdkBatchReader>(limits_);
    reader_owner = this;
  }
  SdkBatchCheck check = reader->read(req.body().data(), req.body().size());
  if (!check.ok) {
    respond(error_response(version, keep_alive, check.status, check.error, check.detail));
    return;
  }
  Frame frame;
  frame.format = FrameFormat::kSdkBatch;
  frame.received_at_ms = wall_clock_ms();
  frame.dedup_key = "b:" + std::string(reinterpret_cast<const char*>(check.batch->header.batch_id.bytes.data()), 16);
  frame.events = static_cast<uint32_t>(check.batch->events.size());
  frame.payload = std::move(req.body());  // stored as received
  std::vector<Frame> frames;
  frames.push_back(std::move(frame));

  // The SDK's own counters count once, when the batch is new.
  wire::ClientReport report = check.batch->header.report;
  std::vector<std::string> library = {library_label(check.batch->header.sdk_name),
                                      library_label(check.batch->header.sdk_version)};
  commit(std::move(frames), version, keep_alive, std::move(respond), [this, report, library] {
    metrics_->batches_accepted.add();
    metrics_->batches_by_library.with(library).add();
    for (size_t r = 0; r < wire::kDropReasonCount; ++r)
      if (report.dropped[r])
        metrics_->sdk_dropped.with({wire::drop_reason_name(static_cast<wire::DropReason>(r))}).add(report.dropped[r]);
    metrics_->sdk_retried.add(report.retried);
  });
}

void IngestService::segment(const std::string& route_type, Request&& req, Respond respond) {
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  if (!req[http::field::content_encoding].empty() && req[http::field::content_encoding] != "identity") {
    respond(error_response(version, keep_alive, 415, "unsupported_encoding",
                           "JSON bodies must not be compressed"));
    return;
  }
  std::string body(req.body().begin(), req.body().end());
  SegmentParse parsed = parse_segment(body, route_type, limits_);
  std::string key = credential_from_authorization(req[http::field::authorization]);
  if (key.empty()) key = parsed.write_key;
  if (!key_allowed(key)) {
    respond(error_response(version, keep_alive, 401, "unauthorized", "missing or unknown write key"));
    return;
  }
  if (!parsed.ok) {
    respond(error_response(version, keep_alive, parsed.status, parsed.error, parsed.detail));
    return;
  }
  const int64_t received = wall_clock_ms();
  std::vector<Frame> frames;
  frames.reserve(parsed.calls.size());
  for (SegmentCall& call : parsed.calls) {
    Frame f;
    f.format = FrameFormat::kSegmentJson;
    f.received_at_ms = received;
    f.dedup_key = "m:" + call.message_id;
    f.events = 1;
    f.payload.assign(call.json.begin(), call.json.end());
    frames.push_back(std::move(f));
  }
  std::vector<std::string> library = {library_label(parsed.library_name), library_label(parsed.library_version)};
  commit(std::move(frames), version, keep_alive, std::move(respond), [this, library] {
    metrics_->batches_accepted.add();
    metrics_->batches_by_library.with(library).add();
  });
}

void IngestService::commit(std::vector<Frame> frames, unsigned version, bool keep_alive, Respond respond,
                           std::function<void()> on_accepted) {
  auto shared_respond = std::make_shared<Respond>(std::move(respond));
  CommitRequest request;
  request.frames = std::move(frames);
  request.done = [version, keep_alive, shared_respond, on_accepted](const CommitResult& r) {
    if (!r.ok) {
      Response res = error_response(version, keep_alive, 503, "storage_unavailable", r.error);
      res.set(http::field::retry_after, "5");
      (*shared_respond)(std::move(res));
      return;
    }
    if (r.accepted > 0 && on_accepted) on_accepted();
    boost::json::object o;
    o["accepted"] = r.accepted;
    o["duplicates"] = r.duplicates;
    (*shared_respond)(json_response(version, keep_alive, 200, boost::json::serialize(o)));
  };
  if (!committer_->submit(std::move(request))) {
    Response res = error_response(version, keep_alive, 429, "busy",
                                  "the commit queue is full; retry after the given delay");
    res.set(http::field::retry_after, "1");
    (*shared_respond)(std::move(res));
  }
}

}  // namespace telltale::collector
