// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// raise_open_files_limit: lifts the process's soft limit on open files to
// its hard limit (what `ulimit -n` may raise it to), as servers do at start:
// every connection holds one, and the distribution's default soft limit
// (1,024) caps a collector far below what its SDKs keep open. Returns the
// limit in force afterwards (unchanged when it cannot be raised). Call once,
// before starting threads.
#pragma once

#include <cstdint>

namespace telltale::collector {

uint64_t raise_open_files_limit();

}  // namespace telltale::collector
