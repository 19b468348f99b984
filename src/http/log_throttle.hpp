// "Never log the same error more than a few times a second": a flood of one failure (accept
// failing on a full descriptor table, a peer resetting connections) must not fill the disk.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace vg::http {

class LogThrottle {
  public:
    using Clock = std::chrono::steady_clock;
    explicit LogThrottle(int per_second = 3) : per_second_(per_second) {}
    // Whether a message of this kind may be written now. When it may, the number of messages
    // of this kind held back since the last one written (to say so in the line); when it
    // may not, nullopt (and it is counted). Kinds are a few fixed words ("accept").
    std::optional<std::uint64_t> admit(const std::string& kind, Clock::time_point now);

  private:
    struct State {
        Clock::time_point second{};
        int written = 0;
        std::uint64_t held = 0;
    };
    int per_second_;
    std::mutex mutex_;
    std::unordered_map<std::string, State> kinds_;
};

}  // namespace vg::http
