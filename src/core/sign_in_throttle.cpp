#include "core/sign_in_throttle.hpp"

#include <algorithm>

namespace vg::core {

ThrottleStep record_failure(const ThrottlePolicy& p, ThrottleState s, Instant now) {
    // A lock served, or failures long past, start the count again.
    if (s.failures >= p.lock_after || (s.failures > 0 && now - s.last_failure_at > p.forget_after))
        s.failures = 0;
    ThrottleStep out;
    s.failures += 1;
    s.last_failure_at = now;
    int free = std::min(p.free_failures, p.lock_after - 1);
    if (s.failures >= p.lock_after) {
        s.blocked_until = now + p.lock_seconds;
        out.locked = true;
    } else if (s.failures > free) {
        Instant delay = 1;
        for (int i = free + 1; i < s.failures && delay < p.max_delay; ++i) delay *= 2;
        s.blocked_until = now + std::min(delay, p.max_delay);
    } else {
        s.blocked_until = 0;
    }
    out.state = s;
    return out;
}

}  // namespace vg::core
