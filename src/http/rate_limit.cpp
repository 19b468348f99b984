#include "http/rate_limit.hpp"

namespace vg::http {

bool RateLimiter::allow(const std::string& key, std::int64_t now) {
    if (limit_ <= 0) return true;
    std::lock_guard lock(mutex_);
    if (windows_.size() > 100000) {
        // Bound memory under a flood of distinct keys: drop expired windows.
        for (auto it = windows_.begin(); it != windows_.end();)
            it = now - it->second.start >= window_ ? windows_.erase(it) : std::next(it);
    }
    auto [it, fresh] = windows_.try_emplace(key, Window{now, 0});
    auto& w = it->second;
    if (!fresh && now - w.start >= window_) w = {now, 0};
    if (w.count >= limit_) return false;
    ++w.count;
    return true;
}

std::int64_t RateLimiter::retry_after(const std::string& key, std::int64_t now) {
    std::lock_guard lock(mutex_);
    auto it = windows_.find(key);
    if (it == windows_.end()) return 0;
    auto left = it->second.start + window_ - now;
    return left > 0 ? left : 0;
}

}  // namespace vg::http
