// Phone numbers: parsing and validation (libphonenumber, whose numbering plans are compiled
// in: no I/O), and SMS length rules. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/holidays.hpp"

namespace vg::core {

// The ISO 3166 region whose numbering plan reads a national number ("0690 12 34 56") typed by
// someone living under this holiday calendar: FR (métropole, Alsace-Moselle, none), GP, MQ,
// GF, RE, YT, BE.
std::string_view phone_region(HolidayRegion r);

struct Phone {
    std::string e164;           // "+590690123456"
    std::string international;  // "+590 690 12 34 56": what is stored and shown
    bool mobile = false;        // can receive SMS
};

// A valid number, national in `region` (ISO code, any case: "FR", "gp", "BE"...) or
// international (+ or 00 then the country code), else nullopt: too short or long, not
// allocated in the numbering plan, letters, extensions. "0690 12 34 56" is valid with GP,
// invalid with FR.
std::optional<Phone> parse_phone(const std::string& input, std::string_view region);
// parse_phone(...)->e164.
std::optional<std::string> normalise_e164(const std::string& input, std::string_view region = "FR");
// True for an E.164 number that can receive SMS (a mobile of its numbering plan).
bool is_mobile(const std::string& e164);

// The region whose national numbers ("06...", "0690...", "0470...") citizens of a site or an
// organisation type, from its holiday region code ("fr_reunion" -> "RE", "be" -> "BE").
std::string phone_region(const std::string& holiday_region);

struct SmsLength {
    bool unicode = false;  // UCS-2 needed (a character outside GSM 03.38)
    int units = 0;         // septets (GSM) or UTF-16 code units (UCS-2)
    int segments = 0;      // 1 segment: 160 GSM / 70 UCS-2; concatenated: 153 / 67
};
SmsLength sms_length(const std::string& utf8_text);

}  // namespace vg::core
