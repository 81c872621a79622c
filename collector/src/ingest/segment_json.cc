// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "segment_json.h"

#include <boost/json.hpp>
#include <random>

#include "app/iso8601.h"

namespace telltale::collector {
namespace {

namespace json = boost::json;

const char* const kTypes[] = {"track", "identify", "group", "page", "screen", "alias"};

bool known_type(const std::string& t) {
  for (const char* k : kTypes)
    if (t == k) return true;
  return false;
}

std::string generated_message_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "tt-%016llx%016llx", (unsigned long long)rng(), (unsigned long long)rng());
  return buf;
}

const json::string* string_field(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : it->value().if_string();
}

// The first string anywhere in `v` longer than `max`, as a path; empty if none.
std::string long_string(const json::value& v, size_t max, const std::string& path) {
  if (const auto* s = v.if_string()) return s->size() > max ? path : "";
  if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) {
      std::string p = path + "." + std::string(kv.key());
      if (kv.key().size() > max) return p;
      std::string found = long_string(kv.value(), max, p);
      if (!found.empty()) return found;
    }
  }
  if (const auto* a = v.if_array())
    for (size_t i = 0; i < a->size(); ++i) {
      std::string found = long_string((*a)[i], max, path + "[" + std::to_string(i) + "]");
      if (!found.empty()) return found;
    }
  return "";
}

// Checks one call; returns what is wrong with it, or empty.
std::string check_call(json::object& call, const std::string& route_type, const IngestLimits& limits) {
  if (!route_type.empty()) {
    if (const auto* t = string_field(call, "type"); t && *t != route_type.c_str())
      return "type \"" + std::string(*t) + "\" sent to the " + route_type + " route";
    call["type"] = route_type;
  }
  const json::string* type = string_field(call, "type");
  if (type == nullptr) return "missing \"type\"";
  std::string t(*type);
  if (!known_type(t)) return "unknown type \"" + t + "\"";

  auto id_ok = [&](const char* key) {
    auto it = call.find(key);
    if (it == call.end() || it->value().is_null()) return false;
    if (const auto* s = it->value().if_string()) return !s->empty();
    return it->value().is_int64() || it->value().is_uint64();  // Segment accepts numeric ids
  };
  for (const char* key : {"userId", "anonymousId", "groupId"}) {
    auto it = call.find(key);
    if (it != call.end() && !it->value().is_null() && !it->value().is_string() && !it->value().is_int64() &&
        !it->value().is_uint64())
      return std::string("\"") + key + "\" must be a string";
  }
  if (!id_ok("userId") && !id_ok("anonymousId")) return "needs a \"userId\" or an \"anonymousId\"";
  if (t == "track") {
    auto it = call.find("event");
    if (it == call.end() || !it->value().is_string() || it->value().get_string().empty())
      return "track needs a non-empty \"event\" string";
  }
  if (t == "group" && !id_ok("groupId")) return "group needs a \"groupId\"";
  for (const char* key : {"properties", "traits", "context", "integrations"}) {
    auto it = call.find(key);
    if (it != call.end() && !it->value().is_object() && !it->value().is_null())
      return std::string("\"") + key + "\" must be an object";
  }
  for (const char* key : {"properties", "traits"}) {
    auto it = call.find(key);
    if (it != call.end() && it->value().is_object() && it->value().get_object().size() > limits.max_properties)
      return std::string("\"") + key + "\" has more than " + std::to_string(limits.max_properties) + " entries";
  }
  for (const char* key : {"timestamp", "sentAt", "originalTimestamp", "messageId"}) {
    auto it = call.find(key);
    if (it != call.end() && !it->value().is_string() && !it->value().is_null())
      return std::string("\"") + key + "\" must be a string";
  }
  for (const char* key : {"timestamp", "sentAt", "originalTimestamp"})
    if (const json::string* time = string_field(call, key); time && !parse_iso8601_ms(*time))
      return std::string("\"") + key + "\" is not an ISO-8601 time (2026-11-23T10:15:00.123Z): " +
             json::serialize(*time);
  std::string too_long = long_string(call, limits.max_string_bytes, "");
  if (!too_long.empty())
    return "\"" + too_long.substr(1) + "\" is longer than " + std::to_string(limits.max_string_bytes) + " bytes";
  const json::string* message_id = string_field(call, "messageId");
  if (message_id == nullptr || message_id->empty()) call["messageId"] = generated_message_id();
  return "";
}

// The library a call names in context.library, into *out.
void library_of(const json::object& call, SegmentParse* out) {
  const json::object* context = call.contains("context") ? call.at("context").if_object() : nullptr;
  const json::object* library = context && context->contains("library") ? context->at("library").if_object() : nullptr;
  if (!library) return;
  if (const json::string* name = string_field(*library, "name")) out->library_name = std::string(*name);
  if (const json::string* version = string_field(*library, "version")) out->library_version = std::string(*version);
}

}  // namespace

SegmentParse parse_segment(const std::string& body, const std::string& route_type, const IngestLimits& limits) {
  SegmentParse out;
  auto fail = [&](int status, std::string error, std::string detail) {
    out.ok = false;
    out.status = status;
    out.error = std::move(error);
    out.detail = std::move(detail);
    out.calls.clear();
    return out;
  };
  json::value root;
  try {
    json::parse_options opts;
    opts.max_depth = 64;
    root = json::parse(body, {}, opts);
  } catch (const std::exception& e) {
    return fail(400, "invalid_json", e.what());
  }
  json::object* top = root.if_object();
  if (top == nullptr) return fail(400, "invalid_json", "the body must be a JSON object");
  if (const json::string* key = string_field(*top, "writeKey")) out.write_key = std::string(*key);

  std::vector<json::object*> calls;
  if (route_type.empty()) {
    auto it = top->find("batch");
    if (it == top->end() || !it->value().is_array())
      return fail(400, "invalid_batch", "a batch body needs a \"batch\" array");
    json::array& batch = it->value().get_array();
    if (batch.size() > limits.max_events_per_batch)
      return fail(413, "too_many_events", std::to_string(batch.size()) + " calls exceed the limit of " +
                                              std::to_string(limits.max_events_per_batch));
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].is_object()) return fail(400, "invalid_event", "batch[" + std::to_string(i) + "] is not an object");
      calls.push_back(&batch[i].get_object());
    }
  } else {
    calls.push_back(top);
  }

  for (size_t i = 0; i < calls.size(); ++i) {
    json::object& call = *calls[i];
    // Context and sentAt shared by the whole batch (Segment's batch level:
    // where the server libraries say when they sent it) are folded into
    // each call that has none of its own.
    if (route_type.empty())
      for (const char* shared : {"context", "sentAt"})
        if (auto it = top->find(shared); it != top->end() && !call.contains(shared)) call[shared] = it->value();
    std::string problem = check_call(call, route_type, limits);
    if (!problem.empty()) {
      std::string where = route_type.empty() ? "batch[" + std::to_string(i) + "]: " : "";
      return fail(400, "invalid_event", where + problem);
    }
    call.erase("writeKey");  // a credential does not belong in the log
    if (i == 0) library_of(call, &out);
    SegmentCall c;
    c.type = std::string(call.at("type").get_string());
    c.message_id = std::string(call.at("messageId").get_string());
    c.json = json::serialize(call);
    out.calls.push_back(std::move(c));
  }
  out.ok = true;
  return out;
}

}  // namespace telltale::collector
