#include "app/secrets.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace vg::app {

Sealer Sealer::from_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (in) {
        std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (key.size() != crypto_secretbox_KEYBYTES)
            throw std::runtime_error("secret key file " + path + " must hold exactly 32 bytes");
        return Sealer(key);
    }
    std::string key(crypto_secretbox_KEYBYTES, '\0');
    crypto_secretbox_keygen(reinterpret_cast<unsigned char*>(key.data()));
    auto old = ::umask(077);
    std::ofstream out(path, std::ios::binary);
    ::umask(old);
    if (!out) throw std::runtime_error("cannot create secret key file " + path);
    out << key;
    return Sealer(key);
}

Sealer::Sealer(std::string key) : key_(std::move(key)) {
    if (key_.size() != crypto_secretbox_KEYBYTES) throw std::runtime_error("bad secret key size");
}

std::string Sealer::seal(const std::string& plain) const {
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
    auto* b = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(b, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(b + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), b,
                          reinterpret_cast<const unsigned char*>(key_.data()));
    std::string out(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), b, box.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.size() - 1);
    return out;
}

std::optional<std::string> Sealer::open(const std::string& sealed) const {
    std::string box(sealed.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), sealed.data(),
                          sealed.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return std::nullopt;
    if (len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
    auto* b = reinterpret_cast<const unsigned char*>(box.data());
    std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   b + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, b,
                                   reinterpret_cast<const unsigned char*>(key_.data())) != 0)
        return std::nullopt;
    return plain;
}

}  // namespace vg::app
