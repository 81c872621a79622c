// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "log/sqlite_db.h"

namespace telltale::collector {
namespace {

// What the lock file says of its holder: "pid 1234 on 127.0.0.1:7070".
std::string holder(int fd) {
  char buf[256];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string text(buf, n > 0 ? size_t(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
  return text.empty() ? "a process that is starting" : text;
}

}  // namespace

DataDirLock::DataDirLock(const std::string& dir) : path_(dir + "/telltale.lock") {
  make_data_dir(dir);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd_ < 0) throw std::runtime_error("cannot open " + path_ + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string who = holder(fd_);
    ::close(fd_);
    if (error == EWOULDBLOCK)
      throw std::runtime_error("data directory " + dir + " is in use by another telltale-collector (" + who +
                               "); run one collector per data directory");
    throw std::runtime_error("cannot lock " + path_ + ": " + std::strerror(error));
  }
  say_holder("an address not bound yet");
}

void DataDirLock::say_holder(const std::string& address) {
  const std::string text = "pid " + std::to_string(::getpid()) + " on " + address + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text.data(), text.size(), 0) != ssize_t(text.size()))
    spdlog::warn("cannot write who holds {}: {}", path_, std::strerror(errno));
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // and with it the lock
}

}  // namespace telltale::collector
