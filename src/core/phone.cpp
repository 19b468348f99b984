#include "core/phone.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace vg::core {

namespace {

std::string digits_only(const std::string& s, bool& plus, bool& ok) {
    std::string d;
    plus = false;
    ok = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            d += c;
        else if (c == '+' && d.empty() && !plus)
            plus = true;
        else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')' && c != '/')
            ok = false;
    }
    return d;
}

// French overseas mobile prefixes (after the leading 0) and their country codes.
struct Overseas {
    const char* national;  // e.g. "690"
    const char* country;   // e.g. "590"
};
constexpr Overseas kOverseas[] = {
    {"690", "590"}, {"691", "590"},  // Guadeloupe, Saint-Martin, Saint-Barthélemy
    {"696", "596"}, {"697", "596"},  // Martinique
    {"694", "594"},                  // Guyane
    {"692", "262"}, {"693", "262"},  // La Réunion
    {"639", "262"},                  // Mayotte
    {"590", "590"}, {"596", "596"}, {"594", "594"}, {"262", "262"}, {"269", "262"},  // landlines
};

}  // namespace

std::optional<std::string> normalise_e164(const std::string& input,
                                          const std::string& default_region) {
    bool plus = false, ok = true;
    auto d = digits_only(input, plus, ok);
    if (!ok || d.empty()) return std::nullopt;
    if (!plus && d.rfind("00", 0) == 0) {  // international prefix 00
        d = d.substr(2);
        plus = true;
    }
    if (plus) {
        // Drop a national trunk 0 written after the country code: +33 (0)6 ...
        for (std::string_view cc : {"33", "32", "590", "596", "594", "262"}) {
            if (d.rfind(cc, 0) == 0 && d.size() > cc.size() && d[cc.size()] == '0') {
                d.erase(cc.size(), 1);
                // No national number starts with 0 after the trunk 0: "+32 00474..." is not a
                // number (and would lose one more 0 each time it is read again).
                if (d.size() > cc.size() && d[cc.size()] == '0') return std::nullopt;
            }
        }
        if (d.size() < 8 || d.size() > 15) return std::nullopt;
        return "+" + d;
    }
    if (d.size() < 2 || d[0] != '0') return std::nullopt;
    if (default_region == "be") {
        // Belgian national numbers: 0 + 8 digits (landline) or 0 + 9 digits (mobile 04xx).
        if (d.size() != 9 && d.size() != 10) return std::nullopt;
        return "+32" + d.substr(1);
    }
    if (d.size() != 10) return std::nullopt;  // French numbers: 0 + 9 digits
    auto rest = d.substr(1);
    for (auto& o : kOverseas)
        if (rest.rfind(o.national, 0) == 0) return std::string("+") + o.country + rest;
    return "+33" + rest;
}

std::string phone_region(const std::string& holiday_region) {
    return holiday_region == "be" ? "be" : "fr";
}

bool is_mobile(const std::string& e164) {
    auto starts = [&](std::string_view p) { return e164.rfind(p, 0) == 0; };
    if (starts("+336") || starts("+337")) return e164.size() == 12;
    if (starts("+324")) return e164.size() == 12;
    for (std::string_view p :
         {"+590690", "+590691", "+596696", "+596697", "+594694", "+262692", "+262693", "+262639"})
        if (starts(p)) return e164.size() == 13;
    return false;
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
