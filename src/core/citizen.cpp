#include "core/citizen.hpp"

#include <algorithm>
#include <cstdint>

#include "core/phone.hpp"

namespace vg::core {

namespace {

constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxNeeds = 1000;

// Control characters could break headers of the messages built from these fields.
bool has_control(const std::string& s, bool allow_newline) {
    return std::any_of(s.begin(), s.end(), [&](unsigned char c) {
        if (allow_newline && (c == '\n' || c == '\r' || c == '\t')) return false;
        return c < 0x20 || c == 0x7f;
    });
}

bool valid_email(const std::string& e) {
    auto at = e.find('@');
    if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos)
        return false;
    auto domain = e.substr(at + 1);
    auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || domain.back() == '.') return false;
    if (domain.find("..") != std::string::npos) return false;
    return std::none_of(e.begin(), e.end(), [](unsigned char c) {
        return c <= 0x20 || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '(' ||
               c == ')' || c == '[' || c == ']' || c == '\\' || c == 0x7f;
    });
}

bool valid_beneficiary_number(const std::string& b) {
    return b.size() <= 20 && std::all_of(b.begin(), b.end(), [](unsigned char c) {
               return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      c == ' ' || c == '-';
           });
}

void check_name(FieldErrors& err, const char* field, const std::string& v) {
    if (v.empty())
        err[field] = "error.required";
    else if (utf8_length(v) > kMaxName)
        err[field] = "error.too_long";
    else if (has_control(v, false) || v.find_first_of("<>\"") != std::string::npos)
        err[field] = "error.invalid_characters";
}

}  // namespace

std::size_t utf8_length(const std::string& s) {
    return std::size_t(
        std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        // Overlong forms, surrogates and out-of-range code points are not UTF-8.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

bool is_supported_language(const std::string& lang) {
    return lang == "fr" || lang == "en" || lang == "nl" || lang == "de";
}

FieldErrors validate_citizen(CitizenInput& in, const CitizenRules& rules) {
    FieldErrors err;
    for (auto* f : {&in.first_name, &in.last_name, &in.email, &in.phone, &in.language,
                    &in.beneficiary_number, &in.needs}) {
        *f = trim(*f);
    }
    const std::pair<const char*, const std::string*> all[] = {
        {"first_name", &in.first_name},
        {"last_name", &in.last_name},
        {"email", &in.email},
        {"phone", &in.phone},
        {"language", &in.language},
        {"beneficiary_number", &in.beneficiary_number},
        {"needs", &in.needs}};
    for (auto& [name, v] : all)
        if (!is_valid_utf8(*v)) err[name] = "error.invalid_characters";
    if (!err.empty()) return err;

    check_name(err, "first_name", in.first_name);
    check_name(err, "last_name", in.last_name);
    if (in.email.empty() && in.phone.empty()) {
        err["email"] = "error.email_or_phone";
        err["phone"] = "error.email_or_phone";
    }
    if (!in.email.empty() && (in.email.size() > kMaxEmail || !valid_email(in.email)))
        err["email"] = "error.invalid_email";
    if (in.phone.empty() && rules.phone_required) {
        err["phone"] = "error.phone_required";
    } else if (!in.phone.empty()) {
        if (auto p = parse_phone(in.phone, rules.phone_region))
            in.phone = p->international;
        else
            err["phone"] = "error.invalid_phone";
    }
    if (in.language.empty()) in.language = "fr";
    if (!is_supported_language(in.language)) err["language"] = "error.invalid_choice";
    if (!valid_beneficiary_number(in.beneficiary_number))
        err["beneficiary_number"] = "error.invalid_beneficiary_number";
    if (utf8_length(in.needs) > kMaxNeeds)
        err["needs"] = "error.too_long";
    else if (has_control(in.needs, true))
        err["needs"] = "error.invalid_characters";
    return err;
}

}  // namespace vg::core
