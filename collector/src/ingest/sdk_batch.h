// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// SDK batches: decodes a POST /v1/batch body in the Telltale wire format
// with the configured bounds (telltale::schema's codec) and checks each
// event's shape, so that only batches the signal engine can use are logged.
// Not thread-safe (the decoder keeps a zstd context): one per thread.
#pragma once

#include <string>

#include "app/config.h"
#include "telltale/schema/codec.h"

namespace telltale::collector {

struct SdkBatchCheck {
  bool ok = false;
  int status = 400;       // when !ok: 400 malformed, 413 too large
  std::string error;      // short code
  std::string detail;
  const wire::DecodedBatch* batch = nullptr;  // when ok; valid until the next read()
};

class SdkBatchReader {
 public:
  explicit SdkBatchReader(const IngestLimits& limits);
  SdkBatchCheck read(const uint8_t* body, size_t size);

 private:
  wire::BatchDecoder decoder_;
  wire::DecodedBatch batch_;  // reused, so steady ingest does not allocate
};

}  // namespace telltale::collector
