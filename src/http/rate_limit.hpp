// Per-key fixed-window counters (e.g. bookings per IP per hour). In memory: a restart
// forgets them, which is acceptable for abuse limits.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vg::http {

class RateLimiter {
  public:
    // limit = 0 disables the limiter.
    RateLimiter(int limit, std::int64_t window_seconds) : limit_(limit), window_(window_seconds) {}
    // Counts one event for key at time now; false when over the limit (nothing counted).
    bool allow(const std::string& key, std::int64_t now);
    // Seconds until key may try again.
    std::int64_t retry_after(const std::string& key, std::int64_t now);
    int limit() const { return limit_; }

  private:
    struct Window {
        std::int64_t start = 0;
        int count = 0;
    };
    int limit_;
    std::int64_t window_;
    std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
};

}  // namespace vg::http
