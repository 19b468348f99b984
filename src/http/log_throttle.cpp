#include "http/log_throttle.hpp"

namespace vg::http {

std::optional<std::uint64_t> LogThrottle::admit(const std::string& kind, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (kinds_.size() > 256) kinds_.clear();  // kinds are fixed words; bound it anyway
    auto& s = kinds_[kind];
    if (now - s.second >= std::chrono::seconds(1)) {
        s.second = now;
        s.written = 0;
    }
    if (s.written >= per_second_) {
        ++s.held;
        return std::nullopt;
    }
    ++s.written;
    auto held = s.held;
    s.held = 0;
    return held;
}

}  // namespace vg::http
