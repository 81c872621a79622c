// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// simulation: a realistic product population for the demo. A few hundred B2B
// accounts use a product for six simulated weeks, ending now: most only try
// it, some solo users get real value (self-serve PQLs), some teams grow and
// press against their seat limit (sales-assist), and some large companies
// connect integrations, configure SSO and ask for contracts (sales-led).
// People work office hours in their account's time zone, on weekdays (a few
// on weekends). All events go through one Tracker whose event clock is the
// simulation's.
//
//   simulation [endpoint] [accounts]     (default http://127.0.0.1:7070 300)
#include <telltale/telltale.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

enum class Kind { kTrial, kSolo, kGrowingTeam, kEnterprise };

// A region's time zone, and its offset from UTC in the simulated weeks
// (November: no daylight saving time in any of them).
struct Region {
  const char* name;
  const char* timezone;
  int utc_offset_hours;
};
constexpr Region kRegions[] = {{"emea", "Europe/Berlin", 1}, {"na", "America/New_York", -5}, {"apac", "Asia/Singapore", 8}};

struct Account {
  std::string id, name, domain, industry;
  const Region* region;
  int64_t employees;
  Kind kind;
  int seats;  // the plan's seat limit
};

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
constexpr int kDays = 42;

}  // namespace

int main(int argc, char** argv) {
  const std::string endpoint = argc > 1 ? argv[1] : "http://127.0.0.1:7070";
  char* end = nullptr;
  const long count_arg = argc > 2 ? std::strtol(argv[2], &end, 10) : 300;
  const bool flag = !endpoint.empty() && endpoint[0] == '-';  // --help and the like
  if (argc > 3 || flag || (end && *end) || count_arg < 1 || count_arg > 1'000'000) {
    std::fprintf(stderr, "usage: simulation [endpoint] [accounts]   (default http://127.0.0.1:7070 300; "
                         "accounts from 1 to 1000000)\n");
    return 2;
  }
  const int count = int(count_arg);

  int64_t clock = 0;  // the simulated now, Unix ms
  telltale::Options opts;
  opts.endpoint = endpoint;
  opts.write_key = "wk_simulation";
  opts.event_clock = [&clock] { return clock; };
  opts.queue_capacity = 1 << 18;
  // Small batches: each stored frame then spans little simulated time, as
  // live traffic does (the engine re-scores accounts once per frame).
  opts.batch_max_events = 100;
  telltale::Status why;
  auto tracker = telltale::Tracker::create(opts, &why);
  if (!tracker) {
    std::fprintf(stderr, "simulation: cannot start telltale: %s\n", why.message().c_str());
    return 2;
  }

  std::mt19937 rng(42);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const char* industries[] = {"software", "fintech", "retail", "healthcare"};
  std::vector<Account> accounts;
  for (int i = 0; i < count; ++i) {
    Account a;
    a.id = "acct-" + std::to_string(1000 + i);
    double r = std::uniform_real_distribution<double>(0, 1)(rng);
    a.kind = r < 0.55 ? Kind::kTrial : r < 0.72 ? Kind::kSolo : r < 0.9 ? Kind::kGrowingTeam : Kind::kEnterprise;
    a.employees = a.kind == Kind::kEnterprise ? 600 + int64_t(rng() % 5000)
                  : a.kind == Kind::kGrowingTeam ? 20 + int64_t(rng() % 200)
                                                : 2 + int64_t(rng() % 30);
    a.name = "Company " + std::to_string(1000 + i);
    a.domain = a.kind == Kind::kSolo && chance(0.3) ? "gmail.com" : "company" + std::to_string(1000 + i) + ".com";
    a.region = &kRegions[rng() % 3];
    a.industry = industries[rng() % 4];
    a.seats = a.kind == Kind::kGrowingTeam ? 10 : 5;
    accounts.push_back(a);
  }

  // People say who they are (identify) when they first show up; the names
  // follow from the account and the user's place, so the events' randomness
  // is the same with or without them.
  const char* first_names[] = {"Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana", "Ivo", "Jun", "Kofi"};
  const char* last_names[] = {"Lopez", "Meyer", "Tan", "Okafor", "Novak", "Sato", "Reyes", "Berg", "Costa"};
  const char* titles[] = {"Head of Operations", "Analyst", "Engineer", "Product Manager"};
  std::set<std::string> identified;
  auto introduce = [&](const Account& a, int u) {
    const std::string user = a.id + "-u" + std::to_string(u);
    if (!identified.insert(user).second) return;
    const std::string first = first_names[(std::hash<std::string>{}(a.id) + size_t(u)) % std::size(first_names)];
    const std::string last = last_names[(std::hash<std::string>{}(a.id) / 7 + size_t(u) * 5) % std::size(last_names)];
    std::string email = first + "." + last + "@" + a.domain;
    std::transform(email.begin(), email.end(), email.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    tracker->identify(user, {{"email", email}, {"name", first + " " + last}, {"title", titles[u == 0 ? 0 : 1 + u % 3]}});
  };

  const int64_t start = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count() / kDay * kDay - kDays * kDay;
  for (int day = 0; day < kDays; ++day) {
    const int64_t midnight = start + day * kDay;
    const bool weekend = (midnight / kDay + 3) % 7 >= 5;  // 1970-01-01 was a Thursday
    for (const Account& a : accounts) {
      // Office hours, 09:00 to 17:00 where the account is.
      clock = midnight + (9 - a.region->utc_offset_hours) * kHour + int64_t(rng() % (8 * kHour));
      if (day == 0) {
        tracker->group(a.id, {{"name", a.name}, {"domain", a.domain}, {"employees", a.employees}, {"plan", "free"},
                              {"region", a.region->name}, {"industry", a.industry}, {"timezone", a.region->timezone}});
        introduce(a, 0);
        tracker->track(a.id, a.id + "-u0", "Workspace Created");
      }
      // Who is active today: trials fade, teams grow over the last two weeks.
      int users = 1;
      double active = 0.25;
      switch (a.kind) {
        case Kind::kTrial: active = day < 7 ? 0.3 : 0.03; break;
        case Kind::kSolo: active = 0.75; break;
        case Kind::kGrowingTeam: active = 0.8; users = day < 28 ? 2 : 2 + (day - 27) / 2; break;
        case Kind::kEnterprise: active = 0.8; users = 3 + day / 6; break;
      }
      if (!chance(weekend ? active / 10 : active)) continue;
      for (int u = 0; u < users; ++u) {
        std::string user = a.id + "-u" + std::to_string(u);
        clock += int64_t(rng() % (10 * 60'000));
        introduce(a, u);
        if (u > 0 && day == (a.kind == Kind::kGrowingTeam ? 28 + 2 * (u - 2) : 6 * (u - 3))) {
          tracker->track(a.id, a.id + "-u0", "User Invited", {{"invitee", user}});
        }
        tracker->track(a.id, user, "Dashboard Viewed");
        if (a.kind == Kind::kTrial && !chance(0.2)) continue;
        if (chance(0.6)) tracker->track(a.id, user, "Report Created", {{"rows", int64_t(rng() % 5000)}});
        if (day == 2 && u == 0) tracker->track(a.id, user, "Data Imported", {{"rows", int64_t(10000 + rng() % 90000)}});
        if (a.kind != Kind::kTrial && chance(0.3)) tracker->track(a.id, user, "Content Shared");
      }
      if (a.kind == Kind::kTrial) continue;
      if (chance(0.05)) tracker->track(a.id, a.id + "-u0", "Pricing Page Viewed");
      if (a.kind == Kind::kGrowingTeam || a.kind == Kind::kEnterprise) {
        tracker->usage(a.id, "seats", std::min<int64_t>(users, a.seats), a.seats);
        if (day == 10) tracker->track(a.id, a.id + "-u0", "Integration Connected", {{"integration", "salesforce"}});
        if (day > 30 && chance(0.1)) tracker->track(a.id, a.id + "-u0", "Premium Feature Attempted", {{"feature", "audit_log"}});
      }
      if (a.kind == Kind::kEnterprise && day == 35) tracker->track(a.id, a.id + "-u0", "SSO Configured");
      if (a.kind == Kind::kEnterprise && day == 39 && chance(0.5)) tracker->track(a.id, a.id + "-u0", "Contract Requested");
    }
  }
  bool delivered = tracker->shutdown(std::chrono::seconds(30));
  telltale::Stats s = tracker->stats();
  std::printf("simulation: %d accounts, %d days, %llu events %s\n", count, kDays, (unsigned long long)s.enqueued,
              delivered ? "delivered" : "NOT all delivered");
  return delivered ? 0 : 1;
}
