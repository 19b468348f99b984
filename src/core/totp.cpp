#include "core/totp.hpp"

#include <liboath/oath.h>

#include <stdexcept>

#include "core/encoding.hpp"

namespace vg::core {

namespace {

void init_oath() {
    // oath_init only sets up the library's own state (no file, no clock).
    static const int rc = oath_init();
    if (rc != OATH_OK) throw std::runtime_error("liboath could not be initialised");
}

}  // namespace

std::int64_t totp_step(Instant t) {
    return t < 0 ? -1 : t / kTotpStep;
}

std::string totp_code(std::string_view secret, Instant t, int digits) {
    init_oath();
    char out[16] = {};
    int rc = oath_totp_generate(secret.data(), secret.size(), time_t(t), kTotpStep, 0,
                                unsigned(digits), out);
    if (rc != OATH_OK) throw std::invalid_argument(oath_strerror(rc));
    return out;
}

std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code, Instant now,
                                       int window, int digits) {
    if (code.size() != std::size_t(digits)) return std::nullopt;
    for (char c : code)
        if (c < '0' || c > '9') return std::nullopt;
    // Every candidate is computed and compared (no early exit on the first match): the time
    // taken does not tell which step matched.
    std::optional<std::int64_t> found;
    for (int d = -window; d <= window; ++d) {
        Instant t = now + Instant(d) * kTotpStep;
        if (t < 0) continue;
        auto expected = totp_code(secret, t, digits);
        unsigned diff = 0;
        for (std::size_t i = 0; i < expected.size(); ++i) diff |= unsigned(expected[i] ^ code[i]);
        if (diff == 0 && !found) found = totp_step(t);
    }
    return found;
}

std::string base32_encode(std::string_view bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
    return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        int v;
        if (c == ' ' || c == '=') continue;
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= '2' && c <= '7')
            v = c - '2' + 26;
        else
            return std::nullopt;
        buffer = (buffer << 5) | std::uint32_t(v);
        bits += 5;
        if (bits >= 8) {
            out += char((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

std::string otpauth_uri(const std::string& issuer, const std::string& account,
                        std::string_view secret) {
    return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) +
           "?secret=" + base32_encode(secret) + "&issuer=" + percent_encode(issuer) +
           "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
           "&period=" + std::to_string(kTotpStep);
}

}  // namespace vg::core
