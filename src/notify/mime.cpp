#include "notify/mime.hpp"

#include <sodium.h>

#include <ctime>

namespace vg::notify {

std::string clean_header_value(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (c == '\r' || c == '\n' || c == '\t')
            out += ' ';
        else if (c >= 0x20 && c != 0x7f)
            out += char(c);
    }
    auto b = out.find_first_not_of(' ');
    auto e = out.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
}

namespace {
std::string b64(const std::string& data) {
    std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                      data.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // trailing NUL
    return out;
}
// Printable ASCII that no decoder could mistake for an encoded word ("=?...?=" typed by
// someone must arrive as typed, so it gets encoded itself).
bool plain_ascii(const std::string& s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return s.find("=?") == std::string::npos;
}
}  // namespace

std::string encode_header_text(const std::string& raw) {
    auto s = clean_header_value(raw);
    if (plain_ascii(s)) return s;
    // Encoded words of at most 45 input bytes (60 base64 chars), cut on UTF-8 boundaries.
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t n = std::min<std::size_t>(45, s.size() - i);
        while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) --n;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + b64(s.substr(i, n)) + "?=";
        i += n;
    }
    return out;
}

bool is_safe_address(const std::string& a) {
    if (a.empty() || a.size() > 254 || a.find('@') == std::string::npos) return false;
    for (unsigned char c : a)
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
            c == '(' || c == ')' || c == '\\')
            return false;
    return true;
}

std::string format_address(const std::string& name, const std::string& address) {
    if (!is_safe_address(address)) return {};
    auto n = clean_header_value(name);
    if (n.empty()) return "<" + address + ">";
    if (plain_ascii(n)) {
        std::string quoted;
        for (char c : n) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        return "\"" + quoted + "\" <" + address + ">";
    }
    return encode_header_text(n) + " <" + address + ">";
}

std::string base64_lines(const std::string& data) {
    auto s = b64(data);
    std::string out;
    for (std::size_t i = 0; i < s.size(); i += 76) out += s.substr(i, 76) + "\r\n";
    return out;
}

std::string build_message(const Mail& m) {
    unsigned char rnd[12];
    randombytes_buf(rnd, sizeof rnd);
    char hex[25];
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    std::string mixed = std::string("=_mixed_") + hex;
    std::string alt = std::string("=_alt_") + hex;

    char date[64];
    std::time_t t = m.date ? std::time_t(m.date) : std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);

    std::string h;
    h += "From: " + format_address(m.from_name, m.from_address) + "\r\n";
    h += "To: " + format_address(m.to_name, m.to_address) + "\r\n";
    if (is_safe_address(m.reply_to)) h += "Reply-To: <" + m.reply_to + ">\r\n";
    h += "Subject: " + encode_header_text(m.subject) + "\r\n";
    h += std::string("Date: ") + date + "\r\n";
    h += "Message-ID: <" + clean_header_value(m.message_id) + ">\r\n";
    h += "MIME-Version: 1.0\r\n";
    h += "Auto-Submitted: auto-generated\r\n";
    h += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";

    std::string b = "--" + mixed + "\r\n";
    b += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
    b += "--" + alt +
         "\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         base64_lines(m.text);
    if (!m.html.empty())
        b += "--" + alt +
             "\r\nContent-Type: text/html; charset=utf-8\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n" +
             base64_lines(m.html);
    b += "--" + alt + "--\r\n";
    for (auto& a : m.attachments) {
        b += "--" + mixed + "\r\n";
        b += "Content-Type: " + clean_header_value(a.content_type) + "\r\n";
        b += "Content-Transfer-Encoding: base64\r\n";
        b += "Content-Disposition: attachment; filename=\"" + clean_header_value(a.filename) +
             "\"\r\n\r\n";
        b += base64_lines(a.data);
    }
    b += "--" + mixed + "--\r\n";
    return h + b;
}

}  // namespace vg::notify
