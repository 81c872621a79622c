// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// SnapshotWriter / SnapshotReader: the byte format of engine snapshots:
// unsigned and zig-zag signed LEB128 varints, IEEE doubles (8 bytes, little
// endian), length-prefixed strings. The reader checks every length against
// what is left and throws SnapshotError on a truncated or corrupt input, so
// a bad snapshot is refused (the engine then replays the whole log) and
// never read past its end. Value types; not thread-safe.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace telltale::collector {

struct SnapshotError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class SnapshotWriter {
 public:
  void u64(uint64_t v);
  void i64(int64_t v);
  void f64(double v);
  void str(std::string_view s);
  void boolean(bool b) { u64(b ? 1 : 0); }
  const std::string& bytes() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class SnapshotReader {
 public:
  explicit SnapshotReader(std::string_view in) : in_(in) {}
  uint64_t u64();
  int64_t i64();
  double f64();
  std::string str();
  bool boolean() { return u64() != 0; }
  // A count of items about to be read, each at least `min_bytes` long:
  // refuses counts the remaining input cannot hold (no huge allocations).
  size_t count(size_t min_bytes = 1);
  bool done() const { return pos_ == in_.size(); }
  // The bytes not read yet.
  std::string_view rest() const { return in_.substr(pos_); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace telltale::collector
