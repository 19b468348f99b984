#include "store/document_vault.hpp"

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

constexpr char kMagic[] = "VGDOC1";  // format version, before the nonce
constexpr std::size_t kMagicLen = sizeof kMagic - 1;

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw std::runtime_error(what + " " + path + ": " + std::strerror(err));
}

void write_all(int fd, const std::string& data, const std::string& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        auto n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write document", path, errno);
        done += std::size_t(n);
    }
}

bool valid_name(const std::string& file) {
    if (file.size() != 32) return false;
    for (char c : file)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

DocumentVault::DocumentVault(std::string dir, const Sealer& sealer)
    : dir_(std::move(dir)), sealer_(sealer) {
    std::filesystem::create_directories(dir_);
    ::chmod(dir_.c_str(), 0700);
}

std::string DocumentVault::path_of(const std::string& file) const {
    return (std::filesystem::path(dir_) / file).string();
}

DocumentVault::Stored DocumentVault::put(const std::string& plain,
                                         const std::string& binding) const {
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
    unsigned char name[16];
    randombytes_buf(name, sizeof name);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, name, sizeof name);
    Stored s{hex, sealer_.seal(std::string(reinterpret_cast<char*>(key), sizeof key))};

    std::string out(kMagicLen + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() +
                        crypto_aead_xchacha20poly1305_ietf_ABYTES,
                    '\0');
    std::memcpy(out.data(), kMagic, kMagicLen);
    auto* nonce = reinterpret_cast<unsigned char*>(out.data()) + kMagicLen;
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
        reinterpret_cast<const unsigned char*>(binding.data()), binding.size(), nullptr, nonce,
        key);
    sodium_memzero(key, sizeof key);

    auto path = path_of(s.file);
    auto tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) fail("cannot create document", tmp, errno);
    try {
        write_all(fd, out, tmp);
        if (::fsync(fd) != 0) fail("cannot flush document", tmp, errno);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        fail("cannot store document", path, err);
    }
    int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || ::fsync(dfd) != 0) {
        int err = errno;
        if (dfd >= 0) ::close(dfd);
        fail("cannot flush the document folder", dir_, err);
    }
    ::close(dfd);
    return s;
}

std::optional<std::string> DocumentVault::get(const Stored& s, const std::string& binding) const {
    if (!valid_name(s.file)) return std::nullopt;
    auto key = sealer_.open(s.sealed_key);
    if (!key || key->size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) return std::nullopt;
    std::ifstream in(path_of(s.file), std::ios::binary);
    if (!in) return std::nullopt;
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    constexpr auto header = kMagicLen + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if (data.size() < header + crypto_aead_xchacha20poly1305_ietf_ABYTES ||
        data.compare(0, kMagicLen, kMagic) != 0)
        return std::nullopt;
    std::string plain(data.size() - header - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long plen = 0;
    auto* nonce = reinterpret_cast<const unsigned char*>(data.data()) + kMagicLen;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(plain.data()), &plen, nullptr,
            nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, data.size() - header,
            reinterpret_cast<const unsigned char*>(binding.data()), binding.size(), nonce,
            reinterpret_cast<const unsigned char*>(key->data())) != 0)
        return std::nullopt;
    plain.resize(plen);
    return plain;
}

bool DocumentVault::remove(const std::string& file) const {
    if (!valid_name(file)) return false;
    return ::unlink(path_of(file).c_str()) == 0 || errno == ENOENT;
}

}  // namespace vg::store
