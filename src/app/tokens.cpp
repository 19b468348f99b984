#include "app/tokens.hpp"

#include <sodium.h>

#include <stdexcept>

namespace vg::app {

void init_crypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string new_token() {
    unsigned char buf[32];
    randombytes_buf(buf, sizeof buf);
    char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(out, sizeof out, buf, sizeof buf, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

std::string hash_token(const std::string& token) {
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

bool looks_like_token(const std::string& s) {
    if (s.size() != 43) return false;
    for (unsigned char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    return true;
}

bool same_secret(const std::string& a, const std::string& b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vg::app
