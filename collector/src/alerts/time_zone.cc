// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/time_zone.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <vector>

namespace telltale::collector {
namespace {

struct Zone {
  std::vector<int64_t> transitions;    // UTC seconds, ascending
  std::vector<uint8_t> type_of;        // local time type after each transition
  std::vector<int32_t> offsets;        // seconds east of UTC, per type
  int32_t initial = 0;                 // before the first transition
};

int64_t be(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  if (bytes == 4) return int64_t(int32_t(uint32_t(v)));
  return int64_t(v);
}

// TZif (RFC 8536): a v1 block with 32-bit times, then (v2+) the same with 64-bit times.
std::optional<Zone> parse_tzif(const std::vector<uint8_t>& d) {
  auto block = [&](size_t at, int time_bytes, Zone* z, size_t* end) -> bool {
    if (d.size() < at + 44 || std::string(d.begin() + long(at), d.begin() + long(at) + 4) != "TZif") return false;
    const uint8_t* h = d.data() + at + 20;
    int64_t isutcnt = be(h, 4), isstdcnt = be(h + 4, 4), leapcnt = be(h + 8, 4), timecnt = be(h + 12, 4),
            typecnt = be(h + 16, 4), charcnt = be(h + 20, 4);
    size_t p = at + 44;
    size_t need = size_t(timecnt) * (time_bytes + 1) + size_t(typecnt) * 6 + size_t(charcnt) +
                  size_t(leapcnt) * (time_bytes + 4) + size_t(isstdcnt) + size_t(isutcnt);
    if (typecnt <= 0 || d.size() < p + need) return false;
    if (z) {
      for (int64_t i = 0; i < timecnt; ++i) z->transitions.push_back(be(d.data() + p + size_t(i) * time_bytes, time_bytes));
      const uint8_t* idx = d.data() + p + size_t(timecnt) * time_bytes;
      z->type_of.assign(idx, idx + timecnt);
      const uint8_t* types = idx + timecnt;
      for (int64_t i = 0; i < typecnt; ++i) z->offsets.push_back(int32_t(be(types + i * 6, 4)));
      z->initial = z->offsets[0];
      for (uint8_t& t : z->type_of)
        if (t >= typecnt) t = 0;
    }
    *end = p + need;
    return true;
  };
  size_t v1_end = 0;
  if (!block(0, 4, nullptr, &v1_end)) return std::nullopt;
  Zone z;
  size_t end = 0;
  if (d[4] >= '2' && block(v1_end, 8, &z, &end)) return z;
  z = Zone{};
  if (!block(0, 4, &z, &end)) return std::nullopt;
  return z;
}

// "+H", "+HH", "+H:MM", "+HH:MM", "+HMM" or "+HHMM" (or -), after an
// optional UTC or GMT, at most 14 hours either way; "", "UTC" and "GMT" are 0.
std::optional<int> fixed_offset(std::string_view tz) {
  if (tz.substr(0, 3) == "UTC" || tz.substr(0, 3) == "GMT") tz.remove_prefix(3);
  if (tz.empty()) return 0;
  if (tz[0] != '+' && tz[0] != '-') return std::nullopt;
  const int sign = tz[0] == '-' ? -1 : 1;
  tz.remove_prefix(1);
  std::string_view hours = tz, minutes;
  if (const size_t colon = tz.find(':'); colon != tz.npos) {
    hours = tz.substr(0, colon);
    minutes = tz.substr(colon + 1);
    if (minutes.size() != 2) return std::nullopt;
  } else if (tz.size() > 2) {
    hours = tz.substr(0, tz.size() - 2);
    minutes = tz.substr(tz.size() - 2);
  }
  auto number = [](std::string_view text, int* out) {  // one or two digits
    return !text.empty() && text.size() <= 2 && text.find_first_not_of("0123456789") == text.npos &&
           std::from_chars(text.data(), text.data() + text.size(), *out).ec == std::errc();
  };
  int h = 0, m = 0;
  if (!number(hours, &h) || (!minutes.empty() && !number(minutes, &m)) || h > 14 || m > 59) return std::nullopt;
  return sign * (h * 60 + m);
}

const Zone* load(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, Zone, std::less<>> cache;  // the zones found: at most the database's
  static std::set<std::string, std::less<>> unknown;     // names that are none, up to kMostUnknown
  constexpr size_t kMostUnknown = 4096;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) return &it->second;
  if (unknown.contains(name)) return nullptr;
  std::optional<Zone> zone;
  // Names only: no path tricks out of the tz database.
  if (!name.empty() && name.find("..") == std::string::npos && name[0] != '/') {
    std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
    std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), {});
    if (in.good() || in.eof()) zone = parse_tzif(data);
  }
  if (zone) return &cache.emplace(name, std::move(*zone)).first->second;
  // Traits come from events: any text may be sent, and would otherwise be
  // kept for ever. Past the bound an unknown name is looked up again.
  if (unknown.size() < kMostUnknown) unknown.insert(name);
  return nullptr;
}

}  // namespace

std::optional<int> utc_offset_minutes(const std::string& zone, int64_t at_ms) {
  if (auto fixed = fixed_offset(zone)) return fixed;
  const Zone* z = load(zone);
  if (z == nullptr) return std::nullopt;
  const int64_t t = at_ms / 1000;
  auto it = std::upper_bound(z->transitions.begin(), z->transitions.end(), t);
  if (it == z->transitions.begin()) return z->initial / 60;
  size_t i = size_t(it - z->transitions.begin()) - 1;
  return z->offsets[z->type_of[i]] / 60;
}

}  // namespace telltale::collector
