// Secret tokens for management and room links: 256 random bits, only their hash stored.
#pragma once

#include <string>

namespace vg::app {

// Call once before any thread uses tokens.
void init_crypto();
// 32 random bytes as unpadded base64url (43 characters).
std::string new_token();
// BLAKE2b-256 of the token, hex: what the database keeps.
std::string hash_token(const std::string& token);
// True when s has the shape of a token (cheap filter before any lookup).
bool looks_like_token(const std::string& s);
// Compares two secrets in time that depends on their length only (sodium_memcmp).
bool same_secret(const std::string& a, const std::string& b);

}  // namespace vg::app
