// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The collector end to end, as real processes: the SDK and raw HTTP clients
// against the telltale-collector binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>

#include "alerts/webhook_dispatcher.h"
#include "child_process.h"
#include "collector_process.h"
#include "scratch_dir.h"
#include "test_certificate.h"
#include "test_collector.h"
#include "test_proxy.h"
#include "test_smtp_server.h"
#include "log/sqlite_event_log.h"
#include "telltale/schema/codec.h"
#include "telltale/telltale.h"

namespace telltale {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::CollectorProcess;
using testing::run_command;
using testing::HttpResult;
using testing::http_request;
namespace fs = std::filesystem;

const std::map<std::string, std::string> kSdkHeaders = {
    {"Content-Type", "application/x-telltale-batch"}, {"Content-Encoding", "zstd"}};

// A valid compressed batch of `events` track events with batch id `n`.
std::string sdk_batch(uint64_t n, size_t events = 5) {
  wire::BatchEncoder enc;
  wire::Property p{"rows", {wire::ValueType::kInt, 7, 0, {}}};
  for (size_t i = 0; i < events; ++i) {
    wire::Event e;
    e.message_id = wire::Id16::from_parts(n, i);
    e.time_ms = 1'790'000'000'000;
    e.account = "acme";
    e.user = i % 3 ? "u1" : "u0";
    e.name = "Report Created";
    e.props = &p;
    e.prop_count = 1;
    enc.add(e);
  }
  wire::BatchHeader h;
  h.batch_id = wire::Id16::from_parts(0xba7c, n);
  h.sdk_name = "test";
  std::vector<uint8_t> out;
  enc.finish(h, &out);
  return std::string(out.begin(), out.end());
}

std::string zstd(const std::string& raw) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 1));
  return out;
}

class CollectorE2E : public ::testing::Test {
 protected:
  void TearDown() override {
    fs::remove(dir_ + ".log");
    fs::remove(dir_ + ".toml");
  }
  // An SDK tracker sending to `c`, flushing batches quickly.
  static std::unique_ptr<Tracker> tracker_for(const CollectorProcess& c) {
    Options o;
    o.endpoint = "http://127.0.0.1:" + std::to_string(c.port());
    o.write_key = "wk_test";
    o.batch_max_delay = 10ms;
    return Tracker::create(o);
  }
  // Acme qualifies (800 employees; core value 30 + pricing 12 = 42 points
  // x1.5 = 63): sends its events and waits for alert 1, reading it with
  // `headers` (an API token).
  static void raise_the_acme_alert(const CollectorProcess& c, const std::map<std::string, std::string>& headers = {}) {
    auto t = tracker_for(c);
    t->group("acme", {{"name", "Acme"}, {"employees", 800}});
    t->track("acme", "ana", "Report Created");
    t->track("acme", "ana", "Pricing Page Viewed");
    ASSERT_TRUE(t->flush(5s));
    for (int i = 0; i < 250 && http_request(c.port(), "GET", "/v1/alerts/1", headers).status != 200; ++i)
      std::this_thread::sleep_for(20ms);
    ASSERT_EQ(http_request(c.port(), "GET", "/v1/alerts/1", headers).status, 200);
  }
  // Each query of `path` is refused with a 400 whose detail says `why`.
  static void expect_refused(const CollectorProcess& c, const std::string& path,
                             const std::vector<std::pair<std::string, std::string>>& queries_and_whys) {
    for (const auto& [query, why] : queries_and_whys) {
      auto r = http_request(c.port(), "GET", path + "?" + query);
      EXPECT_EQ(r.status, 400) << query;
      EXPECT_THAT(std::string(boost::json::parse(r.body).at("detail").as_string()), HasSubstr(why)) << query;
    }
  }
  // Whether the collector's log shows `line` at least `times` times within 5 s.
  static bool log_shows(const CollectorProcess& c, const std::string& line, size_t times = 1) {
    for (int i = 0; i < 100; ++i) {
      const std::string log = c.log();
      size_t seen = 0;
      for (size_t at = log.find(line); at != std::string::npos; at = log.find(line, at + 1)) ++seen;
      if (seen >= times) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  std::unique_ptr<CollectorProcess> collector(std::vector<std::string> args = {}) {
    return std::make_unique<CollectorProcess>(TELLTALE_COLLECTOR_BINARY, dir_, std::move(args));
  }
  // Every batch id in the log, with how many times it appears.
  std::map<std::string, int> logged_batches() {
    std::map<std::string, int> seen;
    auto log = collector::SqliteEventLog::open_read_only(dir_);
    std::vector<collector::StoredFrame> frames;
    int64_t after = 0;
    do {
      EXPECT_TRUE(log->read(after, 1000, &frames).ok);
      for (const auto& f : frames) {
        ++seen[f.frame.dedup_key];
        after = f.position;
      }
    } while (!frames.empty());
    return seen;
  }
  const telltale::testing::ScratchDir scratch_{"e2e"};
  const std::string& dir_ = scratch_.path();
};

TEST_F(CollectorE2E, TheSdkDeliversEveryEventExactlyOnce) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  auto t = tracker_for(*c);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      for (int n = 0; n < 3000; ++n) t->track("acct" + std::to_string(n % 10), "u" + std::to_string(i), "E", {{"n", n}});
    });
  for (auto& th : threads) th.join();
  t->usage("acct1", "seats", 4, 5);
  ASSERT_TRUE(t->flush(10s));
  Stats s = t->stats();
  EXPECT_EQ(s.acked, s.enqueued);

  // Decode everything the log holds: each message id once.
  auto log = collector::SqliteEventLog::open_read_only(dir_);
  std::vector<collector::StoredFrame> frames;
  ASSERT_TRUE(log->read(0, 100000, &frames).ok);
  std::set<std::string> ids;
  wire::BatchDecoder decoder;
  for (const auto& f : frames) {
    wire::DecodedBatch b;
    ASSERT_TRUE(decoder.decode(f.frame.payload.data(), f.frame.payload.size(), &b).ok());
    for (const auto& e : b.events) EXPECT_TRUE(ids.insert(e.message_id.hex()).second);
  }
  EXPECT_EQ(ids.size(), s.enqueued);
  auto metrics = http_request(c->port(), "GET", "/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("telltale_events_accepted_total " + std::to_string(s.enqueued)));
  // Every batch came from this SDK, and /metrics says which version.
  EXPECT_THAT(metrics, HasSubstr("telltale_batches_by_library_total{library=\"telltale-cpp\",version=\"" +
                                 std::string(TELLTALE_VERSION) + "\"} " + std::to_string(frames.size()) + "\n"));
}

TEST_F(CollectorE2E, MalformedInputIsRefusedClearlyAndTheCollectorStaysUp) {
  auto c = collector({"--config", dir_ + ".toml"});
  std::ofstream(dir_ + ".toml") << "[limits]\nmax_body_bytes = 1048576\nmax_string_bytes = 1000\n";
  ASSERT_TRUE(c->start()) << c->log();
  const std::string valid = sdk_batch(1);
  std::vector<uint8_t> fb;
  {
    wire::BatchEncoder enc;
    wire::Event e;
    e.account = "a";
    e.name = "E";
    enc.add(e);
    enc.finish_uncompressed(wire::BatchHeader{}, &fb);
  }
  std::string fb_text(fb.begin(), fb.end());
  std::string wrong_magic = fb_text;
  wrong_magic[4] = 'X';
  std::string bomb = zstd(std::string(200u << 20, '\0'));
  std::string long_name(2000, 'n');

  const std::map<std::string, std::string> json = {{"Content-Type", "application/json"}};
  struct Case {
    const char* name;
    std::string target;
    std::map<std::string, std::string> headers;
    std::string body;
    int status;
  } cases[] = {
      {"truncated FlatBuffers", "/v1/batch", kSdkHeaders, zstd(fb_text.substr(0, fb_text.size() / 2)), 400},
      {"wrong magic", "/v1/batch", kSdkHeaders, zstd(wrong_magic), 400},
      {"not zstd", "/v1/batch", kSdkHeaders, "this is not zstd", 400},
      {"truncated zstd", "/v1/batch", kSdkHeaders, valid.substr(0, valid.size() - 5), 400},
      {"zstd bomb", "/v1/batch", kSdkHeaders, bomb, 413},
      {"body over the limit", "/v1/batch", kSdkHeaders, std::string(2u << 20, 'x'), 413},
      {"no content encoding", "/v1/batch", {{"Content-Type", "application/x-telltale-batch"}}, valid, 415},
      {"unknown content type", "/v1/batch", {{"Content-Type", "image/png"}}, "png", 415},
      {"invalid JSON", "/v1/batch", json, "{\"batch\": [", 400},
      {"JSON wrong types", "/v1/track", json, R"({"userId": 5.5, "event": ["x"]})", 400},
      {"JSON missing ids", "/v1/track", json, R"({"event": "Report Created"})", 400},
      {"JSON missing event", "/v1/track", json, R"({"userId": "u1"})", 400},
      {"JSON oversized string", "/v1/track", json, R"({"userId": "u1", "event": ")" + long_name + "\"}", 400},
      {"group without groupId", "/v1/group", json, R"({"userId": "u1"})", 400},
      {"unknown route", "/v1/nothing", json, "{}", 404},
      {"wrong method", "/healthz", json, "{}", 405},
  };
  for (const Case& k : cases) {
    auto r = http_request(c->port(), "POST", k.target, k.headers, k.body);
    EXPECT_EQ(r.status, k.status) << k.name << ": " << r.body;
    if (r.status >= 400) {
      EXPECT_THAT(r.body, HasSubstr("\"error\"")) << k.name;
      EXPECT_THAT(r.body, HasSubstr("\"detail\"")) << k.name;
    }
    ASSERT_EQ(http_request(c->port(), "GET", "/healthz").status, 200) << "after " << k.name;
  }
  // HEAD is GET without the body.
  auto head = http_request(c->port(), "HEAD", "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.headers["content-length"], std::to_string(http_request(c->port(), "GET", "/").body.size()));
  EXPECT_EQ(http_request(c->port(), "HEAD", "/v1/nothing").status, 404);
  // A wrong method is told which the path takes.
  for (const auto& [method, path, allow] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"POST", "/healthz", "GET"}, {"GET", "/v1/batch", "POST"}, {"PUT", "/v1/alerts/1", "GET"},
           {"GET", "/v1/alerts/1/claim", "POST"}, {"POST", "/v1/alerts/stream", "GET"}}) {
    auto r = http_request(c->port(), method, path, json, "{}");
    EXPECT_EQ(r.status, 405) << method << " " << path;
    EXPECT_EQ(r.headers["allow"], allow) << method << " " << path;
  }
  auto ok = http_request(c->port(), "POST", "/v1/batch", kSdkHeaders, valid);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "{\"accepted\":5,\"duplicates\":0}");
  EXPECT_EQ(logged_batches().size(), 1u);  // nothing malformed reached the log
}

TEST_F(CollectorE2E, WriteKeysAreEnforcedWhenConfigured) {
  std::ofstream(dir_ + ".toml") << "write_keys = [\"wk_good\"]\n";
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  auto with_key = kSdkHeaders;
  with_key["Authorization"] = "Bearer wk_bad";
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/batch", with_key, sdk_batch(1)).status, 401);
  with_key["Authorization"] = "Basic d2tfZ29vZDo=";  // "wk_good:"
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/batch", with_key, sdk_batch(1)).status, 200);
  const std::map<std::string, std::string> json = {{"Content-Type", "application/json"}};
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/batch", json,
                         R"({"writeKey":"wk_good","batch":[{"type":"identify","userId":"u"}]})").status,
            200);
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/track", json, R"({"userId":"u","event":"E"})").status, 401);
}

TEST_F(CollectorE2E, AlertsAndAccountsNeedAnApiTokenWhenConfigured) {
  const std::string token = "tok_for_the_sales_team_01";
  std::ofstream(dir_ + ".toml") << "write_keys = [\"wk_test\"]\napi_tokens = [\"" << token << "\"]\n";
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  const std::map<std::string, std::string> bearer = {{"Authorization", "Bearer " + token}};
  raise_the_acme_alert(*c, bearer);
  HttpResult listed = http_request(c->port(), "GET", "/v1/alerts", bearer);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_THAT(listed.body, HasSubstr("\"account_id\":\"acme\""));

  // No token, the product's write key, another token: 401, saying how.
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/v1/alerts"}, {"GET", "/v1/alerts/1"}, {"GET", "/v1/alerts/stream?after=0"},
           {"GET", "/v1/accounts/acme"}, {"GET", "/v1/accounts"}, {"GET", "/v1/stats"}, {"POST", "/v1/alerts/1/claim"}})
    for (const std::string authorization : {"", "Bearer wk_test", "Bearer tok_for_the_sales_team_02"}) {
      std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
      if (!authorization.empty()) headers["Authorization"] = authorization;
      HttpResult r = http_request(c->port(), method, target, headers, method == "POST" ? R"({"owner":"Mallory"})" : "");
      EXPECT_EQ(r.status, 401) << method << " " << target << " with \"" << authorization << "\"";
      EXPECT_EQ(r.headers["www-authenticate"], "Bearer realm=\"telltale\"");
      EXPECT_THAT(r.body, HasSubstr("\"error\":\"unauthorized\""));
      EXPECT_THAT(r.body, HasSubstr("Authorization: Bearer TOKEN"));
    }
  EXPECT_THAT(http_request(c->port(), "GET", "/v1/alerts/1", bearer).body, HasSubstr("\"status\":\"open\""))
      << "a refused claim changed nothing";

  // With the token: in the header, or in the query as a browser's
  // EventSource sends it (which the feed's filters never see).
  HttpResult streamed = http_request(c->port(), "GET", "/v1/alerts/stream?after=0&access_token=" + token);
  EXPECT_EQ(streamed.status, 200);
  EXPECT_THAT(streamed.body, HasSubstr("id: 1\nevent: created"));
  EXPECT_EQ(http_request(c->port(), "GET", "/v1/alerts?status=open&access_token=" + token).status, 200);
  EXPECT_EQ(http_request(c->port(), "GET", "/v1/accounts/acme", bearer).status, 200);
  EXPECT_EQ(http_request(c->port(), "GET", "/v1/stats", bearer).status, 200);
  auto claim_headers = bearer;
  claim_headers["Content-Type"] = "application/json";
  HttpResult claimed = http_request(c->port(), "POST", "/v1/alerts/1/claim", claim_headers, R"({"owner":"Dana"})");
  EXPECT_EQ(claimed.status, 200) << claimed.body;
  EXPECT_THAT(claimed.body, HasSubstr("\"claimed_by\":\"Dana\""));
  // Open to anyone: liveness, readiness, the metrics (counts, no names) and
  // the dashboard's page, which asks for a token itself.
  for (const char* open : {"/healthz", "/readyz", "/metrics", "/"})
    EXPECT_EQ(http_request(c->port(), "GET", open).status, 200) << open;
  EXPECT_THAT(http_request(c->port(), "GET", "/metrics").body,
              HasSubstr("telltale_requests_total{route=\"unauthorized\",status=\"401\"} 21"));

  // The tool takes the token from --token or TELLTALE_API_TOKEN, and says so
  // when it has none.
  const std::string cli = std::string(TELLTALE_CLI_BINARY);
  const std::string url = " --url http://127.0.0.1:" + std::to_string(c->port());
  auto [refused, why] = run_command(cli + " account acme" + url);
  EXPECT_NE(refused, 0);
  EXPECT_THAT(why, HasSubstr("401"));
  EXPECT_THAT(why, HasSubstr("pass --token TOKEN or set TELLTALE_API_TOKEN"));
  EXPECT_THAT(run_command("TELLTALE_API_TOKEN=" + token + " " + cli + " alerts --table" + url).second,
              HasSubstr("acme"));
  const std::string explained = run_command(cli + " account acme --token " + token + url).second;
  EXPECT_THAT(explained, HasSubstr("Acme (acme)  score 63.0 of 50 needed: a product-qualified lead\n"
                                   "  company 800 employees\n"));
  EXPECT_THAT(explained, HasSubstr("\n  usage   1 active user in 14 days (+1), team of 1; 1 active day of the last 7, "
                                   "2 features used\n"));
}

TEST_F(CollectorE2E, ServesHttpsWithItsCertificate) {
  const auto [cert, key] = testing::make_test_certificate(dir_, "127.0.0.1");
  std::ofstream(dir_ + ".toml") << "[tls]\ncert_file = \"" << cert << "\"\nkey_file = \"" << key << "\"\n";
  auto c = collector({"--config", dir_ + ".toml"});
  c->serves_https();
  ASSERT_TRUE(c->start()) << c->log();
  EXPECT_THAT(c->log(), HasSubstr("(https)"));
  const std::string cli = std::string(TELLTALE_CLI_BINARY) + " ";
  const std::string url = " --url https://127.0.0.1:" + std::to_string(c->port());
  std::string status;
  for (int i = 0; i < 100 && status.find("alive, ready") == std::string::npos; ++i) {
    if (i) std::this_thread::sleep_for(50ms);
    status = run_command(cli + "status --ca-file " + cert + url).second;
  }
  EXPECT_THAT(status, HasSubstr("alive, ready"));

  // The SDK, trusting the certificate, delivers over TLS.
  Options o;
  o.endpoint = "https://127.0.0.1:" + std::to_string(c->port());
  o.write_key = "wk_test";
  o.tls_ca_file = cert;
  o.batch_max_delay = 10ms;
  auto t = Tracker::create(o);
  ASSERT_TRUE(t);
  t->track("acme", "u1", "Report Created");
  ASSERT_TRUE(t->flush(5s));
  EXPECT_THAT(run_command(cli + "log stats --data-dir " + dir_).second, HasSubstr("events            1"));

  // Plain HTTP is told to use HTTPS, with a status clients retry (an SDK
  // with an http:// endpoint keeps its batches); a client that does not
  // trust the certificate is told why.
  HttpResult plain = http_request(c->port(), "POST", "/v1/batch", kSdkHeaders, sdk_batch(7));
  EXPECT_EQ(plain.status, 503);
  EXPECT_EQ(plain.headers["retry-after"], "30");
  EXPECT_THAT(plain.body, HasSubstr("\"error\":\"https_required\""));
  auto [untrusted, why] = run_command(cli + "status" + url);
  EXPECT_NE(untrusted, 0);
  EXPECT_THAT(why, HasSubstr("certificate verify failed"));
  EXPECT_THAT(run_command(cli + "status --ca-file " + cert + url).second,
              HasSubstr("telltale_events_accepted_total     1"));
  fs::remove(cert);
  fs::remove(key);
}

// SIGHUP: new API tokens and a renewed certificate apply without a
// restart; a config that cannot apply is refused, and what runs stays.
TEST_F(CollectorE2E, ReloadsItsApiTokensAndCertificateOnSighup) {
  for (const char* name : {"old", "new"}) testing::make_test_certificate(dir_ + "-" + name, "127.0.0.1");
  auto write_config = [&](const std::string& token, const char* cert) {
    std::ofstream(dir_ + ".toml") << "api_tokens = [\"" << token << "\"]\n[tls]\ncert_file = \"" << dir_ << "-" << cert
                                  << "-cert.pem\"\nkey_file = \"" << dir_ << "-" << cert << "-key.pem\"\n";
  };
  const std::string old_token = "tok_before_the_reload_01", new_token = "tok_after_the_reload_0002";
  write_config(old_token, "old");
  auto c = collector({"--config", dir_ + ".toml"});
  c->serves_https();
  ASSERT_TRUE(c->start()) << c->log();
  const std::string url = " --url https://127.0.0.1:" + std::to_string(c->port());
  auto alerts = [&](const std::string& token, const char* cert) {
    return run_command(std::string(TELLTALE_CLI_BINARY) + " alerts --table --token " + token + " --ca-file " + dir_ +
                       "-" + cert + "-cert.pem" + url);
  };
  std::pair<int, std::string> answer;
  for (int i = 0; i < 100 && answer.second.find("no alerts match") == std::string::npos; ++i) {
    if (i) std::this_thread::sleep_for(50ms);
    answer = alerts(old_token, "old");
  }
  ASSERT_EQ(answer.first, 0) << answer.second;
  auto reloaded = [&](const std::string& line, size_t times) { return log_shows(*c, line, times); };

  write_config(new_token, "new");
  c->signal(SIGHUP);
  ASSERT_TRUE(reloaded("reloaded " + dir_ + ".toml: 1 API token, the TLS certificate", 1)) << c->log();
  EXPECT_EQ(alerts(new_token, "new").first, 0);
  EXPECT_THAT(alerts(old_token, "new").second, HasSubstr("401 unauthorized"));
  EXPECT_THAT(alerts(new_token, "old").second, HasSubstr("certificate verify failed"));

  std::ofstream(dir_ + ".toml") << "api_tokens = [\n";  // a config that does not parse
  c->signal(SIGHUP);
  ASSERT_TRUE(reloaded("reload refused, the running config stays", 1)) << c->log();
  std::ofstream(dir_ + ".toml") << "api_tokens = [\"" << old_token << "\"]\n";  // HTTPS off
  c->signal(SIGHUP);
  ASSERT_TRUE(reloaded("reload refused, the running config stays: switching HTTPS off needs a restart", 1))
      << c->log();
  EXPECT_EQ(alerts(new_token, "new").first, 0) << "what runs stays";
  for (const char* name : {"old", "new"})
    for (const char* file : {"-cert.pem", "-key.pem"}) fs::remove(dir_ + "-" + name + file);
}

// A webhook added while the collector runs (SIGHUP) gets what happens from
// then on, not the history: a channel added later is not flooded.
TEST_F(CollectorE2E, AWebhookAddedOnSighupGetsTheFeedFromThenOn) {
  testing::TestCollector hook;
  hook.set_script([](const testing::RequestInfo&) { return testing::reply(200); });  // a receiver that takes it
  std::ofstream(dir_ + ".toml") << "";  // no webhooks yet
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  raise_the_acme_alert(*c);  // alert 1, history by the time the webhook comes
  std::ofstream(dir_ + ".toml") << "[pql]\nwebhooks = [{url = \"" << hook.endpoint() << "/hooks/new\"}]\n";
  c->signal(SIGHUP);
  ASSERT_TRUE(log_shows(*c, "1 webhook,")) << c->log();
  EXPECT_THAT(c->log(), HasSubstr("webhook " + hook.endpoint() + "/…: new; it gets the feed after entry 1"));
  ASSERT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/claim", {{"Content-Type", "application/json"}},
                         R"({"owner": "Dana"})").status, 200);
  for (int i = 0; i < 100 && hook.requests().empty(); ++i) std::this_thread::sleep_for(50ms);
  std::this_thread::sleep_for(300ms);  // time for anything else to arrive
  const auto got = hook.requests();
  ASSERT_EQ(got.size(), 1u) << c->log();
  EXPECT_EQ(got[0].headers.at("x-telltale-event"), "updated");  // not alert 1's creation
  EXPECT_THAT(got[0].body, HasSubstr("claimed by Dana"));

  // Taken out of the config, it loses its place: put back, it is new again
  // and gets nothing of what happened meanwhile (a touch, feed entry 3).
  std::ofstream(dir_ + ".toml") << "";
  c->signal(SIGHUP);
  ASSERT_TRUE(log_shows(*c, "0 webhooks")) << c->log();
  ASSERT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/touch", {{"Content-Type", "application/json"}},
                         R"({"channel": "email"})").status, 200);
  std::ofstream(dir_ + ".toml") << "[pql]\nwebhooks = [{url = \"" << hook.endpoint() << "/hooks/new\"}]\n";
  c->signal(SIGHUP);
  ASSERT_TRUE(log_shows(*c, "webhook " + hook.endpoint() + "/…: new; it gets the feed after entry 3")) << c->log();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(hook.requests().size(), 1u);
}

// An operator whose logs go to a pipeline asks for JSON lines, then quiets
// the collector to warnings with a reload.
TEST_F(CollectorE2E, LogsJsonLinesAtTheLevelTheConfigSays) {
  std::ofstream(dir_ + ".toml") << "";
  auto c = collector({"--config", dir_ + ".toml", "--log-format", "json"});
  ASSERT_TRUE(c->start()) << c->log();
  // The flag's format stays; the level applies at once.
  std::ofstream(dir_ + ".toml") << "[logging]\nformat = \"text\"\nlevel = \"warning\"\n[pql]\nthreshold = 70\n";
  c->signal(SIGHUP);
  ASSERT_TRUE(log_shows(*c, "applies only at the next start: pql.threshold\"")) << c->log();
  c->signal(SIGTERM);
  ASSERT_EQ(c->wait_exit(10s), 0);
  std::vector<std::pair<std::string, std::string>> lines;  // level, msg
  std::istringstream log(c->log());
  for (std::string line; std::getline(log, line);) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << "not JSON: " << line;
    ASSERT_THAT(std::string(v.at("time").as_string()), ::testing::MatchesRegex("20[0-9-]{8}T[0-9:]{8}\\.[0-9]{3}Z"));
    lines.emplace_back(v.at("level").as_string(), v.at("msg").as_string());
  }
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines.front().first, "info");
  EXPECT_THAT(lines.front().second, ::testing::StartsWith("telltale-collector "));
  EXPECT_EQ(lines.back().first, "warning");  // quieted: no "reloaded", "received SIGTERM" or "stopped cleanly"
  EXPECT_THAT(lines.back().second, HasSubstr(".toml: changed since the start, applies only at the next start: "
                                             "pql.threshold"));
}

// A rep who goes on leave is marked away and the config reloaded (SIGHUP):
// the leads that wait for them and new leads go to the others, with no
// restart and no replay.
TEST_F(CollectorE2E, ARepMarkedAwayOnSighupTakesNoNewLeads) {
  std::ofstream(dir_ + ".toml") << "[pql]\nreps = [{name = \"Dana\"}]\n";
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  raise_the_acme_alert(*c);
  // A new threshold beside them waits for a restart, and the reload says so.
  std::ofstream(dir_ + ".toml") << "[pql]\nthreshold = 70\n"
                                   "reps = [{name = \"Dana\", away = true}, {name = \"Ravi\"}]\n";
  c->signal(SIGHUP);
  ASSERT_TRUE(log_shows(*c, "0 webhooks, 2 reps (1 away), 0 territories\n")) << c->log();
  ASSERT_TRUE(log_shows(*c, ".toml: changed since the start, applies only at the next start: pql.threshold\n"))
      << c->log();
  auto t = tracker_for(*c);
  t->group("globex", {{"name", "Globex"}, {"employees", 900}});
  t->track("globex", "bo", "Report Created");
  t->track("globex", "bo", "Pricing Page Viewed");
  ASSERT_TRUE(t->flush(5s));
  for (int i = 0; i < 250 && http_request(c->port(), "GET", "/v1/alerts/2").status != 200; ++i)
    std::this_thread::sleep_for(20ms);
  const auto owner = [&](int id) {
    const auto r = http_request(c->port(), "GET", "/v1/alerts/" + std::to_string(id));
    return r.status == 200 ? std::string(boost::json::parse(r.body).at("owner").as_string()) : r.body;
  };
  EXPECT_EQ(owner(1), "Ravi");  // it waited for Dana, unclaimed
  EXPECT_EQ(owner(2), "Ravi");
  const auto feed = http_request(c->port(), "GET", "/v1/alerts/stream?after=1", {{"Accept", "text/event-stream"}});
  EXPECT_THAT(feed.body, HasSubstr("reassigned from Dana to Ravi: Dana is away"));
  // The figures per rep say who is away, for the sales manager.
  const auto stats = boost::json::parse(http_request(c->port(), "GET", "/v1/stats").body).as_object();
  std::map<std::string, bool> away;
  for (const auto& rep : stats.at("by_owner").as_array())
    away[std::string(rep.at("owner").as_string())] = rep.at("away").as_bool();
  EXPECT_EQ(away, (std::map<std::string, bool>{{"Dana", true}, {"Ravi", false}}));  // Dana: a row of zeroes
  // Ravi goes on leave in turn: what he claimed stays his, what waits for him goes back to Dana.
  // He types his name in lower case, and is Ravi all the same, in the alert and in filters.
  ASSERT_EQ(http_request(c->port(), "POST", "/v1/alerts/2/claim", {{"Content-Type", "application/json"}},
                         R"({"owner": "ravi"})").status, 200);
  const auto of_ravi = boost::json::parse(http_request(c->port(), "GET", "/v1/alerts?owner=RAVI&status=claimed").body);
  ASSERT_EQ(of_ravi.at("alerts").as_array().size(), 1u);
  EXPECT_EQ(of_ravi.at("alerts").as_array()[0].at("claimed_by"), "Ravi");
  std::ofstream(dir_ + ".toml") << "[pql]\nreps = [{name = \"Dana\"}, {name = \"Ravi\", away = true}]\n";
  c->signal(SIGHUP);
  ASSERT_TRUE(log_shows(*c, "2 reps (1 away)", 2)) << c->log();
  const auto [status, out] = run_command(std::string(TELLTALE_CLI_BINARY) + " stats --table --url http://127.0.0.1:" +
                                         std::to_string(c->port()));
  EXPECT_EQ(status, 0) << out;
  EXPECT_THAT(out, HasSubstr("\n  Dana                  1 "));
  EXPECT_THAT(out, HasSubstr("\n  Ravi (away)           1 "));
  // The table of alerts marks what an away rep holds, as the dashboard does.
  const std::string table = run_command(std::string(TELLTALE_CLI_BINARY) + " alerts --table --url http://127.0.0.1:" +
                                        std::to_string(c->port())).second;
  EXPECT_THAT(table, ::testing::ContainsRegex("\n1 +acme .* Dana +open "));
  EXPECT_THAT(table, ::testing::ContainsRegex("\n2 +globex .* Ravi \\(away\\) +claimed "));
  EXPECT_EQ(owner(1), "Dana");
  EXPECT_EQ(owner(2), "Ravi");
}

TEST_F(CollectorE2E, RefusesATlsConfigItCannotUse) {
  std::ofstream(dir_ + ".toml") << "[tls]\ncert_file = \"/nonexistent/cert.pem\"\n";
  auto [half, half_out] =
      run_command(std::string(TELLTALE_COLLECTOR_BINARY) + " --check-config --config " + dir_ + ".toml");
  EXPECT_NE(half, 0);
  EXPECT_THAT(half_out, HasSubstr("tls: set both cert_file and key_file"));
  std::ofstream(dir_ + ".toml") << "[tls]\ncert_file = \"/nonexistent/cert.pem\"\n"
                                   "key_file = \"/nonexistent/key.pem\"\n";
  auto [missing, missing_out] = run_command(std::string(TELLTALE_COLLECTOR_BINARY) +
                                            " --listen 127.0.0.1:0 --data-dir " + dir_ + " --config " + dir_ + ".toml");
  EXPECT_NE(missing, 0);
  EXPECT_THAT(missing_out, HasSubstr("tls.cert_file: cannot use \"/nonexistent/cert.pem\""));
}

TEST_F(CollectorE2E, KillDashNineLosesNoAcknowledgedBatchAndResendsDeduplicate) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  const uint16_t port = c->port();
  std::mutex m;
  std::set<uint64_t> acked;
  std::atomic<uint64_t> next{1};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i)
    clients.emplace_back([&] {
      while (!stop) {
        uint64_t n = next++;
        auto r = http_request(port, "POST", "/v1/batch", kSdkHeaders, sdk_batch(n, 50));
        if (r.status == 200) {
          std::lock_guard<std::mutex> lock(m);
          acked.insert(n);
        }
      }
    });
  while (true) {
    {
      std::lock_guard<std::mutex> lock(m);
      if (acked.size() >= 200) break;
    }
    std::this_thread::sleep_for(5ms);
  }
  c->signal(SIGKILL);  // mid-load
  c->wait_exit(5s);
  stop = true;
  for (auto& t : clients) t.join();
  const uint64_t sent = next - 1;

  auto logged = logged_batches();
  // Every acknowledged batch is in the log, once.
  std::set<std::string> acked_keys;
  for (uint64_t n : acked) {
    wire::Id16 id = wire::Id16::from_parts(0xba7c, n);
    acked_keys.insert("b:" + std::string(reinterpret_cast<const char*>(id.bytes.data()), 16));
  }
  for (const auto& k : acked_keys) EXPECT_EQ(logged.count(k), 1u);
  for (const auto& [k, count] : logged) EXPECT_EQ(count, 1);

  // Restart and resend everything, as SDKs do with unacknowledged batches.
  ASSERT_TRUE(c->start()) << c->log();
  uint64_t duplicates = 0, accepted = 0;
  for (uint64_t n = 1; n <= sent; ++n) {
    auto r = http_request(c->port(), "POST", "/v1/batch", kSdkHeaders, sdk_batch(n, 50));
    ASSERT_EQ(r.status, 200);
    if (r.body == "{\"accepted\":0,\"duplicates\":50}") ++duplicates;
    else if (r.body == "{\"accepted\":50,\"duplicates\":0}") ++accepted;
  }
  EXPECT_GE(duplicates, acked.size());
  EXPECT_EQ(duplicates + accepted, sent);
  logged = logged_batches();
  EXPECT_EQ(logged.size(), sent);
  for (const auto& [k, count] : logged) EXPECT_EQ(count, 1);
}

TEST_F(CollectorE2E, SigtermFinishesAndExitsZero) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/batch", kSdkHeaders, sdk_batch(1)).status, 200);
  c->signal(SIGTERM);
  int status = c->wait_exit(10s);
  ASSERT_TRUE(WIFEXITED(status)) << c->log();
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_THAT(c->log(), HasSubstr("stopped cleanly"));
}

// Two collectors on one data directory would raise every alert twice: the
// second is refused, saying which collector holds it, and the first goes on.
// The lock goes with its holder, even killed.
TEST_F(CollectorE2E, ASecondCollectorOnItsDataDirectoryIsRefused) {
  auto first = collector();
  ASSERT_TRUE(first->start()) << first->log();
  const std::string second =
      "timeout 10 " + std::string(TELLTALE_COLLECTOR_BINARY) + " --listen 127.0.0.1:0 --data-dir " + dir_ + " 2>&1";
  const auto [refused, why] = run_command(second);
  EXPECT_EQ(refused, 1) << why;
  EXPECT_THAT(why, HasSubstr("error data directory " + dir_ + " is in use by another telltale-collector (pid " +
                             std::to_string(first->pid()) + " on 127.0.0.1:" + std::to_string(first->port()) +
                             "); run one collector per data directory\n"));
  EXPECT_EQ(http_request(first->port(), "POST", "/v1/batch", kSdkHeaders, sdk_batch(1)).status, 200);
  first->signal(SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(first->wait_exit(10s)));
  auto next = collector();
  ASSERT_TRUE(next->start()) << next->log();
  EXPECT_EQ(http_request(next->port(), "GET", "/readyz").status, 200);
}

// A dashboard's alert stream waits up to 15 s for news; a stop ends it at
// once (the browser reconnects) rather than waiting out the 10 s given to
// requests in flight. Its answer is written after the listener closed, by
// another thread, as a batch's is when its commit comes during a stop: the
// I/O threads must still be there to write it.
TEST_F(CollectorE2E, SigtermEndsOpenAlertStreamsAtOnce) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  std::atomic<int> stream_status{0};
  std::thread dashboard([&] {
    stream_status = http_request(c->port(), "GET", "/v1/alerts/stream", {{"Accept", "text/event-stream"}}).status;
  });
  std::this_thread::sleep_for(300ms);  // the stream is waiting for news
  c->signal(SIGTERM);
  const int status = c->wait_exit(5s);
  dashboard.join();
  ASSERT_TRUE(WIFEXITED(status)) << c->log();
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(stream_status, 200);
  EXPECT_THAT(c->log(), HasSubstr("finishing 1 in-flight requests"));
  EXPECT_THAT(c->log(), HasSubstr("stopped cleanly"));
}

// Out of file descriptors (more connections than the open-files limit):
// the collector neither spins on the failing accept nor floods its log, and
// takes connections again as soon as some close.
TEST_F(CollectorE2E, OutOfFileDescriptorsItWaitsAndThenAcceptsAgain) {
  auto c = collector();
  ASSERT_TRUE(c->start(0, /*open_files_limit=*/64)) << c->log();
  namespace net = boost::asio;
  net::io_context ioc;
  std::vector<std::unique_ptr<net::ip::tcp::socket>> idle;
  for (int i = 0; i < 80; ++i) {
    auto s = std::make_unique<net::ip::tcp::socket>(ioc);
    s->connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), c->port()));
    idle.push_back(std::move(s));
  }
  // Its CPU time over a second while it cannot accept: not a busy loop.
  auto cpu_ticks = [&] {
    std::istringstream stat(testing::read_text_file("/proc/" + std::to_string(c->pid()) + "/stat"));
    std::string field;
    long ticks = 0;
    for (int i = 1; i <= 15 && stat >> field; ++i)
      if (i == 14 || i == 15) ticks += std::stol(field);  // utime, stime
    return ticks;
  };
  std::this_thread::sleep_for(300ms);
  const long before = cpu_ticks();
  std::this_thread::sleep_for(1s);
  EXPECT_LT(cpu_ticks() - before, sysconf(_SC_CLK_TCK) / 4) << "more than a quarter of a core while waiting";
  idle.clear();
  HttpResult health;
  for (int i = 0; i < 50 && health.status != 200; ++i) {
    if (i) std::this_thread::sleep_for(100ms);
    health = http_request(c->port(), "GET", "/healthz");
  }
  EXPECT_EQ(health.status, 200) << c->log();
  const std::string log = c->log();
  size_t warnings = 0;
  for (size_t at = log.find("cannot accept connections"); at != std::string::npos;
       at = log.find("cannot accept connections", at + 1))
    ++warnings;
  EXPECT_EQ(warnings, 1u) << log;
  EXPECT_THAT(http_request(c->port(), "GET", "/metrics").body,
              ::testing::ContainsRegex("telltale_accept_errors_total [1-9]"));
}

TEST_F(CollectorE2E, StorageFailureAnswers503AndRecoversByItself) {
  auto c = collector();
  ASSERT_TRUE(c->start(/*file_size_limit=*/512 * 1024)) << c->log();
  int status = 200;
  for (uint64_t n = 1; n < 2000 && status == 200; ++n)
    status = http_request(c->port(), "POST", "/v1/batch", kSdkHeaders, sdk_batch(n, 400)).status;
  ASSERT_EQ(status, 503);
  HttpResult not_ready = http_request(c->port(), "GET", "/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_THAT(not_ready.body, HasSubstr("\"error\":\"not_ready\""));
  EXPECT_THAT(not_ready.body, HasSubstr("storage is failing: the last write to "));
  EXPECT_EQ(http_request(c->port(), "GET", "/healthz").status, 200);
  c->raise_file_size_limit();  // the disk has room again
  bool ready = false;
  for (int i = 0; i < 50 && !ready; ++i) {
    ready = http_request(c->port(), "GET", "/readyz").status == 200;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(ready) << c->log();
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/batch", kSdkHeaders, sdk_batch(99999)).status, 200);
}

TEST_F(CollectorE2E, CheckConfigReportsProblemsWithLineNumbers) {
  std::ofstream(dir_ + ".toml") << "listen = \"127.0.0.1:7070\"\nlisten_port = 9\n";
  auto [status, out] = run_command(std::string(TELLTALE_COLLECTOR_BINARY) + " --check-config --config " + dir_ + ".toml");
  EXPECT_NE(status, 0);
  EXPECT_THAT(out, HasSubstr(".toml:2:"));
  EXPECT_THAT(out, HasSubstr("unknown key 'listen_port'"));
  // A likely typo is a warning: the config is valid, and says what looks wrong.
  std::ofstream(dir_ + ".toml") << "[pql]\nreps = [{name = \"Mei\"}]\nterritories = [{region = \"apac\", owner = \"Mie\"}]\n";
  auto [valid, warned] =
      run_command(std::string(TELLTALE_COLLECTOR_BINARY) + " --check-config --config " + dir_ + ".toml");
  EXPECT_EQ(valid, 0) << warned;
  EXPECT_THAT(warned, HasSubstr("warning: pql.territories: a territory names \"Mie\", who is not one of the reps (Mei)"));
  EXPECT_THAT(warned, HasSubstr("configuration is valid"));
}

// An operator checks the webhooks before a PQL needs them: each gets a
// test message, and the tool says which took it, what each will get, and
// exits 3 when one did not.
TEST_F(CollectorE2E, TestWebhooksSendsEachATestMessageAndSaysWhichTookIt) {
  testing::TestCollector slack;
  slack.set_script([](const testing::RequestInfo&) { return testing::reply(200); });
  testing::TestSmtpServer smtp;
  std::ofstream(dir_ + ".toml") << "[email]\nsmtp = \"" << smtp.url() << "\"\nfrom = \"pql@example.com\"\n"
                                << "require_tls = false\n[pql]\nwebhooks = [\n  {name = \"sales\", url = \""
                                << slack.endpoint()
                                << "/services/T0/B0/x\", format = \"slack\", events = [\"created\"]},\n"
                                << "  {url = \"mailto:dana@example.com\", digest = \"weekdays 08:30\"},\n"
                                << "  {url = \"http://127.0.0.1:1/hooks/crm\"},\n]\n";
  auto [status, out] =
      run_command(std::string(TELLTALE_COLLECTOR_BINARY) + " --test-webhooks --config " + dir_ + ".toml");
  EXPECT_EQ(status, 3) << out;
  EXPECT_THAT(out, HasSubstr("sales (slack): took the test message\n  it gets new PQLs of sales-assist and sales-led "
                             "alerts\n"));
  EXPECT_THAT(out, HasSubstr("mailto:dana@example.com (email): took the test message\n  it gets a digest of "
                             "sales-assist and sales-led alerts at 08:30 UTC on weekdays\n"));
  EXPECT_THAT(out, HasSubstr("http://127.0.0.1:1/… (generic): FAILED: connect to 127.0.0.1:1: Connection refused\n"));
  ASSERT_EQ(slack.requests().size(), 1u);
  EXPECT_EQ(slack.requests()[0].headers.at("x-telltale-event"), "test");
  EXPECT_THAT(slack.requests()[0].body, HasSubstr("Telltale test message"));
  ASSERT_EQ(smtp.received().size(), 1u);
  EXPECT_EQ(testing::mail_header(smtp.received()[0].data, "Subject"), "Telltale test message");
}

TEST_F(CollectorE2E, RefusesAnOpenListenerWithoutWriteKeys) {
  auto [status, out] = run_command(std::string(TELLTALE_COLLECTOR_BINARY) + " --listen 0.0.0.0:0 --data-dir " + dir_);
  EXPECT_NE(status, 0);
  EXPECT_THAT(out, HasSubstr("--insecure"));
}

TEST_F(CollectorE2E, TheTelltaleToolReportsStatusAndTheLog) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  ASSERT_EQ(http_request(c->port(), "POST", "/v1/batch", kSdkHeaders, sdk_batch(1)).status, 200);
  auto run = [](const std::string& args) { return run_command(std::string(TELLTALE_CLI_BINARY) + " " + args).second; };
  const std::string told = run("status --url http://127.0.0.1:" + std::to_string(c->port()));
  EXPECT_THAT(told, HasSubstr(std::string(" (telltale-collector ") + TELLTALE_VERSION + "): alive, ready\n"));
  EXPECT_THAT(told, ::testing::ContainsRegex("\n  telltale_engine_lag_frames +[01]\n"));  // 1: not applied yet
  EXPECT_EQ(run("--version"), std::string("telltale ") + TELLTALE_VERSION + "\n");
  EXPECT_EQ(run_command(std::string(TELLTALE_COLLECTOR_BINARY) + " --version").second,
            std::string("telltale-collector ") + TELLTALE_VERSION + "\n");
  EXPECT_THAT(c->log(), HasSubstr(std::string("info telltale-collector ") + TELLTALE_VERSION + "; memory allocator"));
  EXPECT_THAT(run("log stats --data-dir " + dir_), HasSubstr("events            5"));
  EXPECT_THAT(run("log tail --data-dir " + dir_ + " -n 1"), HasSubstr("Report Created"));
  const std::string url = " --url http://127.0.0.1:" + std::to_string(c->port());
  EXPECT_THAT(run("alerts --table" + url), HasSubstr("no alerts match"));
  auto [status, out] = run_command(std::string(TELLTALE_CLI_BINARY) + " alerts --route sales_led" + url);
  EXPECT_NE(status, 0);
  EXPECT_THAT(out, HasSubstr("sales_led not in {self-serve,sales-assist,sales-led}"));
}

TEST_F(CollectorE2E, AQualifyingAccountRaisesOneAlertWithinASecondAndARestartAddsNone) {
  std::ofstream(dir_ + ".toml") << "[pql]\nreps = [{name = \"Dana\", capacity = 1}]\n";
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  auto t = tracker_for(*c);
  t->group("acme", {{"name", "Acme"}, {"employees", 800}, {"domain", "acme.com"}});
  t->identify("ana", {{"email", "ana@acme.com"}, {"name", "Ana Lopez"}, {"title", "Head of Data"}});
  t->track("acme", "ana", "Report Created");
  ASSERT_TRUE(t->flush(5s));
  auto tipped_at = std::chrono::steady_clock::now();
  t->track("acme", "ana", "Pricing Page Viewed");  // 42 points x 1.5 (800 employees) = 63
  ASSERT_TRUE(t->flush(5s));

  auto alerts = [&] {
    auto r = http_request(c->port(), "GET", "/v1/alerts");
    EXPECT_EQ(r.status, 200);
    return boost::json::parse(r.body).at("alerts").as_array();
  };
  boost::json::array list;
  while (list.empty() && std::chrono::steady_clock::now() - tipped_at < 5s) {
    list = alerts();
    if (list.empty()) std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(list.size(), 1u);
  EXPECT_LT(std::chrono::steady_clock::now() - tipped_at, 1s);
  const auto& a = list[0].as_object();
  EXPECT_EQ(a.at("account_id"), "acme");
  EXPECT_EQ(a.at("account_name"), "Acme");
  EXPECT_EQ(a.at("route"), "sales-led");
  EXPECT_EQ(a.at("owner"), "Dana");
  EXPECT_EQ(a.at("priority"), "medium");
  EXPECT_EQ(a.at("score").to_number<double>(), 63);
  EXPECT_EQ(a.at("trigger").at("signal"), "pricing_page");
  EXPECT_EQ(a.at("contributions").as_array().size(), 2u);
  EXPECT_THAT(std::string(a.at("summary").as_string()), HasSubstr("Acme: 1 active user"));
  EXPECT_THAT(std::string(a.at("summary").as_string()), HasSubstr("Sales-led, medium, owner Dana"));

  auto account = http_request(c->port(), "GET", "/v1/accounts/acme");
  ASSERT_EQ(account.status, 200);
  auto explained = boost::json::parse(account.body).as_object();
  EXPECT_EQ(explained.at("qualified"), true);
  EXPECT_EQ(explained.at("fit_multiplier").to_number<double>(), 1.5);
  // Whom to write to, and when.
  ASSERT_EQ(explained.at("users").as_array().size(), 1u);
  const auto& ana = explained.at("users").at(0).as_object();
  EXPECT_EQ(ana.at("user_id"), "ana");
  EXPECT_EQ(ana.at("email"), "ana@acme.com");
  EXPECT_EQ(ana.at("name"), "Ana Lopez");
  EXPECT_EQ(ana.at("title"), "Head of Data");
  EXPECT_EQ(ana.at("active_days_14d"), 1);
  EXPECT_EQ(std::string(ana.at("last_active").as_string()),
            std::string(explained.at("last_event").as_string()).substr(0, 10));
  EXPECT_FALSE(explained.at("best_contact").as_string().empty());
  const std::string told =
      run_command(std::string(TELLTALE_CLI_BINARY) + " account acme --url http://127.0.0.1:" + std::to_string(c->port()))
          .second;
  EXPECT_THAT(told, HasSubstr("  person  Ana Lopez, Head of Data <ana@acme.com>: active 1 of 14 days, last "));
  EXPECT_THAT(told, HasSubstr("  reach out "));
  EXPECT_EQ(http_request(c->port(), "GET", "/v1/accounts/nobody").status, 404);
  EXPECT_EQ(http_request(c->port(), "GET", "/v1/alerts/" + std::to_string(a.at("id").as_int64())).status, 200);
  EXPECT_EQ(http_request(c->port(), "GET", "/v1/alerts?route=self-serve").body,
            "{\"alerts\":[],\"next\":null,\"feed_seq\":1}");
  const std::string id = std::to_string(a.at("id").as_int64());
  auto page = [&](const std::string& query) {
    auto r = http_request(c->port(), "GET", "/v1/alerts?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    return boost::json::parse(r.body).at("alerts").as_array().size();
  };
  EXPECT_EQ(page("route=sales-led&status=open&owner=Dana&limit=1&after=0"), 1u);
  EXPECT_EQ(page("priority=" + std::string(a.at("priority").as_string())), 1u);
  EXPECT_EQ(page(a.at("priority") == "high" ? "priority=medium" : "priority=high"), 0u);
  EXPECT_EQ(page("status=claimed"), 0u);
  EXPECT_EQ(page("after=" + id), 0u);
  EXPECT_EQ(page("limit=5000"), 1u);  // a page holds at most 1000
  EXPECT_EQ(page("order=newest"), 1u);
  EXPECT_EQ(page("order=newest&before=" + id), 0u);
  EXPECT_EQ(page("order=oldest&before=" + std::to_string(a.at("id").as_int64() + 1)), 1u);
  // A filter the feed doesn't know is refused, never read as "no alerts" or "all".
  expect_refused(*c, "/v1/alerts",
                 {{"route=sales_led", "route must be one of: self-serve, sales-assist, sales-led"},
                  {"status=opened",
                   "status must be one of: open, claimed, handed_back, opportunity, won, lost, closed"},
                  {"limit=0", "limit must be a whole number of at least 1"},
                  {"after=3x", "after must be a whole number of at least 0"},
                  {"before=0", "before must be a whole number of at least 1"},
                  {"order=latest", "order must be one of: oldest, newest"},
                  {"priority=low", "priority must be one of: high, medium"},
                  {"rout=sales-led", "unknown parameter \"rout\""}});

  // More activity updates the open alert; a restart replays and adds nothing.
  t->track("acme", "ana", "Content Shared");
  ASSERT_TRUE(t->flush(5s));
  t.reset();
  c->signal(SIGTERM);
  ASSERT_EQ(c->wait_exit(10s), 0);
  ASSERT_TRUE(c->start()) << c->log();
  // The clean stop left a snapshot: the restart restores it (on the engine's
  // thread, after the listener is up) instead of replaying the log.
  for (int i = 0; i < 100 && c->log().find("restored the snapshot at position") == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  EXPECT_THAT(c->log(), HasSubstr("restored the snapshot at position"));
  auto score = [&] {
    const auto list = alerts();
    return list.empty() ? -1.0 : list[0].at("score").to_number<double>();
  };
  for (int i = 0; i < 100 && score() != 93; ++i) std::this_thread::sleep_for(50ms);
  list = alerts();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("score").to_number<double>(), 93);  // + collaboration 20, x1.5
  EXPECT_EQ(list[0].at("priority"), "high");

  // The restored state goes on scoring.
  EXPECT_THAT(http_request(c->port(), "GET", "/metrics").body, HasSubstr("telltale_engine_bytes_per_user "));
  t = tracker_for(*c);
  t->track("acme", "ana", "Premium Feature Attempted");
  ASSERT_TRUE(t->flush(5s));
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (alerts()[0].at("score").to_number<double>() != 123 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(alerts()[0].at("score").to_number<double>(), 123);  // + premium attempt 20, x1.5
}

TEST_F(CollectorE2E, AfterACrashTheEngineResumesFromItsLastSnapshotAndTheLogTail) {
  std::ofstream(dir_ + ".toml") << "[engine]\nsnapshot_every_seconds = 1\n";
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  auto t = tracker_for(*c);
  auto alerts = [&] {
    return boost::json::parse(http_request(c->port(), "GET", "/v1/alerts").body).at("alerts").as_array();
  };
  auto wait_for = [&](auto done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
    return done();
  };
  // acme qualifies before the snapshot; globex gets halfway.
  t->group("acme", {{"name", "Acme"}, {"employees", 800}});
  t->track("acme", "ana", "Report Created");
  t->track("acme", "ana", "Pricing Page Viewed");
  t->track("globex", "gil", "Report Created");  // 30: not yet
  ASSERT_TRUE(t->flush(5s));
  ASSERT_TRUE(wait_for([&] { return alerts().size() == 1; }));
  const auto snapshotted = [&] {
    const std::string m = http_request(c->port(), "GET", "/metrics").body;
    return m.find("telltale_engine_snapshot_position 0\n") == std::string::npos &&
           m.find("telltale_engine_snapshot_position ") != std::string::npos;
  };
  ASSERT_TRUE(wait_for(snapshotted));
  // After the snapshot: more events, then a crash.
  t->track("acme", "ana", "Content Shared");
  t->track("globex", "gil", "Pricing Page Viewed");  // 42
  ASSERT_TRUE(t->flush(5s));
  t.reset();
  c->signal(SIGKILL);
  c->wait_exit(5s);

  ASSERT_TRUE(c->start()) << c->log();
  // The engine restores on its own thread, after the listener is up.
  EXPECT_TRUE(wait_for([&] { return c->log().find("restored the snapshot at position") != std::string::npos; }))
      << c->log();
  t = tracker_for(*c);
  t->track("globex", "gil", "User Invited");  // 57: globex qualifies only if the tail was replayed
  ASSERT_TRUE(t->flush(5s));
  ASSERT_TRUE(wait_for([&] { return alerts().size() == 2; })) << c->log();
  auto list = alerts();
  EXPECT_EQ(list[0].at("account_id"), "acme");  // not raised again
  EXPECT_EQ(list[1].at("account_id"), "globex");
  EXPECT_EQ(list[1].at("score").to_number<double>(), 57);
  EXPECT_EQ(list[1].at("trigger").at("signal"), "invited_teammate");
}

TEST_F(CollectorE2E, TheAlertStreamResumesWithoutGapsAndRepsWorkTheLifecycle) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  auto t = tracker_for(*c);
  auto qualify = [&](const std::string& account) {
    t->group(account, {{"name", account}, {"employees", 800}});
    t->track(account, "ana", "Report Created");
    t->track(account, "ana", "Pricing Page Viewed");
    ASSERT_TRUE(t->flush(5s));
  };
  qualify("acme");
  // The stream from the start of the feed: the creation, id 1.
  HttpResult first;
  for (int i = 0; i < 50 && first.body.find("event: created") == std::string::npos; ++i)
    first = http_request(c->port(), "GET", "/v1/alerts/stream?after=0");
  EXPECT_EQ(first.headers["content-type"], "text/event-stream");
  EXPECT_THAT(first.body, HasSubstr("id: 1\nevent: created\ndata: {"));
  EXPECT_THAT(first.body, HasSubstr("\"account_id\":\"acme\""));

  // A waiting client gets the next event as soon as it exists.
  HttpResult next;
  std::thread waiter([&] { next = http_request(c->port(), "GET", "/v1/alerts/stream", {{"Last-Event-ID", "1"}}); });
  std::this_thread::sleep_for(200ms);
  auto start = std::chrono::steady_clock::now();
  auto claimed = http_request(c->port(), "POST", "/v1/alerts/1/claim", {{"Content-Type", "application/json"}},
                              R"({"owner": "Dana"})");
  waiter.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  EXPECT_THAT(claimed.body, HasSubstr("\"status\":\"claimed\""));
  EXPECT_THAT(next.body, HasSubstr("id: 2\nevent: updated"));
  EXPECT_THAT(next.body, HasSubstr("claimed by Dana"));
  EXPECT_THAT(next.body, ::testing::Not(HasSubstr("id: 1\n")));  // no repeats

  const std::map<std::string, std::string> json = {{"Content-Type", "application/json"}};
  // `telltale alerts --follow` lists the alert, then prints what happens to it.
  // Another rep's follower, filtered by the stream itself, sees none of it.
  std::string followed, others;
  auto follow = [&](const std::string& args, std::string* out) {
    *out = run_command("timeout 4 " + std::string(TELLTALE_CLI_BINARY) + " alerts --follow --table" + args +
                       " --url http://127.0.0.1:" + std::to_string(c->port())).second;
  };
  std::thread follower(follow, "", &followed), other(follow, " --owner Ravi", &others);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/touch", json, R"({"channel": "email", "note": "intro"})").status, 200);
  follower.join();
  other.join();
  EXPECT_THAT(followed, HasSubstr("acme"));
  EXPECT_THAT(followed, HasSubstr("-> updated: touch by email"));
  EXPECT_EQ(others, "no alerts match yet; following\n");
  // A follower outlives a restart of the collector: it says it lost it, asks
  // again, and goes on from where the stream stood.
  std::string across;
  const std::string follow_across = "timeout 8 " + std::string(TELLTALE_CLI_BINARY) +
                                    " alerts --follow --table --url http://127.0.0.1:" + std::to_string(c->port()) +
                                    " 2>&1";  // the port read here: the restart below writes it
  std::thread restarted([&] { across = run_command(follow_across).second; });
  std::this_thread::sleep_for(1500ms);
  c->signal(SIGTERM);
  ASSERT_TRUE(WIFEXITED(c->wait_exit(10s))) << c->log();
  std::this_thread::sleep_for(1500ms);  // the follower finds no collector
  ASSERT_TRUE(c->start()) << c->log();
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/touch", json, R"({"channel": "call"})").status, 200);
  restarted.join();
  EXPECT_THAT(across, HasSubstr("telltale alerts: lost the collector (connect to 127.0.0.1:"));
  EXPECT_THAT(across, HasSubstr("telltale alerts: following again"));
  EXPECT_THAT(across, HasSubstr("-> updated: touch by call"));
  // A collector that cannot be reached is said so in words.
  const auto [unreachable, why] = run_command(std::string(TELLTALE_CLI_BINARY) + " alerts --url http://127.0.0.1:1");
  EXPECT_EQ(unreachable, 2);
  EXPECT_EQ(why, "telltale alerts: cannot reach the collector: connect to 127.0.0.1:1: Connection refused\n");
  // A step that can't be read is refused with why, and changes nothing.
  for (const auto& [path, body, why] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/v1/alerts/1/outcome", R"({"outcome": "maybe"})", "outcome must be opportunity, won or lost"},
           {"/v1/alerts/1/touch", "channel=call", "the body must be a JSON object (syntax error)"},
           {"/v1/alerts/1/touch", R"(["call"])", "the body must be a JSON object"},
           {"/v1/alerts/1/claim", R"({"owner": 5})", "\"owner\" must be a string"},
           {"/v1/alerts/1x/claim", R"({"owner": "Dana"})", "alert ids are whole numbers from 1"}}) {
    auto r = http_request(c->port(), "POST", path, json, body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(std::string(boost::json::parse(r.body).at("detail").as_string()), why) << body;
  }
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/outcome", json, R"({"outcome": "won"})").status, 200);
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/touch", json, R"({"channel": "call"})").status, 409);
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/alerts/99/claim", json, R"({"owner": "Dana"})").status, 404);
  EXPECT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/dance", json, "{}").status, 404);
  auto won = http_request(c->port(), "GET", "/v1/alerts/1");
  EXPECT_THAT(won.body, HasSubstr("\"status\":\"won\""));
  EXPECT_THAT(won.body, HasSubstr("\"channel\":\"email\""));
  const std::string won_owner(boost::json::parse(won.body).at("owner").as_string());
  auto stats = boost::json::parse(http_request(c->port(), "GET", "/v1/stats").body).as_object();
  EXPECT_EQ(stats.at("pql_volume").at("sales-led").at("medium").to_number<int64_t>(), 1);
  EXPECT_EQ(stats.at("conversion").at("won").to_number<int64_t>(), 1);
  EXPECT_EQ(stats.at("conversion").at("pql_to_won").to_number<double>(), 1.0);
  EXPECT_EQ(stats.at("response").at("touched").to_number<int64_t>(), 1);
  auto metrics = http_request(c->port(), "GET", "/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("telltale_pls_pql_total{route=\"sales-led\",priority=\"medium\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("telltale_pls_pql_to_won 1\n"));
  // The figures of a period, a rep or a route; a query they cannot read is refused with why.
  auto figures = [&](const std::string& query) {
    return boost::json::parse(http_request(c->port(), "GET", "/v1/stats?" + query).body).as_object();
  };
  EXPECT_EQ(figures("since=1h&route=sales-led").at("sla").at("alerts").to_number<int64_t>(), 1);
  EXPECT_EQ(figures("until=1h").at("sla").at("alerts").to_number<int64_t>(), 0);
  EXPECT_EQ(figures("since=2020-01-01&owner=" + won_owner).at("by_owner").at(0).at("owner").as_string(), won_owner);
  expect_refused(*c, "/v1/stats",
                 {{"since=yesterday", "since must be an ISO 8601 time (2026-11-01T09:00:00Z), a date (2026-11-01) or a "
                                      "span back from now (30d, 12h, 90m)"},
                  {"since=1h&until=2h", "since must be before until"},
                  {"rep=Dana", "unknown parameter \"rep\" (the figures take since, until, owner and route)"}});

  // After a restart the closed alert stays closed and new activity raises nothing new.
  c->signal(SIGTERM);
  ASSERT_EQ(c->wait_exit(10s), 0);
  ASSERT_TRUE(c->start()) << c->log();
  t = tracker_for(*c);
  t->track("acme", "ana", "Content Shared");
  ASSERT_TRUE(t->flush(5s));
  std::this_thread::sleep_for(500ms);
  auto all = boost::json::parse(http_request(c->port(), "GET", "/v1/alerts").body).at("alerts").as_array();
  ASSERT_EQ(all.size(), 1u);  // within the cooldown: no new alert
  EXPECT_EQ(all[0].at("status"), "won");
}

TEST_F(CollectorE2E, WebhooksDeliverSignedAlertsInOrderAndRetry) {
  testing::TestCollector generic, slack;
  std::atomic<int> generic_calls{0};
  generic.set_script([&](const testing::RequestInfo&) {
    return testing::reply(++generic_calls == 1 ? 500 : 200);  // the first attempt fails
  });
  // Slack rate-limits the first message: it is sent again after the Retry-After.
  std::vector<std::chrono::steady_clock::time_point> slack_times;
  std::mutex slack_mutex;
  slack.set_script([&](const testing::RequestInfo&) {
    std::lock_guard<std::mutex> lock(slack_mutex);
    slack_times.push_back(std::chrono::steady_clock::now());
    return slack_times.size() == 1 ? testing::reply(429, "2") : testing::reply(200);
  });
  // A third, for sales-assist alerts only, gets none of these (acme is sales-led).
  testing::TestCollector assist;
  std::ofstream(dir_ + ".toml") << "[pql]\nwebhooks = [\n  {url = \"" << generic.endpoint()
                                << "/hooks/pql\", secret = \"s3cret\"},\n  {url = \"" << slack.endpoint()
                                << "/services/T0/B0/x\", format = \"slack\", events = [\"created\"]},\n  {url = \""
                                << assist.endpoint() << "/hooks/assist\", routes = [\"sales-assist\"]},\n]\n";
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  auto t = tracker_for(*c);
  t->group("solo", {{"employees", 10}});  // a self-serve PQL: never sent
  for (const char* name : {"Report Created", "Pricing Page Viewed", "User Invited"}) t->track("solo", "sam", name);
  t->group("acme", {{"name", "Acme"}, {"employees", 800}});
  t->track("acme", "ana", "Report Created");
  t->track("acme", "ana", "Pricing Page Viewed");
  ASSERT_TRUE(t->flush(5s));

  auto wait_for = [](testing::TestCollector& server, size_t n) {
    for (int i = 0; i < 100 && server.requests().size() < n; ++i) std::this_thread::sleep_for(50ms);
    return server.requests();
  };
  auto got = wait_for(generic, 2);
  ASSERT_GE(got.size(), 2u) << c->log();
  EXPECT_EQ(got[0].body, got[1].body);  // the failed delivery is retried, not skipped
  const auto& r = got[1];
  EXPECT_EQ(r.target, "/hooks/pql");
  EXPECT_EQ(r.headers.at("x-telltale-event"), "created");
  auto payload = boost::json::parse(r.body).as_object();
  EXPECT_EQ(payload.at("alert").at("account_id"), "acme");  // not "solo"
  // The signature verifies with the shared secret.
  std::string sig = r.headers.at("x-telltale-signature");
  int64_t ts = std::stoll(sig.substr(2, sig.find(',') - 2));
  EXPECT_EQ(sig, collector::webhook_signature("s3cret", ts, r.body));
  EXPECT_NE(sig, collector::webhook_signature("wrong", ts, r.body));
  EXPECT_LT(std::abs(ts - std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count()), 60);

  auto slack_got = wait_for(slack, 2);
  ASSERT_EQ(slack_got.size(), 2u);
  EXPECT_EQ(slack_got[0].body, slack_got[1].body);
  {
    std::lock_guard<std::mutex> lock(slack_mutex);
    EXPECT_GE(slack_times[1] - slack_times[0], 1900ms);  // Retry-After: 2
  }
  auto message = boost::json::parse(slack_got[1].body).as_object();
  EXPECT_THAT(std::string(message.at("text").as_string()), HasSubstr("New PQL: Acme (63, medium): Acme: 1 active user"));
  ASSERT_EQ(message.at("blocks").as_array().size(), 5u);  // title, the company, summary, contacts, context
  EXPECT_EQ(message.at("blocks").at(1).at("elements").at(0).at("text"), "800 employees");
  EXPECT_EQ(message.at("blocks").at(3).at("text").at("text"), "Contacts: ana");
  EXPECT_EQ(payload.at("alert").at("employees"), 800);  // the generic hook's alert says so too
  EXPECT_EQ(payload.at("alert").at("domain"), "");
  EXPECT_EQ(slack_got[1].headers.count("x-telltale-signature"), 0u);  // no secret configured

  // A claim is an update: the generic hook gets it, the Slack channel (new alerts only) does not.
  const std::string id = std::to_string(payload.at("alert").at("id").as_int64());
  ASSERT_EQ(http_request(c->port(), "POST", "/v1/alerts/" + id + "/claim", {{"Content-Type", "application/json"}},
                         R"({"owner": "Dana"})").status, 200);
  got = wait_for(generic, 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].headers.at("x-telltale-event"), "updated");
  EXPECT_THAT(got[2].body, HasSubstr("claimed by Dana"));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(slack.requests().size(), 2u);
  EXPECT_TRUE(assist.requests().empty());
}

// An operator asked why a channel heard nothing sees, with the tool, which
// webhook fails and why; a reload keeps the figures.
TEST_F(CollectorE2E, TheToolSaysWhichWebhookFailsAndWhy) {
  testing::TestCollector slack, crm;
  slack.set_script([](const testing::RequestInfo&) { return testing::reply(200); });
  crm.set_script([](const testing::RequestInfo&) { return testing::reply(404); });
  const std::string token = "tok_for_the_ops_team_01";
  const std::string config = "api_tokens = [\"" + token + "\"]\n[pql]\nwebhooks = [\n  {name = \"sales\", url = \"" +
                             slack.endpoint() + "/services/T0/B0/secret\", format = \"slack\"},\n  {url = \"" +
                             crm.endpoint() + "/hooks/crm\"},\n]\n";
  std::ofstream(dir_ + ".toml") << config;
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  raise_the_acme_alert(*c, {{"Authorization", "Bearer " + token}});
  for (int i = 0; i < 100 && (slack.requests().empty() || crm.requests().size() < 2); ++i)
    std::this_thread::sleep_for(50ms);
  const std::string tool = std::string(TELLTALE_CLI_BINARY) + " webhooks --url http://127.0.0.1:" +
                           std::to_string(c->port()) + " --token " + token;
  const auto [failing, lines] = run_command(tool + " --table");
  EXPECT_EQ(failing, 3) << lines;
  EXPECT_THAT(lines, HasSubstr("sales (" + slack.endpoint() + "/…, slack)\n  delivering\n  1 delivered, 0 failed "
                               "since the start; last delivery just now; 0 feed entries behind\n"));
  EXPECT_THAT(lines, HasSubstr(crm.endpoint() + "/… (generic)\n  FAILING since just now, "));
  EXPECT_THAT(lines, HasSubstr(" attempts in a row: status 404: {\"error\":\"scripted\",\"detail\":\"test collector\"}; "
                               "next try "));
  EXPECT_THAT(lines, HasSubstr("0 delivered, "));
  EXPECT_THAT(lines, Not(HasSubstr("secret")));
  EXPECT_EQ(http_request(c->port(), "GET", "/v1/webhooks").status, 401);  // names and errors: for token holders

  // The crm webhook goes; sales, kept, keeps its figures.
  std::ofstream(dir_ + ".toml") << "api_tokens = [\"" << token << "\"]\n[pql]\nwebhooks = [{name = \"sales\", url = \""
                                << slack.endpoint() << "/services/T0/B0/secret\", format = \"slack\"}]\n";
  c->signal(SIGHUP);
  ASSERT_TRUE(log_shows(*c, "1 webhook,")) << c->log();
  const auto [healthy, json] = run_command(tool + " --json");
  EXPECT_EQ(healthy, 0) << json;
  const auto body = boost::json::parse(json).as_object();
  ASSERT_EQ(body.at("webhooks").as_array().size(), 1u);
  EXPECT_EQ(body.at("webhooks").at(0).at("delivered"), 1);
  EXPECT_EQ(body.at("failing"), 0);
}

// A collector in a network that reaches the Internet only through a proxy
// (HTTPS_PROXY in its environment, as a systemd drop-in sets it) posts its
// webhooks through a CONNECT tunnel, the receiver's certificate checked end
// to end (SSL_CERT_FILE stands in for the system's trust store).
TEST_F(CollectorE2E, WebhooksGoThroughTheProxyTheEnvironmentNames) {
  const auto [cert, key] = testing::make_test_certificate(dir_ + "-hooks", "hooks.example.test");
  testing::TestCollector receiver(0, cert, key);
  receiver.set_script([](const testing::RequestInfo&) { return testing::reply(200); });
  testing::TestProxy proxy(receiver.port(), "Basic b3BzOnMzY3JldA==");  // "ops:s3cret"
  std::ofstream(dir_ + ".toml") << "[pql]\nwebhooks = [{url = \"https://hooks.example.test/services/T0/B0\", "
                                   "format = \"slack\"}]\n";
  setenv("HTTPS_PROXY", ("http://ops:s3cret@" + proxy.url().substr(7)).c_str(), 1);
  setenv("SSL_CERT_FILE", cert.c_str(), 1);
  auto c = collector({"--config", dir_ + ".toml"});
  const bool started = c->start();
  unsetenv("HTTPS_PROXY");
  unsetenv("SSL_CERT_FILE");
  ASSERT_TRUE(started) << c->log();
  EXPECT_TRUE(log_shows(*c, "webhook https://hooks.example.test/…: through the proxy " +
                                proxy.url().substr(7) + " (HTTPS_PROXY)\n")) << c->log();
  raise_the_acme_alert(*c);
  for (int i = 0; i < 100 && receiver.requests().empty(); ++i) std::this_thread::sleep_for(50ms);
  const auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u) << c->log();
  EXPECT_EQ(got[0].target, "/services/T0/B0");
  EXPECT_EQ(got[0].headers.at("x-telltale-event"), "created");
  EXPECT_THAT(got[0].body, HasSubstr("New PQL: Acme"));
  const auto asked = proxy.asked();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].method, "CONNECT");
  EXPECT_EQ(asked[0].target, "hooks.example.test:443");
  EXPECT_THAT(c->log(), Not(HasSubstr("s3cret")));
  EXPECT_THAT(c->log(), Not(HasSubstr("T0/B0")));  // a chat webhook's path is its secret
  for (const std::string& file : {cert, key}) std::filesystem::remove(file);
}

// A rep who works from their inbox hears of a new PQL by mail, through
// the company's SMTP server: STARTTLS with its certificate checked, a
// login, the password never logged; and a digest previews as that mail.
TEST_F(CollectorE2E, ARepsInboxHearsOfANewPqlByMail) {
  const auto [cert, key] = testing::make_test_certificate(dir_ + "-smtp", "127.0.0.1");
  testing::TestSmtpServer smtp({cert, key, "pql@example.com", "m4il-s3cret"});
  std::ofstream(dir_ + ".toml") << "dashboard_url = \"https://telltale.example.com\"\n"
                                << "[email]\nsmtp = \"" << smtp.url() << "\"\nfrom = \"Telltale <pql@example.com>\"\n"
                                << "username = \"pql@example.com\"\npassword = \"m4il-s3cret\"\nca_file = \"" << cert
                                << "\"\n[pql]\nwebhooks = [{url = \"mailto:dana@example.com\", "
                                << "events = [\"created\"]}]\n";
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  EXPECT_TRUE(log_shows(*c, "webhook mailto:dana@example.com: by mail through 127.0.0.1:" +
                                std::to_string(smtp.port()) + "\n")) << c->log();
  raise_the_acme_alert(*c);
  for (int i = 0; i < 100 && smtp.received().empty(); ++i) std::this_thread::sleep_for(50ms);
  const auto got = smtp.received();
  ASSERT_EQ(got.size(), 1u) << c->log();
  EXPECT_TRUE(got[0].tls);
  EXPECT_EQ(got[0].user, "pql@example.com");
  EXPECT_THAT(got[0].to, ElementsAre("dana@example.com"));
  EXPECT_THAT(testing::mail_header(got[0].data, "Subject"), HasSubstr("New PQL: Acme ("));
  EXPECT_EQ(testing::mail_header(got[0].data, "X-Telltale-Event"), "created");
  EXPECT_THAT(testing::mail_body(got[0].data), HasSubstr("800 employees\r\n\r\nAcme: ")) << got[0].data;
  EXPECT_THAT(testing::mail_body(got[0].data), HasSubstr("Open in Telltale: https://telltale.example.com/#alert/"));
  EXPECT_THAT(c->log(), Not(HasSubstr("m4il-s3cret")));

  const auto preview = http_request(c->port(), "GET", "/v1/digest?format=email&since=7d");
  EXPECT_EQ(preview.status, 200);
  EXPECT_TRUE(preview.body.starts_with("Subject: ")) << preview.body;
  EXPECT_THAT(preview.body, HasSubstr("\r\nContent-Type: text/plain; charset=utf-8\r\n"));
  EXPECT_THAT(preview.body, HasSubstr("Waiting for a first touch: 1\r\n  - #"));
  EXPECT_THAT(preview.body, HasSubstr("https://telltale.example.com/#alert/")) << preview.body;  // as a digest links
  for (const std::string& file : {cert, key}) std::filesystem::remove(file);
}

TEST_F(CollectorE2E, TheToolListsTheLatestAlertsOldestFirst) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  auto t = tracker_for(*c);
  for (const char* account : {"acme", "globex", "initech"}) {
    t->group(account, {{"employees", 800}});
    t->track(account, std::string(account) + "-ana", "Report Created");
    t->track(account, std::string(account) + "-ana", "Pricing Page Viewed");  // 63: a PQL
  }
  ASSERT_TRUE(t->flush(5s));
  for (int i = 0; i < 100 && http_request(c->port(), "GET", "/v1/alerts").body.find("initech") == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  const std::string tool = std::string(TELLTALE_CLI_BINARY) + " alerts --json --url http://127.0.0.1:" + std::to_string(c->port());
  auto accounts = [&](const std::string& args) {
    std::vector<std::string> out;
    std::istringstream lines(run_command(tool + args).second);
    for (std::string line; std::getline(lines, line);)
      out.push_back(std::string(boost::json::parse(line).at("account_id").as_string()));
    return out;
  };
  EXPECT_EQ(accounts(""), (std::vector<std::string>{"acme", "globex", "initech"}));
  EXPECT_EQ(accounts(" --last 2"), (std::vector<std::string>{"globex", "initech"}));
  EXPECT_EQ(accounts(" --last 5000"), (std::vector<std::string>{"acme", "globex", "initech"}));
  auto [status, out] = run_command(tool + " --last 0");
  EXPECT_NE(status, 0);
  EXPECT_THAT(out, HasSubstr("--last"));
}

// The accounts by score, for a rep who prospects or RevOps tuning the
// threshold: the qualified ones with their alert, those warming up closest
// first, of a route, above a score; in the tool as a table and as CSV.
TEST_F(CollectorE2E, TheAccountsRouteListsAccountsByScoreQualifiedOrWarmingUp) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  auto t = tracker_for(*c);
  for (const char* account : {"acme", "globex", "initech"}) t->group(account, {{"employees", 800}});
  t->track("acme", "ana", "Report Created");
  t->track("acme", "ana", "Pricing Page Viewed");  // 63: a PQL
  t->track("globex", "gus", "Report Created");     // 45: warming up
  ASSERT_TRUE(t->flush(5s));
  auto list = [&](const std::string& query) {
    HttpResult r = http_request(c->port(), "GET", "/v1/accounts" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    return boost::json::parse(r.body).as_object();
  };
  auto ids = [](const boost::json::object& out) {
    std::vector<std::string> ids;
    for (const auto& a : out.at("accounts").as_array()) ids.push_back(std::string(a.at("account_id").as_string()));
    return ids;
  };
  for (int i = 0; i < 100 && ids(list("?min_score=1")).size() < 2; ++i) std::this_thread::sleep_for(50ms);

  const boost::json::object all = list("");
  EXPECT_EQ(ids(all), (std::vector<std::string>{"acme", "globex", "initech"}));
  EXPECT_EQ(all.at("matching"), 3);
  EXPECT_EQ(all.at("threshold").to_number<double>(), 50);
  const auto& acme = all.at("accounts").at(0).as_object();
  EXPECT_EQ(acme.at("score").to_number<double>(), 63);
  EXPECT_EQ(acme.at("qualified"), true);
  EXPECT_EQ(acme.at("priority"), "medium");
  EXPECT_EQ(acme.at("route"), "sales-led");
  EXPECT_EQ(acme.at("user_count"), 1);
  EXPECT_EQ(acme.at("signals"), (boost::json::array{"core_value_moment", "pricing_page"}));
  EXPECT_EQ(acme.at("alert").at("id"), 1);
  EXPECT_EQ(acme.at("alert").at("status"), "open");
  const auto& globex = all.at("accounts").at(1).as_object();
  EXPECT_EQ(globex.at("score").to_number<double>(), 45);
  EXPECT_EQ(globex.at("qualified"), false);
  EXPECT_TRUE(globex.at("priority").is_null());
  EXPECT_TRUE(globex.at("alert").is_null());
  EXPECT_EQ(globex.at("points_to_threshold").to_number<double>(), 5);
  EXPECT_EQ(globex.at("tipping_signals").as_array().size(), 12u);  // any it lacks: the least, active_5_days, adds 12
  EXPECT_EQ(globex.at("tipping_signals").at(0), "contract_requested");
  EXPECT_EQ(acme.at("points_to_threshold"), 0);
  EXPECT_EQ(acme.at("tipping_signals"), boost::json::array{});

  EXPECT_EQ(ids(list("?qualified=true")), (std::vector<std::string>{"acme"}));
  EXPECT_EQ(ids(list("?qualified=false")), (std::vector<std::string>{"globex", "initech"}));
  EXPECT_EQ(ids(list("?qualified=false&min_score=10&route=sales-led")), (std::vector<std::string>{"globex"}));
  EXPECT_EQ(ids(list("?route=sales-assist")), std::vector<std::string>{});
  EXPECT_EQ(ids(list("?route=sales-assist,sales-led")), (std::vector<std::string>{"acme", "globex", "initech"}));
  EXPECT_EQ(ids(list("?q=GLOB")), (std::vector<std::string>{"globex"}));  // a part of its id or name, any case
  EXPECT_EQ(ids(list("?q=ex&qualified=true")), std::vector<std::string>{});
  const boost::json::object first = list("?limit=1");
  EXPECT_EQ(ids(first), (std::vector<std::string>{"acme"}));
  EXPECT_EQ(first.at("matching"), 3);
  for (const auto& [query, why] : std::vector<std::pair<std::string, std::string>>{
           {"?qualified=yes", "qualified must be one of: true, false"},
           {"?route=enterprise", "route must be one of: self-serve, sales-assist, sales-led"},
           {"?route=sales-led,", "route must be one of: self-serve, sales-assist, sales-led, or several separated by"},
           {"?min_score=-1", "min_score must be a number of at least 0"},
           {"?min_score=ten", "min_score must be a number of at least 0"},
           {"?limit=0", "limit must be a whole number of at least 1"},
           {"?q=" + std::string(201, 'x'), "q must be at most 200 characters"},
           {"?sort=score", "(the accounts take q, qualified, route, min_score and limit)"}}) {
    HttpResult r = http_request(c->port(), "GET", "/v1/accounts" + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_THAT(r.body, HasSubstr(why)) << query;
  }

  const std::string tool =
      std::string(TELLTALE_CLI_BINARY) + " accounts --url http://127.0.0.1:" + std::to_string(c->port());
  auto [status, table] = run_command(tool + " --warming --table");
  EXPECT_EQ(status, 0);
  EXPECT_THAT(table, HasSubstr("2 accounts warming up (below the threshold of 50), the closest first\n"));
  EXPECT_THAT(table, HasSubstr("  globex               "));
  EXPECT_THAT(table, ::testing::Not(HasSubstr("acme")));
  EXPECT_THAT(run_command(tool + " --qualified --table").second, HasSubstr("#1 open"));
  EXPECT_THAT(run_command(tool + " --search Glob --table").second, HasSubstr("1 account, highest score first"));
  EXPECT_THAT(run_command(tool + " --warming --route sales-assist,sales-led --table").second,
              HasSubstr("2 accounts warming up"));
  EXPECT_EQ(boost::json::parse(run_command(tool + " --limit 1").second).at("matching"), 3) << "JSON when piped";
  const std::string csv = run_command(tool + " --csv").second;
  EXPECT_THAT(csv, HasSubstr("account_id,account_name,plan,score,qualified,priority,route,user_count,active_users_14d,"
                             "signals,last_event,alert_id,alert_status,alert_owner,points_to_threshold,"
                             "tipping_signals\n"));
  EXPECT_THAT(csv, HasSubstr("\nacme,,,63,true,medium,sales-led,1,1,core_value_moment; pricing_page,"));
  EXPECT_THAT(csv, HasSubstr(",1,open,,0,\nglobex,"));
  auto [refused, why] = run_command(tool + " --qualified --warming");
  EXPECT_NE(refused, 0);
  EXPECT_THAT(why, HasSubstr("--qualified excludes --warming"));

  // What would tip globex, at 45: 5 points short; any missing signal of 4
  // points or more (x1.5) would do, each with what its rule asks.
  const auto story = boost::json::parse(http_request(c->port(), "GET", "/v1/accounts/globex").body).as_object();
  EXPECT_EQ(story.at("points_to_threshold").to_number<double>(), 5);
  const auto& missing = story.at("missing_signals").as_array();
  ASSERT_EQ(missing.size(), 12u);
  EXPECT_EQ(boost::json::serialize(missing.at(0)), R"({"signal":"contract_requested","points":30,"score_gain":45,)"
                                      R"("takes":"one Contract Requested event","qualifies":true})");
  const std::string told = run_command(std::string(TELLTALE_CLI_BINARY) + " account globex --url http://127.0.0.1:" +
                                       std::to_string(c->port()))
                               .second;
  EXPECT_THAT(told, HasSubstr("\n  to qualify: 5 more score points\n"));
  EXPECT_THAT(told,
              HasSubstr("\n  open  +12   pricing_page         one Pricing Page Viewed event [score +18, enough]\n"));
  const auto pql = boost::json::parse(http_request(c->port(), "GET", "/v1/accounts/acme").body).as_object();
  EXPECT_EQ(pql.at("points_to_threshold"), 0);
  EXPECT_EQ(pql.at("missing_signals").at(0).at("qualifies"), false);
}

// A client may take only some of the stream: an owner's (as they were at
// the entry, or the one it took them from) or a route's alerts, some kinds of entry. The entries it
// skips still move the client's Last-Event-ID on, so it never asks for them again.
TEST_F(CollectorE2E, TheStreamSendsOnlyTheEntriesItsFiltersTake) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  raise_the_acme_alert(*c);  // entry 1: created, sales-led
  const std::map<std::string, std::string> json = {{"Content-Type", "application/json"}};
  ASSERT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/claim", json, R"({"owner": "Dana"})").status, 200);  // 2
  ASSERT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/touch", json, R"({"channel": "call"})").status, 200);  // 3
  auto stream = [&](const std::string& query) {
    return http_request(c->port(), "GET", "/v1/alerts/stream?after=0&" + query).body;
  };
  const std::string created = stream("kind=created");
  EXPECT_THAT(created, HasSubstr("id: 1\nevent: created\n"));
  EXPECT_THAT(created, ::testing::Not(HasSubstr("event: updated")));
  EXPECT_THAT(created, ::testing::EndsWith("\n\nid: 3\n\n"));  // past the two it skipped
  const std::string dana = stream("owner=Dana&kind=updated,closed");
  EXPECT_THAT(dana, HasSubstr("id: 2\nevent: updated\n"));
  EXPECT_THAT(dana, HasSubstr("id: 3\nevent: updated\n"));
  EXPECT_THAT(dana, ::testing::Not(HasSubstr("id: 1\n")));
  const std::string self_serve = stream("route=self-serve");
  EXPECT_THAT(self_serve, ::testing::Not(HasSubstr("event:")));
  EXPECT_THAT(self_serve, ::testing::EndsWith("id: 3\n\n"));
  // Acme's alert is medium (63): a channel of the high-priority leads hears nothing of it.
  EXPECT_THAT(stream("priority=high"), ::testing::Not(HasSubstr("event:")));
  EXPECT_THAT(stream("priority=medium&kind=created"), HasSubstr("id: 1\nevent: created\n"));
  // Ravi takes the alert over: Dana's stream hears that it went, Ravi's that it came.
  ASSERT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/claim", json, R"({"owner": "Ravi", "reassign": true})")
                .status,
            200);  // 4
  auto after_3 = [&](const std::string& owner) {
    return http_request(c->port(), "GET", "/v1/alerts/stream?after=3&owner=" + owner).body;
  };
  const std::string danas = after_3("Dana");
  EXPECT_THAT(danas, HasSubstr("id: 4\nevent: updated\n"));
  EXPECT_THAT(danas, HasSubstr("reassigned from Dana to Ravi"));
  EXPECT_THAT(after_3("Ravi"), HasSubstr("id: 4\nevent: updated\n"));
  EXPECT_THAT(after_3("Mei"), ::testing::Not(HasSubstr("event:")));
  expect_refused(*c, "/v1/alerts/stream",
                 {{"kind=deleted", "kind must be one of: created, updated, closed"},
                  {"kind=created,", "kind lists created, updated or closed, comma-separated"},
                  {"route=enterprise", "route must be one of: self-serve, sales-assist, sales-led"},
                  {"priority=urgent", "priority must be one of: high, medium"},
                  {"rep=Dana",
                   "unknown parameter \"rep\" (the stream takes after, owner, route, priority, kind and access_token)"}});
}

// GET /v1/digest: what a digest webhook would post now, for a preview.
TEST_F(CollectorE2E, TheDigestRouteShowsWhatADigestWebhookWouldPost) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  raise_the_acme_alert(*c);  // sales-led, medium, waiting for a first touch
  auto t = tracker_for(*c);
  t->group("initech", {{"employees", 800}});
  t->track("initech", "ian", "Report Created");  // 45: warming up, sales-led
  ASSERT_TRUE(t->flush(5s));
  for (int i = 0; i < 100 && http_request(c->port(), "GET", "/v1/accounts?qualified=false").body.find("initech") ==
                                 std::string::npos;
       ++i)
    std::this_thread::sleep_for(50ms);
  auto get = [&](const std::string& query) {
    auto r = http_request(c->port(), "GET", "/v1/digest" + query);
    EXPECT_EQ(r.status, 200) << query << r.body;
    return boost::json::parse(r.body).as_object();
  };
  const auto generic = get("");
  // A team's digest names the accounts warming up on its routes; a rep's does not.
  EXPECT_EQ(generic.at("warming").at("matching"), 1);
  EXPECT_EQ(generic.at("warming").at("accounts").at(0).at("account_id"), "initech");
  EXPECT_EQ(get("?route=sales-assist").at("warming").at("matching"), 0);
  EXPECT_TRUE(get("?owner=Dana").at("warming").is_null());
  EXPECT_THAT(boost::json::serialize(get("?format=slack").at("blocks")),
              HasSubstr("*Warming up: 1 account below the threshold of 50*\\n"
                        "• initech (45, sales-led): core_value_moment"));
  EXPECT_EQ(generic.at("event"), "digest");
  EXPECT_EQ(generic.at("figures").at("pql_volume").at("sales-led").at("medium").as_int64(), 1);
  EXPECT_EQ(generic.at("waiting").at("count").as_int64(), 1);
  EXPECT_EQ(generic.at("waiting").at("alerts").at(0).at("account_id"), "acme");
  EXPECT_EQ(get("?format=slack").at("text"), "PQL digest: 1 new PQL, 1 waiting for a first touch");
  EXPECT_EQ(get("?format=teams").at("attachments").at(0).at("content").at("fallbackText"),
            "PQL digest: 1 new PQL, 1 waiting for a first touch");
  EXPECT_EQ(get("?owner=Nobody").at("waiting").at("count").as_int64(), 0);
  EXPECT_EQ(get("?route=sales-assist&since=2d").at("waiting").at("count").as_int64(), 0);
  expect_refused(*c, "/v1/digest",
                 {{"format=xml", "format must be generic, slack, teams or email"},
                  {"route=self-serve", "a digest is of alerts bound for reps"},
                  {"since=yesterday", "since must be an ISO 8601 time"},
                  {"rep=Dana", "unknown parameter \"rep\" (the figures take since, until, owner, route and format)"}});
}

// For a spreadsheet or a CRM import: one header line, then a row per alert,
// quoted as RFC 4180 says when a field holds a comma or a quote; a name
// from events that a spreadsheet would run as a formula stays text.
TEST_F(CollectorE2E, TheToolWritesAlertsAsCsv) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  auto t = tracker_for(*c);
  for (const auto& [account, name] :
       {std::pair{"acme", "Acme, \"the\" Corp"}, std::pair{"evil", "=HYPERLINK(\"x\")"}}) {
    t->group(account, {{"employees", 800}, {"name", name}, {"domain", std::string(account) + ".com"}});
    t->track(account, std::string(account) + "-ana", "Report Created");
    t->track(account, std::string(account) + "-ana", "Pricing Page Viewed");  // 63: a PQL
  }
  ASSERT_TRUE(t->flush(5s));
  for (int i = 0; i < 100 && http_request(c->port(), "GET", "/v1/alerts").body.find("evil") == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  const std::string tool =
      std::string(TELLTALE_CLI_BINARY) + " alerts --url http://127.0.0.1:" + std::to_string(c->port());
  auto [status, out] = run_command(tool + " --csv");
  ASSERT_EQ(status, 0) << out;
  std::istringstream lines(out);
  std::string header, row, evil, more;
  std::getline(lines, header);
  std::getline(lines, row);
  std::getline(lines, evil);
  EXPECT_EQ(header,
            "id,account_id,account_name,domain,employees,industry,region,score,priority,route,owner,status,"
            "created_at,raised_at,sla_due,best_contact,summary");
  EXPECT_THAT(row, ::testing::StartsWith("1,acme,\"Acme, \"\"the\"\" Corp\",acme.com,800,,,63,medium,sales-led,"));
  EXPECT_THAT(row, ::testing::ContainsRegex(",open,20[0-9-]+T[0-9:.]+Z,20[0-9-]+T[0-9:.]+Z,20[0-9-]+T[0-9:.]+Z,"));
  EXPECT_THAT(evil, ::testing::StartsWith("2,evil,\"'=HYPERLINK(\"\"x\"\")\",evil.com,800,,,63,"));
  EXPECT_FALSE(std::getline(lines, more)) << "two alerts, two rows";
  auto [both, why] = run_command(tool + " --csv --json");
  EXPECT_NE(both, 0);
  EXPECT_THAT(why, ::testing::ContainsRegex("--(csv|json) excludes --(json|csv)"));
}

TEST_F(CollectorE2E, TheToolWorksAnAlertThroughItsLifecycle) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  raise_the_acme_alert(*c);
  const std::string tool = std::string(TELLTALE_CLI_BINARY) + " ";
  const std::string url = " --url http://127.0.0.1:" + std::to_string(c->port());
  auto run = [&](const std::string& args) { return run_command(tool + args + url); };

  EXPECT_EQ(run("claim 1 --owner Dana"), std::pair(0, std::string("alert 1 (acme) is claimed, owner Dana\n")));
  // Another rep takes it over only when told to, as the collector says
  // (409 already_claimed over HTTP), and back.
  auto [held, holder] = run("claim 1 --owner Ravi");
  EXPECT_EQ(held, 1);
  EXPECT_THAT(holder, HasSubstr("telltale claim: 409 already_claimed: alert 1 is claimed by Dana"));
  EXPECT_THAT(holder, HasSubstr("pass --reassign to take it over"));
  EXPECT_EQ(run("claim 1 --owner Ravi --reassign").second, "alert 1 (acme) is claimed, owner Ravi\n");
  EXPECT_EQ(run("claim 1 --owner Dana --reassign").second, "alert 1 (acme) is claimed, owner Dana\n");
  // The table says where each alert stands: its status, and its deadline
  // for a first touch (a medium priority's 24 hours) while it waits for one.
  auto where = [&] {
    std::istringstream table(run("alerts --table").second);
    std::string header, row;
    std::getline(table, header);
    std::getline(table, row);
    EXPECT_THAT(header, ::testing::StartsWith("ID     ACCOUNT           SCORE PRIO   ROUTE        OWNER          "
                                              "STATUS      DUE          SUMMARY"));
    return row;
  };
  EXPECT_THAT(where(), ::testing::ContainsRegex("^1 +acme +63.0 medium sales-led +Dana +claimed +in 2[34]h +Acme"));
  // A manager's view of what must be worked within 4 hours: none of it yet.
  EXPECT_EQ(run("alerts --table --priority high 2>&1"), std::pair(0, std::string("no alerts match\n")));
  EXPECT_THAT(run("alerts --table --priority medium").second, HasSubstr("\n1      acme "));
  EXPECT_NE(run("alerts --priority urgent 2>&1").first, 0);
  const std::map<std::string, std::string> json{{"Content-Type", "application/json"}};
  HttpResult bad_flag =
      http_request(c->port(), "POST", "/v1/alerts/1/claim", json, R"({"owner":"Ravi","reassign":"yes"})");
  EXPECT_EQ(bad_flag.status, 400);
  EXPECT_THAT(bad_flag.body, HasSubstr(R"(\"reassign\" must be true or false)"));  // JSON-escaped
  EXPECT_EQ(run("touch 1 --channel email --note \"sent the SSO guide\""),
            std::pair(0, std::string("alert 1 (acme) is claimed, owner Dana, 1 touch\n")));
  const auto alert = boost::json::parse(http_request(c->port(), "GET", "/v1/alerts/1").body).as_object();
  ASSERT_EQ(alert.at("touches").as_array().size(), 1u);
  EXPECT_EQ(alert.at("touches").as_array()[0].at("note"), "sent the SSO guide");
  EXPECT_THAT(where(), ::testing::ContainsRegex("^1 +acme .* Dana +claimed +touched +Acme"));
  EXPECT_EQ(run("outcome 1 won").second, "alert 1 (acme) is won, owner Dana, 1 touch\n");
  EXPECT_THAT(where(), ::testing::ContainsRegex("^1 +acme .* Dana +won +- +Acme"));

  // How product-led sales is doing: lines and a table of reps, or the JSON when piped.
  auto [shown, figures] = run("stats --table --owner Dana");
  EXPECT_EQ(shown, 0) << figures;
  EXPECT_THAT(figures, HasSubstr("PQL figures of alerts owner Dana\n"));
  EXPECT_THAT(figures, HasSubstr("  PQLs                1: sales-led 1 (medium 1)\n"));
  EXPECT_THAT(figures, HasSubstr("  PQL -> won          100% (1)\n"));
  EXPECT_THAT(figures, HasSubstr("  SLA adherence       100% of 1 due touched in time (0 breached)\n"));
  EXPECT_THAT(figures, HasSubstr("  waiting for a touch 0 (0 past the deadline)\n"));
  // Dana: 1 alert, none waiting or overdue, 1 due, 1 in time, 100 %, first touch, 1 opportunity, 1 won.
  EXPECT_THAT(figures, ::testing::ContainsRegex("\n  Dana +1 +0 +0 +1 +1 +100% +[0-9]+ min +1 +1\n"));
  auto [piped, json_figures] = run("stats --route sales-led");
  EXPECT_EQ(piped, 0);
  EXPECT_EQ(boost::json::parse(json_figures).at("conversion").at("won").to_number<int64_t>(), 1);
  auto [refused, refusal] = run("stats --since yesterday");
  EXPECT_EQ(refused, 1);
  EXPECT_THAT(refusal, HasSubstr("telltale stats: 400 bad_query: since must be an ISO 8601 time"));

  // What the collector refuses, it says why; what the tool refuses, too.
  auto [closed, why] = run("handback 1 --reason \"prefers self-serve\"");
  EXPECT_EQ(closed, 1);
  EXPECT_THAT(why, HasSubstr("telltale handback: 409 conflict: alert 1 is not open"));
  auto [no_owner, usage] = run("claim 1");
  EXPECT_NE(no_owner, 0);
  EXPECT_THAT(usage, HasSubstr("--owner is required"));
  auto [bad_outcome, words] = run("outcome 1 signed");
  EXPECT_NE(bad_outcome, 0);
  EXPECT_THAT(words, HasSubstr("signed not in {opportunity,won,lost}"));
}

// An account remembers what came of its alerts, for the next rep who
// writes to it: the feed takes an account, the account's story lists its
// alerts with their touches and a hand-back's reason.
TEST_F(CollectorE2E, AnAccountTellsWhatCameOfItsEarlierAlerts) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  raise_the_acme_alert(*c);
  const std::map<std::string, std::string> json{{"Content-Type", "application/json"}};
  ASSERT_EQ(http_request(c->port(), "POST", "/v1/alerts/1/touch", json, R"({"channel": "call"})").status, 200);
  ASSERT_EQ(
      http_request(c->port(), "POST", "/v1/alerts/1/handback", json, R"({"reason": "prefers self-serve"})").status,
      200);

  const auto account = boost::json::parse(http_request(c->port(), "GET", "/v1/accounts/acme").body).as_object();
  ASSERT_EQ(account.at("alerts").as_array().size(), 1u);
  const auto& past = account.at("alerts").at(0).as_object();
  EXPECT_EQ(past.at("id"), 1);
  EXPECT_EQ(past.at("status"), "handed_back");
  EXPECT_EQ(past.at("route"), "sales-led");
  EXPECT_EQ(past.at("touches"), 1);
  EXPECT_EQ(past.at("handback_reason"), "prefers self-serve");
  EXPECT_EQ(past.at("created_at"),
            boost::json::parse(http_request(c->port(), "GET", "/v1/alerts/1").body).at("created_at"));

  auto listed = [&](const std::string& account_id) {
    HttpResult r = http_request(c->port(), "GET", "/v1/alerts?account=" + account_id);
    EXPECT_EQ(r.status, 200) << r.body;
    return boost::json::parse(r.body).at("alerts").as_array().size();
  };
  EXPECT_EQ(listed("acme"), 1u);
  EXPECT_EQ(listed("globex"), 0u);
  const std::string url = " --url http://127.0.0.1:" + std::to_string(c->port());
  const std::string tool = std::string(TELLTALE_CLI_BINARY);
  EXPECT_THAT(run_command(tool + " account acme" + url).second,
              ::testing::ContainsRegex("\n  alert   #1 handed_back, sales-led, raised 20[0-9-]{8}, 1 touch: "
                                       "prefers self-serve\n"));
  EXPECT_THAT(run_command(tool + " alerts --json --account acme" + url).second, HasSubstr("\"account_id\":\"acme\""));
  EXPECT_EQ(run_command(tool + " alerts --json --account globex" + url), std::pair(0, std::string()));
}

TEST_F(CollectorE2E, ABackupTakenWhileItIngestsRestoresTheLogAndTheAlerts) {
  auto c = collector();
  ASSERT_TRUE(c->start()) << c->log();
  raise_the_acme_alert(*c);
  // Batches keep arriving while the copy is taken.
  std::atomic<bool> done{false};
  std::atomic<uint64_t> sent{0};
  std::thread writer([&] {
    for (uint64_t n = 1; !done; ++n)
      if (http_request(c->port(), "POST", "/v1/batch", kSdkHeaders, sdk_batch(n, 200)).status == 200) sent = n;
  });
  while (sent < 20) std::this_thread::sleep_for(10ms);
  const std::string copy = dir_ + "-backup.db";
  fs::remove(copy);
  auto [status, out] = run_command(std::string(TELLTALE_CLI_BINARY) + " backup --data-dir " + dir_ + " " + copy);
  done = true;
  writer.join();
  EXPECT_EQ(status, 0) << out;
  EXPECT_THAT(out, HasSubstr("backed up " + dir_ + "/telltale.db to " + copy));
  EXPECT_FALSE(fs::exists(copy + ".partial"));
  auto [again, refused] = run_command(std::string(TELLTALE_CLI_BINARY) + " backup --data-dir " + dir_ + " " + copy);
  EXPECT_NE(again, 0);
  EXPECT_THAT(refused, HasSubstr("exists already"));

  // Restored as another collector's database: one committed state, with
  // the alert, every batch in it whole and once.
  const telltale::testing::ScratchDir restored{"e2e-restored"};
  fs::create_directories(restored.path());
  fs::copy_file(copy, restored.path() + "/telltale.db");
  fs::remove(copy);
  auto log = collector::SqliteEventLog::open_read_only(restored.path());
  std::vector<collector::StoredFrame> frames;
  std::set<std::string> batches;
  int64_t after = 0;
  do {
    ASSERT_TRUE(log->read(after, 1000, &frames).ok);
    for (const auto& f : frames) {
      EXPECT_TRUE(batches.insert(f.frame.dedup_key).second);
      after = f.position;
    }
  } while (!frames.empty());
  EXPECT_GE(batches.size(), 20u);
  EXPECT_EQ(after, log->last_position());
  log.reset();
  {
    CollectorProcess second(TELLTALE_COLLECTOR_BINARY, restored.path());
    ASSERT_TRUE(second.start()) << second.log();
    HttpResult alert = http_request(second.port(), "GET", "/v1/alerts/1");
    EXPECT_EQ(alert.status, 200);
    EXPECT_THAT(alert.body, HasSubstr("\"account_id\":\"acme\""));
  }
  fs::remove(restored.path() + ".log");
}

TEST_F(CollectorE2E, ReplayWithOtherRulesShowsWhatWouldDiffer) {
  std::ofstream(dir_ + ".toml") << "";
  auto c = collector({"--config", dir_ + ".toml"});
  ASSERT_TRUE(c->start()) << c->log();
  auto t = tracker_for(*c);
  t->group("acme", {{"name", "Acme"}, {"employees", 800}});
  t->track("acme", "ana", "Report Created");
  t->track("acme", "ana", "Pricing Page Viewed");
  ASSERT_TRUE(t->flush(5s));
  for (int i = 0; i < 50 && http_request(c->port(), "GET", "/v1/alerts").body.find("acme") == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  auto replay = [&](const std::string& rules) {
    std::ofstream(dir_ + ".new.toml") << rules;
    return run_command(std::string(TELLTALE_CLI_BINARY) + " replay --config " + dir_ + ".new.toml --data-dir " + dir_);
  };
  auto same = replay("");
  EXPECT_EQ(same.first, 0) << same.second;
  EXPECT_THAT(same.second, HasSubstr("no alert would differ"));
  const std::string stricter = replay("[pql]\nthreshold = 100\n").second;
  EXPECT_THAT(stricter, HasSubstr("LOST       acme"));
  EXPECT_THAT(stricter, HasSubstr("would differ: 0 new, 1 lost, 0 re-routed"));
  EXPECT_THAT(stricter, HasSubstr("alerts sent to reps: 1 live, 0 with"));
  EXPECT_THAT(replay("[pql]\nsales_led_employees = 1000\n").second,
              HasSubstr("RE-ROUTED  acme                 sales-led -> sales-assist"));
  EXPECT_NE(replay("[pql]\nthreshold = \"high\"\n").first, 0);  // bad rules: an error, not a guess
  // Replay touched nothing live.
  auto alerts = boost::json::parse(http_request(c->port(), "GET", "/v1/alerts").body).at("alerts").as_array();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].at("route"), "sales-led");
  fs::remove(dir_ + ".new.toml");
}

}  // namespace
}  // namespace telltale
