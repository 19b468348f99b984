#include "store/secrets.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace vg::store {

namespace {

std::string read_key(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read secret key file " + path);
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() != crypto_secretbox_KEYBYTES)
        throw std::runtime_error("secret key file " + path + " must hold exactly 32 bytes");
    return key;
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw std::runtime_error(what + " " + path + ": " + std::strerror(err));
}

}  // namespace

Sealer Sealer::from_file(const std::string& path) {
    // O_EXCL: never follows a link nor writes into a file someone else created; when the file
    // appeared meanwhile (another process starting), it is read instead.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return Sealer(read_key(path));
        fail("cannot create secret key file", path, errno);
    }
    std::string key(crypto_secretbox_KEYBYTES, '\0');
    crypto_secretbox_keygen(reinterpret_cast<unsigned char*>(key.data()));
    std::size_t done = 0;
    while (done < key.size()) {
        auto n = ::write(fd, key.data() + done, key.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = errno;
            ::close(fd);
            ::unlink(path.c_str());
            fail("cannot write secret key file", path, err);
        }
        done += std::size_t(n);
    }
    // The key seals links that the database keeps: it must survive a power cut as they do.
    if (::fsync(fd) != 0) {
        int err = errno;
        ::close(fd);
        ::unlink(path.c_str());
        fail("cannot flush secret key file", path, err);
    }
    ::close(fd);
    auto dir = std::filesystem::path(path).parent_path();
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || ::fsync(dfd) != 0) {
        int err = errno;
        if (dfd >= 0) ::close(dfd);
        fail("cannot flush the directory of secret key file", path, err);
    }
    ::close(dfd);
    return Sealer(key);
}

std::string Sealer::key_id() const {
    static constexpr char kContext[] = "visioguichet secret key id";
    unsigned char h[16];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(key_.data()),
                       key_.size(), reinterpret_cast<const unsigned char*>(kContext),
                       sizeof kContext - 1);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
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

std::string room_token_for(const std::string& management_token) {
    static constexpr char kLabel[] = "visioguichet room token v1 .....";  // 32 bytes + NUL
    static_assert(sizeof kLabel - 1 == crypto_generichash_KEYBYTES);
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(management_token.data()),
                       management_token.size(), reinterpret_cast<const unsigned char*>(kLabel),
                       sizeof kLabel - 1);
    char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(out, sizeof out, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

}  // namespace vg::store
