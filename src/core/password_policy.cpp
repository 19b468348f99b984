#include "core/password_policy.hpp"

#include <zxcvbn.h>

#include <cctype>

namespace vg::core {

namespace {

// Code points of valid UTF-8; -1 when the text is not valid UTF-8.
int code_points(std::string_view s) {
    int n = 0;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
        if (len == 0 || i + len > s.size()) return -1;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return -1;
        i += len;
        ++n;
    }
    return n;
}

}  // namespace

std::vector<std::string> personal_words(const std::vector<std::string>& texts) {
    std::vector<std::string> out;
    auto add = [&](std::string w) {
        if (w.size() < 3) return;
        for (auto& x : out)
            if (x == w) return;
        out.push_back(std::move(w));
    };
    for (auto& text : texts) {
        std::string word;
        std::string whole;
        for (unsigned char c : text) {
            // Letters and digits (and any UTF-8 byte: accented letters stay in their word).
            if (std::isalnum(c) || c >= 0x80) {
                word += char(std::tolower(c));
            } else {
                add(word);
                word.clear();
            }
            if (c != ' ') whole += char(std::tolower(c));
        }
        add(word);
        add(whole);
    }
    return out;
}

double password_bits(std::string_view password, const std::vector<std::string>& personal) {
    std::string pw(password);
    std::vector<const char*> dict;
    for (auto& w : personal) dict.push_back(w.c_str());
    dict.push_back(nullptr);
    return ZxcvbnMatch(pw.c_str(), dict.data(), nullptr);
}

PasswordVerdict check_password(std::string_view password, bool administrator,
                               const std::vector<std::string>& personal) {
    PasswordVerdict v;
    v.min_length = administrator ? kMinAdminPasswordLength : kMinPasswordLength;
    int n = code_points(password);
    if (n < 0 || password.find('\0') != std::string_view::npos) {
        v.reason = "password.invalid";
        return v;
    }
    if (n < v.min_length) {
        v.reason = "password.too_short";
        return v;
    }
    if (n > kMaxPasswordLength) {
        v.reason = "password.too_long";
        return v;
    }
    v.bits = password_bits(password, personal);
    if (v.bits < kMinPasswordBits) {
        v.reason = "password.guessable";
        return v;
    }
    v.ok = true;
    return v;
}

}  // namespace vg::core
