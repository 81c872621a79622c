// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/allocator.h"

#ifdef TELLTALE_JEMALLOC
#include <jemalloc/jemalloc.h>

// Read by jemalloc before its first allocation ("malloc_conf", jemalloc(3)).
// thp:always: every heap extent is madvise(MADV_HUGEPAGE)'d, which the
// kernel honours unless its transparent_hugepage policy is "never".
extern "C" {
__attribute__((visibility("default"))) const char* malloc_conf = "thp:always,metadata_thp:auto";
}
#else
#include <malloc.h>
#endif

namespace telltale::collector {

#ifdef TELLTALE_JEMALLOC

namespace {

size_t read_size(const char* name) {
  size_t value = 0, size = sizeof value;
  return mallctl(name, &value, &size, nullptr, 0) == 0 ? value : 0;
}

}  // namespace

HeapStats heap_stats() {
  uint64_t epoch = 1;  // statistics are cached until the epoch advances
  size_t size = sizeof epoch;
  mallctl("epoch", &epoch, &size, &epoch, size);
  return {read_size("stats.allocated"), read_size("stats.resident")};
}

std::string allocator_name() {
  const char* thp = nullptr;
  size_t size = sizeof thp;
  if (mallctl("opt.thp", &thp, &size, nullptr, 0) != 0 || thp == nullptr) return "jemalloc";
  return std::string("jemalloc (transparent huge pages: ") + thp + ")";
}

#else

HeapStats heap_stats() {
  const struct mallinfo2 m = mallinfo2();
  return {m.uordblks + m.hblkhd, 0};
}

std::string allocator_name() { return "the runtime's malloc"; }

#endif

}  // namespace telltale::collector
