// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Transport: the seam between the sender and the network. The sender hands
// it one compressed batch at a time and learns what the collector said.
// HttpTransport is the real one; tests may substitute their own.
// A Transport is used by one thread, but cancel() may be called from any.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace telltale::detail {

struct SendResult {
  enum class Kind {
    kResponse,      // the collector answered; see `status`
    kNetworkError,  // could not connect, or the connection failed mid-request
    kTimeout,       // no complete answer before the deadline
    kCancelled,     // cancel() was called
  };
  Kind kind = Kind::kNetworkError;
  int status = 0;                                      // HTTP status for kResponse
  std::optional<std::chrono::milliseconds> retry_after;  // from a Retry-After header
  std::string detail;                                  // error text or response body excerpt
};

class Transport {
 public:
  virtual ~Transport() = default;
  // POSTs `body` (a compressed batch) and waits for the answer, at most
  // until `deadline`. Never throws.
  virtual SendResult send(const std::vector<uint8_t>& body,
                          std::chrono::steady_clock::time_point deadline) noexcept = 0;
  // Aborts a send in progress and makes later sends return kCancelled.
  virtual void cancel() noexcept = 0;
};

}  // namespace telltale::detail
