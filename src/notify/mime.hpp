// RFC 5322 / MIME e-mail composition. Header values can never carry a line break: every
// value is cleaned and non-ASCII text is RFC 2047 encoded, so user input cannot add headers.
#pragma once

#include <string>
#include <vector>

namespace vg::notify {

struct Attachment {
    std::string filename;
    std::string content_type;  // e.g. "text/calendar; method=REQUEST; charset=utf-8"
    std::string data;
};

struct Mail {
    std::string from_name;
    std::string from_address;
    std::string reply_to;
    std::string to_name;
    std::string to_address;
    std::string subject;
    std::string text;  // plain text part (UTF-8)
    std::string html;  // HTML part (UTF-8), may be empty
    std::vector<Attachment> attachments;
    std::string message_id;  // without <>; stable per message so receivers can de-duplicate
    long long date = 0;      // epoch seconds for the Date header
};

// Removes CR, LF and other control characters (header injection) and trims.
std::string clean_header_value(const std::string& s);
// "=?UTF-8?B?...?=" words when s is not plain printable ASCII.
std::string encode_header_text(const std::string& s);
// Display name (encoded) and address; empty when the address is unusable.
std::string format_address(const std::string& name, const std::string& address);
// A plain address without spaces, controls or angle brackets.
bool is_safe_address(const std::string& address);
std::string base64_lines(const std::string& data);
// The complete message, CRLF line endings.
std::string build_message(const Mail& m);

}  // namespace vg::notify
