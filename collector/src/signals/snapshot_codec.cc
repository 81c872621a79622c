// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/snapshot_codec.h"

#include <bit>
#include <cstring>

namespace telltale::collector {

void SnapshotWriter::u64(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(char(uint8_t(v) | 0x80));
    v >>= 7;
  }
  out_.push_back(char(v));
}

void SnapshotWriter::i64(int64_t v) { u64((uint64_t(v) << 1) ^ uint64_t(v >> 63)); }

void SnapshotWriter::f64(double v) {
  static_assert(std::endian::native == std::endian::little);
  char raw[8];
  std::memcpy(raw, &v, 8);
  out_.append(raw, 8);
}

void SnapshotWriter::str(std::string_view s) {
  u64(s.size());
  out_.append(s);
}

uint64_t SnapshotReader::u64() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= in_.size()) throw SnapshotError("snapshot truncated");
    const auto byte = uint8_t(in_[pos_++]);
    v |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  throw SnapshotError("snapshot: bad varint");
}

int64_t SnapshotReader::i64() {
  const uint64_t v = u64();
  return int64_t(v >> 1) ^ -int64_t(v & 1);
}

double SnapshotReader::f64() {
  if (in_.size() - pos_ < 8) throw SnapshotError("snapshot truncated");
  double v;
  std::memcpy(&v, in_.data() + pos_, 8);
  pos_ += 8;
  return v;
}

std::string SnapshotReader::str() {
  const uint64_t n = u64();
  if (n > in_.size() - pos_) throw SnapshotError("snapshot: string past the end");
  std::string s(in_.substr(pos_, size_t(n)));
  pos_ += size_t(n);
  return s;
}

size_t SnapshotReader::count(size_t min_bytes) {
  const uint64_t n = u64();
  if (min_bytes && n > (in_.size() - pos_) / min_bytes) throw SnapshotError("snapshot: count past the end");
  return size_t(n);
}

}  // namespace telltale::collector
