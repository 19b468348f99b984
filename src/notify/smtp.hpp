// Sends one composed message over SMTP with libcurl (smtp:// with opportunistic or required
// STARTTLS, smtps:// implicit TLS, credentials in the URL: smtps://user:pass@host).
#pragma once

#include <string>

namespace vg::notify {

struct SmtpSettings {
    std::string url;               // empty: e-mail disabled
    std::string starttls = "try";  // off | try | required (smtp:// only)
    long connect_timeout_seconds = 5;
    long timeout_seconds = 30;
    bool verify_tls = true;
};

struct SendResult {
    bool ok = false;
    bool permanent = false;  // 5xx: retrying will not help
    std::string error;
};

class SmtpSender {
  public:
    explicit SmtpSender(SmtpSettings s) : s_(std::move(s)) {}
    SendResult send(const std::string& from, const std::string& to,
                    const std::string& message) const;
    bool enabled() const { return !s_.url.empty(); }

  private:
    SmtpSettings s_;
};

}  // namespace vg::notify
