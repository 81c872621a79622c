// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/webhook_message.h"

#include <tuple>

#include <boost/json.hpp>

#include "alerts/alert_history.h"
#include "alerts/chat_message.h"
#include "alerts/dashboard_link.h"
#include "app/iso8601.h"
#include "app/json_text.h"

namespace telltale::collector {
namespace json = boost::json;

namespace {

// "Contacts: Ana Lopez (CTO, ana@acme.com), carl": whom a rep writes to.
std::string contacts_line(const ChatDialect& d, const json::array& contacts) {
  std::string line;
  for (const json::value& v : contacts) {
    const json::object& c = v.as_object();
    auto field = [&](const char* key) { return c.contains(key) ? std::string(c.at(key).as_string()) : ""; };
    std::string detail = field("title");
    if (!field("email").empty()) detail += (detail.empty() ? "" : ", ") + field("email");
    line += (line.empty() ? "Contacts: " : ", ") + d.escape(field("name").empty() ? field("user_id") : field("name"));
    if (!detail.empty()) line += " (" + d.escape(detail) + ")";
  }
  return line;
}

// "New PQL: Globex (93, high)": what happened to which alert, unescaped.
std::string entry_title(const FeedEntry& entry, const json::object& a) {
  const char* what = entry.kind == "created" ? "New PQL" : entry.kind == "closed" ? "PQL closed" : "PQL update";
  return std::string(what) + ": " + account_label(a) + " (" + json_text(a.at("score")) + ", " +
         std::string(a.at("priority").as_string()) + ")";
}

// One feed entry as a chat message: the title, the company, the summary,
// whom to write to, what came of the account's earlier alerts (for a new
// one), and where it stands.
ChatMessage entry_message(const ChatDialect& d, const FeedEntry& entry, const json::object& a,
                          const json::array& earlier, const std::string& alert_url, const std::string& zone) {
  auto text = [&](const char* key) { return std::string(a.at(key).as_string()); };
  ChatMessage m;
  m.title = entry_title(entry, a);
  m.fallback = m.title + ": " + text("summary");
  if (const std::string facts = company_facts(a); !facts.empty())
    m.blocks.push_back({ChatBlock::Kind::kContext, "", {d.escape(facts)}, ""});
  m.blocks.push_back({ChatBlock::Kind::kText, "", {d.escape(text("summary"))}, ""});
  if (const json::value* contacts = a.if_contains("contacts"); contacts && !contacts->as_array().empty())
    m.blocks.push_back({ChatBlock::Kind::kText, "", {contacts_line(d, contacts->as_array())}, ""});
  if (entry.kind == "created" && !earlier.empty()) {
    ChatBlock history{ChatBlock::Kind::kList, "Earlier alerts:", {}, ""};
    for (const json::value& past : earlier) history.lines.push_back(d.escape(alert_history_line(past.as_object())));
    m.blocks.push_back(std::move(history));
  }
  std::string line = d.escape(text("route") + " | owner " + owner_label(a) + " | " + entry.what);
  // How long the rep has: while the alert waits for a first touch, its
  // SLA deadline, which the tool shows in each reader's own time zone.
  if (a.at("sla_breached").as_bool()) {
    line += " | SLA breached";
  } else if (waits_for_first_touch(text("status"), !a.at("first_touch_at").is_null())) {
    const int64_t due_ms = parse_iso8601_ms(text("sla_due")).value_or(0);
    if (due_ms > 0) line += " | first touch by " + d.date(due_ms, zone);
  }
  m.blocks.push_back({ChatBlock::Kind::kContext, "", {std::move(line)}, ""});
  if (!alert_url.empty()) m.blocks.push_back({ChatBlock::Kind::kText, "", {d.link(alert_url, "Open in Telltale")}, ""});
  return m;
}

}  // namespace

std::string webhook_body(const std::string& format, const FeedEntry& entry, const json::array& earlier,
                         const std::string& alert_url, const std::string& zone) {
  json::value alert = json::parse(entry.body);
  if (const ChatDialect* dialect = chat_dialect(format))
    return render_chat(*dialect, [&](const ChatDialect& d) {
      return entry_message(d, entry, alert.as_object(), earlier, alert_url, zone);
    });
  json::object o{{"event", entry.kind}, {"what", entry.what}, {"feed_seq", entry.seq}, {"alert", alert},
                 {"earlier_alerts", earlier}};
  o["url"] = json_text_or_null(alert_url);
  return json_text(o);
}

std::string chat_burst_body(const std::string& format, const std::vector<FeedEntry>& entries,
                            const std::string& dashboard_url) {
  std::vector<json::object> alerts;
  int64_t created = 0, updated = 0, closed = 0;
  for (const FeedEntry& entry : entries) {
    alerts.push_back(json::parse(entry.body).as_object());
    created += entry.kind == "created";
    closed += entry.kind == "closed";
    updated += entry.kind == "updated";
  }
  std::string counts;
  for (const auto& [n, one, many] : {std::tuple{created, "new PQL", "new PQLs"},
                                     std::tuple{updated, "update", "updates"},
                                     std::tuple{closed, "closing", "closings"}})
    if (n) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + (n == 1 ? one : many);
  return render_chat(*chat_dialect(format), [&](const ChatDialect& d) {
    ChatBlock lines{ChatBlock::Kind::kList, "", {}, ""};
    for (size_t i = 0; i < entries.size(); ++i) {
      const FeedEntry& entry = entries[i];
      const json::object& a = alerts[i];
      lines.lines.push_back(d.bold(d.escape(entry_title(entry, a))) + " | " +
                            d.escape(owner_label(a) + " | " + entry.what) +
                            item_link(d, alert_link(dashboard_url, entry.alert_id)));
      // Why each new PQL qualified, where a message has room for it (a mail).
      lines.details.push_back(entry.kind == "created" ? d.escape(std::string(a.at("summary").as_string())) : "");
    }
    ChatMessage m;
    m.title = std::to_string(entries.size()) + " PQL changes: " + counts;
    m.fallback = m.title;
    m.blocks.push_back(std::move(lines));
    return m;
  });
}

}  // namespace telltale::collector
