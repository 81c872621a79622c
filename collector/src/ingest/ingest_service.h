// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// IngestService: the ingest routes. Checks the write key, decodes and
// validates the body (SDK batch or Segment-spec JSON), hands the frames to
// the GroupCommitter and answers only once they are durable:
//   200 {"accepted": N, "duplicates": M}
//   400 malformed, 401 bad key, 413 too large, 415 unknown body type,
//   429 + Retry-After when the commit queue is full,
//   503 + Retry-After when storage fails.
// Thread-safe: handlers run on any io thread; each thread decodes with its
// own SdkBatchReader.
#pragma once

#include <set>
#include <string>

#include "app/config.h"
#include "http/http_types.h"
#include "log/group_committer.h"
#include "metrics/metrics.h"

namespace telltale::collector {

class IngestService {
 public:
  IngestService(const Config& config, GroupCommitter* committer, Metrics* metrics);

  // POST /v1/batch: an SDK batch (application/x-telltale-batch) or a
  // Segment-spec JSON batch.
  void batch(Request&& req, Respond respond);
  // POST /v1/track, /v1/identify, /v1/group: one Segment-spec call of `type`.
  void single(const std::string& type, Request&& req, Respond respond);

 private:
  bool key_allowed(const std::string& key) const;
  void sdk_batch(Request&& req, Respond respond);
  void segment(const std::string& route_type, Request&& req, Respond respond);
  void commit(std::vector<Frame> frames, unsigned version, bool keep_alive, Respond respond,
              std::function<void()> on_accepted);

  IngestLimits limits_;
  std::set<std::string> write_keys_;
  GroupCommitter* committer_;
  Metrics* metrics_;
};

}  // namespace telltale::collector
