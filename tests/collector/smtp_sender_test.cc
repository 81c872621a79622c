// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// send_mail against a real SMTP conversation (TestSmtpServer): the message
// and its envelope arrive whole, STARTTLS is required and the server's
// certificate checked, the login is sent, and each way it fails is said in
// words with the server's answer, never with the password.
#include "mail/smtp_sender.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mail/mail_message.h"
#include "scratch_dir.h"
#include "test_certificate.h"
#include "test_smtp_server.h"

namespace telltale::collector {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using telltale::testing::TestSmtpServer;

std::string message() {
  MailEnvelope e;
  e.from = "Telltale <pql@example.com>";
  e.to = {"dana@example.com"};
  e.date_ms = 1'795'000'000'000;
  e.message_id = "feed-1@telltale";
  return mail_headers(e) + mail_content("New PQL: Globex (93, high)", "Globex: 8 active users.\n.\n..and a dot line");
}

// What send_mail threw, or "" when it did not.
std::string failure(const SmtpSettings& settings, const std::vector<std::string>& to = {"dana@example.com"}) {
  try {
    send_mail(settings, to, message());
  } catch (const MailError& e) {
    return e.what();
  }
  return "";
}

class SmtpSender : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(scratch_.path());
    cert_ = telltale::testing::make_test_certificate(scratch_.path() + "/smtp", "127.0.0.1");
  }
  // A submission server with STARTTLS and a login.
  std::unique_ptr<TestSmtpServer> server() {
    return std::make_unique<TestSmtpServer>(
        telltale::testing::SmtpServerOptions{cert_.cert_file, cert_.key_file, "pql@example.com", "s3cret"});
  }
  SmtpSettings settings(const TestSmtpServer& s) const {
    return {s.url(), "Telltale <pql@example.com>", "pql@example.com", "s3cret", true, cert_.cert_file};
  }

  const telltale::testing::ScratchDir scratch_{"smtp_sender"};
  telltale::testing::TestCertificate cert_;
};

TEST_F(SmtpSender, SendsTheMessageOverStartTlsAfterLoggingIn) {
  auto s = server();
  ASSERT_EQ(failure(settings(*s), {"dana@example.com", "ravi@example.com"}), "");
  const auto got = s->received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].mail_from, "pql@example.com");
  EXPECT_THAT(got[0].to, ElementsAre("dana@example.com", "ravi@example.com"));
  EXPECT_TRUE(got[0].tls);
  EXPECT_EQ(got[0].user, "pql@example.com");
  EXPECT_EQ(got[0].data, message());  // lines that start with a dot came through whole
  EXPECT_EQ(telltale::testing::mail_header(got[0].data, "Subject"), "New PQL: Globex (93, high)");
}

TEST_F(SmtpSender, ARelayWithoutTlsTakesMailOnlyWhenTlsIsNotRequired) {
  TestSmtpServer relay;  // no STARTTLS, no login
  SmtpSettings plain;
  plain.url = relay.url();
  plain.from = "pql@example.com";
  EXPECT_EQ(failure(plain), "mail through 127.0.0.1:" + std::to_string(relay.port()) +
                                ": it offers no STARTTLS, and require_tls is on (set it false for a relay that has "
                                "no TLS)");
  EXPECT_TRUE(relay.received().empty());
  plain.require_tls = false;
  EXPECT_EQ(failure(plain), "");
  ASSERT_EQ(relay.received().size(), 1u);
  EXPECT_FALSE(relay.received()[0].tls);
}

TEST_F(SmtpSender, EachWayItFailsIsSaidWithTheServersAnswer) {
  auto s = server();
  SmtpSettings wrong = settings(*s);
  wrong.password = "not-the-password";
  const std::string login = failure(wrong);
  EXPECT_THAT(login, HasSubstr("mail through 127.0.0.1:" + std::to_string(s->port()) + ": Login denied"));
  EXPECT_THAT(login, HasSubstr("(the server said: 535 5.7.8 Authentication credentials invalid)"));
  EXPECT_THAT(login, Not(HasSubstr("not-the-password")));

  s->refuse_recipient("gone@example.com");
  EXPECT_THAT(failure(settings(*s), {"gone@example.com"}),
              HasSubstr("(the server said: 550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown)"));

  s->defer(1);
  EXPECT_THAT(failure(settings(*s)), HasSubstr("(the server said: 451 4.3.0 Try again later)"));
  EXPECT_EQ(failure(settings(*s)), "");  // the next attempt goes through
  EXPECT_EQ(s->received().size(), 1u);

  SmtpSettings untrusted = settings(*s);
  untrusted.ca_file.clear();  // the system's trust store does not know the test certificate
  EXPECT_THAT(failure(untrusted), HasSubstr("mail through 127.0.0.1:" + std::to_string(s->port()) +
                                            ": SSL certificate problem: self-signed certificate"));
  EXPECT_EQ(s->received().size(), 1u);

  SmtpSettings nobody = settings(*s);
  nobody.url = "smtp://127.0.0.1:1";
  EXPECT_THAT(failure(nobody), HasSubstr("mail through 127.0.0.1:1: Failed to connect"));
  nobody.url = "https://mail.example.com";
  EXPECT_EQ(failure(nobody), "[email] smtp \"https://mail.example.com\" is not an smtp:// or smtps:// URL");
}

TEST(SmtpServerLabel, SaysTheHostAndThePortTheSchemeImplies) {
  EXPECT_EQ(smtp_server_label("smtp://mail.example.com"), "mail.example.com:587");
  EXPECT_EQ(smtp_server_label("smtps://mail.example.com"), "mail.example.com:465");
  EXPECT_EQ(smtp_server_label("smtp://127.0.0.1:2525"), "127.0.0.1:2525");
}

}  // namespace
}  // namespace telltale::collector
