// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "event_record.h"

#include <cstring>
#include <new>

namespace telltale::detail {
namespace {

constexpr size_t kMaxString = 65535;

size_t value_size(const Value& v) noexcept {
  switch (v.type()) {
    case Value::Type::kString: return 2 + v.as_string().size();
    case Value::Type::kBool: return 1;
    default: return 8;
  }
}

char* put_u16(char* p, size_t v) noexcept {
  auto x = static_cast<uint16_t>(v);
  std::memcpy(p, &x, 2);
  return p + 2;
}

char* put_bytes(char* p, std::string_view s) noexcept {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

uint16_t get_u16(const char*& p) noexcept {
  uint16_t x;
  std::memcpy(&x, p, 2);
  p += 2;
  return x;
}

std::string_view get_bytes(const char*& p, size_t n) noexcept {
  std::string_view s(p, n);
  p += n;
  return s;
}

}  // namespace

size_t EventRecord::packed_size(std::string_view account, std::string_view user,
                                std::string_view name, Properties props) noexcept {
  if (account.size() > kMaxString || user.size() > kMaxString || name.size() > kMaxString ||
      props.size() > kMaxProperties)
    return SIZE_MAX;
  size_t n = 6 + account.size() + user.size() + name.size();
  for (const Property& p : props) {
    if (p.key.size() > kMaxString || p.value.as_string().size() > kMaxString) return SIZE_MAX;
    n += 3 + p.key.size() + value_size(p.value);
  }
  return n;
}

bool EventRecord::pack(wire::EventType type, int64_t time_ms, std::string_view account,
                       std::string_view user, std::string_view name, Properties props,
                       size_t packed) noexcept {
  release();
  char* p = inline_;
  if (packed > kInline) {
    heap_ = new (std::nothrow) char[packed];
    if (heap_ == nullptr) return false;
    p = heap_;
  }
  time_ms_ = time_ms;
  type_ = static_cast<uint8_t>(type);
  prop_count_ = static_cast<uint8_t>(props.size());
  length_ = static_cast<uint32_t>(packed);
  p = put_u16(p, account.size());
  p = put_u16(p, user.size());
  p = put_u16(p, name.size());
  p = put_bytes(p, account);
  p = put_bytes(p, user);
  p = put_bytes(p, name);
  for (const Property& prop : props) {
    *p++ = static_cast<char>(prop.value.type());
    p = put_u16(p, prop.key.size());
    p = put_bytes(p, prop.key);
    switch (prop.value.type()) {
      case Value::Type::kString:
        p = put_u16(p, prop.value.as_string().size());
        p = put_bytes(p, prop.value.as_string());
        break;
      case Value::Type::kBool: *p++ = prop.value.as_bool() ? 1 : 0; break;
      case Value::Type::kInt: {
        int64_t i = prop.value.as_int();
        std::memcpy(p, &i, 8);
        p += 8;
        break;
      }
      case Value::Type::kDouble: {
        double d = prop.value.as_double();
        std::memcpy(p, &d, 8);
        p += 8;
        break;
      }
    }
  }
  return true;
}

void EventRecord::unpack(wire::Event* out, std::vector<wire::Property>* props) const {
  const char* p = data();
  size_t account_len = get_u16(p), user_len = get_u16(p), name_len = get_u16(p);
  out->type = static_cast<wire::EventType>(type_);
  out->time_ms = time_ms_;
  out->account = get_bytes(p, account_len);
  out->user = get_bytes(p, user_len);
  out->name = get_bytes(p, name_len);
  props->resize(prop_count_);
  for (wire::Property& prop : *props) {
    prop.value = wire::Value{};
    prop.value.type = static_cast<wire::ValueType>(*p++);
    prop.key = get_bytes(p, get_u16(p));
    switch (prop.value.type) {
      case wire::ValueType::kString: prop.value.s = get_bytes(p, get_u16(p)); break;
      case wire::ValueType::kBool: prop.value.i = *p++ != 0; break;
      case wire::ValueType::kInt: std::memcpy(&prop.value.i, p, 8); p += 8; break;
      case wire::ValueType::kDouble: std::memcpy(&prop.value.d, p, 8); p += 8; break;
    }
  }
  out->props = props->data();
  out->prop_count = props->size();
}

// Both below write to the source record only when it owns heap memory: the
// consumer reads queued records in place, and a write would make the
// producer's next use of that cache line a transfer from the consumer's core.
void EventRecord::release() noexcept {
  if (heap_ != nullptr) {
    delete[] heap_;
    heap_ = nullptr;
  }
}

void EventRecord::move_from(EventRecord& other) noexcept {
  time_ms_ = other.time_ms_;
  length_ = other.length_;
  type_ = other.type_;
  prop_count_ = other.prop_count_;
  heap_ = other.heap_;
  if (heap_ != nullptr) other.heap_ = nullptr;
  // Copy only the bytes in use: typical events are far smaller than a slot.
  if (heap_ == nullptr) std::memcpy(inline_, other.inline_, length_);
}

}  // namespace telltale::detail
