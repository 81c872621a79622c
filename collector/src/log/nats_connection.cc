// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "log/nats_connection.h"

#include <nats/nats.h>

#include <stdexcept>

namespace telltale::collector {

std::string server_list(const std::vector<std::string>& servers) {
  std::string out;
  for (const std::string& s : servers) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string nats_error_text(int status, int jetstream_error) {
  std::string text = natsStatus_GetText(natsStatus(status));
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail && *detail && text.find(detail) == std::string::npos) text += std::string(": ") + detail;
  if (jetstream_error != 0) text += " (JetStream error " + std::to_string(jetstream_error) + ")";
  return text;
}

natsConnection* connect_to_nats(const std::vector<std::string>& servers, const std::string& client_name) {
  natsOptions* options = nullptr;
  std::vector<const char*> urls;
  for (const std::string& s : servers) urls.push_back(s.c_str());
  natsStatus s = natsOptions_Create(&options);
  if (s == NATS_OK) s = natsOptions_SetServers(options, urls.data(), int(urls.size()));
  if (s == NATS_OK) s = natsOptions_SetName(options, client_name.c_str());
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(options, -1);  // for ever
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(options, 500);
  if (s == NATS_OK) s = natsOptions_SetTimeout(options, 2000);
  // A disconnection fails the requests waiting for an answer.
  if (s == NATS_OK) s = natsOptions_SetFailRequestsOnDisconnect(options, true);
  natsConnection* connection = nullptr;
  if (s == NATS_OK) s = natsConnection_Connect(&connection, options);
  natsOptions_Destroy(options);
  if (s != NATS_OK)
    throw std::runtime_error("cannot connect to NATS at " + server_list(servers) + ": " + nats_error_text(s));
  return connection;
}

}  // namespace telltale::collector
