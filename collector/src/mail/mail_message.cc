// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "mail/mail_message.h"

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>
#include <boost/algorithm/string/trim.hpp>
#include <boost/url/parse.hpp>

#include "app/base64.h"
#include "app/wall_clock.h"

namespace telltale::collector {
namespace {

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

bool is_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// The length of the longest prefix of `text` of at most `most` bytes that
// does not end in the middle of a UTF-8 character.
size_t utf8_prefix(std::string_view text, size_t most) {
  if (text.size() <= most) return text.size();
  size_t n = most;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return n > 0 ? n : most;
}

// A body's line, its controls spaces, as lines of at most kColumns where it
// has spaces to break at; the lines after the first start under its text
// (a list item's, "  - ", under the text after its dash).
constexpr size_t kColumns = 76;
constexpr size_t kLongestWord = 900;  // SMTP's lines end by 998 bytes
void add_wrapped(std::string_view line, std::string* out) {
  const std::string clean = one_line(line);
  if (clean.empty()) out->append("\r\n");  // a paragraph's end
  const size_t indent = std::min(clean.find_first_not_of(' '), clean.size());
  const size_t hang = std::min(indent + (clean.compare(indent, 2, "- ") == 0 ? 2 : 0), kColumns / 2);
  std::string_view rest = clean;
  for (size_t lead = 0; !rest.empty(); lead = hang) {  // lead: the spaces put before `rest`
    size_t cut = rest.size();
    if (lead + rest.size() > kColumns) {
      const size_t start = lead ? 0 : hang;  // not within the first line's indent or dash
      const size_t space = rest.rfind(' ', kColumns - lead);
      if (space != std::string_view::npos && space > start) {
        cut = space;
      } else {
        const size_t next = rest.find(' ', std::min(start + 1, rest.size()));
        cut = next == std::string_view::npos ? rest.size() : next;
      }
      cut = std::min(cut, utf8_prefix(rest, kLongestWord));
    }
    out->append(lead, ' ').append(rest.substr(0, cut)).append("\r\n");
    rest.remove_prefix(cut);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);  // where the line was broken
  }
}

}  // namespace

bool is_mail_address(std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  for (char c : address)
    if (is_control(c) || std::string_view(" <>,;\"()[]\\").find(c) != std::string_view::npos) return false;
  return true;
}

std::optional<std::vector<std::string>> mailto_recipients(std::string_view url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& u = *parsed;
  if (boost::algorithm::to_lower_copy(std::string(u.scheme())) != "mailto" || u.has_authority() || u.has_query() ||
      u.has_fragment())
    return std::nullopt;
  std::vector<std::string> addresses;
  const std::string path = u.path();
  boost::algorithm::split(addresses, path, boost::algorithm::is_any_of(","));
  for (std::string& address : addresses) {
    boost::algorithm::trim(address);
    if (!is_mail_address(address)) return std::nullopt;
  }
  return addresses;
}

std::optional<std::string> sender_address(std::string_view from) {
  std::string address = boost::algorithm::trim_copy(std::string(from));
  if (const size_t open = address.rfind('<'); open != std::string::npos) {
    if (!address.ends_with('>')) return std::nullopt;  // "Name <address>", nothing after
    address = boost::algorithm::trim_copy(address.substr(open + 1, address.size() - open - 2));
  }
  if (!is_mail_address(address)) return std::nullopt;
  return address;
}

std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (is_control(c)) c = ' ';
  return out;
}

std::string header_text(std::string_view text) {
  const std::string clean = one_line(text);
  if (is_ascii(clean)) return clean.substr(0, kLongestWord);
  // Encoded words of at most 75 characters: 45 bytes of text each.
  std::string out;
  std::string_view rest = clean;
  while (!rest.empty()) {
    const size_t n = utf8_prefix(rest, 45);
    out += (out.empty() ? "" : "\r\n ") + ("=?UTF-8?B?" + base64_encode(rest.substr(0, n)) + "?=");
    rest.remove_prefix(n);
  }
  return out;
}

namespace {

// `text` with CRLF line ends, its lines wrapped.
std::string wrapped_text(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    add_wrapped(line, &out);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return out;
}

// `bytes` in base64, lines of 76 characters with CRLF (RFC 2045).
std::string base64_lines(std::string_view bytes) {
  const std::string encoded = base64_encode(bytes);
  std::string out;
  for (size_t at = 0; at < encoded.size(); at += 76) out.append(encoded, at, 76).append("\r\n");
  return out;
}

constexpr char kTextHeaders[] = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";

}  // namespace

std::string mail_content(std::string_view subject, std::string_view text, std::string_view html) {
  std::string out = "Subject: " + header_text(subject) + "\r\nMIME-Version: 1.0\r\n";
  const std::string plain = wrapped_text(text);
  if (html.empty()) return out + kTextHeaders + plain;
  // A boundary the text part does not hold ("=_" never occurs in base64, the HTML part's encoding).
  std::string boundary = "=_telltale_alternative";
  while (plain.find("--" + boundary) != std::string::npos) boundary += "_";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n" + kTextHeaders + plain;
  out += "--" + boundary + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(html);
  return out + "--" + boundary + "--\r\n";
}

std::string mail_date(int64_t ms) { return utc_text(ms, "%a, %d %b %Y %H:%M:%S +0000"); }

std::string mail_headers(const MailEnvelope& e) {
  // A display name may be in any language; the address is ASCII.
  std::string from = e.from;
  if (const size_t open = from.rfind('<'); open != std::string::npos) {
    const std::string name = boost::algorithm::trim_copy(from.substr(0, open));
    from = (name.empty() ? "" : header_text(name) + " ") + from.substr(open);
  }
  std::string to;
  for (const std::string& address : e.to) to += (to.empty() ? "" : ", ") + address;
  std::string out = "From: " + from + "\r\nTo: " + header_text(to) + "\r\nDate: " + mail_date(e.date_ms) +
                    "\r\nMessage-ID: <" + header_text(e.message_id) + ">\r\nAuto-Submitted: auto-generated\r\n";
  for (const auto& [name, value] : e.extra) out += name + ": " + header_text(value) + "\r\n";
  return out;
}

}  // namespace telltale::collector
