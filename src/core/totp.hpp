// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps from the epoch),
// computed by liboath. Pure: the instant is always given (a core::Clock's now()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace vg::core {

inline constexpr int kTotpStep = 30;         // seconds
inline constexpr int kTotpDigits = 6;        // what authenticator apps show
inline constexpr int kTotpSecretBytes = 20;  // 160 bits (RFC 4226 recommends it)

// The time step of an instant.
std::int64_t totp_step(Instant t);
// The code of the secret (raw bytes) at instant t, zero-padded to `digits`.
std::string totp_code(std::string_view secret, Instant t, int digits = kTotpDigits);
// The step whose code matches, looking `window` steps either side of now (clock drift of
// the phone); nullopt when none does or the code is not `digits` digits.
std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code, Instant now,
                                       int window = 1, int digits = kTotpDigits);

// RFC 4648 base32 without padding (what authenticator apps take), and back (spaces and case
// ignored); nullopt when not base32.
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

// otpauth://totp/<issuer>:<account>?secret=...&issuer=... (the QR code's content).
std::string otpauth_uri(const std::string& issuer, const std::string& account,
                        std::string_view secret);

}  // namespace vg::core
