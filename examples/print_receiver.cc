// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// print_receiver: listens on 127.0.0.1:<port> (default 7070), acknowledges
// every valid batch and prints one line per batch and per event. A stand-in
// for the collector while trying the SDK: `print_receiver 7070 [seconds]`.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "test_collector.h"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 7070;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 0;  // 0: until SIGINT/SIGTERM
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  telltale::testing::TestCollector server(static_cast<uint16_t>(port));
  server.on_batch([](const telltale::testing::ReceivedBatch& b) {
    std::printf("batch %s from %s/%s: %zu events\n", b.batch_id.c_str(), b.sdk_name.c_str(),
                b.sdk_version.c_str(), b.events.size());
    for (const auto& e : b.events) {
      std::printf("  %-8s account=%-10s user=%-6s %s", telltale::wire::event_type_name(e.type),
                  e.account.c_str(), e.user.c_str(), e.name.c_str());
      for (const auto& [k, v] : e.props) std::printf(" %s=%s", k.c_str(), v.c_str());
      std::printf("\n");
    }
    std::fflush(stdout);
  });
  std::printf("print_receiver listening on %s\n", server.endpoint().c_str());
  std::fflush(stdout);
  for (int tenth = 0; !g_stop && (seconds == 0 || tenth < seconds * 10); ++tenth)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::printf("print_receiver: %zu events received\n", server.event_count());
  return 0;
}
