// Server-side secret box: the outbox must put management links into messages that are sent
// later, while the database keeps only token hashes. Tokens are sealed with a key that
// lives outside the database (a file readable by the service only) and erased once sent.
#pragma once

#include <optional>
#include <string>

namespace vg::app {

class Sealer {
  public:
    // Reads the 32-byte key from path, creating it (mode 0600) when absent.
    static Sealer from_file(const std::string& path);
    explicit Sealer(std::string key);
    std::string seal(const std::string& plain) const;  // base64url(nonce | ciphertext)
    std::optional<std::string> open(const std::string& sealed) const;

  private:
    std::string key_;
};

}  // namespace vg::app
