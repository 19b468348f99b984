// Server-side secret box: the outbox must put management links into messages that are sent
// later, while the database keeps only token hashes. Tokens are sealed with a key that
// lives outside the database (a file readable by the service only) and erased once sent.
#pragma once

#include <optional>
#include <string>

namespace vg::store {

class Sealer {
  public:
    // Reads the 32-byte key from path, creating it when absent: exclusively (never through
    // an existing file or link), mode 0600, flushed to disk with its directory entry.
    static Sealer from_file(const std::string& path);
    explicit Sealer(std::string key);
    // Names the key without revealing it (BLAKE2b of the key, hex): recorded in the database
    // so that a missing or replaced key file is noticed before any message is sent.
    std::string key_id() const;
    std::string seal(const std::string& plain) const;  // base64url(nonce | ciphertext)
    std::optional<std::string> open(const std::string& sealed) const;

  private:
    std::string key_;
};

}  // namespace vg::store
