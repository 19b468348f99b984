// Documents sent during a call, kept encrypted at rest in a folder outside anything served:
// each file holds XChaCha20-Poly1305 ciphertext under its own random key, and that key,
// sealed with the installation's secret key, is kept in the database row beside the file's
// name. Erasing the row's key leaves the file unreadable even if deleting the file failed.
#pragma once

#include <optional>
#include <string>

#include "store/secrets.hpp"

namespace vg::store {

class DocumentVault {
  public:
    // Creates the folder (mode 0700) when absent.
    DocumentVault(std::string dir, const Sealer& sealer);

    struct Stored {
        std::string file;        // name inside the folder (random, hex)
        std::string sealed_key;  // the file's key, sealed with the secret key
    };
    // Encrypts and writes durably (temporary file, fsync, rename, fsync of the folder).
    // `binding` (e.g. "document:<org>:<appointment>") is authenticated with the content, so
    // that a file cannot be served for another row. Throws when the disk refuses.
    Stored put(const std::string& plain, const std::string& binding) const;
    // nullopt when the file is missing, was changed, or the key or binding do not match.
    std::optional<std::string> get(const Stored& stored, const std::string& binding) const;
    // Removes the file (true when it is gone, also when it was already gone).
    bool remove(const std::string& file) const;
    const std::string& dir() const { return dir_; }

  private:
    std::string path_of(const std::string& file) const;
    std::string dir_;
    const Sealer& sealer_;
};

}  // namespace vg::store
