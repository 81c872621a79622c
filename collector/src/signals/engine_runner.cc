// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/engine_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>

namespace telltale::collector {
namespace {

constexpr size_t kFramesPerStep = 256;

}  // namespace

EngineRunner::EngineRunner(const std::string& data_dir, PqlRules rules, AlertPolicy policy, Metrics* metrics)
    : rules_(std::move(rules)),
      metrics_(metrics),
      log_(SqliteEventLog::open_read_only(data_dir)),
      store_(AlertStore::open(data_dir)),
      engine_(rules_),
      book_(engine_.rules(), policy) {
  stored_position_ = store_->position();
}

EngineRunner::~EngineRunner() { stop(); }

void EngineRunner::start() {
  thread_ = std::thread([this] { run(); });
}

void EngineRunner::stop() {
  {
    std::lock_guard<std::mutex> lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EngineRunner::notify() { wake_.notify_all(); }

bool EngineRunner::wait_for_position(int64_t position, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(wake_mutex_);
  return progressed_.wait_for(lock, timeout, [&] { return published_position_.load() >= position; });
}

void EngineRunner::run() {
  if (stored_position_ > 0) spdlog::info("engine: replaying the log to position {} to rebuild account state", stored_position_);
  for (;;) {
    bool more = false;
    try {
      more = step();
    } catch (const std::exception& e) {
      spdlog::error("engine: {}; retrying", e.what());
    }
    std::unique_lock<std::mutex> lock(wake_mutex_);
    if (stopping_) return;
    if (!more) wake_.wait_for(lock, std::chrono::milliseconds(200));
  }
}

bool EngineRunner::step() {
  std::vector<StoredFrame> frames;
  LogStatus st = log_->read(position_, kFramesPerStep, &frames);
  if (!st.ok) throw std::runtime_error(st.error);
  // After a restart, frames up to the stored position were decided before:
  // replay them to rebuild state, write nothing, then take up the open
  // alerts' ids from the store.
  const bool catching_up = position_ < stored_position_;
  if (catching_up) {
    while (!frames.empty() && frames.back().position > stored_position_) frames.pop_back();
    if (frames.empty()) {
      std::lock_guard<std::mutex> lock(engine_mutex_);
      for (const auto& [account, id] : store_->open_alerts()) book_.set_id(account, id);
      stored_position_ = position_;
      return true;
    }
  }
  if (frames.empty()) return false;

  std::vector<AlertChange> changes;
  int64_t position = position_;
  {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    std::vector<UsageEvent> events;
    for (const StoredFrame& f : frames) {
      events.clear();
      reader_.read(f.frame, &events);
      // Accounts in the order this frame touched them, with their latest event time.
      std::vector<std::pair<std::string, int64_t>> touched;
      for (const UsageEvent& e : events) {
        std::string account = engine_.apply(e);
        if (account.empty()) continue;
        auto it = std::find_if(touched.begin(), touched.end(), [&](const auto& t) { return t.first == account; });
        if (it == touched.end()) touched.emplace_back(account, e.time_ms);
        else it->second = std::max(it->second, e.time_ms);
      }
      for (const auto& [account, when] : touched)
        for (auto& c : book_.consider(*engine_.account(account), engine_.evaluate(account), when))
          if (!catching_up) changes.push_back(std::move(c));
      position = f.position;
    }
    if (catching_up && position >= stored_position_)
      for (const auto& [account, id] : store_->open_alerts()) book_.set_id(account, id);
  }

  if (!catching_up) {
    std::vector<int64_t> ids;
    std::string error;
    if (!store_->apply(changes, position, &ids, &error)) throw std::runtime_error("alert store: " + error);
    std::lock_guard<std::mutex> lock(engine_mutex_);
    size_t next = 0;
    for (const AlertChange& c : changes) {
      if (c.kind != AlertChange::Kind::kCreated) continue;
      if (next < ids.size()) book_.set_id(c.alert.account_id, ids[next++]);
      metrics_->alerts_created.with({c.alert.route, c.alert.priority}).add();
    }
  }
  position_ = position;
  metrics_->engine_position.set(position_);
  {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    metrics_->engine_accounts.set(int64_t(engine_.account_count()));
    metrics_->engine_users.set(int64_t(engine_.user_count()));
    metrics_->open_alerts.set(int64_t(book_.open_alerts()));
  }
  {
    std::lock_guard<std::mutex> lock(wake_mutex_);
    published_position_ = position_;
  }
  progressed_.notify_all();
  return true;
}

std::optional<std::string> EngineRunner::account_json(const std::string& id) {
  std::lock_guard<std::mutex> lock(engine_mutex_);
  const AccountState* a = engine_.account(id);
  if (a == nullptr) return std::nullopt;
  Evaluation ev = engine_.evaluate(id);
  // The account's explanation has the shape of an alert, without lifecycle.
  Alert view;
  view.account_id = a->id;
  view.account_name = a->trait("name");
  view.plan = a->trait("plan");
  view.user_count = ev.metrics.users_total;
  view.score = ev.score;
  view.priority = ev.priority;
  view.route = route_name(ev.route);
  view.contributions = ev.contributions;
  view.fit = ev.fit_reasons;
  view.metrics = ev.metrics;
  boost::json::object o = view.to_json().as_object();
  for (const char* key : {"id", "owner", "trigger", "sla_due", "status", "created_at", "updated_at", "summary", "timeline", "best_contact"})
    o.erase(key);
  o["qualified"] = ev.qualified;
  o["threshold"] = json_number(rules_.pql_threshold);
  o["points"] = json_number(ev.points);
  o["fit_multiplier"] = json_number(ev.fit_multiplier);
  o["route_reason"] = ev.route_reason;
  boost::json::object traits;
  for (const auto& [k, v] : a->traits)
    traits[k] = v.type == PropValue::Type::kString ? boost::json::value(v.s)
                : v.number()                       ? json_number(*v.number())
                                                   : boost::json::value(v.i != 0);
  o["traits"] = std::move(traits);
  boost::json::object milestones;
  for (const auto& [name, when] : a->milestones) milestones[name] = iso8601(when);
  o["milestones"] = std::move(milestones);
  o["first_seen"] = iso8601(a->first_seen_ms);
  o["last_event"] = iso8601(a->last_event_ms);
  return boost::json::serialize(o);
}

}  // namespace telltale::collector
