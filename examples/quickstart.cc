// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// quickstart: a small simulated B2B product instrumented with Telltale.
// Read it top to bottom to learn the SDK: create a Tracker once, describe
// accounts with group(), people with identify(), report what they do with
// track() and plan usage with usage(), then shutdown() before exit.
//
//   quickstart [endpoint] [write_key]      (default http://127.0.0.1:7070 wk_demo)
#include <telltale/telltale.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

struct Account {
  std::string id, name, domain, plan;
  int employees;
  int users;        // people who use the product
  int seat_limit;   // the plan's limit
  bool curious;     // looks at pricing and premium features
};

}  // namespace

int main(int argc, char** argv) {
  telltale::Options opts;
  opts.endpoint = argc > 1 ? argv[1] : "http://127.0.0.1:7070";
  opts.write_key = argc > 2 ? argv[2] : "wk_demo";
  // Diagnostics (delivery problems) go wherever the host wants them.
  opts.on_diagnostic = [](telltale::LogLevel, std::string_view message) {
    std::fprintf(stderr, "telltale: %.*s\n", int(message.size()), message.data());
  };

  telltale::Status why;
  std::unique_ptr<telltale::Tracker> tracker = telltale::Tracker::create(opts, &why);
  if (!tracker) {  // the only call that fails loudly: bad options
    std::fprintf(stderr, "cannot start telltale: %s\n", why.message().c_str());
    return 2;
  }

  const std::vector<Account> accounts = {
      {"acme", "Acme Corp", "acme.com", "team", 800, 8, 10, true},
      {"globex", "Globex", "globex.io", "free", 120, 4, 5, true},
      {"initech", "Initech", "initech.com", "free", 12, 1, 3, false},
  };
  const char* actions[] = {"Report Created", "Content Shared", "Data Imported", "Dashboard Viewed"};
  std::mt19937 rng(7);

  for (const Account& a : accounts) {
    // Account fit: the collector scores and routes on these traits.
    tracker->group(a.id, {{"name", a.name}, {"domain", a.domain}, {"plan", a.plan},
                          {"employees", a.employees}, {"industry", "software"}});
    tracker->track(a.id, a.id + "-u0", "Workspace Created");
    for (int u = 0; u < a.users; ++u) {
      std::string user = a.id + "-u" + std::to_string(u);
      tracker->identify(user, {{"email", user + "@" + a.domain}});
      if (u > 0) tracker->track(a.id, a.id + "-u0", "User Invited", {{"invitee", user}});
    }
  }

  // A simulated working day: every user does a few things; curious accounts
  // look at pricing and premium features; seats are reported as they grow.
  size_t events = 0;
  for (int hour = 0; hour < 8; ++hour) {
    for (const Account& a : accounts) {
      for (int u = 0; u < a.users; ++u) {
        std::string user = a.id + "-u" + std::to_string(u);
        for (int i = 0; i < 5; ++i, ++events)
          tracker->track(a.id, user, actions[rng() % 4], {{"hour", hour}, {"rows", int64_t(rng() % 5000)}});
      }
      if (a.curious && hour % 3 == 0) tracker->track(a.id, a.id + "-u0", "Pricing Page Viewed");
      if (a.curious && hour == 5) tracker->track(a.id, a.id + "-u0", "Premium Feature Attempted", {{"feature", "sso"}});
      tracker->usage(a.id, "seats", a.users, a.seat_limit);
    }
  }

  // Flush and stop: waits at most 5 s; what cannot be sent is counted.
  bool delivered = tracker->shutdown(std::chrono::seconds(5));
  telltale::Stats s = tracker->stats();
  std::printf("quickstart: %s; enqueued %llu, acked %llu, dropped %llu, %llu bytes on the wire\n",
              delivered ? "all events delivered" : "some events were not delivered",
              (unsigned long long)s.enqueued, (unsigned long long)s.acked,
              (unsigned long long)s.dropped_total(), (unsigned long long)s.bytes_sent);
  return delivered ? 0 : 1;
}
