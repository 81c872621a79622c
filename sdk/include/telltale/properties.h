// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Properties and traits handed to Tracker calls: a non-owning list of
// key/value pairs whose values are strings, 64-bit integers, doubles or
// bools. Nothing here allocates or copies the strings: a `Properties` is a
// view that must outlive only the call it is passed to, which copies what it
// needs. Brace lists work directly:
//
//   t->track("acme", "u42", "Report Created", {{"rows", 120}, {"plan", "free"}});
//
// and a dynamic list can be passed as a std::vector<Property>. A brace list
// lives only until the end of the statement it is written in: never keep a
// Properties made from one in a variable; keep a std::vector<Property>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace telltale {

class Value {
 public:
  enum class Type : uint8_t { kString = 0, kInt = 1, kDouble = 2, kBool = 3 };

  Value(std::string_view s) noexcept : type_(Type::kString), s_(s) {}
  Value(const char* s) noexcept : type_(Type::kString), s_(s ? std::string_view(s) : std::string_view()) {}
  Value(const std::string& s) noexcept : type_(Type::kString), s_(s) {}
  Value(bool b) noexcept : type_(Type::kBool), i_(b ? 1 : 0) {}
  Value(double d) noexcept : type_(Type::kDouble), d_(d) {}
  Value(float d) noexcept : type_(Type::kDouble), d_(d) {}
  // Any integer type except bool; unsigned values above INT64_MAX wrap.
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Value(T v) noexcept : type_(Type::kInt), i_(static_cast<int64_t>(v)) {}

  Type type() const noexcept { return type_; }
  std::string_view as_string() const noexcept { return s_; }
  int64_t as_int() const noexcept { return i_; }
  double as_double() const noexcept { return d_; }
  bool as_bool() const noexcept { return i_ != 0; }

 private:
  Type type_;
  int64_t i_ = 0;
  double d_ = 0;
  std::string_view s_;
};

struct Property {
  Property(std::string_view k, Value v) noexcept : key(k), value(v) {}
  std::string_view key;
  Value value;
};

class Properties {
 public:
  Properties() noexcept = default;
  // The brace list's array lives until the end of the full expression that
  // contains the call, which is all a Properties needs.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  Properties(std::initializer_list<Property> list) noexcept : data_(list.begin()), size_(list.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  Properties(const Property* data, size_t size) noexcept : data_(data), size_(size) {}
  Properties(const std::vector<Property>& list) noexcept : data_(list.data()), size_(list.size()) {}

  const Property* begin() const noexcept { return data_; }
  const Property* end() const noexcept { return data_ + size_; }
  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

 private:
  const Property* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace telltale
