// Password policy for staff accounts: length, then zxcvbn's estimate of how many guesses the
// password takes (log2, "bits"), with the organisation's and the person's own words added to
// its dictionaries. Pure: zxcvbn-c's dictionaries are compiled into the library.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vg::core {

inline constexpr int kMinPasswordLength = 12;       // code points
inline constexpr int kMinAdminPasswordLength = 16;  // administrators
inline constexpr int kMaxPasswordLength = 256;
// log2 of the guesses zxcvbn estimates (docs/SECURITY.md: why 40).
inline constexpr double kMinPasswordBits = 40.0;

struct PasswordVerdict {
    bool ok = false;
    // Catalogue key of the reason (password.too_short, password.too_long,
    // password.guessable, password.invalid), "" when ok.
    std::string reason;
    double bits = 0;  // zxcvbn's estimate
    int min_length = kMinPasswordLength;
};

// Words a guesser would try first for this person: the organisation's name, their display
// name and the parts of their e-mail address (split on non-letters, lower case, 3+ letters).
std::vector<std::string> personal_words(const std::vector<std::string>& texts);

// administrator: 16 characters at least instead of 12.
PasswordVerdict check_password(std::string_view password, bool administrator,
                               const std::vector<std::string>& personal);

// zxcvbn's estimate alone (log2 of the guesses).
double password_bits(std::string_view password, const std::vector<std::string>& personal);

}  // namespace vg::core
