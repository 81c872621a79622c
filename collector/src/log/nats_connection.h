// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// connect_to_nats: one NATS client connection as the collector's units make
// it (the JetStream event log, the engine's lease): named, reconnecting for
// ever every 500 ms, a 2 s connect timeout, and requests failed at once on a
// disconnection rather than left to time out. Throws std::runtime_error
// naming the servers and the client's reason when none answers. The
// connection is the caller's: natsConnection_Close and _Destroy it.
#pragma once

#include <string>
#include <vector>

struct __natsConnection;

namespace telltale::collector {

__natsConnection* connect_to_nats(const std::vector<std::string>& servers, const std::string& client_name);

// "nats://a:4222,nats://b:4222": the servers, for messages.
std::string server_list(const std::vector<std::string>& servers);

// The client's words for `status` and its last error, and the JetStream
// error code when there is one.
std::string nats_error_text(int status, int jetstream_error = 0);

}  // namespace telltale::collector
