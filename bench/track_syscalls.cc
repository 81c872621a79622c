// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// track_syscalls: makes 1,000,000 track() calls on one thread between two
// marker writes, for bench/track_syscalls.sh to count that thread's system
// calls under strace (the goal: none between the markers).
#include <telltale/telltale.h>
#include <unistd.h>

#include <cstdio>

int main() {
  telltale::Options o;
  o.endpoint = "http://127.0.0.1:9";  // nothing listens: the sender encodes and buffers
  o.write_key = "wk_bench";
  o.queue_capacity = 1 << 20;
  o.on_diagnostic = [](telltale::LogLevel, std::string_view) {};
  auto t = telltale::Tracker::create(o);
  t->track("warm", "up", "E");  // a thread's first call creates its producer (one allocation)
  if (::write(-1, "BEGIN", 5) < 0) {
  }
  for (long i = 0; i < 1000000; ++i) t->track("acme", "u1", "Report Created", {{"rows", i}, {"plan", "free"}});
  if (::write(-1, "END", 3) < 0) {
  }
  std::printf("%ld\n", static_cast<long>(::gettid()));
  return 0;
}
