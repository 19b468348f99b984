// Validation of what a citizen types when booking. Pure: returns message keys that the
// presentation layers translate (locales/*.json, keys "error.*").
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace vg::core {

struct CitizenInput {
    std::string first_name;
    std::string last_name;
    std::string email;
    std::string phone;
    std::string language;
    std::string beneficiary_number;
    std::string needs;
};

// field name ("first_name", "email"...) -> message key ("error.required"...)
using FieldErrors = std::map<std::string, std::string>;

// What the booking adds to the fields' own rules.
struct CitizenRules {
    // ISO region reading a national phone number: the one of the appointment's site
    // (core::phone_region); numbers written with + or 00 and a country code are read as such.
    std::string phone_region = "FR";
    // A phone appointment: the advisor calls this number, so it is required.
    bool phone_required = false;
};

// Trims surrounding spaces in place, then checks every field. A valid phone number is
// rewritten in its international form ("+33 6 12 34 56 78"), readable from any region.
// Empty result = valid.
FieldErrors validate_citizen(CitizenInput& in, const CitizenRules& rules = {});

bool is_valid_utf8(std::string_view s);
// Characters (code points) of valid UTF-8 text.
std::size_t utf8_length(const std::string& s);
std::string trim(const std::string& s);
bool is_supported_language(const std::string& lang);

}  // namespace vg::core
