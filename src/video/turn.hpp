// ICE servers for the room (docs/VIDEO.md): TURN credentials in the coturn REST convention
// (coturn's use-auth-secret / static-auth-secret): username "<expiry epoch>:<participant>",
// credential base64(HMAC-SHA1(secret, username)), valid until the expiry.
#pragma once

#include <string>
#include <vector>

#include "core/types.hpp"

namespace vg::video {

struct IceConfig {
    std::vector<std::string> turn_urls;    // turn:host:3478?transport=udp, turns:host:443...
    std::string turn_secret;               // coturn's static-auth-secret ("" = no TURN)
    std::string transport_policy = "all";  // all | relay
    int credential_seconds = 12 * 3600;    // how long a credential lasts
};

struct TurnCredential {
    std::string username;
    std::string credential;
};

// The credential for this participant, valid until `expiry`.
TurnCredential turn_credential(const std::string& secret, core::Instant expiry,
                               const std::string& participant);

}  // namespace vg::video
