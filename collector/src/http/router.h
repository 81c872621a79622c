// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Router: maps method and path to a handler and counts every answer in
// telltale_requests_total{route,status}. Unknown paths get 404 and wrong
// methods 405, both in the JSON error shape; a request to a route the API
// tokens guard (ApiTokens) without one gets 401 unauthorized, with
// WWW-Authenticate: Bearer. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "alerts/webhook_board.h"
#include "http/api_tokens.h"
#include "http_types.h"
#include "ingest/ingest_service.h"
#include "metrics/metrics.h"
#include "signals/engine_runner.h"

namespace telltale::collector {

class Router {
 public:
  // `not_ready` answers /readyz: why the collector is not ready (storage
  // fails, the engine still replays the log), or empty when it is.
  // Without an engine (an ingest-only collector) the alert, account and
  // stats routes and the dashboard answer 404 no_engine, saying so, and
  // where the engine runs as `engine_whereabouts` tells (empty: unknown).
  // `webhooks`: how each webhook is doing (GET /v1/webhooks).
  Router(IngestService* ingest, EngineRunner* engine, Metrics* metrics, std::function<std::string()> not_ready,
         ApiTokens tokens, std::function<std::string()> engine_whereabouts = {},
         std::shared_ptr<const WebhookBoard> webhooks = {});
  void handle(Request&& req, Respond respond);
  // Replaces the API tokens (a reload): requests from now on are checked
  // against `tokens`.
  void set_tokens(ApiTokens tokens);
  // Where reps open the dashboard (the config's dashboard_url; "": unknown):
  // GET /v1/digest's lines link to their alerts and accounts there, as a
  // digest webhook's do. Set at start and on a reload.
  void set_dashboard_url(std::string url);

 private:
  Response alerts(const Request& req, const std::string& query);
  Response stats(const Request& req, const std::string& query);
  Response digest(const Request& req, const std::string& query);
  Response alert(const Request& req, const std::string& id);
  Response account(const Request& req, const std::string& id);
  Response accounts(const Request& req, const std::string& query);
  Response lifecycle(const Request& req, const std::string& id, const std::string& action);
  void stream(const Request& req, const std::string& query, Respond respond);

  // Exact-path routes: path (also the metric label), method, handler.
  struct Route {
    const char* path;
    boost::beast::http::verb method;
    std::function<void(Request&&, const std::string& query, Respond)> handler;
  };
  std::vector<Route> routes_;  // built once; read-only afterwards
  IngestService* ingest_;
  EngineRunner* engine_;
  Metrics* metrics_;
  std::function<std::string()> not_ready_;
  std::function<std::string()> engine_whereabouts_;
  std::shared_ptr<const WebhookBoard> webhooks_;
  mutable std::mutex settings_mutex_;
  std::shared_ptr<const ApiTokens> tokens_;  // settings_mutex_
  std::string dashboard_url_;                // settings_mutex_
};

}  // namespace telltale::collector
