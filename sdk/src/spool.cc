// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "spool.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/crc.hpp>
#include <cerrno>
#include <cstring>

namespace telltale::detail {
namespace {

constexpr char kMagic[8] = {'T', 'T', 'S', 'P', 'O', 'O', 'L', '1'};
constexpr size_t kHeaderBytes = 24;

uint32_t crc32_of(const uint8_t* data, size_t size) {
  boost::crc_32_type crc;
  crc.process_bytes(data, size);
  return crc.checksum();
}

void put_u32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }
uint32_t get_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

bool make_dirs(const std::string& dir) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string prefix = dir.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) return false;
  }
  struct stat st {};
  return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Parses "<digits><suffix>"; returns 0 if the name is not one of ours.
uint64_t sequence_of(const std::string& name, const std::string& suffix) {
  if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return 0;
  uint64_t seq = 0;
  for (size_t i = 0; i < name.size() - suffix.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    seq = seq * 10 + uint64_t(name[i] - '0');
  }
  return seq;
}

}  // namespace

Spool::Spool(std::string dir, size_t max_bytes, Diagnostics* diagnostics)
    : dir_(std::move(dir)), max_bytes_(max_bytes), diagnostics_(diagnostics) {}

std::unique_ptr<Spool> Spool::open(const std::string& dir, size_t max_bytes,
                                   Diagnostics* diagnostics, Status* why) {
  if (!make_dirs(dir)) {
    *why = Status(StatusCode::kIoError, "spool_dir \"" + dir + "\" cannot be created: " + errno_text());
    return nullptr;
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    *why = Status(StatusCode::kIoError, "spool_dir \"" + dir + "\" is not writable: " + errno_text());
    return nullptr;
  }
  std::unique_ptr<Spool> spool(new Spool(dir, max_bytes, diagnostics));
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    *why = Status(StatusCode::kIoError, "spool_dir \"" + dir + "\" cannot be listed: " + errno_text());
    return nullptr;
  }
  std::vector<Entry> found;
  while (dirent* ent = ::readdir(d)) {
    std::string name = ent->d_name;
    if (sequence_of(name, ".part") != 0) {
      ::unlink((dir + "/" + name).c_str());  // an interrupted write
      continue;
    }
    uint64_t seq = sequence_of(name, ".batch");
    if (seq == 0) continue;
    struct stat st {};
    if (::stat((dir + "/" + name).c_str(), &st) != 0) continue;
    // The header's event count, so that evicting this batch counts its
    // events; a corrupt header is dealt with by front().
    uint32_t events = 0;
    int fd = ::open((dir + "/" + name).c_str(), O_RDONLY | O_CLOEXEC);
    uint8_t header[kHeaderBytes];
    if (fd >= 0 && ::read(fd, header, kHeaderBytes) == static_cast<ssize_t>(kHeaderBytes) &&
        std::memcmp(header, kMagic, 8) == 0)
      events = get_u32(header + 12);
    if (fd >= 0) ::close(fd);
    found.push_back(Entry{seq, static_cast<uint64_t>(st.st_size), events});
  }
  ::closedir(d);
  std::sort(found.begin(), found.end(), [](const Entry& a, const Entry& b) { return a.sequence < b.sequence; });
  for (const Entry& e : found) {
    spool->entries_.push_back(e);
    spool->bytes_ += e.file_bytes;
    spool->next_sequence_ = e.sequence + 1;
  }
  return spool;
}

std::string Spool::path_for(uint64_t sequence, const char* suffix) const {
  char name[32];
  std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(sequence));
  return dir_ + "/" + name + suffix;
}

bool Spool::write(const std::vector<uint8_t>& body, uint32_t events, uint64_t* evicted_events) {
  const size_t file_bytes = kHeaderBytes + body.size();
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_bytes > max_bytes_) {
    diagnostics_->report(LogLevel::kError, "spool: a batch of " + std::to_string(file_bytes) +
                                               " bytes is larger than max_spool_bytes");
    return false;
  }
  while (bytes_ + file_bytes > max_bytes_ && !entries_.empty()) {
    Entry oldest = entries_.front();
    *evicted_events += oldest.events;
    remove_locked(oldest.sequence);
  }

  const uint64_t seq = next_sequence_++;
  uint8_t header[kHeaderBytes];
  std::memcpy(header, kMagic, 8);
  put_u32(header + 8, static_cast<uint32_t>(body.size()));
  put_u32(header + 12, events);
  put_u32(header + 16, crc32_of(body.data(), body.size()));
  put_u32(header + 20, 0);

  const std::string part = path_for(seq, ".part");
  int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && write_all(fd, header, kHeaderBytes) && write_all(fd, body.data(), body.size()) &&
            ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  ok = ok && ::rename(part.c_str(), path_for(seq, ".batch").c_str()) == 0 && fsync_dir(dir_);
  if (!ok) {
    diagnostics_->report(LogLevel::kError, "spool: cannot write " + part + ": " + errno_text());
    ::unlink(part.c_str());
    return false;
  }
  entries_.push_back(Entry{seq, file_bytes, events});
  bytes_ += file_bytes;
  return true;
}

std::optional<SpooledBatch> Spool::front() {
  std::lock_guard<std::mutex> lock(mutex_);
  while (!entries_.empty()) {
    Entry& e = entries_.front();
    const std::string path = path_for(e.sequence, ".batch");
    std::string problem;
    SpooledBatch batch;
    batch.sequence = e.sequence;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      problem = "cannot open: " + errno_text();
    } else {
      std::vector<uint8_t> file(e.file_bytes);
      ssize_t n = ::read(fd, file.data(), file.size());
      ::close(fd);
      if (n != static_cast<ssize_t>(file.size()) || file.size() < kHeaderBytes) {
        problem = "truncated";
      } else if (std::memcmp(file.data(), kMagic, 8) != 0) {
        problem = "not a spool file (bad magic)";
      } else if (get_u32(file.data() + 8) != file.size() - kHeaderBytes) {
        problem = "length does not match the file size";
      } else if (get_u32(file.data() + 16) != crc32_of(file.data() + kHeaderBytes, file.size() - kHeaderBytes)) {
        problem = "checksum mismatch";
      } else {
        batch.events = get_u32(file.data() + 12);
        e.events = batch.events;
        batch.body.assign(file.begin() + kHeaderBytes, file.end());
        return batch;
      }
    }
    diagnostics_->report(LogLevel::kWarning, "spool: skipping corrupt " + path + ": " + problem);
    remove_locked(e.sequence);
  }
  return std::nullopt;
}

void Spool::remove(uint64_t sequence) {
  std::lock_guard<std::mutex> lock(mutex_);
  remove_locked(sequence);
}

void Spool::remove_locked(uint64_t sequence) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.sequence == sequence; });
  if (it == entries_.end()) return;
  ::unlink(path_for(sequence, ".batch").c_str());
  bytes_ -= it->file_bytes;
  entries_.erase(it);
}

bool Spool::empty() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.empty();
}

size_t Spool::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

size_t Spool::batches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace telltale::detail
