// Per-client fixed-window counters (e.g. bookings per client per hour). In memory: a restart
// forgets them, which is acceptable for abuse limits. What a client is comes from the caller
// (key_of): `serve` counts bookings by http::network_key, so that an IPv6 /64 is one client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vg::app {

class RateLimiter {
  public:
    // limit = 0 disables the limiter. At most max_keys clients are remembered: beyond, the
    // expired windows go first, then the oldest one (a flood of distinct addresses cannot
    // grow the memory; it can at worst make the limiter forget its oldest client).
    // key_of maps what callers pass (a client's address) to the key counted; empty: the
    // string itself.
    using KeyOf = std::function<std::string(const std::string&)>;
    RateLimiter(int limit, std::int64_t window_seconds, std::size_t max_keys = 100000,
                KeyOf key_of = {})
        : limit_(limit),
          window_(window_seconds),
          max_keys_(max_keys ? max_keys : 1),
          key_of_(std::move(key_of)) {}
    // Counts one event for the client at time now; false when over the limit (nothing
    // counted). Clients are counted by key_of(client).
    bool allow(const std::string& client, std::int64_t now);
    // Seconds until the client may try again.
    std::int64_t retry_after(const std::string& client, std::int64_t now);
    int limit() const { return limit_; }
    // Clients remembered.
    std::size_t size();

  private:
    struct Window {
        std::int64_t start = 0;
        int count = 0;
        std::list<const std::string*>::iterator age;  // position in oldest_
    };
    void forget_expired(std::int64_t now);
    std::string key(const std::string& client) const { return key_of_ ? key_of_(client) : client; }

    int limit_;
    std::int64_t window_;
    std::size_t max_keys_;
    KeyOf key_of_;
    std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
    // Keys (pointing into windows_, whose nodes do not move) by window start, oldest first.
    std::list<const std::string*> oldest_;
};

}  // namespace vg::app
