// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "router.h"

namespace telltale::collector {

namespace http = boost::beast::http;

Router::Router(IngestService* ingest, Metrics* metrics, std::function<bool()> ready)
    : ingest_(ingest), metrics_(metrics), ready_(std::move(ready)) {}

void Router::handle(Request&& req, Respond respond) {
  std::string target(req.target());
  std::string path = target.substr(0, target.find('?'));
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();

  // Routes as a table: path, method, handler. The path is the metric label.
  struct Route {
    const char* path;
    http::verb method;
    std::function<void(Request&&, Respond)> handler;
  };
  // A read-only route whose answer is computed when it is asked for.
  using Answer = std::pair<int, std::string>;
  auto text = [&](std::function<Answer()> answer, const char* type) {
    return [=](Request&&, Respond r) {
      auto [status, body] = answer();
      Response res = json_response(version, keep_alive, status, std::move(body));
      res.set(http::field::content_type, type);
      r(std::move(res));
    };
  };
  const Route routes[] = {
      {"/v1/batch", http::verb::post, [this](Request&& q, Respond r) { ingest_->batch(std::move(q), std::move(r)); }},
      {"/v1/track", http::verb::post,
       [this](Request&& q, Respond r) { ingest_->single("track", std::move(q), std::move(r)); }},
      {"/v1/identify", http::verb::post,
       [this](Request&& q, Respond r) { ingest_->single("identify", std::move(q), std::move(r)); }},
      {"/v1/group", http::verb::post,
       [this](Request&& q, Respond r) { ingest_->single("group", std::move(q), std::move(r)); }},
      {"/healthz", http::verb::get, text([] { return Answer{200, "{\"status\":\"ok\"}"}; }, "application/json")},
      {"/readyz", http::verb::get,
       text([this] {
              return ready_() ? Answer{200, "{\"status\":\"ready\"}"}
                              : Answer{503, "{\"error\":\"not_ready\",\"detail\":\"storage is failing\"}"};
            },
            "application/json")},
      {"/metrics", http::verb::get, text([this] { return Answer{200, metrics_->render()}; }, "text/plain; version=0.0.4")},
  };

  const Route* match = nullptr;
  bool path_known = false;
  for (const Route& r : routes)
    if (path == r.path) {
      path_known = true;
      if (req.method() == r.method) match = &r;
    }
  std::string label = path_known ? path : "other";
  Respond counted = [this, label, respond = std::move(respond)](Response res) {
    metrics_->requests.with({label, std::to_string(res.result_int())}).add();
    respond(std::move(res));
  };
  if (match == nullptr) {
    counted(path_known ? error_response(version, keep_alive, 405, "method_not_allowed", std::string(req.method_string()) + " " + path)
                       : error_response(version, keep_alive, 404, "not_found", "no route " + path));
    return;
  }
  match->handler(std::move(req), std::move(counted));
}

}  // namespace telltale::collector
