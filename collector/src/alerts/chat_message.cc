// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/chat_message.h"

#include <boost/json.hpp>

#include "app/json_text.h"
#include "mail/mail_message.h"

namespace telltale::collector {
namespace {

namespace json = boost::json;

// Lines joined by `between`, each after `before`.
std::string joined(const std::vector<std::string>& lines, const char* before, const char* between) {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : between) + (before + line);
  return out;
}

json::object slack_section(std::string text) {
  return json::object{{"type", "section"}, {"text", json::object{{"type", "mrkdwn"}, {"text", std::move(text)}}}};
}

std::string slack(const ChatMessage& m) {
  const ChatDialect& d = slack_dialect();
  // The header is plain text: Slack reads no markup in it.
  json::array blocks{
      json::object{{"type", "header"}, {"text", json::object{{"type", "plain_text"}, {"text", m.title}}}}};
  for (const ChatBlock& b : m.blocks) {
    const std::string heading = b.heading.empty() ? "" : d.bold(b.heading) + (b.lines.empty() ? "" : "\n");
    switch (b.kind) {
      case ChatBlock::Kind::kText:
        blocks.push_back(slack_section(heading + joined(b.lines, "", "\n")));
        break;
      case ChatBlock::Kind::kList:
        blocks.push_back(
            slack_section(heading + joined(b.lines, "• ", "\n") + (b.after.empty() ? "" : "\n" + b.after)));
        break;
      case ChatBlock::Kind::kContext:
        blocks.push_back(json::object{
            {"type", "context"},
            {"elements", json::array{json::object{{"type", "mrkdwn"}, {"text", joined(b.lines, "", " | ")}}}}});
        break;
    }
  }
  return json_text(json::object{{"text", d.escape(m.fallback)}, {"blocks", std::move(blocks)}});
}

json::object teams_text(std::string text) {
  return json::object{{"type", "TextBlock"}, {"text", std::move(text)}, {"wrap", true}};
}

std::string teams(const ChatMessage& m) {
  const ChatDialect& d = teams_dialect();
  json::object title = teams_text(d.escape(m.title));
  title["weight"] = "Bolder";
  title["size"] = "Medium";
  json::array body{std::move(title)};
  for (const ChatBlock& b : m.blocks) {
    // A line break in a text block is a paragraph ("\n\n"); list items are
    // "- " lines separated by "\r", as Adaptive Cards' markdown asks.
    if (!b.heading.empty()) body.push_back(teams_text(d.bold(b.heading)));
    switch (b.kind) {
      case ChatBlock::Kind::kText:
        if (!b.lines.empty()) body.push_back(teams_text(joined(b.lines, "", "\n\n")));
        break;
      case ChatBlock::Kind::kList:
        if (!b.lines.empty()) body.push_back(teams_text(joined(b.lines, "- ", "\r")));
        if (!b.after.empty()) body.push_back(teams_text(b.after));
        break;
      case ChatBlock::Kind::kContext: {
        json::object small = teams_text(joined(b.lines, "", " | "));
        small["isSubtle"] = true;
        small["size"] = "Small";
        body.push_back(std::move(small));
        break;
      }
    }
  }
  json::object card{{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                    {"type", "AdaptiveCard"},
                    {"version", "1.4"},
                    {"fallbackText", m.fallback},
                    {"body", std::move(body)}};
  json::object attachment{{"contentType", "application/vnd.microsoft.card.adaptive"},
                          {"contentUrl", nullptr},
                          {"content", std::move(card)}};
  return json_text(json::object{{"type", "message"}, {"attachments", json::array{std::move(attachment)}}});
}

// Paragraphs of plain text: a block's heading on its own line, list items
// as "  - " lines, the context lines joined by " | ".
std::string email(const ChatMessage& m) {
  std::string text;
  for (const ChatBlock& b : m.blocks) {
    std::string paragraph = b.heading.empty() ? "" : b.heading + "\n";
    switch (b.kind) {
      case ChatBlock::Kind::kText: paragraph += joined(b.lines, "", "\n"); break;
      case ChatBlock::Kind::kList:
        paragraph += joined(b.lines, "  - ", "\n") + (b.after.empty() ? "" : "\n" + b.after);
        break;
      case ChatBlock::Kind::kContext: paragraph += joined(b.lines, "", " | "); break;
    }
    text += (text.empty() ? "" : "\n\n") + paragraph;
  }
  return mail_content(m.title, text + "\n");
}

}  // namespace

std::string render_chat(const ChatDialect& dialect, const ChatMessage& message) {
  if (&dialect == &email_dialect()) return email(message);
  return &dialect == &teams_dialect() ? teams(message) : slack(message);
}

}  // namespace telltale::collector
