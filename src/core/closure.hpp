// What becomes of an on-site appointment when its site closes for the day (issue 12, seed
// 002: video as the fallback when a site cannot be used). Pure rule, no I/O.
#pragma once

#include <cstdint>
#include <optional>

#include "core/types.hpp"

namespace vg::core {

// Video when the motif allows it and the citizen gave an e-mail address (the link goes
// there), else phone when the motif allows it and the citizen gave a phone number; nullopt:
// neither, the appointment is cancelled.
inline std::optional<Channel> closure_channel(std::uint8_t motif_channels, bool has_email,
                                              bool has_phone) {
    if ((motif_channels & channel_bit(Channel::video)) && has_email) return Channel::video;
    if ((motif_channels & channel_bit(Channel::phone)) && has_phone) return Channel::phone;
    return std::nullopt;
}

}  // namespace vg::core
