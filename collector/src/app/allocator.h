// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The collector's memory allocator. The collector and the telltale tool are
// linked with jemalloc in place of glibc's malloc, configured (allocator.cc)
// to back its heap with transparent huge pages: the PQL engine's state is
// tens to hundreds of MiB read at random, an account or two per event, and
// with 4 KiB pages most of those reads also miss the TLB (engine_bench:
// +14-17 % events/s). Operators may add settings with the MALLOC_CONF
// environment variable (jemalloc(3)).
// Sanitizer builds keep their runtime's allocator.
//
// The functions read the allocator's statistics; thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace telltale::collector {

struct HeapStats {
  size_t allocated = 0;  // bytes the program holds in live allocations
  size_t resident = 0;   // bytes of the heap in physical memory (0 when unknown)
};

HeapStats heap_stats();
// "jemalloc (transparent huge pages: always)", or the runtime's allocator.
std::string allocator_name();

}  // namespace telltale::collector
