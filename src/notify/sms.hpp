// Sends one SMS through an organisation's HTTP(S) gateway with libcurl. The request shape is
// configured per organisation: a POST (or PUT) whose body is a template with the placeholders
// {{to}}, {{text}}, {{sender}} and {{message_id}}, each value escaped for the content type.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "notify/smtp.hpp"  // SendResult

namespace vg::notify {

struct SmsGatewayConfig {
    std::string url;              // https://..., or http:// for 127.0.0.1/localhost only
    std::string method = "POST";  // POST or PUT
    // Extra request headers; values may hold placeholders, except {{text}}.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body_template;  // must contain {{text}}; {{to}} in the body or a header
    std::string content_type = "application/json";  // or application/x-www-form-urlencoded
    std::string sender;                             // alphanumeric sender id or number
    long timeout_seconds = 15;
    bool verify_tls = true;
};

// Error message when the configuration cannot be used, std::nullopt when it is fine. Messages
// never quote header values or the URL (they may hold credentials).
std::optional<std::string> validate(const SmsGatewayConfig& config);

// Reads a configuration such as
//   {"url": "https://api.example/sms", "headers": {"Authorization": "Bearer X"},
//    "body": "{\"to\":\"{{to}}\",\"text\":\"{{text}}\",\"from\":\"{{sender}}\"}",
//    "content_type": "application/json", "sender": "CAF"}
// Optional keys: method, timeout_seconds, verify_tls. Throws std::runtime_error on malformed
// JSON, unknown keys, wrong types or a configuration that validate() refuses.
SmsGatewayConfig parse_sms_gateway(const std::string& json);

// The request body: body_template with every placeholder replaced by its escaped value, in
// one pass (a value containing "{{to}}" is not substituted again). Throws
// std::invalid_argument when a value is not valid UTF-8 or the content type is unsupported.
std::string render_sms_body(const SmsGatewayConfig& config, const std::string& to,
                            const std::string& text, const std::string& message_id);

class SmsSender {
  public:
    // Never throws. ok on HTTP 2xx; permanent for a refused message or configuration and for
    // HTTP 4xx other than 408/429 (and unexpected 1xx/3xx); temporary otherwise (5xx, 408,
    // 429, network errors, timeouts). Errors never contain the number or the text.
    SendResult send(const SmsGatewayConfig& config, const std::string& to_e164,
                    const std::string& text, const std::string& message_id) const;
};

// Longest text accepted by SmsSender::send, in concatenated SMS segments.
inline constexpr int kMaxSmsSegments = 3;

}  // namespace vg::notify
