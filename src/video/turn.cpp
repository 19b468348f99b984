#include "video/turn.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace vg::video {

TurnCredential turn_credential(const std::string& secret, core::Instant expiry,
                               const std::string& participant) {
    TurnCredential c;
    c.username = std::to_string(expiry) + ":" + participant;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha1(), secret.data(), int(secret.size()),
              reinterpret_cast<const unsigned char*>(c.username.data()), c.username.size(), mac,
              &length))
        throw std::runtime_error("HMAC-SHA1 failed");
    // Standard base64 with padding, as coturn computes it.
    std::string out(4 * ((length + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, int(length));
    out.resize(std::size_t(n));
    c.credential = out;
    return c;
}

}  // namespace vg::video
