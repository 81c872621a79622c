// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// ChatMessage: a message for a chat tool's incoming webhook, or an email,
// made once from an alert, a burst of feed entries or a digest, and written
// as the tool that gets it reads it: Slack (an incoming-webhook message: a
// header block, mrkdwn sections and context blocks), Microsoft Teams (a
// message with one Adaptive Card, as Teams' incoming webhooks and Workflows
// take: text blocks, the context in small subtle type) or email (the title
// as the subject, the blocks as paragraphs of plain text: mail_content()).
// Its lines are marked up in the tool's dialect (alerts/chat_text.h); its
// title and fallback are plain text, escaped here as each tool needs.
// Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "alerts/chat_text.h"

namespace telltale::collector {

struct ChatBlock {
  enum class Kind {
    kText,     // lines, one under the other, after the heading if any
    kList,     // the heading, then the lines as list items, then `after`
    kContext,  // a line of small print: where an alert stands, the company
  };
  Kind kind = Kind::kText;
  std::string heading;             // marked up; shown in bold
  std::vector<std::string> lines;  // marked up
  std::string after;               // kList: a line after the items ("… and 3 more")
};

struct ChatMessage {
  std::string title;     // plain text: the header
  std::string fallback;  // plain text: what a notification shows
  std::vector<ChatBlock> blocks;
};

// The webhook body of `message` for the tool `dialect` names; for email,
// the message's Subject, MIME headers and text (mail/mail_message.h).
std::string render_chat(const ChatDialect& dialect, const ChatMessage& message);

}  // namespace telltale::collector
