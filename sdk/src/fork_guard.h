// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Fork detection without a system call on the hot path: a pthread_atfork
// child handler bumps a process-wide generation, and a Tracker compares the
// generation it was created in with the current one (one relaxed load).
// Thread-safe.
#pragma once

#include <cstdint>

namespace telltale::detail {

// Installs the atfork handler (once per process) and returns the current generation.
uint64_t fork_generation_install() noexcept;
// The current generation; changes in every forked child.
uint64_t fork_generation() noexcept;

}  // namespace telltale::detail
