// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "server.h"

#include "app/count_words.h"
#include "app/wall_clock.h"
#include "log/open_event_log.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <algorithm>
#include <chrono>

namespace telltale::collector {

namespace net = boost::asio;

namespace {

// The HTTPS context of [tls], or null for plain HTTP; throws
// std::runtime_error naming the file that cannot be used, and why.
std::shared_ptr<net::ssl::context> tls_context(const Config& config) {
  if (config.tls_cert_file.empty()) return nullptr;
  auto tls = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
  tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
  auto load = [](const char* key, const std::string& file, auto&& use) {
    try {
      use(file);
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error(std::string("tls.") + key + ": cannot use \"" + file + "\": " + e.code().message());
    }
  };
  load("cert_file", config.tls_cert_file, [&](const std::string& f) { tls->use_certificate_chain_file(f); });
  load("key_file", config.tls_key_file,
       [&](const std::string& f) { tls->use_private_key_file(f, net::ssl::context::pem); });
  return tls;
}

// "3 reps (1 away), 1 territory": who works new leads after a reload.
std::string describe(const OwnerRules& owners) {
  const auto away = std::count_if(owners.reps.begin(), owners.reps.end(), [](const Rep& r) { return r.away; });
  return count_of(owners.reps.size(), "rep", "reps") + (away ? " (" + std::to_string(away) + " away)" : "") + ", " +
         count_of(owners.territories.size(), "territory", "territories");
}

}  // namespace

Server::Server(const Config& config, OnFailure on_failure) : config_(config), ioc_(config.io_threads) {
  if (config_.log.backend == "sqlite" || config_.engine_enabled)
    data_dir_lock_.emplace(config_.data_dir);
  log_ = open_event_log(config_.data_dir, config_.log, std::chrono::hours(config_.dedup_window_hours));
  opened_at_ = log_->last_position();  // read now: from here on the log is the committer thread's
  if (log_->max_frame_bytes() < config_.limits.max_body_bytes) {  // larger bodies are refused (413), not lost
    spdlog::warn("limits.max_body_bytes lowered from {} to {}, the largest frame {} can store",
                 config_.limits.max_body_bytes, log_->max_frame_bytes(), log_->describe());
    config_.limits.max_body_bytes = log_->max_frame_bytes();
  }
  CommitterLimits limits;
  limits.max_queued_requests = config_.commit_max_queued_requests;
  limits.max_queued_bytes = config_.commit_max_queued_bytes;
  EventLog* log = log_.get();
  if (config_.engine_enabled && config_.log.backend == "jetstream")
    engine_lease_ = EngineLease::take(config_.log.jetstream, config_.data_dir, [on_failure](const std::string& why) {
      if (on_failure) on_failure(why);
      else spdlog::error("{}", why);
    });
  if (config_.engine_enabled) {
    engine_ = std::make_unique<EngineRunner>(config_.data_dir, open_event_log_reader(config_.data_dir, config_.log),
                                             config_.pql, config_.alerts,
                                             std::chrono::seconds(config_.snapshot_every_seconds),
                                             engine_dedup_limits(config_), &metrics_);
    webhooks_ = std::make_unique<WebhookDispatcher>(config_.webhooks, &engine_->store(), &metrics_, engine_accounts(),
                                                   config_.pql.owners, webhook_board_,
                                                   DeliverySettings{config_.email, config_.dashboard_url});
  }
  EngineRunner* engine = engine_.get();
  committer_ = std::make_unique<GroupCommitter>(
      log, &metrics_, limits,
      [this, log, engine] {
        const int64_t now = wall_clock_ms();
        if (int64_t n = log->expire_seen_ids(now)) spdlog::info("forgot {} de-duplication ids past the window", n);
        if (config_.log.retention_days > 0) {
          // Only frames a snapshot covers: a restart never needs them.
          const int64_t up_to = engine ? engine->snapshot_position() : log->last_position();
          const int64_t before = now - config_.log.retention_days * 24 * 3600 * 1000;
          if (int64_t n = log->expire_frames(before, up_to, std::chrono::milliseconds(200))) {
            metrics_.frames_expired.add(uint64_t(n));
            spdlog::info("retention: deleted {} frames received over {} days ago (up to position {})", n,
                         config_.log.retention_days, up_to);
          }
        }
      },
      [engine] {
        if (engine) engine->notify();
      });
  ingest_ = std::make_unique<IngestService>(config_, committer_.get(), &metrics_);
  std::function<std::string()> whereabouts;
  if (!config_.engine_enabled && config_.log.backend == "jetstream")
    whereabouts = [this] { return engine_whereabouts(); };
  router_ = std::make_unique<Router>(ingest_.get(), engine_.get(), &metrics_,
                                     [this] { return not_ready(); },
                                     ApiTokens(config_.api_tokens), std::move(whereabouts), webhook_board_);
  router_->set_dashboard_url(config_.dashboard_url);

  std::string host;
  uint16_t port = 0;
  split_host_port(config_.listen, &host, &port);
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("listen: \"" + host + "\" is not an IP address");
  try {
    listener_ = std::make_shared<Listener>(ioc_, net::ip::tcp::endpoint(address, port), router_.get(),
                                           config_.limits.max_body_bytes, &in_flight_, tls_context(config_),
                                           &metrics_);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen on " + config_.listen + ": " + e.code().message());
  }
}

Server::~Server() {
  stop();
  wait();
}

void Server::start() {
  if (engine_) {
    webhooks_->start();  // first: a new webhook's place in the feed is where the engine starts
    engine_->start();
  } else {
    spdlog::info("ingest only ([engine] enabled = false): alerts are raised by the collector that runs the engine");
    if (config_.log.backend == "sqlite")
      spdlog::warn("ingest only on the embedded log: no collector can follow {}; set [log] backend = \"jetstream\"",
                   log_->describe());
  }
  listener_->run();
  for (int i = 0; i < config_.io_threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
  const std::string address = listener_->local_endpoint().address().to_string() + ":" + std::to_string(port());
  if (data_dir_lock_) data_dir_lock_->say_holder(address);
  if (engine_lease_) engine_lease_->say_address(address);
  spdlog::info("listening on {}{}, data in {} (log position {})", address,
               config_.tls_cert_file.empty() ? "" : " (https)", log_->describe(), opened_at_);
}

uint16_t Server::port() const { return listener_->local_endpoint().port(); }

std::string Server::engine_whereabouts() {
  std::lock_guard<std::mutex> lock(whereabouts_mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (whereabouts_at_ != std::chrono::steady_clock::time_point{} && now < whereabouts_at_ + std::chrono::seconds(10))
    return whereabouts_;
  try {
    const std::optional<EngineLeaseHolder> holder = EngineLease::holder(config_.log.jetstream);
    whereabouts_ = holder ? holder->describe()
                          : "no collector runs the engine on stream " + config_.log.jetstream.stream + " now";
  } catch (const std::exception&) {
    whereabouts_.clear();  // NATS cannot say; the 404 says what it can
  }
  whereabouts_at_ = now;
  return whereabouts_;
}

std::string Server::reload(const Config& next) {
  if (next.tls_cert_file.empty() != config_.tls_cert_file.empty())
    throw std::runtime_error(std::string("switching ") + (next.tls_cert_file.empty() ? "HTTPS off" : "HTTPS on") +
                             " needs a restart");
  // First what may throw: the TLS files, the new webhooks' places in the feed.
  std::shared_ptr<net::ssl::context> tls = tls_context(next);
  std::unique_ptr<WebhookDispatcher> webhooks;
  if (engine_) {
    webhooks = std::make_unique<WebhookDispatcher>(next.webhooks, &engine_->store(), &metrics_, engine_accounts(),
                                                  next.pql.owners, webhook_board_,
                                                  DeliverySettings{next.email, next.dashboard_url});
    webhooks->place_new_webhooks();
  }
  if (tls) listener_->set_tls(std::move(tls));
  router_->set_tokens(ApiTokens(next.api_tokens));
  router_->set_dashboard_url(next.dashboard_url);
  if (webhooks) {  // each webhook goes on from its stored place in the feed
    webhooks_->stop();
    webhooks_ = std::move(webhooks);
    webhooks_->start();
  }
  if (engine_) engine_->set_owner_rules(next.pql.owners);
  std::string applied = count_of(next.api_tokens.size(), "API token", "API tokens");
  if (!next.tls_cert_file.empty()) applied += ", the TLS certificate " + next.tls_cert_file;
  if (engine_)
    applied += ", " + count_of(next.webhooks.size(), "webhook", "webhooks") + ", " + describe(next.pql.owners);
  return applied;
}

WarmingAccounts Server::engine_accounts() const {
  return [engine = engine_.get()](const AccountQuery& query) { return engine->accounts(query); };
}

std::string Server::not_ready() const {
  if (!committer_->healthy()) return "storage is failing: the last write to " + log_->describe() + " failed";
  if (!log_->reachable()) return log_->describe() + " cannot be reached";
  if (engine_ && engine_->consumed_position() < opened_at_)
    return "the engine is replaying the log: position " + std::to_string(engine_->consumed_position()) + " of " +
           std::to_string(opened_at_);
  return "";
}

void Server::stop() {
  if (stopped_.exchange(true)) return;
  spdlog::info("stopping: no new connections; finishing {} in-flight requests", in_flight_.load());
  listener_->stop();
  if (engine_) engine_->end_streams();  // an open alert stream would hold the stop for its 15 s
  // In-flight requests are either waiting for a commit or being written:
  // give them time to finish, then commit whatever is still queued.
  auto drain = [this](std::chrono::seconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  };
  drain(std::chrono::seconds(10));
  committer_->stop();          // commits what is still queued and answers it
  drain(std::chrono::seconds(2));  // lets those answers be written
  ioc_.stop();
  if (engine_) {
    webhooks_->stop();
    engine_->stop();
  }
  engine_lease_.reset();  // the stream is free for another engine
}

void Server::wait() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

}  // namespace telltale::collector
