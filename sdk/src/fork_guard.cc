// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "fork_guard.h"

#include <pthread.h>

#include <atomic>

namespace telltale::detail {
namespace {

std::atomic<uint64_t> g_generation{0};
std::atomic<bool> g_installed{false};

void on_fork_child() { g_generation.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

uint64_t fork_generation_install() noexcept {
  if (!g_installed.exchange(true)) pthread_atfork(nullptr, nullptr, &on_fork_child);
  return fork_generation();
}

uint64_t fork_generation() noexcept { return g_generation.load(std::memory_order_relaxed); }

}  // namespace telltale::detail
