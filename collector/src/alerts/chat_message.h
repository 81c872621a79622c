// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// ChatMessage: a message for a chat tool's incoming webhook, or an email,
// made once from an alert, a burst of feed entries or a digest, and written
// as the tool that gets it reads it: Slack (an incoming-webhook message: a
// header block, mrkdwn sections and context blocks), Microsoft Teams (a
// message with one Adaptive Card, as Teams' incoming webhooks and Workflows
// take: text blocks, the context in small subtle type) or email (the title
// as the subject, the blocks as paragraphs of plain text, and as an HTML
// alternative: mail_content()).
// Its lines are marked up in the tool's dialect (alerts/chat_text.h); its
// title and fallback are plain text, escaped here as each tool needs. An
// email's HTML is a page of the same blocks: headings in bold, lists as
// lists, the context in small grey type, links that read as words.
// Pure; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "alerts/chat_text.h"

namespace telltale::collector {

struct ChatBlock {
  enum class Kind {
    kText,     // lines, one under the other, after the heading if any
    kList,     // the heading, then the lines as list items, then `after`
    kContext,  // a line of small print: where an alert stands, the company
  };
  ChatBlock(Kind kind, std::string heading, std::vector<std::string> lines, std::string after = "")
      : kind(kind), heading(std::move(heading)), lines(std::move(lines)), after(std::move(after)) {}

  Kind kind;
  std::string heading;             // marked up; shown in bold
  std::vector<std::string> lines;  // marked up
  std::string after;               // kList: a line after the items ("… and 3 more")
  // kList: a line under item i where a message has room for it (email; a
  // chat channel keeps a line an item), marked up; none where empty.
  std::vector<std::string> details;
};

struct ChatMessage {
  std::string title;     // plain text: the header
  std::string fallback;  // plain text: what a notification shows
  std::vector<ChatBlock> blocks;
};

// Builds a message in a dialect: its lines marked up as the dialect says.
using ChatBuilder = std::function<ChatMessage(const ChatDialect&)>;

// The webhook body for the tool `dialect` names, of the message `build`
// makes in it; for email, its Subject, MIME headers, and its text with, as
// the alternative a mail reader shows where it can, HTML: the message
// built again in email_html_dialect() (mail/mail_message.h).
std::string render_chat(const ChatDialect& dialect, const ChatBuilder& build);

}  // namespace telltale::collector
