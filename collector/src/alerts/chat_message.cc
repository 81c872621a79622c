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

// Item i's detail, "" when it has none.
std::string detail(const ChatBlock& b, size_t i) { return i < b.details.size() ? b.details[i] : ""; }

// Paragraphs of plain text: a block's heading on its own line, list items
// as "  - " lines (a detail under its item), the context lines joined by " | ".
std::string email_text(const ChatMessage& m) {
  std::string text;
  for (const ChatBlock& b : m.blocks) {
    std::string paragraph = b.heading.empty() ? "" : b.heading + "\n";
    switch (b.kind) {
      case ChatBlock::Kind::kText: paragraph += joined(b.lines, "", "\n"); break;
      case ChatBlock::Kind::kList:
        for (size_t i = 0; i < b.lines.size(); ++i) {
          paragraph += (i ? "\n  - " : "  - ") + b.lines[i];
          if (const std::string more = detail(b, i); !more.empty()) paragraph += "\n    " + more;
        }
        if (!b.after.empty()) paragraph += "\n" + b.after;
        break;
      case ChatBlock::Kind::kContext: paragraph += joined(b.lines, "", " | "); break;
    }
    text += (text.empty() ? "" : "\n\n") + paragraph;
  }
  return text + "\n";
}

// The same blocks as an HTML page (built in email_html_dialect()): the
// title a heading, paragraphs, lists, the context in small grey type.
std::string email_html(const ChatMessage& m) {
  const ChatDialect& d = email_html_dialect();
  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + d.escape(m.title) +
      "</title></head>\n<body style=\"font-family: sans-serif; font-size: 14px; line-height: 1.45; color: #222\">\n"
      "<h2 style=\"font-size: 18px\">" + d.escape(m.title) + "</h2>\n";
  for (const ChatBlock& b : m.blocks) {
    const std::string heading = b.heading.empty() ? "" : d.bold(b.heading);
    switch (b.kind) {
      case ChatBlock::Kind::kText:
        html += "<p>" + heading + (heading.empty() || b.lines.empty() ? "" : "<br>\n") + joined(b.lines, "", "<br>\n") +
                "</p>\n";
        break;
      case ChatBlock::Kind::kList:
        if (!heading.empty()) html += "<p>" + heading + "</p>\n";
        html += "<ul>\n";
        for (size_t i = 0; i < b.lines.size(); ++i) {
          html += "<li>" + b.lines[i];
          if (const std::string more = detail(b, i); !more.empty())
            html += "<br>\n<span style=\"color: #555\">" + more + "</span>";
          html += "</li>\n";
        }
        html += "</ul>\n";
        if (!b.after.empty()) html += "<p>" + d.escape(b.after) + "</p>\n";
        break;
      case ChatBlock::Kind::kContext:
        html += "<p style=\"color: #666; font-size: 12px\">" + joined(b.lines, "", " | ") + "</p>\n";
        break;
    }
  }
  return html + "</body></html>\n";
}

}  // namespace

std::string render_chat(const ChatDialect& dialect, const ChatBuilder& build) {
  if (&dialect == &email_dialect()) {
    const ChatMessage text = build(email_dialect());
    return mail_content(text.title, email_text(text), email_html(build(email_html_dialect())));
  }
  return &dialect == &teams_dialect() ? teams(build(dialect)) : slack(build(dialect));
}

}  // namespace telltale::collector
