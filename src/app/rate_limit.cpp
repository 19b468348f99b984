#include "app/rate_limit.hpp"

namespace vg::app {

void RateLimiter::forget_expired(std::int64_t now) {
    while (!oldest_.empty()) {
        auto it = windows_.find(*oldest_.front());
        if (now - it->second.start < window_) break;
        oldest_.pop_front();
        windows_.erase(it);
    }
}

bool RateLimiter::allow(const std::string& client, std::int64_t now) {
    if (limit_ <= 0) return true;
    auto key = this->key(client);
    std::lock_guard lock(mutex_);
    forget_expired(now);
    auto it = windows_.find(key);
    if (it == windows_.end()) {
        if (windows_.size() >= max_keys_) {
            auto victim = windows_.find(*oldest_.front());
            oldest_.pop_front();
            windows_.erase(victim);
        }
        it = windows_.emplace(std::move(key), Window{now, 0, {}}).first;
        it->second.age = oldest_.insert(oldest_.end(), &it->first);
    } else if (now - it->second.start >= window_ || now < it->second.start) {
        // A new window (or the clock went back): now the youngest.
        it->second.start = now;
        it->second.count = 0;
        oldest_.splice(oldest_.end(), oldest_, it->second.age);
    }
    auto& w = it->second;
    if (w.count >= limit_) return false;
    ++w.count;
    return true;
}

std::int64_t RateLimiter::retry_after(const std::string& client, std::int64_t now) {
    auto key = this->key(client);
    std::lock_guard lock(mutex_);
    auto it = windows_.find(key);
    if (it == windows_.end()) return 0;
    auto left = it->second.start + window_ - now;
    return left > 0 ? left : 0;
}

std::size_t RateLimiter::size() {
    std::lock_guard lock(mutex_);
    return windows_.size();
}

}  // namespace vg::app
