// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// DataDirLock: one collector per data directory. Two collectors on one
// directory would both run the engine over the same log and store, raising
// every alert twice and posting every webhook twice; so a collector holds
// an exclusive lock on <dir>/telltale.lock (flock) while it runs, with its
// pid and address in the file, and a second one is refused at start with
// whom it would clash. The kernel drops the lock when the process ends,
// however it ends, so a crash leaves nothing stale to clean up. The telltale
// tool's readers (log, replay, backup) take no lock: they run beside the
// collector. Not thread-safe; held for the collector's lifetime.
#pragma once

#include <string>

namespace telltale::collector {

class DataDirLock {
 public:
  // Creates `dir` when missing and locks it for this process. Throws
  // std::runtime_error saying who holds it (pid and address), or why the
  // lock file cannot be made.
  explicit DataDirLock(const std::string& dir);
  ~DataDirLock();
  // Writes this process's pid and `address` (where it listens, once bound)
  // into the lock file, for the message of a collector refused later. A
  // failure to is only logged.
  void say_holder(const std::string& address);
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace telltale::collector
