// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "options_check.h"

#include <string>

#include "endpoint.h"

namespace telltale::detail {
namespace {

template <typename T>
Status out_of_range(const char* field, T value, T low, T high) {
  if (value >= low && value <= high) return Status();
  return Status(StatusCode::kInvalidArgument, std::string(field) + " = " + std::to_string(value) +
                                                  " is outside [" + std::to_string(low) + ", " +
                                                  std::to_string(high) + "]");
}

Status out_of_range_ms(const char* field, std::chrono::milliseconds value, int64_t low, int64_t high) {
  return out_of_range<int64_t>((std::string(field) + " (ms)").c_str(), value.count(), low, high);
}

}  // namespace

Status check_options(const Options& o) {
  std::string why;
  if (!parse_endpoint(o.endpoint, &why)) return Status(StatusCode::kInvalidArgument, why);
  if (o.write_key.empty()) return Status(StatusCode::kInvalidArgument, "write_key is empty");
  for (char c : o.write_key)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return Status(StatusCode::kInvalidArgument, "write_key contains a control character");

  const Status checks[] = {
      out_of_range<size_t>("queue_capacity", o.queue_capacity, 64, size_t{1} << 22),
      out_of_range<size_t>("max_event_bytes", o.max_event_bytes, 256, size_t{1} << 20),
      out_of_range<size_t>("batch_max_events", o.batch_max_events, 1, 100000),
      out_of_range<size_t>("batch_max_bytes", o.batch_max_bytes, 1024, size_t{16} << 20),
      out_of_range_ms("batch_max_delay", o.batch_max_delay, 1, 3600 * 1000),
      out_of_range<size_t>("max_buffer_bytes", o.max_buffer_bytes, size_t{64} << 10, size_t{1} << 34),
      out_of_range_ms("request_timeout", o.request_timeout, 10, 600 * 1000),
      out_of_range_ms("retry_initial", o.retry_initial, 1, 600 * 1000),
      out_of_range_ms("retry_max", o.retry_max, o.retry_initial.count(), 3600 * 1000),
      out_of_range_ms("shutdown_timeout", o.shutdown_timeout, 0, 3600 * 1000),
      out_of_range<int>("compression_level", o.compression_level, 1, 19),
  };
  for (const Status& status : checks)
    if (!status.ok()) return status;
  if (!(o.diagnostics_per_second > 0))
    return Status(StatusCode::kInvalidArgument, "diagnostics_per_second must be positive");
  if (!o.spool_dir.empty()) {
    Status s = out_of_range<size_t>("max_spool_bytes", o.max_spool_bytes, size_t{1} << 20, size_t{1} << 40);
    if (!s.ok()) return s;
  }
  if (o.overflow == OverflowPolicy::kSpill && o.spool_dir.empty())
    return Status(StatusCode::kInvalidArgument, "overflow = kSpill needs spool_dir");
  return Status();
}

}  // namespace telltale::detail
