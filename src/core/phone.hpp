// Phone numbers for SMS: normalisation to E.164 (France, its overseas departments, Belgium)
// and SMS length rules. Pure.
#pragma once

#include <optional>
#include <string>

namespace vg::core {

// "06 12 34 56 78" -> "+33612345678"; "0690 12 34 56" -> "+590690123456" (Guadeloupe);
// "0470 12 34 56" with region "be" -> "+32470123456"; "+32 470..." kept. default_region is
// "fr" or "be" (the organisation's country) and decides how a national 0... number is read.
std::optional<std::string> normalise_e164(const std::string& input,
                                          const std::string& default_region = "fr");
// True for numbers that can receive SMS (French 06/07 and overseas mobiles, Belgian 04xx).
bool is_mobile(const std::string& e164);

// The region whose national numbers ("06...", "0470...") an organisation's citizens type:
// "be" for Belgian holidays, "fr" otherwise. The one place that maps an organisation to it.
std::string phone_region(const std::string& holiday_region);

struct SmsLength {
    bool unicode = false;  // UCS-2 needed (a character outside GSM 03.38)
    int units = 0;         // septets (GSM) or UTF-16 code units (UCS-2)
    int segments = 0;      // 1 segment: 160 GSM / 70 UCS-2; concatenated: 153 / 67
};
SmsLength sms_length(const std::string& utf8_text);

}  // namespace vg::core
