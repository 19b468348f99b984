#include "core/phone.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace vg::core {

namespace {

using i18n::phonenumbers::PhoneNumberUtil;

// Only what people type in a phone number: digits, one leading '+', spaces and the usual
// separators. libphonenumber alone would read letters as keypad digits ("06 12 AB...").
bool plain_characters(const std::string& s) {
    if (s.empty() || s.size() > 40) return false;
    bool digit = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c == '+' && i == s.find_first_not_of(' '))
            continue;
        else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')' && c != '/')
            return false;
    }
    return digit;
}

std::string upper(std::string_view region) {
    std::string out(region);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return out;
}

}  // namespace

std::string_view phone_region(HolidayRegion r) {
    switch (r) {
        case HolidayRegion::fr_guadeloupe:
            return "GP";
        case HolidayRegion::fr_martinique:
            return "MQ";
        case HolidayRegion::fr_guyane:
            return "GF";
        case HolidayRegion::fr_reunion:
            return "RE";
        case HolidayRegion::fr_mayotte:
            return "YT";
        case HolidayRegion::be:
            return "BE";
        default:
            return "FR";
    }
}

std::optional<Phone> parse_phone(const std::string& input, std::string_view region) {
    if (!plain_characters(input)) return std::nullopt;
    auto& util = *PhoneNumberUtil::GetInstance();
    i18n::phonenumbers::PhoneNumber number;
    if (util.Parse(input, upper(region), &number) != PhoneNumberUtil::NO_PARSING_ERROR)
        return std::nullopt;
    if (number.has_extension() || !util.IsValidNumber(number)) return std::nullopt;
    Phone out;
    util.Format(number, PhoneNumberUtil::E164, &out.e164);
    util.Format(number, PhoneNumberUtil::INTERNATIONAL, &out.international);
    auto type = util.GetNumberType(number);
    out.mobile = type == PhoneNumberUtil::MOBILE || type == PhoneNumberUtil::FIXED_LINE_OR_MOBILE;
    return out;
}

std::optional<std::string> normalise_e164(const std::string& input, std::string_view region) {
    auto p = parse_phone(input, region);
    if (!p) return std::nullopt;
    return p->e164;
}

std::string phone_region(const std::string& holiday_region) {
    return std::string(
        phone_region(parse_holiday_region(holiday_region).value_or(HolidayRegion::none)));
}

bool is_mobile(const std::string& e164) {
    if (e164.empty() || e164[0] != '+') return false;
    auto p = parse_phone(e164, "ZZ");
    return p && p->mobile && p->e164 == e164;
}

namespace {

// GSM 03.38 basic set (as Unicode code points) and the extension table (2 septets each).
bool gsm_basic(std::uint32_t c) {
    static const std::u32string basic =
        U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        U"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    return basic.find(char32_t(c)) != std::u32string::npos;
}
bool gsm_extension(std::uint32_t c) {
    static const std::u32string ext = U"^{}\\[~]|€\f";
    return ext.find(char32_t(c)) != std::u32string::npos;
}

std::vector<std::uint32_t> code_points(const std::string& s) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::uint32_t cp;
        int len;
        if (c < 0x80)
            cp = c, len = 1;
        else if ((c & 0xE0) == 0xC0)
            cp = c & 0x1F, len = 2;
        else if ((c & 0xF0) == 0xE0)
            cp = c & 0x0F, len = 3;
        else
            cp = c & 0x07, len = 4;
        for (int k = 1; k < len && i + std::size_t(k) < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + std::size_t(k)]) & 0x3F);
        out.push_back(cp);
        i += std::size_t(len);
    }
    return out;
}

}  // namespace

SmsLength sms_length(const std::string& utf8_text) {
    SmsLength r;
    auto cps = code_points(utf8_text);
    int septets = 0;
    for (auto c : cps) {
        if (gsm_basic(c))
            septets += 1;
        else if (gsm_extension(c))
            septets += 2;
        else
            r.unicode = true;
    }
    if (r.unicode) {
        for (auto c : cps) r.units += c > 0xFFFF ? 2 : 1;
        r.segments = r.units == 0 ? 0 : r.units <= 70 ? 1 : (r.units + 66) / 67;
    } else {
        r.units = septets;
        r.segments = r.units == 0 ? 0 : r.units <= 160 ? 1 : (r.units + 152) / 153;
    }
    return r;
}

}  // namespace vg::core
