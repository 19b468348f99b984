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

// The room token of a management token (docs/VIDEO.md): BLAKE2b-256 keyed with a fixed
// label, base64url (43 characters, the shape of a token). Whoever holds a management link
// (the citizen, a queued message sealed with it) can reach the room; the room token reveals
// nothing of the management token, and the database keeps only its hash (room_tokens).
std::string room_token_for(const std::string& management_token);

}  // namespace vg::store
