// Uses the installed SDK from the outside: create() validates, events are
// accepted, and shutdown() returns within its deadline with no collector
// listening (the events are then counted, never lost silently).
#include <telltale/telltale.h>

#include <cstdio>

int main() {
  telltale::Options bad;
  telltale::Status why;
  if (telltale::Tracker::create(bad, &why) != nullptr || why.ok()) {
    std::fprintf(stderr, "create() accepted empty options\n");
    return 1;
  }

  telltale::Options opts;
  opts.endpoint = "http://127.0.0.1:9";  // discard port: nothing listens
  opts.write_key = "wk_consumer";
  opts.on_diagnostic = [](telltale::LogLevel, std::string_view) {};
  auto t = telltale::Tracker::create(opts, &why);
  if (!t) {
    std::fprintf(stderr, "create() failed: %s\n", why.message().c_str());
    return 1;
  }
  t->group("acme", {{"name", "Acme"}, {"employees", 800}});
  t->track("acme", "u42", "Report Created", {{"rows", int64_t{120}}, {"plan", "free"}});
  t->usage("acme", "seats", 8, 10);
  t->shutdown(std::chrono::milliseconds(200));
  telltale::Stats s = t->stats();
  std::printf("consumer: enqueued=%llu dropped=%llu\n", (unsigned long long)s.enqueued,
              (unsigned long long)s.dropped_total());
  return s.enqueued == 3 && s.dropped_total() == 3 ? 0 : 1;
}
