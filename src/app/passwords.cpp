#include "app/passwords.hpp"

#include <sodium.h>

#include <algorithm>
#include <semaphore>
#include <stdexcept>
#include <thread>

namespace vg::app {

namespace {

// As many hashes at once as cores (2 to 4): more would only share the cores and multiply
// the memory (64 MiB each).
std::counting_semaphore<4>& gate() {
    static std::counting_semaphore<4> g(
        std::ptrdiff_t(std::clamp(std::thread::hardware_concurrency(), 2u, 4u)));
    return g;
}

struct Turn {
    Turn() { gate().acquire(); }
    ~Turn() { gate().release(); }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
};

}  // namespace

std::string hash_password(const std::string& password) {
    char out[crypto_pwhash_STRBYTES];
    Turn turn;
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), kPasswordOpsLimit,
                              kPasswordMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("password hashing failed (out of memory)");
    return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
    if (hash.rfind("$argon2id$", 0) != 0 || hash.size() >= crypto_pwhash_STRBYTES) return false;
    Turn turn;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void verify_dummy(const std::string& password) {
    static const std::string dummy = hash_password("dummy password never used to sign in");
    (void)verify_password(dummy, password);
}

bool password_needs_rehash(const std::string& hash) {
    return crypto_pwhash_str_needs_rehash(hash.c_str(), kPasswordOpsLimit, kPasswordMemLimit) != 0;
}

}  // namespace vg::app
