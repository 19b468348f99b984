// Password hashing for staff accounts: Argon2id (libsodium crypto_pwhash_str), parameters
// justified in docs/SECURITY.md. At most a few hashes run at once (each holds 64 MiB): the
// others wait their turn instead of exhausting the memory.
#pragma once

#include <cstddef>
#include <string>

namespace vg::app {

inline constexpr unsigned long long kPasswordOpsLimit = 2;
inline constexpr std::size_t kPasswordMemLimit = std::size_t(64) << 20;  // 64 MiB

std::string hash_password(const std::string& password);
// False for a wrong password or a hash that is not an Argon2id string.
bool verify_password(const std::string& hash, const std::string& password);
// The same work as verify_password against a fixed hash, result ignored: signing in with an
// unknown e-mail (or an account without password) costs as much as with a known one.
void verify_dummy(const std::string& password);
// True when the hash was made with other parameters (rehash at the next sign-in).
bool password_needs_rehash(const std::string& hash);

}  // namespace vg::app
