// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/engine_runner.h"

#include "alerts/alert_history.h"
#include "alerts/summary.h"
#include "app/iso8601.h"
#include "app/json_text.h"
#include "app/wall_clock.h"
#include "signals/engine_snapshot.h"
#include "signals/frame_processor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>

namespace telltale::collector {
namespace {

// Frames read ahead that one step decides at most: their alert changes are
// one store transaction (one fsync).
constexpr size_t kFramesPerStep = 256;
// Open alerts' living records follow their accounts at most this late
// (creations and material updates are written at once).
constexpr auto kRefreshEvery = std::chrono::seconds(1);

}  // namespace

EngineRunner::EngineRunner(const std::string& data_dir, std::unique_ptr<EventLog> log, PqlRules rules, AlertPolicy policy,
                           std::chrono::seconds snapshot_every, SeenFramesLimits dedup, Metrics* metrics)
    : rules_(std::move(rules)),
      policy_(policy),
      fingerprint_(rules_fingerprint(rules_, policy_)),
      snapshot_every_(snapshot_every),
      metrics_(metrics),
      log_(std::move(log)),
      store_(AlertStore::open(data_dir)),
      owners_(rules_.owners),
      engine_(std::make_unique<SignalEngine>(rules_)),
      book_(std::make_unique<AlertBook>(*engine_, policy_)),
      dedup_(dedup),
      seen_(seen_frames_for(*log_, dedup_)) {
  stored_position_ = store_->position();
  // Alerts decided further along than the log reaches were decided from
  // another log (a data directory moved from the embedded log to a stream,
  // or a stream deleted and made anew): following this one would skip its
  // first frames without a word.
  if (const int64_t last = log_->last_position(); last < stored_position_)
    throw std::runtime_error("the alerts in " + data_dir + " were decided up to log position " +
                             std::to_string(stored_position_) + ", but " + log_->describe() + " ends at " +
                             std::to_string(last) + ": they come from another log; use a new data directory for this one");
  metrics_->engine_account_user_cap.set(int64_t(AccountState::kMaxUsers));
}

EngineRunner::~EngineRunner() { stop(); }

void EngineRunner::start() {
  thread_ = std::thread([this] { run(); });
  feed_thread_ = std::thread([this] { feed_loop(); });
}

void EngineRunner::stop() {
  {
    std::lock_guard<std::mutex> lock(wake_mutex_);
    stopping_ = true;
    if (ahead_) ahead_->stop();  // wakes the engine thread waiting for frames
  }
  if (thread_.joinable()) {
    thread_.join();
    // A clean stop leaves a snapshot at the last position, so the next start
    // replays nothing.
    std::lock_guard<std::mutex> lock(engine_mutex_);
    if (position_ >= stored_position_ && position_ > snapshot_position_) {
      try {
        take_snapshot();
      } catch (const std::exception& e) {
        spdlog::error("engine snapshot: {}", e.what());
      }
    }
  }
  {
    std::lock_guard<std::mutex> lock(feed_mutex_);
    feed_stopping_ = true;
  }
  feed_wake_.notify_all();
  if (feed_thread_.joinable()) feed_thread_.join();
}

void EngineRunner::wait_feed(int64_t after, std::chrono::milliseconds timeout,
                             std::function<void(std::vector<FeedEntry>)> done) {
  {
    std::lock_guard<std::mutex> lock(feed_mutex_);
    waiters_.push_back({after, std::chrono::steady_clock::now() + timeout, std::move(done)});
  }
  feed_wake_.notify_all();
}

void EngineRunner::end_streams() {
  {
    std::lock_guard<std::mutex> lock(feed_mutex_);
    streams_ending_ = true;
  }
  feed_wake_.notify_all();
}

// Answers stream waiters: as soon as the feed has entries past theirs, or
// empty-handed at their deadline (at once when the streams are ending).
// Checks on every write and every 100 ms.
void EngineRunner::feed_loop() {
  std::unique_lock<std::mutex> lock(feed_mutex_);
  while (!feed_stopping_) {
    feed_wake_.wait_for(lock, std::chrono::milliseconds(100));
    if (waiters_.empty()) continue;
    const auto now = std::chrono::steady_clock::now();
    const int64_t last = store_->last_feed_seq();
    std::vector<FeedWaiter> ready;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->after < last || it->deadline <= now || streams_ending_) {
        ready.push_back(std::move(*it));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
    lock.unlock();
    for (FeedWaiter& w : ready) {
      std::vector<FeedEntry> entries;
      if (w.after < last) entries = store_->feed_after(w.after, 500);
      try {
        w.done(std::move(entries));
      } catch (const std::exception& e) {
        spdlog::error("alert stream: {}", e.what());
      }
    }
    lock.lock();
  }
  for (FeedWaiter& w : waiters_) w.done({});  // let open streams end
  waiters_.clear();
}

void EngineRunner::write(std::vector<AlertChange> changes, int64_t position) {
  // Decisions an earlier failed write left go first, in their order.
  if (!unwritten_.empty()) {
    changes.insert(changes.begin(), std::make_move_iterator(unwritten_.begin()), std::make_move_iterator(unwritten_.end()));
    unwritten_.clear();
  }
  std::vector<int64_t> ids;
  std::string error;
  if (!store_->apply(changes, position, &ids, &error)) {
    unwritten_ = std::move(changes);
    throw std::runtime_error("alert store: " + error);
  }
  size_t next = 0;
  for (const AlertChange& c : changes) {
    if (c.kind != AlertChange::Kind::kCreated) continue;
    if (next < ids.size()) book_->set_id(c.alert->account_id, ids[next++]);
    metrics_->alerts_created.with({c.alert->route, c.alert->priority}).add();
  }
  for (const AlertChange& c : changes)
    if (c.what.rfind("SLA breached", 0) == 0) metrics_->sla_breaches.add();
  feed_wake_.notify_all();
}

std::optional<std::string> EngineRunner::lifecycle(int64_t id, const LifecycleStep& step, LifecycleRefusal* refused) {
  std::lock_guard<std::mutex> lock(engine_mutex_);
  if (!store_->get(id)) {
    *refused = {404, "not_found", "no alert " + std::to_string(id)};
    return std::nullopt;
  }
  const int64_t now = wall_clock_ms();
  StepRefusal why;
  auto change = book_->step(id, step, now, &why);
  if (!change) {
    switch (why.kind) {
      case StepRefusal::Kind::kInvalid: *refused = {400, "bad_request", std::move(why.why)}; break;
      case StepRefusal::Kind::kNotOpen: *refused = {409, "conflict", std::move(why.why)}; break;
      case StepRefusal::Kind::kClaimed: *refused = {409, "already_claimed", std::move(why.why)}; break;
    }
    return std::nullopt;
  }
  if (change->material) write({*change}, position_);  // else: nothing changed
  return store_->get(id);
}

void EngineRunner::set_owner_rules(OwnerRules rules) {
  std::lock_guard<std::mutex> lock(engine_mutex_);
  {
    std::lock_guard<std::mutex> owners_lock(owners_mutex_);
    owners_ = rules;
  }
  rules_.owners = rules;  // for an engine rebuilt when a snapshot does not restore
  book_->set_owner_rules(std::move(rules));
  // The leads waiting for a rep now away go to others at once, not at the
  // next tick; while the engine catches up after a restart, at its first.
  if (position_ < stored_position_) return;
  try {
    tick_locked(wall_clock_ms());
  } catch (const std::exception& e) {
    spdlog::error("engine tick: {}; retrying at the next", e.what());
  }
}

OwnerRules EngineRunner::owner_rules() const {
  std::lock_guard<std::mutex> lock(owners_mutex_);
  return owners_;
}

void EngineRunner::tick(int64_t now_ms) {
  std::lock_guard<std::mutex> lock(engine_mutex_);
  tick_locked(now_ms);
}

void EngineRunner::tick_locked(int64_t now_ms) {
  std::vector<AlertChange> changes = book_->tick(now_ms);
  if (!changes.empty() || !unwritten_.empty()) write(std::move(changes), position_);
}

void EngineRunner::refresh_words() {
  std::lock_guard<std::mutex> lock(engine_mutex_);
  std::vector<AlertChange> changes = book_->refresh();
  if (!changes.empty() || !unwritten_.empty()) write(std::move(changes), position_);
}

void EngineRunner::notify() {
  std::lock_guard<std::mutex> lock(wake_mutex_);
  if (ahead_) ahead_->notify();
}

bool EngineRunner::wait_for_position(int64_t position, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(wake_mutex_);
  return progressed_.wait_for(lock, timeout, [&] { return published_position_.load() >= position; });
}

void EngineRunner::restore_snapshot() {
  std::optional<std::string> blob;
  try {
    blob = store_->load_snapshot();
  } catch (const std::exception& e) {
    spdlog::error("engine: cannot read the snapshot ({}); replaying the whole log", e.what());
  }
  if (!blob) return;
  const auto started = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(engine_mutex_);
  try {
    const int64_t position = decode_snapshot(*blob, fingerprint_, *engine_, *book_, seen_.get());
    if (position > stored_position_) throw SnapshotError("snapshot is ahead of the alerts");
    position_ = snapshot_position_ = position;
    published_snapshot_position_ = position;
    book_->reword_open();  // written by the first refresh after the catch-up
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    spdlog::info("engine: restored the snapshot at position {} ({} accounts, {} users) in {} ms", position,
                 engine_->account_count(), engine_->user_count(), ms.count());
    metrics_->snapshot_position.set(position);
    metrics_->snapshot_bytes.set(int64_t(blob->size()));
    report_state();  // before any frame comes
  } catch (const std::exception& e) {
    spdlog::warn("engine: not using the snapshot ({}); replaying the whole log", e.what());
    engine_ = std::make_unique<SignalEngine>(rules_);
    book_ = std::make_unique<AlertBook>(*engine_, policy_);
    seen_ = seen_frames_for(*log_, dedup_);
    position_ = snapshot_position_ = 0;
  }
}

void EngineRunner::take_snapshot() {
  const auto started = std::chrono::steady_clock::now();
  const std::string blob = encode_snapshot(*engine_, *book_, seen_.get(), position_, fingerprint_);
  std::string error;
  if (!store_->save_snapshot(blob, &error)) throw std::runtime_error("storing the snapshot: " + error);
  snapshot_position_ = position_;
  published_snapshot_position_ = position_;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  metrics_->snapshot_position.set(position_);
  metrics_->snapshot_bytes.set(int64_t(blob.size()));
  metrics_->snapshot_millis.set(ms.count());
  spdlog::debug("engine: snapshot at position {}: {} bytes in {} ms", position_, blob.size(), ms.count());
}

void EngineRunner::report_state() {
  metrics_->engine_position.set(position_);
  metrics_->engine_accounts.set(int64_t(engine_->account_count()));
  metrics_->engine_users.set(int64_t(engine_->user_count()));
  metrics_->open_alerts.set(int64_t(book_->open_alerts()));
  if (std::chrono::steady_clock::now() >= next_memory_report_) {  // O(accounts): not every step
    report_memory();
    next_memory_report_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  }
}

void EngineRunner::report_memory() {
  const EngineMemory m = engine_->memory();
  const auto accounts = int64_t(engine_->account_count()), users = int64_t(engine_->user_count());
  metrics_->engine_account_bytes.set(int64_t(m.account_bytes + m.name_bytes));
  metrics_->engine_user_bytes.set(int64_t(m.user_bytes));
  metrics_->engine_bytes_per_account.set(accounts ? int64_t(m.account_bytes + m.name_bytes) / accounts : 0);
  metrics_->engine_bytes_per_user.set(users ? int64_t(m.user_bytes) / users : 0);
  if (seen_) {
    metrics_->engine_dedup_keys.set(int64_t(seen_->keys()));
    metrics_->engine_dedup_bytes.set(int64_t(seen_->memory_bytes()));
    metrics_->engine_dedup_since.set(seen_->remembered_since_ms() / 1000);
  }
}

void EngineRunner::run() {
  restore_snapshot();
  if (stored_position_ > position_) {
    spdlog::info("engine: replaying the log from position {} to {} to rebuild account state", position_,
                 stored_position_);
  } else {
    // Nothing to replay, but reps may have worked alerts since the snapshot
    // (steps are not in the log): the open alerts and their lifecycle are
    // the store's, as after a replay.
    std::lock_guard<std::mutex> lock(engine_mutex_);
    try {
      resume_open_alerts();
    } catch (const std::exception& e) {
      spdlog::error("engine: cannot read the open alerts ({}); their lifecycle is the snapshot's", e.what());
    }
  }
  next_snapshot_ = std::chrono::steady_clock::now() + snapshot_every_;
  {
    std::lock_guard<std::mutex> lock(wake_mutex_);
    if (stopping_) return;
    ahead_ = std::make_unique<LogReadAhead>(*log_, position_, LogReadAhead::Mode::kFollow);
    published_position_ = position_;  // the snapshot's
  }
  bool more = true;
  for (;;) {
    try {
      // Idle, it waits for the log here (notify() wakes it).
      more = step(more ? std::chrono::milliseconds(0) : std::chrono::milliseconds(200));
    } catch (const std::exception& e) {
      more = false;
      spdlog::error("engine: {}; retrying", e.what());
    }
    if (position_ >= stored_position_ && std::chrono::steady_clock::now() >= next_refresh_) {
      try {
        refresh_words();
      } catch (const std::exception& e) {
        spdlog::error("engine refresh: {}", e.what());
      }
      next_refresh_ = std::chrono::steady_clock::now() + kRefreshEvery;
    }
    if (position_ >= stored_position_ && position_ > snapshot_position_ &&
        std::chrono::steady_clock::now() >= next_snapshot_) {
      try {
        std::lock_guard<std::mutex> lock(engine_mutex_);
        take_snapshot();
      } catch (const std::exception& e) {
        spdlog::error("engine snapshot: {}; retrying later", e.what());
      }
      next_snapshot_ = std::chrono::steady_clock::now() + snapshot_every_;
    }
    if (!more && std::chrono::steady_clock::now() >= next_tick_ && position_ >= stored_position_) {
      try {
        tick(wall_clock_ms());
      } catch (const std::exception& e) {
        spdlog::error("engine tick: {}", e.what());
      }
      next_tick_ = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    }
    std::lock_guard<std::mutex> lock(wake_mutex_);
    if (stopping_) return;
  }
}

bool EngineRunner::step(std::chrono::milliseconds wait) {
  const LogReadAhead::ReadFrame* f = ahead_->next(wait);
  // After a restart, frames up to the stored position were decided before:
  // replay them to rebuild state, write nothing, then take up the open
  // alerts' ids from the store.
  const bool catching_up = position_ < stored_position_;
  if (catching_up && (f ? f->position > stored_position_ : ahead_->drained())) {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    resume_open_alerts();
    stored_position_ = position_;
    return true;
  }
  if (f == nullptr) return false;

  std::vector<AlertChange> changes;
  int64_t position = position_;
  {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    // The frames read so far, up to kFramesPerStep: one store transaction.
    for (size_t n = 0; f && n < kFramesPerStep && !(catching_up && f->position > stored_position_); ++n) {
      if (applies(*f, seen_.get()))
        process_events(f->events.events(), f->received_at_ms, *engine_, *book_, catching_up ? nullptr : &changes);
      else if (!catching_up)
        metrics_->engine_duplicate_frames.add();
      position = f->position;
      ahead_->release();
      f = ahead_->next(std::chrono::milliseconds(0));
    }

    if (catching_up && position >= stored_position_) resume_open_alerts();
    // Decisions are written before a rep's step can interleave; position_
    // (read by lifecycle() on HTTP threads) moves under the same lock, with
    // the engine's state (a failed write keeps the decisions for the next).
    position_ = position;
    if (!catching_up) write(std::move(changes), position);
    metrics_->engine_lag_frames.set(std::max<int64_t>(0, ahead_->log_end() - position_));
    report_state();
  }
  {
    std::lock_guard<std::mutex> lock(wake_mutex_);
    published_position_ = position_;
  }
  progressed_.notify_all();
  return true;
}

void EngineRunner::resume_open_alerts() {
  auto open = store_->open_alerts();
  book_->sync_open(open);
  for (const auto& [account, id] : open)
    if (auto body = store_->get(id)) {
      Alert stored;
      stored.lifecycle_from_json(boost::json::parse(*body).as_object());
      book_->restore_lifecycle(stored);
    }
}

std::optional<std::string> EngineRunner::account_json(const std::string& id) {
  boost::json::object o;
  {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    const AccountState* a = engine_->account(id);
    if (a == nullptr) return std::nullopt;
    o = explained_account(*a);
  }
  // What came of the account's alerts so far, read from the store (not the engine).
  o["alerts"] = alert_history(*store_, id, kAccountAlerts);
  return json_text(o);
}

boost::json::object EngineRunner::explained_account(const AccountState& a) {
  const Explanation ev = explain(a, engine_->rules());
  // The account's explanation has the shape of an alert, without lifecycle.
  Alert view;
  view.account_id = a.id;
  view.account_name = a.trait("name");
  view.plan = a.trait("plan");
  view.user_count = ev.metrics.users_total;
  view.score = ev.score;
  view.priority = ev.priority;
  view.route = route_name(ev.route);
  view.contributions = ev.contributions;
  view.fit = ev.fit_reasons;
  view.metrics = ev.metrics;
  view.limit_percent = ev.limit_percent;
  boost::json::object o = view.to_json().as_object();
  for (const char* key : {"id", "owner", "trigger", "sla_due", "status", "created_at", "updated_at", "summary", "timeline",
                          "best_contact", "contacts"})
    o.erase(key);
  o["qualified"] = ev.qualified;
  o["threshold"] = json_number(rules_.pql_threshold);
  o["points"] = json_number(ev.points);
  o["fit_multiplier"] = json_number(ev.fit_multiplier);
  o["route_reason"] = ev.route_reason;
  // What would tip it: each missing signal, and how far the score is from the threshold.
  o["points_to_threshold"] = json_number(points_to_threshold(ev, engine_->rules()));
  boost::json::array missing;
  for (const MissingSignal& s : missing_signals(a, engine_->rules(), ev))
    missing.push_back({{"signal", s.signal},
                       {"points", json_number(s.points)},
                       {"score_gain", json_number(s.score_gain)},
                       {"takes", s.takes},
                       {"qualifies", s.qualifies}});
  o["missing_signals"] = std::move(missing);
  boost::json::object traits;
  for (const auto& [k, v] : a.traits)
    traits[k] = v.type == PropValue::Type::kString ? boost::json::value(v.s)
                : v.number()                       ? json_number(*v.number())
                                                   : boost::json::value(v.i != 0);
  o["traits"] = std::move(traits);
  boost::json::object milestones;
  const CompiledRules& rules = engine_->rules();
  for (size_t i = 0; i < rules.milestones.size(); ++i)
    if (const NameStat* reached = a.stat(rules.milestones[i]))
      milestones[rules.milestone_names[i]] = iso8601(reached->first_ms);
  o["milestones"] = std::move(milestones);
  o["first_seen"] = iso8601(a.first_seen_ms);
  o["last_event"] = iso8601(a.last_event_ms);
  o["best_contact"] = best_contact(a, a.last_event_ms);
  // Whom to write to: the most active users, who they are when known.
  boost::json::array users;
  for (const AccountUser& u : engine_->people(a, kAccountPeople)) users.push_back(person_json(u));
  o["users"] = std::move(users);
  return o;
}

boost::json::object EngineRunner::accounts(const AccountQuery& query) {
  boost::json::array accounts;
  size_t matching = 0;
  {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    const AccountRanking ranking = rank_accounts(*engine_, query);
    matching = ranking.matching;
    for (const auto& [a, ev] : ranking.top) {
      boost::json::array signals;
      for (int s = 0; s < kSignalCount; ++s)
        if (ev.signals & bit(Signal(s))) signals.push_back(boost::json::string(kSignalNames[s]));
      // What alone would make it a PQL, for a rep who prospects.
      boost::json::array tipping;
      for (Signal s : lacking_signals(ev, engine_->rules()))
        if (would_qualify(ev, s, engine_->rules())) tipping.push_back(boost::json::string(signal_name(s)));
      boost::json::value alert = nullptr;
      if (const Alert* open = book_->open_alert(*a))
        alert = boost::json::object{
            {"id", open->id}, {"status", open->status}, {"owner", open->owner}, {"route", open->route}};
      accounts.push_back(boost::json::object{
          {"account_id", a->id},
          {"account_name", a->trait("name")},
          {"plan", a->trait("plan")},
          {"score", json_number(ev.score)},
          {"qualified", ev.qualified},
          {"priority", ev.qualified ? boost::json::value(ev.priority) : boost::json::value(nullptr)},
          {"route", route_name(ev.route)},
          {"user_count", ev.metrics.users_total},
          {"active_users_14d", ev.metrics.active_users_14d},
          {"signals", std::move(signals)},
          {"points_to_threshold", json_number(points_to_threshold(ev, engine_->rules()))},
          {"tipping_signals", std::move(tipping)},
          {"last_event", iso8601(a->last_event_ms)},
          {"alert", std::move(alert)}});
    }
  }
  return boost::json::object{
      {"accounts", std::move(accounts)}, {"matching", matching}, {"threshold", json_number(rules_.pql_threshold)}};
}

}  // namespace telltale::collector
